"""Public pages of published notices: small, server-rendered, no script. A draft, a notice
in review or one of another federation is a 404, like an address that does not exist."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from shuangliang.register.models import Federation

from . import document as official
from . import selectors
from .models import Notice
from .views import DOCX_TYPE, _download, notice_filename

# Rendered files of published notices are kept this long (each worker its own cache).
CACHE_SECONDS = 3600


def _published_or_404(division_code: str, pk: int) -> Notice:
    try:
        federation = Federation.objects.get(division_code=division_code)
        return selectors.notice_public(federation=federation, pk=pk)
    except (Federation.DoesNotExist, Notice.DoesNotExist):
        raise Http404 from None


@login_not_required
@require_safe
def notice_page(request: HttpRequest, division_code: str, pk: int) -> HttpResponse:
    notice = _published_or_404(division_code, pk)
    return render(
        request,
        "notices/public_notice.html",
        {
            "notice": notice,
            "federation": notice.federation,
            "document": selectors.notice_document(notice=notice),
            "indexable": False,
        },
    )


def _rendered(notice: Notice, kind: str) -> bytes:
    """The published notice as a file, rendered once per language and kept in the cache
    (a published notice no longer changes; its `updated_at` is in the key all the same)."""
    key = f"notices:{kind}:{notice.pk}:{notice.updated_at.isoformat()}:{get_language()}"
    content = cache.get(key)
    if content is None:
        draw = official.notice_pdf if kind == "pdf" else official.notice_docx
        content = draw(selectors.notice_document(notice=notice))
        cache.set(key, content, CACHE_SECONDS)
    return content


@login_not_required
@require_safe
def notice_pdf_view(request: HttpRequest, division_code: str, pk: int) -> HttpResponse:
    notice = _published_or_404(division_code, pk)
    pdf = _rendered(notice, "pdf")
    return _download(pdf, "application/pdf", notice_filename(notice, "pdf"), inline=True)


@login_not_required
@require_safe
def notice_docx_view(request: HttpRequest, division_code: str, pk: int) -> HttpResponse:
    notice = _published_or_404(division_code, pk)
    docx = _rendered(notice, "docx")
    return _download(docx, DOCX_TYPE, notice_filename(notice, "docx"), inline=False)
