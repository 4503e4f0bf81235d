"""The demo county's notice and model units (issue 5): a published notice drafted from the
season's results, two approved model units of the demo township shown on their public pages;
a second load writes nothing and the county's figures stay 141/138/127."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.doublebright.models import UnionPage
from shuangliang.notices.demo import load_demo_notices
from shuangliang.notices.models import Designation, Notice, NoticeDelivery
from shuangliang.register.demo.builder import demo_figures
from shuangliang.register.models import Federation
from shuangliang.standards import selectors

from .test_demo import FIGURES, demo_db, row_counts  # noqa: F401  (the class-scoped demo fixture)


@pytest.mark.usefixtures("demo_db")
class TestNoticesDemo:
    def test_demo_notice_is_published_from_the_season(self, db, tmp_path):
        county = Federation.objects.get(division_code="999001")
        notice = Notice.objects.get(federation=county)
        year = timezone.localdate().year
        assert notice.state == "published"
        assert notice.document_number == f"示範縣工通〔{notice.issued_on.year}〕1号"
        grades = selectors.grade_distribution(
            federation=county, year=year, standard=notice.standard
        )
        assert notice.figures["grades"] == grades
        assert len(notice.commended) == grades["model"] > 0
        assert len(notice.to_improve) == grades["basic"] + grades["not_qualified"] > 0
        assert NoticeDelivery.objects.filter(notice=notice).count() == len(notice.commended) + len(
            notice.to_improve
        )
        client = Client()
        page = client.get(reverse("public:federation_page", args=[county.division_code]))
        assert notice.title in page.content.decode()
        pdf = client.get(
            reverse("notices_public:notice_pdf", args=[county.division_code, notice.pk])
        )
        path = tmp_path / "demo.pdf"
        path.write_bytes(pdf.content)
        text = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\n", "")
        # A long name wraps in its table cell; the raw text keeps a cell's lines together.
        for row in notice.commended + notice.to_improve:
            assert row["name"] in text
        assert notice.document_number in text

    def test_demo_model_units_show_on_their_public_pages(self, db):
        designations = list(Designation.objects.select_related("union"))
        assert len(designations) == 2 and {d.state for d in designations} == {"approved"}
        assert {d.union.federation.division_code for d in designations} == {"999001001"}
        client = Client()
        for designation in designations:
            page = UnionPage.objects.filter(union=designation.union).first()
            if page is None:
                from shuangliang.doublebright.services import union_page_ensure

                page = union_page_ensure(union=designation.union)
            html = client.get(reverse("public:union_page", args=[page.token])).content.decode()
            assert 'id="model-unit"' in html and str(designation.year) in html

    def test_demo_second_load_changes_nothing_and_the_figures_stay(self, db):
        before = row_counts()
        assert load_demo_notices() == 0
        assert row_counts() == before
        figures = demo_figures()
        assert {key: figures[key] for key in FIGURES} == FIGURES
