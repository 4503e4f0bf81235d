"""Worker appeals (issue 4): intake, routing, tracking, lifecycle, deadlines, escalation,
outbox, retention, attachments and the staff list's query count."""

import datetime
import hashlib
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shuangliang.appeals import services
from shuangliang.appeals.defaults import ensure_defaults
from shuangliang.appeals.models import (
    Appeal,
    Appellant,
    Attachment,
    CalendarDay,
    Category,
    Message,
    Notification,
    RateLimitBucket,
    Route,
    Status,
)
from shuangliang.appeals.selectors import appeal_counts, tracking_hash
from shuangliang.appeals.workdays import add_working_days, working_days_between
from shuangliang.core.models import ActionLogEntry
from shuangliang.register.services import union_delete

from .appeals_world import submit
from .conftest import client_for
from .factories import EnterpriseFactory

D = datetime.date.fromisoformat


# Working days ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_working_days_skip_holidays_and_count_adjusted_working_days():
    ensure_defaults()  # a transactional test before this one may have emptied the table
    # 2025: Sunday 28 September is worked; 1–8 October are holidays; Saturday 11 is worked.
    assert add_working_days(D("2025-09-26"), 1) == D("2025-09-28")
    assert add_working_days(D("2025-09-26"), 5) == D("2025-10-10")
    assert add_working_days(D("2025-09-26"), 6) == D("2025-10-11")
    # Spring Festival 2025: 26 January (Sunday) worked, 28 January – 4 February off, 8 February
    # (Saturday) worked. 15 working days from Monday 20 January end on Friday 14 February.
    assert add_working_days(D("2025-01-20"), 15) == D("2025-02-14")
    assert working_days_between(D("2025-01-20"), D("2025-02-14")) == 15
    assert working_days_between(D("2025-02-14"), D("2025-01-20")) == -15
    # An ordinary fortnight: weekends only.
    assert add_working_days(D("2025-03-03"), 10) == D("2025-03-17")


@pytest.mark.django_db
def test_working_days_follow_the_table_staff_edit(world):
    assert add_working_days(D("2025-03-07"), 1) == D("2025-03-10")
    client = Client()
    client.force_login(world.users["county_c1"])
    response = client.post(
        reverse("appeals:calendar"), {"date": "2025-03-10", "kind": "holiday", "name": "测试"}
    )
    assert response.status_code == 302
    assert add_working_days(D("2025-03-07"), 1) == D("2025-03-11")
    day = CalendarDay.objects.get(date=D("2025-03-10"))
    assert ActionLogEntry.objects.filter(
        action_type="appeals.calendar_day.created", object_id=str(day.pk)
    ).exists()


@pytest.mark.django_db
def test_submitted_appeal_is_due_for_acceptance_in_15_working_days(world):
    appeal = submit(enterprise=world.e1)
    assert appeal.accept_due_on == add_working_days(timezone.localdate(), 15)
    services.appeal_accept(appeal=appeal, actor=world.users["county_c1"])
    assert appeal.conclude_due_on == add_working_days(timezone.localdate(), 60)


@pytest.mark.django_db
def test_extension_is_once_at_most_30_working_days_with_a_reason(world):
    actor = world.users["county_c1"]
    appeal = world.appeal_c1
    services.appeal_accept(appeal=appeal, actor=actor)
    due = appeal.conclude_due_on
    with pytest.raises(services.AppealError):
        services.appeal_extend(appeal=appeal, actor=actor, days=31, reason="材料多")
    with pytest.raises(services.AppealError):
        services.appeal_extend(appeal=appeal, actor=actor, days=10, reason=" ")
    services.appeal_extend(appeal=appeal, actor=actor, days=30, reason="需要调取仲裁材料")
    assert appeal.conclude_due_on == add_working_days(due, 30)
    with pytest.raises(services.AppealError):
        services.appeal_extend(appeal=appeal, actor=actor, days=1, reason="再延")


# Routing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_routing_follows_the_worker_unless_the_concern_is_about_the_union(world):
    to_union = submit(enterprise=world.e1, wants_union=True)
    assert (to_union.route, to_union.handling_union, to_union.handling_federation) == (
        Route.UNION,
        world.u1,
        world.t1,
    )
    about = submit(enterprise=world.e1, wants_union=True, about_union=True)
    assert (about.route, about.handling_union, about.handling_federation) == (
        Route.FEDERATION,
        None,
        world.c1,
    )
    union_affairs = Category.objects.get(code="union_affairs")
    forced = submit(enterprise=world.e1, wants_union=True, category=union_affairs)
    assert forced.route == Route.FEDERATION and forced.about_union
    no_union = submit(enterprise=EnterpriseFactory(federation=world.t3), wants_union=True)
    assert no_union.route == Route.FEDERATION and no_union.handling_federation == world.c2
    from_page = submit(federation=world.t2, channel="federation_page")
    assert from_page.handling_federation == world.t2 and from_page.enterprise is None


@pytest.mark.django_db
def test_deleting_a_union_hands_its_appeals_to_the_federation(world):
    union_delete(actor=world.users["county_c1"], union=world.u1)
    appeal = Appeal.objects.get(pk=world.appeal_u1.pk)
    assert appeal.route == Route.FEDERATION and appeal.handling_union is None


# Intake through the public pages -------------------------------------------------------


def form_key(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_key" value="([^"]+)"', html).group(1)


def post_appeal(client: Client, url: str, key: str, **extra):
    data = {
        "form_key": key,
        "category": Category.objects.get(code="unpaid_wages").pk,
        "subject": "工资拖欠",
        "body": "已经两个月没有发工资。",
        "identity": "named",
        "name": "刘职工",
        "phone": "13800001111",
        "handler": "union",
    }
    data.update(extra)
    return client.post(url, data, **{"REMOTE_ADDR": extra.pop("addr", "198.51.100.7")})


def receipt_code(response) -> str:
    return re.search(r'id="tracking-code"[^>]*value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_union_page_links_to_the_intake_form(world):
    response = Client().get(reverse("public:union_page", args=[world.union_page.token]))
    assert reverse("appeal:union_form", args=[world.union_page.token]) in response.content.decode()
    response = Client().get(reverse("public:federation_page", args=[world.c1.division_code]))
    assert reverse("appeal:federation_form", args=[world.c1.division_code]) in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_receipt_shows_a_128_bit_code_once_and_only_its_hash_is_stored(world):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    response = post_appeal(client, url, form_key(client, url))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = receipt_code(response)
    letters = code.replace("-", "")
    assert len(letters) == 26 and re.fullmatch(r"[A-Z2-7]+", letters)  # 130 bits of base32
    appeal = Appeal.objects.latest("id")
    assert appeal.tracking_hash == hashlib.sha256(letters.encode()).hexdigest()
    assert not any(
        code in str(v) or letters in str(v)
        for v in Appeal.objects.values().get(pk=appeal.pk).values()
    )
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()  # the QR code


@pytest.mark.django_db
def test_same_form_posted_twice_makes_one_appeal_and_shows_one_code(world):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    key = form_key(client, url)
    before = Appeal.objects.count()
    first = post_appeal(client, url, key)
    second = post_appeal(client, url, key)
    assert Appeal.objects.count() == before + 1
    assert receipt_code(first) == receipt_code(second)


@pytest.mark.django_db
def test_forged_form_key_is_refused(world):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    response = post_appeal(client, url, "guessable")
    assert response.status_code == 200 and "tracking-code" not in response.content.decode()
    assert not Appeal.objects.filter(subject="工资拖欠").exists()


@pytest.mark.django_db
def test_anonymous_appeal_stores_no_identity_and_no_address(world):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    post_appeal(
        client,
        url,
        form_key(client, url),
        identity="anonymous",
        name="刘职工",
        phone="13800001111",
        identity_to_union="on",
        addr="203.0.113.99",
    )
    appeal = Appeal.objects.latest("id")
    assert appeal.is_anonymous and not appeal.identity_to_union
    assert not Appellant.objects.filter(appeal=appeal).exists()
    stored = [
        *Appeal.objects.values_list(),
        *ActionLogEntry.objects.values_list("data", "object_repr"),
        *RateLimitBucket.objects.values_list("key", "hits"),
        *Notification.objects.values_list("text"),
    ]
    dump = repr(stored)
    for secret in ("刘职工", "13800001111", "203.0.113.99"):
        assert secret not in dump


@pytest.mark.django_db
def test_named_appeal_needs_name_and_valid_phone(world):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    response = post_appeal(client, url, form_key(client, url), name="", phone="12345")
    assert response.status_code == 200 and "tracking-code" not in response.content.decode()
    assert not Appeal.objects.filter(subject="工资拖欠").exists()


# Rate limits (QUALITY.md E2) -----------------------------------------------------------


@pytest.mark.django_db
def test_intake_accepts_five_per_client_in_ten_minutes(world):
    url = reverse("appeal:federation_form", args=[world.c1.division_code])
    client = Client()
    statuses = [
        post_appeal(client, url, form_key(client, url), addr="198.51.100.20").status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert Appeal.objects.filter(subject="工资拖欠").count() == 5
    # A forged X-Forwarded-For is not another client; another address is.
    key = form_key(client, url)
    forged = client.post(
        url,
        {"form_key": key},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert forged.status_code == 200  # invalid form: not even counted
    other = post_appeal(client, url, key, addr="198.51.100.21")
    assert other.status_code == 200 and "tracking-code" in other.content.decode()


@pytest.mark.django_db
def test_tracking_lookup_is_rate_limited(world):
    client = Client()
    url = reverse("appeal:track")
    statuses = [
        client.post(url, {"code": f"WRONG-CODE-{i}"}, REMOTE_ADDR="198.51.100.30").status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]


# Tracking page (QUALITY.md E3) ---------------------------------------------------------


@pytest.mark.django_db
def test_tracking_page_shows_status_and_replies_never_identity_or_attachments(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(photo, "JPEG")
    photo.name = "刘职工的工资条.jpg"
    photo.seek(0)
    response = post_appeal(client, url, form_key(client, url), attachments=[photo])
    code = receipt_code(response)
    appeal = Appeal.objects.latest("id")
    attachment = Attachment.objects.get(appeal=appeal)
    chair = world.users["chair_u1"]
    services.appeal_accept(appeal=appeal, actor=chair)
    services.appeal_reply(appeal=appeal, actor=chair, body="已与财务核实，本周补发。")

    worker = Client()
    found = worker.post(reverse("appeal:track"), {"code": code.lower().replace("-", " ")})
    assert found.status_code == 302 and found["Location"] == reverse("appeal:track")
    page = worker.get(reverse("appeal:track")).content.decode()
    assert "已与财务核实，本周补发。" in page
    assert 'data-status="accepted"' in page
    for secret in (
        "刘职工",
        "13800001111",
        attachment.file.name,
        "工资条",
        "/appeals/attachments/",
    ):
        assert secret not in page
    assert code not in page  # the code is not echoed back either

    worker.post(reverse("appeal:track_reply"), {"body": "谢谢，等待补发。"})
    assert Message.objects.filter(appeal=appeal, direction="from_worker").count() == 1
    worker.post(reverse("appeal:track_forget"))
    assert "已与财务核实" not in worker.get(reverse("appeal:track")).content.decode()


@pytest.mark.django_db
def test_worker_rates_the_answer_or_reopens_it(world):
    appeal, chair = world.appeal_u1, world.users["chair_u1"]
    services.appeal_accept(appeal=appeal, actor=chair)
    services.appeal_reply(appeal=appeal, actor=chair, body="已解决", final=True)
    assert appeal.status == Status.ANSWERED
    services.appeal_worker_reopen(appeal=appeal, body="没有解决")
    assert (appeal.status, appeal.reopen_count) == (Status.IN_PROGRESS, 1)
    services.appeal_reply(appeal=appeal, actor=chair, body="已补发", final=True)
    services.appeal_worker_confirm(appeal=appeal, satisfaction="partly")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.satisfaction) == (Status.CLOSED, "partly")
    assert appeal.closed_at is not None


# Lifecycle -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_step_is_logged_with_who_and_when(world):
    from shuangliang.campaign.models import Assignment

    staff, cadre = world.users["county_c1"], world.users["cadre"]
    appeal = world.appeal_c1
    Assignment.objects.create(cadre=cadre, enterprise=world.e1, starts_on=D("2024-01-01"))
    services.appeal_accept(appeal=appeal, actor=staff)
    services.appeal_transfer(appeal=appeal, actor=staff, cadre=cadre)
    assert (appeal.status, appeal.assignee) == (Status.ASSIGNED, cadre)
    services.appeal_start(appeal=appeal, actor=cadre)
    services.appeal_reply(appeal=appeal, actor=cadre, body="已协调企业补发加班费。", final=True)
    services.appeal_close(appeal=appeal, actor=staff, satisfaction="satisfied")
    entries = list(
        ActionLogEntry.objects.filter(
            object_id=str(appeal.pk), action_type__startswith="appeals.appeal."
        )
        .order_by("id")
        .values_list("action_type", "actor__username")
    )
    assert entries == [
        ("appeals.appeal.submitted", None),
        ("appeals.appeal.accepted", "county_c1"),
        ("appeals.appeal.assigned", "county_c1"),
        ("appeals.appeal.in_progress", "cadre"),
        ("appeals.appeal.answered", "cadre"),
        ("appeals.appeal.closed", "county_c1"),
    ]
    with pytest.raises(services.AppealError):
        services.appeal_accept(appeal=appeal, actor=staff)


@pytest.mark.django_db
def test_worker_route_to_federation_cannot_be_handed_to_the_union(world):
    appeal = world.appeal_c1
    with pytest.raises(services.AppealError):
        services.appeal_transfer(appeal=appeal, actor=world.users["county_c1"], union=world.u1)


@pytest.mark.django_db
def test_staff_act_through_the_pages(world):
    client = Client()
    client.force_login(world.users["county_c1"])
    url = reverse("appeals:act", args=[world.appeal_c1.pk])
    assert client.post(url, {"action": "accept"}).status_code == 302
    client.post(url, {"action": "reply", "body": "已受理，正在调查。"})
    world.appeal_c1.refresh_from_db()
    assert world.appeal_c1.status == Status.ACCEPTED
    assert world.appeal_c1.messages.get().body == "已受理，正在调查。"
    # Sent to county C2 by mistake? Not possible: C2 is out of C1's scope and not its parent.
    client.post(url, {"action": "transfer", "target": f"federation:{world.c2.pk}"})
    world.appeal_c1.refresh_from_db()
    assert world.appeal_c1.handling_federation == world.c1


# Deadlines, escalation, counts ---------------------------------------------------------


@pytest.mark.django_db
def test_overdue_appeals_are_escalated_once_counted_and_notified(world):
    appeal = world.appeal_c1
    Appeal.objects.filter(pk=appeal.pk).update(
        accept_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    soon = world.appeal_u1
    Appeal.objects.filter(pk=soon.pk).update(accept_due_on=timezone.localdate())
    counts = appeal_counts(user=world.users["city"])
    assert (counts["overdue"], counts["soon"]) == (1, 1)
    assert services.appeals_escalate_overdue() == 1
    assert services.appeals_escalate_overdue() == 0
    appeal.refresh_from_db()
    assert appeal.escalated_to == world.city and appeal.escalated_at is not None
    assert Notification.objects.filter(appeal=appeal, recipient=world.users["city"]).exists()
    assert appeal_counts(user=world.users["county_c1"])["escalated"] == 1
    page = client_for(world, "county_c1").get(reverse("appeals:list") + "?deadline=overdue")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/appeals/{appeal.pk}/"' in html and 'data-deadline="overdue"' in html


# Outbox (QUALITY.md D3) ------------------------------------------------------------------


def failing_send_mail(*args, **kwargs):
    raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db(transaction=True)
def test_failing_mail_never_loses_the_appeal_and_is_retried(world, monkeypatch):
    world.users["county_c1"].email = "c1@example.org"
    world.users["county_c1"].save()
    monkeypatch.setattr(services, "send_mail", failing_send_mail)
    appeal = submit(enterprise=world.e1)
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    note = Notification.objects.get(appeal=appeal, channel="email")
    assert (note.state, note.attempts) == ("pending", 1)
    monkeypatch.undo()
    assert services.notifications_deliver() >= 1
    note.refresh_from_db()
    assert note.state == "sent"
    assert "陈小明" not in mail.outbox[-1].body and "13912345678" not in mail.outbox[-1].body


# Retention (QUALITY.md C5) ---------------------------------------------------------------


@pytest.mark.django_db
def test_purge_removes_personal_data_after_the_retention_period_exactly(world):
    appeal = world.appeal_u1
    services.appeal_decline(appeal=appeal, actor=world.users["county_c1"], reason="不属于受理范围")
    appeal.refresh_from_db()
    days = appeal.category.retention_days
    boundary = appeal.closed_at + datetime.timedelta(days=days)
    assert services.appeals_purge(now=boundary) == 0
    assert Appellant.objects.filter(appeal=appeal).exists()
    assert services.appeals_purge(now=boundary + datetime.timedelta(seconds=1)) == 1
    appeal.refresh_from_db()
    assert appeal.purged_at is not None and appeal.body == "" and appeal.subject == ""
    assert not Appellant.objects.filter(appeal=appeal).exists()
    assert not Attachment.objects.filter(appeal=appeal).exists()
    assert Appeal.objects.filter(pk=appeal.pk, status=Status.DECLINED).exists()


# Attachments (QUALITY.md B4) -----------------------------------------------------------


@pytest.mark.django_db
def test_attachments_are_checked_by_content(world):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shuangliang.appeals.forms import clean_attachment

    pdf = clean_attachment(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert pdf.content_type == "application/pdf" and pdf.name.endswith(".pdf")
    for name, data in [
        ("a.pdf", b"MZ\x90\x00 not a pdf"),
        ("a.pdf", b"%PDF-1.4 /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        ("a.exe", b"%PDF-1.4"),
        ("a.jpg", b"%PDF-1.4"),
        ("big.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024)),
    ]:
        with pytest.raises(ValidationError):
            clean_attachment(SimpleUploadedFile(name, data))


@pytest.mark.django_db
def test_attachment_is_served_as_a_download_that_is_not_sniffed(world):
    response = client_for(world, "county_c1").get(
        reverse("appeals:attachment", args=[world.appeal_attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ActionLogEntry.objects.filter(action_type="appeals.appeal.attachment_viewed").exists()


# Query counts (CONVENTIONS.md 11) ------------------------------------------------------


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("appeals:list")).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county_c1", "chair_u1", "leader_c1"])
def test_staff_list_query_count_does_not_grow_with_rows(world, role):
    client = client_for(world, role)
    for _ in range(3):
        submit(enterprise=world.e1, wants_union=True)
    small = list_queries(client)
    for _ in range(20):
        submit(enterprise=world.e1, wants_union=True)
    assert list_queries(client) == small


def test_tracking_hash_ignores_case_spaces_and_dashes():
    assert tracking_hash("abcd-efgh ijkl") == tracking_hash("ABCDEFGHIJKL")


# Demo ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_appeals_cover_every_state_some_overdue_and_load_once():
    from shuangliang.appeals.demo import load_demo_appeals
    from shuangliang.core.models import Membership
    from shuangliang.register.models import Federation

    from .factories import FederationFactory, TownshipFactory, UnionFactory, UserFactory

    ensure_defaults()
    county = FederationFactory(name="示范县总工会", division_code="999001")
    township = TownshipFactory(parent=county, division_code="999001001")
    for _ in range(3):
        EnterpriseFactory(federation=township, union=UnionFactory(federation=township))
    UserFactory(username="county")
    Membership.objects.create(
        user=UserFactory(username="chair"),
        role=Membership.Role.UNION_OFFICER,
        union=township.unions.first(),
    )
    assert county.level == Federation.Level.COUNTY
    created = load_demo_appeals()
    assert created == Appeal.objects.count() > 10
    assert set(Appeal.objects.values_list("status", flat=True)) == set(Status.values)
    assert Appeal.objects.filter(is_anonymous=True).exists()
    assert Appeal.objects.filter(route=Route.UNION).exists()
    assert Appeal.objects.filter(escalated_at__isnull=False).exists()
    assert appeal_counts(user=UserFactory(is_superuser=True))["overdue"] >= 2
    assert load_demo_appeals() == 0
    assert Appeal.objects.count() == created
