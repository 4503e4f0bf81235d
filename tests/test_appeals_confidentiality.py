"""QUALITY.md C3: an appellant's identity reaches only those the issue names, each view of it
is logged, and nothing the enterprise side sees ever carries it."""

import pytest
from django.urls import reverse

from shuangliang.appeals.models import Appellant, Notification
from shuangliang.core.models import ActionLogEntry

from .appeals_world import submit
from .conftest import ROLES, client_for

NAME, PHONE = "陈小明", "13912345678"

# Who may see the identity of each kind of appeal (all routes via enterprise E1 / union U1).
IDENTITY_ALLOWED = {
    # The worker let U1 handle it and share their identity with it.
    "union_consent": {"chair_u1", "township_t1", "county_c1", "city", "superuser"},
    # The worker let U1 handle it but did not share their identity with the union.
    "union_no_consent": {"township_t1", "county_c1", "city", "superuser"},
    # The worker sent it straight to the federation (county C1).
    "federation": {"county_c1", "city", "superuser"},
    # The concern is about U1 itself: always the federation, whatever the worker ticked.
    "about_union": {"county_c1", "city", "superuser"},
    # Anonymous: there is nothing to see.
    "anonymous": set(),
}
# Who may open the appeal at all (others get 404).
APPEAL_VISIBLE = {
    "union_consent": {"chair_u1", "township_t1", "county_c1", "city", "leader_c1", "superuser"},
    "union_no_consent": {"chair_u1", "township_t1", "county_c1", "city", "leader_c1", "superuser"},
    "federation": {"county_c1", "city", "leader_c1", "superuser"},
    "about_union": {"county_c1", "city", "leader_c1", "superuser"},
    "anonymous": {"chair_u1", "township_t1", "county_c1", "city", "leader_c1", "superuser"},
}


def make_appeal(world, kind: str):
    if kind == "union_consent":
        return world.appeal_u1
    if kind == "federation":
        return world.appeal_c1
    if kind == "union_no_consent":
        return submit(enterprise=world.e1, wants_union=True, identity_to_union=False)
    if kind == "about_union":
        return submit(
            enterprise=world.e1, wants_union=True, about_union=True, identity_to_union=True
        )
    return submit(enterprise=world.e1, wants_union=True, anonymous=True, name="", phone="")


def leaks(response) -> bool:
    body = response.content.decode()
    return NAME in body or PHONE in body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(IDENTITY_ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_identity_reaches_only_the_allowed_handlers(world, kind, role):
    appeal = make_appeal(world, kind)
    client = client_for(world, role)
    detail = client.get(reverse("appeals:detail", args=[appeal.pk]))
    if role == "anonymous":
        assert detail.status_code == 302
    elif role in APPEAL_VISIBLE[kind]:
        assert detail.status_code == 200
    else:
        assert detail.status_code == 404
    # Until it is asked for, the identity is on no page, even for those allowed to see it.
    assert not leaks(detail)
    for name in ("appeals:list", "appeals:inbox", "appeals:figures"):
        assert not leaks(client.get(reverse(name)))

    from django.conf import settings

    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    reveal = client.post(reverse("appeals:identity", args=[appeal.pk]), HTTP_X_CSRFTOKEN="x" * 32)
    logged = ActionLogEntry.objects.filter(
        action_type="appeals.appeal.identity_viewed", object_id=str(appeal.pk)
    )
    if role in IDENTITY_ALLOWED[kind]:
        assert reveal.status_code == 200 and leaks(reveal)
        assert logged.get().actor == world.users[role]
    else:
        assert reveal.status_code in (302, 404) and not leaks(reveal)
        assert not logged.exists()


@pytest.mark.django_db
def test_union_chair_never_learns_who_sent_a_federation_appeal_about_their_enterprise(world):
    """The enterprise side: U1's chair gets no page, no notification, no count with identity."""
    about = make_appeal(world, "about_union")
    chair = world.users["chair_u1"]
    client = client_for(world, "chair_u1")
    for appeal in (world.appeal_c1, about):
        assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
        assert not Notification.objects.filter(appeal=appeal, recipient=chair).exists()
    listing = client.get(reverse("appeals:list")).content.decode()
    assert "加班费问题" not in listing  # the federation appeal's subject is not even listed
    for note in Notification.objects.all():
        assert NAME not in note.text and PHONE not in note.text


@pytest.mark.django_db
def test_anonymous_appeal_has_no_identity_row(world):
    appeal = make_appeal(world, "anonymous")
    assert appeal.is_anonymous and not Appellant.objects.filter(appeal=appeal).exists()


@pytest.mark.django_db
def test_phone_notes_are_only_for_those_who_may_see_the_identity(world):
    from shuangliang.appeals import services

    appeal = make_appeal(world, "union_no_consent")
    services.appeal_accept(appeal=appeal, actor=world.users["county_c1"])
    services.appeal_note_add(
        appeal=appeal, actor=world.users["county_c1"], body="电话回访：职工在二车间上夜班"
    )
    chair_page = client_for(world, "chair_u1").get(reverse("appeals:detail", args=[appeal.pk]))
    assert chair_page.status_code == 200 and "二车间" not in chair_page.content.decode()
    county_page = client_for(world, "county_c1").get(reverse("appeals:detail", args=[appeal.pk]))
    assert "二车间" in county_page.content.decode()
