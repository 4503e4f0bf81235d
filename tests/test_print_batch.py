"""Batch printing (issue 3): every badge, card or signboard of a township or county as one
PDF, with progress, in the background when big, cached until the data changes, and seen
only by the staff and leaders above its federation."""

import datetime
import math
import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from shuangliang.core.models import Membership
from shuangliang.doublebright import print_jobs
from shuangliang.doublebright.models import PrintJob
from shuangliang.register.models import Position

from .conftest import client_for
from .factories import OfficerFactory, UnionFactory
from .test_pdf import needs_tools, page_sizes_mm, qr_codes, text_of

pytestmark = needs_tools


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def renders(monkeypatch):
    """Counts the batches actually drawn (a cache hit draws nothing)."""
    calls = []
    real = print_jobs._render

    def counting(job, progress):
        calls.append(job.pk)
        return real(job, progress)

    monkeypatch.setattr(print_jobs, "_render", counting)
    return calls


def _csrf_client(world, role):
    client = client_for(world, role)
    client.get(reverse("doublebright:print_home"))
    return client


def ask(client, federation, kind="badges", **fields):
    data = {
        "federation": federation.pk,
        "kind": kind,
        "positions": "all",
        "badge_sheet": "single",
        "orientation": "horizontal",
        "size": "",
        **fields,
    }
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("doublebright:print_batch"), data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/double-bright/print/batches/(\d+)/", response["Location"])
    assert match, response["Location"]
    return PrintJob.objects.get(pk=int(match.group(1)))


def download(client, job, tmp_path):
    response = client.get(reverse("doublebright:print_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    path = tmp_path / f"batch-{job.pk}-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def committee(union, count, position=Position.COMMITTEE_MEMBER):
    return [OfficerFactory(union=union, position=position) for _ in range(count)]


# One PDF, right pages


def test_batch_of_a_county_is_one_pdf_with_a_badge_per_cadre_in_office(world, tmp_path):
    committee(world.u1, 3)
    committee(world.u2, 2)
    committee(world.u3, 4)  # county C2: not in C1's batch
    client = _csrf_client(world, "county_c1")
    job = ask(client, world.c1, "badges", positions="all", badge_sheet="single")
    assert job.status == PrintJob.Status.DONE
    assert (job.progress_done, job.progress_total) == (7, 7)
    path = download(client, job, tmp_path)
    assert page_sizes_mm(path) == [(85.6, 54)] * 7
    text = text_of(path)
    assert "王芳" in text and "李强" in text and "赵敏" not in text


def test_big_batch_runs_as_a_task_and_fills_a4_sheets(world, tmp_path, settings):
    settings.PRINT_BATCH_INLINE_MAX = 5  # past this, the background task prints it
    committee(world.u1, 20, Position.VICE_CHAIR)
    client = _csrf_client(world, "township_t1")
    job = ask(client, world.t1, "badges", positions="leaders", badge_sheet="a4")
    assert job.status == PrintJob.Status.DONE  # the immediate backend ran the task
    assert job.progress_total == 21
    path = download(client, job, tmp_path)
    assert page_sizes_mm(path) == [(210, 297)] * math.ceil(21 / 8)


def test_leaders_only_leaves_committee_members_out(world, tmp_path):
    committee(world.u1, 3)
    OfficerFactory(union=world.u1, position=Position.VICE_CHAIR, person__name="陈静")
    client = _csrf_client(world, "township_t1")
    job = ask(client, world.t1, "cards", positions="leaders")
    path = download(client, job, tmp_path)
    assert page_sizes_mm(path) == [(210, 297)]
    text = re.sub(r"\s+", "", text_of(path))
    assert text.count("王芳") == 1 and text.count("陈静") == 1
    assert job.progress_total == 2


def test_signboard_batch_is_a_page_per_union_at_plaque_size(world, tmp_path):
    extra = [UnionFactory(federation=world.t1, name=f"甲一镇第{n}联合工会") for n in range(2)]
    client = _csrf_client(world, "township_t1")
    job = ask(client, world.t1, "signboards", orientation="vertical", size="600x900")
    path = download(client, job, tmp_path)
    assert page_sizes_mm(path) == [(600, 900)] * 3
    codes = set()
    for page in (1, 2, 3):
        codes.update(qr_codes(path, tmp_path, page=page))
    pages = [u.public_page.token for u in [world.u1, *extra]]
    assert codes == {f"http://testserver/u/{token}/" for token in pages}


def test_badge_batch_qr_codes_decode_to_each_cadres_verification_page(world, tmp_path):
    client = _csrf_client(world, "county_c1")
    job = ask(client, world.t1, "badges", positions="leaders", badge_sheet="single")
    path = download(client, job, tmp_path)
    token = world.chair1.credentials.get(revoked_at__isnull=True).token
    assert qr_codes(path, tmp_path) == [f"http://testserver/v/{token}/"]


def test_unsuitable_plaque_size_is_refused_by_the_form(world):
    client = _csrf_client(world, "township_t1")
    data = {
        "federation": world.t1.pk,
        "kind": "signboards",
        "positions": "all",
        "badge_sheet": "single",
        "orientation": "vertical",
        "size": "900x600",
    }
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("doublebright:print_batch"), data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert PrintJob.objects.exclude(cache_key="world").count() == 0


def test_batch_of_a_federation_out_of_scope_is_refused(world):
    client = _csrf_client(world, "county_c2")
    token = client.cookies["csrftoken"].value
    data = {"federation": world.t1.pk, "kind": "badges", "positions": "all"}
    data |= {"badge_sheet": "single", "orientation": "horizontal"}
    response = client.post(reverse("doublebright:print_batch"), data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200  # the form: T1 is not a choice for C2
    assert PrintJob.objects.exclude(cache_key="world").count() == 0


# Cache


def test_same_request_with_unchanged_data_returns_the_finished_file_at_once(
    world, tmp_path, renders
):
    committee(world.u1, 2)
    client = _csrf_client(world, "county_c1")
    first = ask(client, world.t1, "cards")
    first_bytes = download(client, first, tmp_path).read_bytes()
    again = ask(client, world.t1, "cards")
    assert again.pk == first.pk
    assert renders == [first.pk]  # nothing drawn the second time
    # A colleague above T1 asking for the same batch gets the same file.
    colleague = _csrf_client(world, "township_t1")
    assert ask(colleague, world.t1, "cards").pk == first.pk
    assert download(colleague, first, tmp_path).read_bytes() == first_bytes
    assert renders == [first.pk]
    # Another option, language or place is another batch.
    assert ask(client, world.t1, "cards", positions="leaders").pk != first.pk
    english = _csrf_client(world, "county_c1")
    english.cookies["django_language"] = "en"
    assert ask(english, world.t1, "cards").pk != first.pk
    assert ask(client, world.c1, "cards").pk != first.pk


@pytest.mark.parametrize(
    "change",
    ["rename_person", "consent", "appoint", "end_term", "reissue", "rename_enterprise"],
)
def test_a_data_change_makes_a_new_file(world, tmp_path, renders, change):
    from shuangliang.doublebright.services import credential_reissue
    from shuangliang.register import services

    OfficerFactory(union=world.u1, position=Position.VICE_CHAIR)  # still there after a change
    client = _csrf_client(world, "county_c1")
    first = ask(client, world.t1, "badges")
    first_path = first.file.path
    actor = world.users["county_c1"]
    person = world.chair1.person
    if change == "rename_person":
        services.person_update(actor=actor, person=person, data={"name": "王芳芳"})
    elif change == "consent":
        services.person_update(actor=actor, person=person, data={"consent_mobile": True})
    elif change == "appoint":
        OfficerFactory(union=world.u1, position=Position.VICE_CHAIR)
    elif change == "end_term":
        services.officer_end(actor=actor, officer=world.chair1, status="ended")
    elif change == "reissue":
        credential = world.chair1.credentials.get(revoked_at__isnull=True)
        credential_reissue(actor=actor, credential=credential, reason="lost")
    else:
        services.enterprise_update(actor=actor, enterprise=world.e1, data={"name": "甲一新名公司"})

    second = ask(client, world.t1, "badges")
    assert second.pk != first.pk
    assert renders == [first.pk, second.pk]
    assert second.status in (PrintJob.Status.DONE, PrintJob.Status.FAILED)
    # The old file is gone (it would never be served again, and it holds personal data).
    first.refresh_from_db()
    assert not first.file
    assert not os.path.exists(first_path)
    response = client.get(reverse("doublebright:print_job_download", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("doublebright:print_job", args=[first.pk])


def test_changed_name_is_in_the_new_file(world, tmp_path):
    from shuangliang.register import services

    client = _csrf_client(world, "county_c1")
    ask(client, world.t1, "badges")
    services.person_update(
        actor=world.users["county_c1"], person=world.chair1.person, data={"name": "王芳芳"}
    )
    job = ask(client, world.t1, "badges")
    assert "王芳芳" in text_of(download(client, job, tmp_path))


# Who sees a batch


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("county_c1", 200),
        ("township_t1", 200),
        ("leader_c1", 200),
        ("city", 200),
        ("superuser", 200),
        ("county_c2", 404),
        ("chair_u1", 404),
        ("chair_u2", 404),
        ("cadre", 404),
    ],
)
def test_batch_and_its_file_are_seen_only_above_its_federation(world, role, status):
    job = ask(_csrf_client(world, "county_c1"), world.t1, "badges")
    client = client_for(world, role)
    assert client.get(reverse("doublebright:print_job", args=[job.pk])).status_code == status
    response = client.get(reverse("doublebright:print_job_download", args=[job.pk]))
    assert response.status_code == status


def test_requester_who_loses_the_role_loses_the_batch(world):
    client = _csrf_client(world, "county_c1")
    job = ask(client, world.t1, "badges")
    Membership.objects.filter(user=world.users["county_c1"]).update(is_active=False)
    assert client.get(reverse("doublebright:print_job", args=[job.pk])).status_code == 404
    response = client.get(reverse("doublebright:print_job_download", args=[job.pk]))
    assert response.status_code == 404


def test_recent_batches_list_only_visible_ones(world):
    ask(_csrf_client(world, "county_c1"), world.t1, "badges")
    theirs = ask(_csrf_client(world, "county_c2"), world.c2, "badges")
    html = client_for(world, "township_t1").get(reverse("doublebright:print_home")).content
    assert reverse("doublebright:print_job", args=[theirs.pk]).encode() not in html
    assert reverse("doublebright:print_job", args=[world.print_job.pk]).encode() in html


# Progress


def test_progress_page_polls_while_queued_and_offers_the_file_when_done(world):
    client = client_for(world, "county_c1")
    url = reverse("doublebright:print_job", args=[world.print_job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and "<progress" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="print-job-status"')
    assert 'hx-trigger="every 1s"' in partial

    job = ask(_csrf_client(world, "county_c1"), world.t1, "badges")
    done = client.get(reverse("doublebright:print_job", args=[job.pk])).content.decode()
    assert "hx-get" not in done
    assert reverse("doublebright:print_job_download", args=[job.pk]) in done


def test_progress_is_reported_while_drawing(world, monkeypatch):
    monkeypatch.setattr(print_jobs, "PROGRESS_INTERVAL", datetime.timedelta(0))
    committee(world.u1, 11)  # 12 cadres: two A4 sheets of ten cards
    reported = []
    real = print_jobs._render

    def watching(job, progress):
        def spy(done):
            progress(done)
            reported.append(PrintJob.objects.get(pk=job.pk).progress_done)

        return real(job, spy)

    monkeypatch.setattr(print_jobs, "_render", watching)
    job = ask(_csrf_client(world, "county_c1"), world.t1, "cards", positions="all")
    assert reported == [10, 12]
    assert (job.progress_done, job.progress_total) == (12, 12)


def test_failed_batch_says_so(world, monkeypatch):
    def broken(job, progress):
        raise RuntimeError("boom")

    monkeypatch.setattr(print_jobs, "_render", broken)
    job = ask(_csrf_client(world, "county_c1"), world.t1, "badges")
    assert job.status == PrintJob.Status.FAILED
    page = client_for(world, "county_c1").get(reverse("doublebright:print_job", args=[job.pk]))
    assert job.message in page.content.decode()


def test_big_batch_waits_for_the_worker_on_the_database_backend(
    default_contract_kinds, world, settings, tmp_path
):
    """With the database backend the batch is queued when the request commits and a worker
    (`manage.py db_worker`) prints it; the page shows the progress bar until then."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRINT_BATCH_INLINE_MAX = 1
    committee(world.u1, 3)
    client = _csrf_client(world, "county_c1")
    job = ask(client, world.t1, "badges")
    assert job.status == PrintJob.Status.QUEUED
    assert DBTaskResult.objects.count() == 1
    page = client.get(reverse("doublebright:print_job", args=[job.pk])).content.decode()
    assert "<progress" in page
    # Asking again while it waits joins the same job.
    assert ask(client, world.t1, "badges").pk == job.pk
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE
    assert page_sizes_mm(download(client, job, tmp_path)) == [(85.6, 54)] * 4


def test_nothing_to_print_is_said_plainly(world):
    from shuangliang.register import services

    services.officer_end(actor=world.users["county_c1"], officer=world.chair1, status="ended")
    client = _csrf_client(world, "county_c1")
    token = client.cookies["csrftoken"].value
    data = {"federation": world.t1.pk, "kind": "badges", "positions": "all"}
    data |= {"badge_sheet": "single", "orientation": "horizontal"}
    response = client.post(reverse("doublebright:print_batch"), data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
    assert PrintJob.objects.exclude(cache_key="world").count() == 0
