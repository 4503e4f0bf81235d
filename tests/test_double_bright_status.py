"""The Double Bright status of a union: checklist, evidence, review lifecycle, compliance,
coverage figures and their query counts."""

import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image

from shuangliang.core.actionlog import history_for
from shuangliang.doublebright.compliance import compliant_q
from shuangliang.doublebright.models import DoubleBrightStatus, UnionPage
from shuangliang.doublebright.status_selectors import coverage_list, union_is_compliant
from shuangliang.doublebright.status_services import (
    StatusError,
    status_confirm,
    status_reject,
    status_save,
    status_submit,
)
from shuangliang.register import services as register_services
from shuangliang.register.models import Officer, Position, Union

from .conftest import client_for
from .factories import EnterpriseFactory, OfficerFactory, PersonFactory, UnionFactory

State = DoubleBrightStatus.State
ALL_ITEMS = {
    "signboard_hung": True,
    "identities_posted": True,
    "badges_worn": True,
    "contact_cards_handed_out": 30,
    "address_published": True,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg_with_gps() -> bytes:
    """A small JPEG that carries EXIF with a GPS position, as a phone writes it."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str = "photo.jpg", data: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type="image/jpeg")


def post(client, url: str, data: dict | None = None):
    """POST with a CSRF token, as the browser sends it (the clients enforce CSRF)."""
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=secret)


def ready_union(world, union: Union | None = None) -> Union:
    """Give the union an office address, which the checklist needs."""
    union = union or world.u2
    union.office_address = "甲二镇工业路8号综合楼2楼"
    union.save()
    return union


def filled_status(world, union: Union, actor=None) -> DoubleBrightStatus:
    actor = actor or world.users["county_c1"]
    return status_save(
        actor=actor,
        union=union,
        items=ALL_ITEMS,
        photos={"signboard_photo": upload("a.jpg"), "notice_board_photo": upload("b.jpg")},
    )


def confirmed(world, union: Union) -> DoubleBrightStatus:
    ready_union(world, union)
    status = filled_status(world, union)
    status_submit(actor=world.users["county_c1"], status=status)
    return status_confirm(actor=world.users["city"], status=status)


def edit_url(union) -> str:
    return reverse("dbstatus:status_edit", args=[union.pk])


# The chair's form -----------------------------------------------------------------------


def test_status_chair_fills_in_and_submits_with_photos(world):
    union = ready_union(world)
    client = client_for(world, "chair_u2")
    page = client.get(edit_url(union))
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode()
    data = {
        **ALL_ITEMS,
        "signboard_photo": upload("signboard.jpg"),
        "notice_board_photo": upload("board.png"),
        "action": "submit",
    }
    response = post(client, edit_url(union), data)
    assert response.status_code == 302
    status = DoubleBrightStatus.objects.get(union=union)
    assert status.state == State.SUBMITTED
    assert status.submitted_by == world.users["chair_u2"]
    assert status.submitted_on == timezone.localdate()
    for field in (status.signboard_photo, status.notice_board_photo):
        with field.open("rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG"
        assert not stored.getexif()  # EXIF and GPS are gone
        assert "signboard" not in field.name and "board" not in field.name.split("/")[-1]
    actions = list(history_for(status).values_list("action_type", flat=True))
    assert actions == ["doublebright.status.submitted", "doublebright.status.created"]


def test_status_draft_keeps_what_was_filled_in(world):
    union = ready_union(world)
    client = client_for(world, "chair_u2")
    response = post(client, edit_url(union), {"badges_worn": "on", "contact_cards_handed_out": 5})
    assert response.status_code == 302
    status = DoubleBrightStatus.objects.get(union=union)
    assert status.state == State.DRAFT
    assert status.badges_worn and status.contact_cards_handed_out == 5
    assert not status.signboard_hung


def test_status_submit_refused_while_items_are_missing(world):
    union = ready_union(world)
    client = client_for(world, "chair_u2")
    data = {**ALL_ITEMS, "signboard_photo": upload(), "action": "submit"}  # no notice board
    response = post(client, edit_url(union), data)
    assert response.status_code == 302
    status = DoubleBrightStatus.objects.get(union=union)
    assert status.state == State.DRAFT
    page = client.get(edit_url(union)).content.decode()
    assert _("A photo of the notice board is missing.") in page


def test_status_submit_needs_an_office_address_and_a_chair(world):
    status = filled_status(world, world.u2)  # U2 has no office address
    with pytest.raises(StatusError) as error:
        status_submit(actor=world.users["county_c1"], status=status)
    assert _("The union's office address is not on record.") in str(error.value)
    ready_union(world)
    register_services.officer_end(actor=None, officer=world.chair2)
    status.union.refresh_from_db()
    with pytest.raises(StatusError) as error:
        status_submit(actor=world.users["county_c1"], status=status)
    assert _("The union has no chair in office.") in str(error.value)


def test_status_refused_photo_saves_nothing(world):
    union = ready_union(world)
    client = client_for(world, "chair_u2")
    data = {**ALL_ITEMS, "signboard_photo": upload("evil.jpg", b"<?php echo 1; ?>" * 10)}
    response = post(client, edit_url(union), data)
    assert response.status_code == 200
    assert _("Only JPEG, PNG and WebP images can be uploaded.") in response.content.decode()
    assert not DoubleBrightStatus.objects.filter(union=union).exists()


def test_status_posting_state_or_union_changes_nothing(world):
    """QUALITY.md A4: the form has no state, union or review fields to assign."""
    union = ready_union(world)
    client = client_for(world, "chair_u2")
    data = {
        "badges_worn": "on",
        "contact_cards_handed_out": 1,
        "state": "confirmed",
        "union": world.u1.pk,
        "decided_by": world.users["chair_u2"].pk,
    }
    post(client, edit_url(union), data)
    status = DoubleBrightStatus.objects.get(union=union)
    assert status.state == State.DRAFT and status.decided_by is None
    assert DoubleBrightStatus.objects.get(union=world.u1).state == State.SUBMITTED


def test_status_awaiting_review_cannot_be_edited(world):
    client = client_for(world, "chair_u1")
    response = post(client, edit_url(world.u1), {"contact_cards_handed_out": 0})
    assert response.status_code == 302
    world.db_status.refresh_from_db()
    assert world.db_status.contact_cards_handed_out == 20


# Review -----------------------------------------------------------------------------------


def test_status_chair_cannot_confirm_or_reject(world):
    client = client_for(world, "chair_u1")
    for name in ("dbstatus:status_confirm", "dbstatus:status_reject"):
        response = post(client, reverse(name, args=[world.u1.pk]), {"reason": "x"})
        assert response.status_code == 404
    assert client.get(reverse("dbstatus:status_review", args=[world.u1.pk])).status_code == 404
    with pytest.raises(StatusError):
        status_confirm(actor=world.users["chair_u1"], status=world.db_status)
    world.db_status.refresh_from_db()
    assert world.db_status.state == State.SUBMITTED


def test_status_staff_of_another_county_gets_404(world):
    client = client_for(world, "county_c2")
    pk = world.u1.pk
    for name in ("status_edit", "status_review", "signboard_photo", "notice_board_photo"):
        assert client.get(reverse(f"dbstatus:{name}", args=[pk])).status_code == 404
    for name in ("status_confirm", "status_reject", "status_edit", "union_contact"):
        response = post(client, reverse(f"dbstatus:{name}", args=[pk]), {"reason": "x"})
        assert response.status_code == 404
    world.db_status.refresh_from_db()
    assert world.db_status.state == State.SUBMITTED
    assert world.u1.pk not in [u.pk for u in coverage_list(user=world.users["county_c2"])]


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_status_reject_needs_a_reason_and_changes_nothing_without_one(world, reason):
    before = history_for(world.db_status).count()
    client = client_for(world, "county_c1")
    url = reverse("dbstatus:status_reject", args=[world.u1.pk])
    response = post(client, url, {"reason": reason})
    assert response.status_code == 200
    assert _("Give a reason for returning it, so the union knows what to fix.") in (
        response.content.decode()
    )
    world.db_status.refresh_from_db()
    assert world.db_status.state == State.SUBMITTED
    assert world.db_status.rejection_reason == ""
    assert history_for(world.db_status).count() == before
    with pytest.raises(StatusError):
        status_reject(actor=world.users["county_c1"], status=world.db_status, reason=reason)


def test_status_reject_then_resubmit_then_confirm(world):
    ready_union(world, world.u1)
    staff = client_for(world, "township_t1")
    reason = "公示栏照片看不清主席姓名，请重新拍摄"
    response = post(
        staff, reverse("dbstatus:status_reject", args=[world.u1.pk]), {"reason": reason}
    )
    assert response.status_code == 302
    status = DoubleBrightStatus.objects.get(union=world.u1)
    assert status.state == State.REJECTED and status.rejection_reason == reason
    assert status.decided_by == world.users["township_t1"]
    chair = client_for(world, "chair_u1")
    assert (
        reason in chair.get(reverse("backoffice:union_detail", args=[world.u1.pk])).content.decode()
    )
    data = {**ALL_ITEMS, "notice_board_photo": upload(), "signboard_photo": upload()}
    post(chair, edit_url(world.u1), {**data, "action": "submit"})
    status.refresh_from_db()
    assert status.state == State.SUBMITTED
    response = post(staff, reverse("dbstatus:status_confirm", args=[world.u1.pk]))
    assert response.status_code == 302
    status.refresh_from_db()
    assert status.state == State.CONFIRMED and status.rejection_reason == ""
    assert union_is_compliant(union=world.u1)
    actions = list(history_for(status).values_list("action_type", flat=True))
    assert actions[:4] == [
        "doublebright.status.confirmed",
        "doublebright.status.submitted",
        "doublebright.status.reopened",
        "doublebright.status.changed",
    ]
    rejected = history_for(status).get(action_type="doublebright.status.rejected")
    assert rejected.data["reason"] == reason and rejected.actor == world.users["township_t1"]


def test_status_confirm_only_from_submitted(world):
    status = confirmed(world, world.u2)
    with pytest.raises(StatusError):
        status_confirm(actor=world.users["county_c1"], status=status)
    with pytest.raises(StatusError):
        status_reject(actor=world.users["county_c1"], status=status, reason="again")


def test_status_editing_a_confirmed_status_reopens_it(world):
    status = confirmed(world, world.u2)
    status_save(
        actor=world.users["chair_u2"], union=world.u2, items={"contact_cards_handed_out": 31}
    )
    status.refresh_from_db()
    assert status.state == State.DRAFT
    assert not union_is_compliant(union=world.u2)


# Compliance -------------------------------------------------------------------------------


def test_status_confirmed_union_is_compliant(world):
    confirmed(world, world.u2)
    assert union_is_compliant(union=world.u2)
    assert not union_is_compliant(union=world.u1)  # submitted only
    assert not union_is_compliant(union=world.u3)  # not started
    assert set(Union.objects.filter(compliant_q()).values_list("pk", flat=True)) == {world.u2.pk}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("signboard_hung", False),
        ("signboard_photo", ""),
        ("identities_posted", False),
        ("notice_board_photo", ""),
        ("badges_worn", False),
        ("contact_cards_handed_out", 0),
        ("address_published", False),
    ],
)
def test_status_every_item_is_required_none_is_optional(world, field, value):
    """No item can be marked not applicable: any one missing makes the union non-compliant."""
    status = confirmed(world, world.u2)
    DoubleBrightStatus.objects.filter(pk=status.pk).update(**{field: value})
    assert not union_is_compliant(union=world.u2)


def test_status_office_address_removed_makes_union_non_compliant(world):
    confirmed(world, world.u2)
    Union.objects.filter(pk=world.u2.pk).update(office_address="")
    assert not union_is_compliant(union=world.u2)


def test_status_new_chair_makes_a_confirmed_union_non_compliant(world):
    confirmed(world, world.u2)
    assert union_is_compliant(union=world.u2)
    register_services.officer_appoint(
        actor=world.users["county_c1"],
        union=world.u2,
        person=PersonFactory(),
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )
    assert not union_is_compliant(union=world.u2)
    page = client_for(world, "county_c1").get(
        reverse("backoffice:union_detail", args=[world.u2.pk])
    )
    warning = _(
        "The union's cadres changed after this status was submitted, so it no longer "
        "counts. Update the notice board and submit again."
    )
    assert warning in page.content.decode()


def test_status_officer_leaving_makes_a_confirmed_union_non_compliant(world):
    confirmed(world, world.u2)
    register_services.officer_end(actor=None, officer=world.chair2)
    assert not union_is_compliant(union=world.u2)


def test_status_confirm_refused_when_cadres_changed_after_submission(world):
    status = filled_status(world, ready_union(world))
    status_submit(actor=world.users["chair_u2"], status=status)
    OfficerFactory(
        union=world.u2, position=Position.VICE_CHAIR, term_start=timezone.localdate(), term_end=None
    )
    with pytest.raises(StatusError):
        status_confirm(actor=world.users["county_c1"], status=status)
    status.refresh_from_db()
    assert status.state == State.SUBMITTED
    status_reject(actor=world.users["county_c1"], status=status, reason="请更新公示栏后重新提交")
    assert status.state == State.REJECTED


def test_status_submitting_again_after_the_change_restores_compliance(world):
    status = confirmed(world, world.u2)
    OfficerFactory(
        union=world.u2, position=Position.VICE_CHAIR, term_start=timezone.localdate(), term_end=None
    )
    assert not union_is_compliant(union=world.u2)
    status_save(
        actor=world.users["chair_u2"],
        union=world.u2,
        items={"contact_cards_handed_out": 40},
        photos={"notice_board_photo": upload("new-board.jpg")},
    )
    status.refresh_from_db()
    assert status.state == State.DRAFT
    status_submit(actor=world.users["chair_u2"], status=status)
    status_confirm(actor=world.users["county_c1"], status=status)
    assert union_is_compliant(union=world.u2)


def test_status_back_dated_record_of_an_earlier_change_does_not_count(world):
    """Entering last year's vice chair today is not a change after the submission."""
    confirmed(world, world.u2)
    OfficerFactory(
        union=world.u2,
        position=Position.VICE_CHAIR,
        term_start=timezone.localdate() - datetime.timedelta(days=400),
    )
    assert union_is_compliant(union=world.u2)


def test_status_future_appointment_counts_once_it_takes_effect(world, monkeypatch):
    confirmed(world, world.u2)
    start = timezone.localdate() + datetime.timedelta(days=10)
    OfficerFactory(union=world.u2, position=Position.VICE_CHAIR, term_start=start, term_end=None)
    Officer.objects.filter(union=world.u2, term_start=start).update(
        created_at=timezone.now() - datetime.timedelta(days=30)  # recorded long before
    )
    assert union_is_compliant(union=world.u2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: start)
    assert not union_is_compliant(union=world.u2)


# Evidence photos --------------------------------------------------------------------------


def test_status_evidence_photo_is_served_only_within_scope(world):
    confirmed(world, world.u2)
    url = reverse("dbstatus:signboard_photo", args=[world.u2.pk])
    response = client_for(world, "cadre").get(url)  # the cadre assigned to E2 may see U2
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client_for(world, "chair_u1").get(url).status_code == 404
    assert client_for(world, "county_c2").get(url).status_code == 404
    assert client_for(world, "anonymous").get(url).status_code == 302
    status = DoubleBrightStatus.objects.get(union=world.u2)
    assert not status.signboard_photo.name.startswith("photos/")
    assert settings.MEDIA_URL.strip("/") not in response.get("Location", "")


# Office address and hours -----------------------------------------------------------------


def test_status_chair_edits_office_address_and_hours(world):
    client = client_for(world, "chair_u2")
    url = reverse("dbstatus:union_contact", args=[world.u2.pk])
    assert client.get(url).status_code == 200
    data = {"office_address": "甲二镇工业路8号", "office_hours": "周一至周五 8:30-17:30"}
    assert post(client, url, data).status_code == 302
    world.u2.refresh_from_db()
    assert world.u2.office_address == "甲二镇工业路8号"
    page = UnionPage.objects.get(union=world.u2)
    assert page.office_hours == "周一至周五 8:30-17:30"
    assert not page.indexable
    assert history_for(page).filter(action_type="doublebright.union_page.changed").exists()
    assert history_for(world.u2).filter(action_type="register.union.changed").exists()


# Coverage: the API and the page agree; query counts stay flat -----------------------------


def test_status_rate_is_the_same_on_the_api_and_the_coverage_page(world):
    confirmed(world, world.u2)
    confirmed(world, world.u3)
    EnterpriseFactory(federation=world.t2, union=world.u2)  # a joint union: two enterprises
    EnterpriseFactory(federation=world.t1)  # no union: outside the denominator
    for role, expected in (("county_c1", 2 / 3), ("city", 3 / 4), ("township_t1", 0.0)):
        client = client_for(world, role)
        api = client.get(reverse("api:stats_summary")).json()
        page = client.get(reverse("dbstatus:coverage"))
        summary = page.context["summary"]
        assert api["double_bright_rate"] == summary.rate == round(expected, 4), role
        assert f"{summary.rate_percent}%" in page.content.decode()
    client = client_for(world, "city")
    api = client.get(reverse("api:stats_summary"), {"federation": world.t2.division_code}).json()
    page = client.get(reverse("dbstatus:coverage"), {"federation": world.t2.pk})
    assert api["double_bright_rate"] == page.context["summary"].rate == 1.0
    places = {
        p.federation.pk: p
        for p in client.get(reverse("dbstatus:coverage")).context["summary"].places
    }
    assert places[world.t2.pk].rate == 1.0 and places[world.t1.pk].rate == 0.0


def test_status_coverage_counts_and_filters(world):
    confirmed(world, world.u2)
    client = client_for(world, "city")
    summary = client.get(reverse("dbstatus:coverage")).context["summary"]
    assert summary.counts == {
        "total": 3,
        "compliant": 1,
        "outdated": 0,
        "submitted": 1,
        "rejected": 0,
        "draft": 0,
        "not_started": 1,
    }
    page = client.get(reverse("dbstatus:coverage"), {"coverage": "submitted"})
    assert [u.pk for u in page.context["page"].object_list] == [world.u1.pk]
    page = client.get(reverse("dbstatus:coverage"), {"federation": world.t3.pk})
    assert [u.pk for u in page.context["page"].object_list] == [world.u3.pk]
    page = client.get(reverse("dbstatus:coverage"), {"q": "zzz-nothing"})
    assert _("No union matches these filters.") in page.content.decode()
    page = client.get(reverse("dbstatus:coverage"), {"sort": "state"})
    assert [u.coverage for u in page.context["page"].object_list] == [
        "compliant",
        "submitted",
        "not_started",
    ]


def test_status_review_queue_lists_what_the_user_may_review(world):
    status_u3 = filled_status(world, ready_union(world, world.u3), actor=world.users["county_c2"])
    status_submit(actor=world.users["county_c2"], status=status_u3)
    queue = lambda role: [  # noqa: E731
        s.union_id
        for s in client_for(world, role).get(reverse("dbstatus:review_queue")).context["page"]
    ]
    assert queue("county_c1") == [world.u1.pk]
    assert queue("county_c2") == [world.u3.pk]
    assert queue("city") == [world.u1.pk, world.u3.pk]
    assert queue("chair_u1") == []
    assert queue("leader_c1") == []


def _grow(world, count: int) -> None:
    """`count` more unions in T1 and T2, each with an enterprise, an officer and a status."""
    for n in range(count):
        township = world.t1 if n % 2 else world.t2
        union = UnionFactory(federation=township, office_address="某路1号")
        EnterpriseFactory(federation=township, union=union)
        OfficerFactory(union=union, position=Position.CHAIR)
        state = [State.DRAFT, State.SUBMITTED, State.CONFIRMED, State.REJECTED][n % 4]
        DoubleBrightStatus.objects.create(
            union=union,
            state=state,
            **ALL_ITEMS,
            signboard_photo="x.jpg",
            notice_board_photo="y.jpg",
            submitted_at=timezone.now(),
            submitted_on=timezone.localdate(),
            rejection_reason="请补充照片" if state == State.REJECTED else "",
        )


@pytest.mark.parametrize("name", ["dbstatus:coverage", "dbstatus:review_queue"])
def test_status_list_query_count_does_not_grow_with_unions(world, name):
    client = client_for(world, "county_c1")
    url = reverse(name)
    counts = []
    for size in (3, 12):
        _grow(world, size)
        client.get(url)  # warm the session and content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_status_union_page_shows_the_panel_with_its_history(world):
    client = client_for(world, "county_c1")
    page = client.get(reverse("backoffice:union_detail", args=[world.u1.pk])).content.decode()
    assert 'id="double-bright"' in page
    assert reverse("dbstatus:status_review", args=[world.u1.pk]) in page
    page = (
        client_for(world, "leader_c1")
        .get(reverse("backoffice:union_detail", args=[world.u1.pk]))
        .content.decode()
    )
    assert reverse("dbstatus:status_review", args=[world.u1.pk]) not in page
    assert f'href="{reverse("dbstatus:status_edit", args=[world.u1.pk])}"' not in page
