"""QUALITY.md B5 and B6: a payload in every stored free-text field is inert everywhere.

Every free-text column of every row of the test world holds markup (see hostile.py); every
GET route of the role matrix is then opened by the roles that may open it (public, union
chair, county staff, assigned cadre). Pages, feeds and SVGs must carry the payload only
escaped; PDFs draw it as text and reach for nothing; xlsx files hold it as plain strings.
"""

import datetime
import io
import re
import shutil
import socket
import subprocess
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from ..conftest import client_for
from .hostile import ESCAPED, RAW, fill, get_routes, route_url

ROOT = Path(__file__).resolve().parents[2]
GET_ROUTES = get_routes(attachments=True)
PROBE_ROLES = ("anonymous", "chair_u1", "county_c1", "cadre")
# Routes whose answer does not show stored text: logging out, switching language, the health
# check, the API schema and its documentation page (static assets).
NO_STORED_TEXT = {"health"}
# Files people uploaded, served back as downloads (checked by content on the way in, B4).
UPLOADED_FILES = re.compile(r"attachment")

# Columns that must reach at least one page escaped, and at least one PDF as text: if they
# stop showing, the test has stopped testing them (a renamed field, a page gone).
MUST_SHOW_ON_PAGES = {
    "register.Enterprise.name",
    "register.Enterprise.address",
    "register.Union.name",
    "register.Union.office_address",
    "register.Person.name",
    "register.Federation.name",
    "register.ContractStepRecord.note",
    "appeals.Appeal.subject",
    "appeals.Appeal.body",
    "appeals.Message.body",
    "campaign.Visit.people_met",
    "campaign.Visit.workers_raised",
    "campaign.FollowUp.description",
    "campaign.NewsItem.title",
    "campaign.NewsItem.body",
    "campaign.Task.title",
    "campaign.Phase.name",
    "campaign.Campaign.name",
    "campaign.WorkTeam.name",
    "notices.Notice.title",
    "notices.Notice.free_text",
    "standards.Answer.note",
    "standards.Rectification.problem",
    "standards.Item.text",
    "doublebright.UnionPage.office_hours",
    "appeals.ContactNote.body",
    "core.ActionLogEntry.object_repr",
    "auth.User.first_name",
}
MUST_SHOW_IN_PDFS = {
    "register.Union.name",
    "register.Person.name",
    "register.Federation.name",
    "campaign.NewsItem.title",
    "notices.Notice.free_text",
}


def _no_network(*args, **kwargs):
    raise AssertionError("a response tried to reach the network")


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.replace("\n", "")


def _pdf_images(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()[2:]


def _xlsx_problems(data: bytes) -> list[str]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                problems.append(f"{name} holds a formula")
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    problems.append(f"{sheet.title}: cell starts with {value[:1]!r}")
    return problems


def _rows_the_world_lacks(world):
    """Rows of kinds the standing world has none of, so that their text is tested too."""
    from shuangliang.appeals.models import ContactNote, Message
    from shuangliang.register.models import ContractStepRecord

    for appeal in (world.appeal_u1, world.appeal_c1):
        for direction in Message.Direction:
            Message.objects.create(appeal=appeal, direction=direction, body="答复")
        ContactNote.objects.create(appeal=appeal, body="电话记录", author=world.users["county_c1"])
    ContractStepRecord.objects.create(
        contract=world.contract1, step=world.contract1.step, reached_on=datetime.date(2025, 3, 1)
    )


@pytest.fixture
def hostile_world(world, monkeypatch):
    _rows_the_world_lacks(world)
    numbers = fill()
    cache.clear()
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    return world, numbers


def _worker_client(world):
    """The worker holding appeal U1's tracking code, after looking it up."""
    from shuangliang.appeals.views_public import SESSION_KEY

    client = client_for(world, "anonymous")
    session = client.session
    session[SESSION_KEY] = world.appeal_u1.pk
    session.save()
    return client


def _probes(world):
    """(route, role, client, url) for every GET route of the matrix, each admin list and
    each admin change page, and the worker's tracking page."""
    clients = {}

    def client(role):
        if role not in clients:
            clients[role] = _worker_client(world) if role == "worker" else client_for(world, role)
        return clients[role]

    for entry in GET_ROUTES:
        if entry.name in NO_STORED_TEXT:
            continue
        roles = [role for role in PROBE_ROLES if role in entry.allowed] or sorted(entry.allowed)[:1]
        if entry.name.endswith("_pdf") or "pdf" in entry.name:
            roles = roles[:1]  # one layout for every role; a PDF is slow to draw
        url = route_url(world, entry)
        for role in roles:
            yield entry.name, role, client(role), url
    yield "appeal:track", "worker", client("worker"), reverse("appeal:track")
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        yield (
            "admin changelist",
            "superuser",
            client("superuser"),
            reverse(f"admin:{info}_changelist"),
        )
        first = model._default_manager.order_by("pk").first()
        if first is not None and model_admin.has_view_permission(_superuser_request(world)):
            yield (
                "admin change",
                "superuser",
                client("superuser"),
                reverse(f"admin:{info}_change", args=[first.pk]),
            )


def _superuser_request(world):
    request = RequestFactory().get("/")
    request.user = world.users["superuser"]
    return request


def _columns(numbers, found) -> set[str]:
    return {f"{numbers[n].label}.{numbers[n].field}" for n in found if n in numbers}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_payload_in_every_text_field_is_inert_on_every_route(hostile_world, tmp_path):
    world, numbers = hostile_world
    failures: list[str] = []
    on_pages: set[int] = set()
    in_pdfs: set[int] = set()
    kinds = defaultdict(int)
    for name, role, client, url in _probes(world):
        response = client.get(url)
        if response.status_code != 200:
            if response.status_code >= 500:
                failures.append(f"{name} as {role}: {response.status_code}")
            continue
        content_type = response.get("Content-Type", "").split(";")[0]
        kinds[content_type] += 1
        data = b"".join(response.streaming_content) if response.streaming else response.content
        where = f"{name} as {role} ({content_type})"
        if UPLOADED_FILES.search(name) and content_type != "application/json":
            if not response.get("Content-Disposition", "").startswith("attachment"):
                failures.append(f"{where}: an uploaded file served inline")
        elif content_type == "application/pdf":
            try:
                text = _pdf_text(data, tmp_path)
            except subprocess.CalledProcessError as error:
                failures.append(f"{where}: not a readable PDF ({error.stderr.strip()[:200]})")
                continue
            in_pdfs |= {int(n) for n in RAW.findall(text)}
            if re.search(rb"/URI\s*\(http://127\.0\.0\.1:9", data):
                failures.append(f"{where}: the payload became a link")
        elif content_type.endswith("spreadsheetml.sheet"):
            failures += [f"{where}: {problem}" for problem in _xlsx_problems(data)]
        elif content_type in ("application/json", "text/csv", "image/png"):
            continue  # data, not markup: a client escapes what it displays
        else:
            body = data.decode("utf-8", errors="replace")
            raw = _columns(numbers, map(int, RAW.findall(body)))
            if raw:
                failures.append(f"{where}: raw markup from {sorted(raw)}")
            on_pages |= {int(a or b) for a, b in ESCAPED.findall(body)}
    assert failures == [], "\n".join(failures)
    shown = _columns(numbers, on_pages)
    assert MUST_SHOW_ON_PAGES - shown == set(), "columns no page showed"
    assert MUST_SHOW_IN_PDFS - _columns(numbers, in_pdfs) == set(), "columns no PDF showed"
    assert kinds["application/pdf"] >= 10 and kinds["text/html"] >= 100, dict(kinds)


def test_no_mark_safe_or_safe_filter_on_user_data():
    """Markup is only ever marked safe for the application's own output."""
    # (The public union page joins its cached content into a frame rendered once, without
    # mark_safe: public/frame.py escapes the name and the address it fills in, and
    # tests/test_public_frame.py compares it byte for byte with the template's output.)
    allowed = {
        # The list filters' selects, written in Python with every value escaped; federation
        # names in them are part of the payload run above.
        ("shuangliang/backoffice/filters.py", 'mark_safe("".join(parts)'),
    }
    found = set()
    for path in (ROOT / "shuangliang").rglob("*"):
        if path.suffix not in (".py", ".html", ".txt", ".xml") or "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for match in re.finditer(r"mark_safe\([^)]*\)|\|\s*safe\b|autoescape off", line):
                if line.lstrip().startswith(("from ", "import ")):
                    continue
                found.add((str(path.relative_to(ROOT)), match.group(0)))
    assert found == allowed


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_print_batches_draw_the_payload_as_text_and_fetch_nothing(
    hostile_world, settings, tmp_path
):
    from ..test_print_batch import _csrf_client, ask, download

    world, numbers = hostile_world
    settings.MEDIA_ROOT = tmp_path / "media"
    client = _csrf_client(world, "township_t1")
    for kind in ("badges", "cards", "signboards"):
        fields = {"size": "600x400", "orientation": "horizontal"} if kind == "signboards" else {}
        data = download(client, ask(client, world.t1, kind, **fields), tmp_path).read_bytes()
        shown = _columns(numbers, {int(n) for n in RAW.findall(_pdf_text(data, tmp_path))})
        assert "register.Union.name" in shown, kind
        assert not re.search(rb"/URI\s*\(http://127\.0\.0\.1:9", data), kind
