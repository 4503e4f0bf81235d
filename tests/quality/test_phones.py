"""QUALITY.md C1 and C2 on every route: with no consent given, no cadre's phone reaches a
public page, PDF or the public API, and no role reads a full mobile number anywhere without
the logged act of unmasking.

Every person of the test world gets a mobile and an office phone of their own, consent off
(the default). Every GET route of the role matrix is then opened by each of the roles below
that may open it (one role for a PDF: its layout is the same for all), and the response bytes
(or the text of a PDF, the cells of an xlsx) are searched for the numbers.
"""

import io
import re
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import Person

from ..conftest import client_for
from .hostile import get_routes, route_url

GET_ROUTES = get_routes()  # without attachments: a worker's own file
ROLES = ("anonymous", "chair_u1", "county_c1", "cadre", "leader_c1")
# Showing an appellant's identity to those allowed is its own logged operation (C3 tests).
SKIPPED = {"appeals:identity"}
# Pages that show a full mobile to a role with the right, as a logged act of unmasking.
UNMASKING = {"backoffice:person_edit"}


def _numbers() -> dict[int, tuple[str, str]]:
    numbers = {}
    for n, pk in enumerate(Person.objects.order_by("pk").values_list("pk", flat=True)):
        mobile, office = f"1395{n:07d}", f"0771-8{n:06d}"
        Person.objects.filter(pk=pk).update(
            mobile=mobile,
            office_phone=office,
            consent_mobile=False,
            consent_office_phone=False,
        )
        numbers[pk] = (mobile, office)
    cache.clear()
    return numbers


def _text(response, tmp_path) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "").split(";")[0]
    if content_type == "application/pdf":
        path = tmp_path / "document.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    elif content_type.endswith("spreadsheetml.sheet"):
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        text = " ".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    else:
        text = data.decode("utf-8", errors="replace")
    return re.sub(r"[\s\-]", "", text)


def _requests(world):
    for entry in GET_ROUTES:
        if entry.name in SKIPPED:
            continue
        roles = [role for role in ROLES if role in entry.allowed]
        if "pdf" in entry.name:
            roles = roles[:1]
        url = route_url(world, entry)
        for role in roles:
            yield entry.name, role, url


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_no_phone_without_consent_and_no_full_mobile_on_any_route(world, tmp_path):
    numbers = _numbers()
    mobiles = {mobile for mobile, _ in numbers.values()}
    offices = {office.replace("-", "") for _, office in numbers.values()}
    leaks = []
    opened = 0
    for name, role, url in _requests(world):
        logged = ActionLogEntry.objects.filter(action_type="register.person.unmasked").count()
        response = client_for(world, role).get(url)
        if response.status_code != 200:
            continue
        unmasked = (
            ActionLogEntry.objects.filter(action_type="register.person.unmasked").count() > logged
        )
        opened += 1
        text = _text(response, tmp_path)
        # C2: no role reads a full mobile number on a GET; C1: the public sees no phone at all.
        found = {mobile for mobile in mobiles if mobile in text}
        if role == "anonymous":
            found |= {office for office in offices if office in text}
        if found and not (name in UNMASKING and unmasked):
            leaks.append(f"{name} as {role}: {sorted(found)}")
    assert leaks == [], "\n".join(leaks)
    assert opened > 150, opened
    # The search above finds a number as the pages print it: with consent, the union page
    # of U1 shows its chair's mobile and office phone.
    person = world.chair1.person
    Person.objects.filter(pk=person.pk).update(consent_mobile=True, consent_office_phone=True)
    cache.clear()
    page = _text(
        client_for(world, "anonymous").get(
            reverse("public:union_page", args=[world.union_page.token])
        ),
        tmp_path,
    )
    mobile, office = numbers[person.pk]
    assert mobile in page and office.replace("-", "") in page


def test_public_search_does_not_find_a_union_by_an_unpublished_phone(world):
    numbers = _numbers()
    mobile, office = numbers[world.chair1.person.pk]
    url = reverse("public:federation_page", args=[world.c1.division_code])
    client = client_for(world, "anonymous")
    assert world.u1.name in client.get(url, {"q": world.u1.name}).content.decode()
    for query in (mobile, office, mobile[-4:]):
        assert world.u1.name not in client.get(url, {"q": query}).content.decode()
