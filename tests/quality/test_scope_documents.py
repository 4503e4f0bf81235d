"""QUALITY.md A3 for documents: a PDF, xlsx, CSV or Word file made for one federation never
names a union, enterprise, cadre or place of another.

Every document route of the role matrix (PDFs, exports, reports, notices, the bulletin, open
data) is opened by each scoped role that may open it, and print batches of every kind are
asked for a township; the text is read out of the file (pdftotext, openpyxl, python-docx)
and searched for the names of what lies outside the role's scope.
"""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from ..conftest import client_for
from ..test_print_batch import _csrf_client, ask, download
from .hostile import get_routes, route_url

DOCUMENT_ROUTE = re.compile(r"pdf|export|xlsx|docx|csv|download")
# Without attachments: a worker's own file (B4, C3 tests).
DOCUMENT_ROUTES = [
    entry for entry in get_routes() if DOCUMENT_ROUTE.search(entry.name.split(":")[-1])
]
# Names outside county C1 (county C2, its township, enterprise, union and chair) and outside
# township T1 (township T2's enterprise, union and chair).
OUTSIDE_C1 = ["乙县总工会", "乙一镇", "乙一电子有限公司", "赵敏"]
OUTSIDE_T1 = [*OUTSIDE_C1, "甲二镇", "甲二纺织有限公司", "李强"]
# The narrowest role that may open a document opens it: its scope excludes the most. A public
# document (notices, open data) is about the federation in its address, county C1.
FOREIGN = {
    "chair_u1": OUTSIDE_T1,
    "township_t1": OUTSIDE_T1,
    "cadre": OUTSIDE_C1,
    "leader_c1": OUTSIDE_C1,
    "county_c1": OUTSIDE_C1,
    "anonymous": OUTSIDE_C1,
}
# Inside names each document of county C1 must show at least one of, so that an empty file
# does not pass.
INSIDE_C1 = ["甲县总工会", "甲一镇", "甲一机械有限公司", "王芳", "甲二纺织有限公司", "李强"]

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed"
)


def _text(response, tmp_path) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response["Content-Type"].split(";")[0]
    if content_type == "application/pdf":
        path = tmp_path / "document.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    elif content_type.endswith("spreadsheetml.sheet"):
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        text = "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        text += "\n".join(workbook.sheetnames)
    elif content_type.endswith("wordprocessingml.document"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode()
        text = re.sub(r"<[^>]+>", "", xml)
    else:
        text = data.decode("utf-8-sig")
    # Vertical signboards and wrapped cells split names over lines.
    return re.sub(r"\s+", "", text)


def _requests(world):
    for entry in DOCUMENT_ROUTES:
        url = route_url(world, entry)
        public = "anonymous" in entry.allowed
        role = "anonymous" if public else next((r for r in FOREIGN if r in entry.allowed), None)
        if role is None:
            continue  # only above the counties (city, superuser): nothing is outside
        yield entry.name, role, url
        if entry.name.endswith("_export"):
            yield entry.name, role, url + "?format=csv"


@needs_pdftotext
def test_every_document_of_a_scope_names_nothing_outside_it(world, tmp_path):
    leaks, opened = [], 0
    for name, role, url in _requests(world):
        response = client_for(world, role).get(url)
        if response.status_code != 200 or "html" in response["Content-Type"]:
            continue  # a batch still waiting, or a page: A1 and the pages' own tests
        text = _text(response, tmp_path)
        opened += 1
        found = [foreign for foreign in FOREIGN[role] if foreign in text]
        if found:
            leaks.append(f"{name} as {role} ({url}): {found}")
        if not any(inside in text for inside in INSIDE_C1) and "opendata" not in name:
            leaks.append(f"{name} as {role} ({url}): names nothing of its own scope")
    assert leaks == [], "\n".join(leaks)
    assert opened >= 15, opened


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@needs_pdftotext
@pytest.mark.parametrize("kind", ["badges", "cards", "signboards"])
def test_print_batch_of_a_township_names_nothing_outside_it(world, media_root, tmp_path, kind):
    client = _csrf_client(world, "township_t1")
    fields = {"size": "600x400", "orientation": "horizontal"} if kind == "signboards" else {}
    job = ask(client, world.t1, kind, **fields)
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", "-raw", str(download(client, job, tmp_path)), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    )
    assert [name for name in OUTSIDE_T1 if name in text] == []
    assert "甲一机械有限公司" in text or "王芳" in text
