"""Appeal attachments and the holiday calendar over the API.

Attachments: the list and the download have the staff pages' access (another union's chair
and another county get 404), the download is the page's (`attachment`, `nosniff`, logged
with the token), and handlers upload nothing, as on the pages. The calendar: read by every
caller with a scope, kept by federation staff through the page's form and services (B1),
with Chinese messages and nothing written on bad input; read-only tokens write nothing."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shuangliang.appeals import workdays
from shuangliang.appeals.forms import CalendarDayForm
from shuangliang.appeals.models import CalendarDay
from shuangliang.core.models import ActionLogEntry

from .api_clients import token_client
from .appeals_world import WORLD_PDF_BYTES
from .conftest import ROLES as ALL_ROLES
from .conftest import client_for

ROLES = [role for role in ALL_ROLES if role != "anonymous"]
EDITORS = {"township_t1", "county_c1", "county_c2", "city", "superuser"}
CALENDAR = reverse("api:calendar_day_list")
CJK = re.compile(r"[\u4e00-\u9fff]")


def attachments(appeal) -> str:
    return reverse("api:appeal_attachment_list", args=[appeal.pk])


def download(attachment) -> str:
    return reverse("api:appeal_attachment_download", args=[attachment.pk])


def delete(day) -> str:
    return reverse("api:calendar_day_delete", args=[day.pk])


def assert_chinese(messages: list[str]) -> None:
    assert messages and all(CJK.search(m) for m in messages), messages


# Attachments ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_attachments_follow_the_pages_access(world, role):
    attachment = world.appeal_attachment
    page = client_for(world, role).get(reverse("appeals:attachment", args=[attachment.pk]))
    api = token_client(world, role)
    listed = api.get(attachments(world.appeal_u1))
    got = api.get(download(attachment))
    assert got.status_code == page.status_code
    if page.status_code == 200:
        assert [row["id"] for row in listed.json()["results"]] == [attachment.pk]
        assert listed.json()["results"][0]["download"] == download(attachment)
        assert b"".join(got.streaming_content) == WORLD_PDF_BYTES
    else:
        assert page.status_code == 404
        assert listed.status_code == 404


@pytest.mark.parametrize("role", ["chair_u2", "county_c2", "cadre"])
def test_outsiders_get_404_for_attachments_and_ids_around_them(world, role):
    api = token_client(world, role)
    for offset in (0, 1, -1, 100, -100):
        pk = max(1, world.appeal_attachment.pk + offset)
        response = api.get(reverse("api:appeal_attachment_download", args=[pk]))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert api.get(attachments(world.appeal_u1)).status_code == 404
    assert not ActionLogEntry.objects.filter(
        action_type="appeals.appeal.attachment_viewed"
    ).exists()


def test_download_is_the_pages_logged_attachment(world):
    api = token_client(world, "county_c1", name="信访系统", can_write=False)
    response = api.get(download(world.appeal_attachment), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = ActionLogEntry.objects.get(action_type="appeals.appeal.attachment_viewed")
    assert entry.object_id == str(world.appeal_u1.pk)
    assert entry.actor == world.users["county_c1"]
    assert entry.data["attachment"] == world.appeal_attachment.pk
    assert entry.data["api_token"] == "信访系统" and entry.data["via"] == "api"
    # An error asked for as a PDF is still JSON.
    missing = api.get(
        reverse("api:appeal_attachment_download", args=[world.appeal_attachment.pk + 999]),
        HTTP_ACCEPT="application/pdf",
    )
    assert missing.status_code == 404 and missing.json()["detail"]


def test_detail_lists_the_attachments_with_their_download(world):
    body = token_client(world, "chair_u1").get(
        reverse("api:appeal_detail", args=[world.appeal_u1.pk])
    )
    assert [a["download"] for a in body.json()["attachments"]] == [
        download(world.appeal_attachment)
    ]


def test_handlers_upload_nothing(world):
    """On the pages only the worker attaches files (with the appeal); so here too."""
    before = world.appeal_u1.attachments.count()
    upload = {"file": ("x.pdf", WORLD_PDF_BYTES)}
    assert (
        token_client(world, "county_c1").post(attachments(world.appeal_u1), upload).status_code
        == 405
    )
    read_only = token_client(world, "county_c1", can_write=False)
    assert read_only.post(attachments(world.appeal_u1), upload).status_code == 403
    assert world.appeal_u1.attachments.count() == before


def test_anonymous_gets_401(world):
    assert Client().get(attachments(world.appeal_u1)).status_code == 401
    assert Client().get(download(world.appeal_attachment)).status_code == 401
    assert Client().get(CALENDAR).status_code == 401


# The holiday calendar -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_scoped_caller_reads_the_calendar(world, role):
    response = token_client(world, role).get(CALENDAR, {"page_size": 200})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == CalendarDay.objects.count()
    assert {row["id"] for row in body["results"]} == set(
        CalendarDay.objects.values_list("pk", flat=True)[:200]
    )


def test_calendar_filters(world):
    api = token_client(world, "chair_u1")
    day = world.calendar_day
    year = api.get(CALENDAR, {"year": day.date.year, "page_size": 200}).json()
    expected = set(
        CalendarDay.objects.filter(date__year=day.date.year).values_list("pk", flat=True)
    )
    assert {row["id"] for row in year["results"]} == expected and expected
    kind = api.get(CALENDAR, {"kind": "workday", "page_size": 200}).json()
    assert {row["kind"] for row in kind["results"]} <= {"workday"}
    bad = api.get(CALENDAR, {"year": "明年"})
    assert bad.status_code == 400
    assert_chinese(bad.json()["year"])
    assert api.get(CALENDAR, {"kind": "bogus"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_calendar_is_kept_by_those_who_keep_it_on_the_page(world, role):
    date = datetime.date(2031, 5, 6)  # a Tuesday
    api = token_client(world, role, name="日历同步")
    response = api.post(
        CALENDAR, {"date": "2031-05-06", "kind": "holiday", "name": "调休放假"}, "application/json"
    )
    if role in EDITORS:
        assert response.status_code == 201, response.content
        day = CalendarDay.objects.get(date=date)
        assert response.json() == {
            "id": day.pk,
            "date": "2031-05-06",
            "kind": "holiday",
            "name": "调休放假",
        }
        assert not workdays.is_working_day(date)
        entry = ActionLogEntry.objects.get(action_type="appeals.calendar_day.created")
        assert entry.data["api_token"] == "日历同步"
        removed = api.post(delete(day))
        assert removed.status_code == 200 and removed.json()["date"] == "2031-05-06"
        assert not CalendarDay.objects.filter(date=date).exists()
        assert workdays.is_working_day(date)
    else:
        assert response.status_code == 404
        assert not CalendarDay.objects.filter(date=date).exists()
        assert api.post(delete(world.calendar_day)).status_code == 404
        assert CalendarDay.objects.filter(pk=world.calendar_day.pk).exists()


def test_read_only_token_changes_no_calendar_day(world):
    api = token_client(world, "county_c1", can_write=False)
    count = CalendarDay.objects.count()
    body = {"date": "2031-05-06", "kind": "holiday", "name": "放假"}
    assert api.post(CALENDAR, body, "application/json").status_code == 403
    assert api.post(delete(world.calendar_day)).status_code == 403
    assert CalendarDay.objects.count() == count


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2031-13-01", "kind": "holiday"},
        {"date": "2031-05-06", "kind": "bogus"},
        {"date": "", "kind": "holiday"},
        {"date": "2031-05-06", "kind": "holiday", "name": "放假🎉"},
        {"date": "2031-05-06", "kind": "holiday", "name": "长" * 41},
    ],
)
def test_bad_calendar_day_gets_the_pages_chinese_message_and_writes_nothing(world, body):
    api = token_client(world, "county_c1")
    count, logged = CalendarDay.objects.count(), ActionLogEntry.objects.count()
    response = api.post(CALENDAR, body, "application/json")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        form = CalendarDayForm(data=body)
        assert not form.is_valid()
        expected = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    assert response.json() == expected
    for messages in response.json().values():
        assert_chinese(messages)
    assert CalendarDay.objects.count() == count and ActionLogEntry.objects.count() == logged


def test_a_day_already_in_the_calendar_is_refused_as_on_the_page(world):
    day = world.calendar_day
    body = {"date": day.date.isoformat(), "kind": "workday", "name": "改"}
    response = token_client(world, "county_c1").post(CALENDAR, body, "application/json")
    assert response.status_code == 400
    assert_chinese(response.json()["date"])
    day.refresh_from_db()
    assert day.name != "改"


def test_extra_fields_change_nothing(world):
    body = {"date": "2031-05-06", "kind": "holiday", "name": "放假", "id": world.calendar_day.pk}
    response = token_client(world, "county_c1").post(CALENDAR, body, "application/json")
    assert response.status_code == 201
    assert response.json()["id"] != world.calendar_day.pk
    assert CalendarDay.objects.filter(pk=world.calendar_day.pk).exists()


def test_removing_a_day_that_does_not_exist_is_404(world):
    pk = CalendarDay.objects.order_by("-pk").first().pk + 100
    api = token_client(world, "county_c1")
    assert api.post(reverse("api:calendar_day_delete", args=[pk])).status_code == 404
