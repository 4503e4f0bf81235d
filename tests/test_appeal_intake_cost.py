"""The cost of one appeal post through a union's page (issue 8, measure 6): a fixed number of
queries whatever the union's shape, and a receipt QR code that still decodes."""

import base64
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangliang.appeals.models import Appeal
from shuangliang.appeals.views_public import RECEIPT_QR_MASK
from shuangliang.doublebright.services import union_page_ensure
from shuangliang.public.qr import qr_code, qr_svg

from .factories import EnterpriseFactory, UnionFactory
from .test_appeals import form_key, post_appeal, receipt_code


def _post_queries(client: Client, url: str, **extra) -> int:
    key = form_key(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = post_appeal(client, url, key, **extra)
    assert response.status_code == 200 and receipt_code(response)
    return len(queries)


@pytest.mark.django_db
def test_an_appeal_post_takes_the_same_queries_for_one_enterprise_or_several(world):
    """A union with one enterprise against a joint union of three: the page, its union and
    enterprises are read once, in one query."""
    one = reverse("appeal:union_form", args=[world.union_page.token])
    joint = UnionFactory(federation=world.t1, kind="joint")
    enterprises = [EnterpriseFactory(federation=world.t1, union=joint) for _ in range(3)]
    several = reverse("appeal:union_form", args=[union_page_ensure(union=joint).token])
    before = Appeal.objects.count()
    small = _post_queries(Client(), one, addr="198.51.100.21")
    large = _post_queries(Client(), several, addr="198.51.100.22", enterprise=enterprises[1].pk)
    assert small == large
    assert Appeal.objects.count() == before + 2
    assert Appeal.objects.latest("id").enterprise_id == enterprises[1].pk


@pytest.mark.django_db
def test_an_unknown_page_or_a_union_without_enterprises_has_no_form(world):
    assert Client().get(reverse("appeal:union_form", args=["AAAAAAAAAAAA"])).status_code == 404
    empty = union_page_ensure(union=UnionFactory(federation=world.t1))
    assert Client().get(reverse("appeal:union_form", args=[empty.token])).status_code == 404


@pytest.mark.django_db
def test_the_receipt_qr_code_holds_the_tracking_code(world, tmp_path):
    client = Client()
    url = reverse("appeal:union_form", args=[world.union_page.token])
    response = post_appeal(client, url, form_key(client, url))
    code = receipt_code(response)
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', response.content.decode())
    assert base64.b64decode(uri.group(1)) == qr_svg(code, scale=5, mask=RECEIPT_QR_MASK)
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (Debian package zbar-tools, see scripts/system-deps.sh)")
    path = tmp_path / "receipt.png"
    qr_code(code, mask=RECEIPT_QR_MASK).save(str(path), scale=5, border=4)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == code
