"""The REST API, version 1. Each domain is a package beside `register/` (views,
serializers, selectors, urls.py); a new one (appeals, inspections) adds its package and one
line here, and its routes to tests/role_matrix.d/api.toml."""

from django.urls import path

import shuangliang.public.urls  # noqa: F401  (registers the `public_token` path converter)

from . import docs, public, stats
from .appeals import urls as appeals_urls
from .notices import urls as notices_urls
from .register import urls as register_urls
from .standards import urls as standards_urls

app_name = "api"
urlpatterns = [
    # Documentation.
    path("schema", docs.SchemaView.as_view(), name="schema"),
    path("docs", docs.docs, name="docs"),
    # Statistics.
    path("stats/summary", stats.StatsSummaryView.as_view(), name="stats_summary"),
    # The register: enterprises, unions, officers, people, contracts.
    *register_urls.urlpatterns,
    # Worker appeals, the handlers' side (no identity but through the logged operation), their
    # attachments, and the holiday calendar their deadlines are counted with.
    *appeals_urls.urlpatterns,
    # Inspections against the standards (read-only), and their rectifications.
    *standards_urls.urlpatterns,
    # Published notices of inspection results, with their PDF and Word documents.
    *notices_urls.urlpatterns,
    # The public side (WeChat mini-program): no login, read-only.
    path(
        "public/unions/<public_token:token>",
        public.PublicUnionView.as_view(),
        name="public_union",
    ),
    path(
        "public/credentials/<public_token:token>",
        public.PublicCredentialView.as_view(),
        name="public_credential",
    ),
]
