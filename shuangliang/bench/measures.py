"""The in-process measures of the benchmark: dashboard figures, list pages, query counts
and batch printing, each beside its reference."""

import datetime
import io
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangliang.doublebright.models import UnionPage
from shuangliang.register.models import (
    PUBLIC_OWNERSHIPS,
    SIGNED_STEPS,
    Enterprise,
    Federation,
    Officer,
    Union,
)
from shuangliang.register.selectors import stats_summary


def timed(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> dict:
    """Median and best wall time of `fn` in milliseconds over `repeat` runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2)}


# ---------------------------------------------------------------------------------------------
# (2) Dashboard figures: stats_summary against one hand-written SQL statement.

REGISTER_FIGURES = (
    "enterprises_operating",
    "unions_founded",
    "three_contracts_signed",
    "non_public_operating",
    "double_bright_compliant",
)

# The reference: the best statement a DBA would write on our schema, which stores each
# enterprise's three-contract and Double Bright results (register.stored_figures, kept in
# the same transaction as every change) with the day they lapse.
DASHBOARD_SQL = """
SELECT
    COUNT(*),
    COUNT(e.union_id),
    COUNT(*) FILTER (WHERE e.union_id IS NOT NULL AND e.three_contracts_signed
        AND (e.three_contracts_until IS NULL OR e.three_contracts_until >= %(today)s)),
    COUNT(*) FILTER (WHERE e.ownership <> ALL(%(public)s)),
    COUNT(*) FILTER (WHERE e.union_id IS NOT NULL AND e.double_bright_compliant
        AND (e.double_bright_changes_on IS NULL OR e.double_bright_changes_on > %(today)s))
FROM register_enterprise e
JOIN register_federation f ON f.id = e.federation_id
WHERE f.path LIKE %(path)s AND e.operating_status = 'in_production'
"""

# The same figures derived from the contracts, statuses and officers themselves, run once per
# place to check that ours (and the stored values) are right; not timed.
DERIVED_DASHBOARD_SQL = """
WITH scope AS MATERIALIZED (
    SELECT e.union_id, e.ownership
    FROM register_enterprise e
    JOIN register_federation f ON f.id = e.federation_id
    WHERE f.path LIKE %(path)s AND e.operating_status = 'in_production'
),
scope_unions AS MATERIALIZED (
    SELECT DISTINCT union_id FROM scope WHERE union_id IS NOT NULL
),
three AS (
    SELECT c.union_id
    FROM register_collectivecontract c
    JOIN scope_unions su ON su.union_id = c.union_id
    WHERE c.kind_id = ANY(%(kinds)s) AND c.step = ANY(%(signed)s)
      AND (c.expires_on IS NULL OR c.expires_on >= %(today)s)
    GROUP BY c.union_id
    HAVING COUNT(DISTINCT c.kind_id) = cardinality(%(kinds)s)
),
compliant AS (
    SELECT s.union_id
    FROM doublebright_doublebrightstatus s
    JOIN scope_unions su ON su.union_id = s.union_id
    JOIN register_union u ON u.id = s.union_id
    WHERE s.state = 'confirmed' AND s.signboard_hung AND s.identities_posted
      AND s.badges_worn AND s.address_published AND s.contact_cards_handed_out >= 1
      AND s.signboard_photo <> '' AND s.notice_board_photo <> '' AND u.office_address <> ''
      AND NOT EXISTS (
        SELECT 1 FROM register_officer o
        WHERE o.union_id = s.union_id AND (
            (o.term_start <= %(today)s AND (o.term_start > s.submitted_on
                OR (o.term_start = s.submitted_on AND o.created_at > s.submitted_at)))
            OR (o.ended_on IS NOT NULL AND o.ended_on <= %(today)s AND o.status <> 'active'
                AND (o.ended_on > s.submitted_on
                     OR (o.ended_on = s.submitted_on AND o.updated_at > s.submitted_at)))
        )
      )
)
SELECT
    COUNT(*),
    COUNT(scope.union_id),
    COUNT(*) FILTER (WHERE scope.union_id IN (SELECT union_id FROM three)),
    COUNT(*) FILTER (WHERE scope.ownership <> ALL(%(public)s)),
    COUNT(*) FILTER (WHERE scope.union_id IN (SELECT union_id FROM compliant))
FROM scope
"""


def dashboard_sql(federation: Federation, sql: str = DASHBOARD_SQL) -> dict:
    """The register's headline figures of a subtree in one hand-written statement."""
    from shuangliang.register.models import ContractKind

    kinds = list(ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    params = {
        "path": federation.path + "%",
        "kinds": kinds,
        "signed": list(SIGNED_STEPS),
        "today": timezone.localdate(),
        "public": [str(v) for v in PUBLIC_OWNERSHIPS],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(REGISTER_FIGURES, row, strict=True))


def register_figures(*, user, federation: Federation) -> dict:
    """Our figure layer asked for the same figures the reference computes."""
    from shuangliang.statistics.figures import headline_figures

    computed = headline_figures(user=user, federation=federation, only=("enterprises",))
    return {key: computed[key] for key in REGISTER_FIGURES}


def measure_dashboards(*, user, places: dict[str, Federation], repeat: int) -> list[dict]:
    """For each place: the figure layer on the reference's figures against the SQL; every
    headline figure (register, appeals, standards, campaign) for the time limit; and the
    dashboard page itself (every breakdown and chart, rendered), as the province's staff."""
    rows = []
    client = _client(user.username)
    for level, federation in places.items():
        page_url = reverse("statistics:dashboard", args=[federation.pk])
        page_status, page_queries, _ms = _get(client, page_url)
        page_samples = [_get(client, page_url)[2] for _ in range(repeat)]
        ours = register_figures(user=user, federation=federation)
        reference = dashboard_sql(federation)
        derived = dashboard_sql(federation, DERIVED_DASHBOARD_SQL)
        with CaptureQueriesContext(connection) as queries:
            stats_summary(user=user, federation=federation)
        row = {
            "level": level,
            "federation": federation.name,
            "enterprises_operating": reference["enterprises_operating"],
            "figures_match": all(ours[k] == reference[k] == derived[k] for k in REGISTER_FIGURES),
            "ours_figures": ours,
            "sql_figures": reference,
            "ours": timed(
                lambda f=federation: register_figures(user=user, federation=f), repeat=repeat
            ),
            "ours_dashboard": timed(
                lambda f=federation: stats_summary(user=user, federation=f), repeat=repeat
            ),
            "ours_queries": len(queries),
            "page": {
                "url": page_url,
                "status": page_status,
                "queries": page_queries,
                "median_ms": round(statistics.median(page_samples), 2),
                "max_ms": round(max(page_samples), 2),
            },
            "sql": timed(lambda f=federation: dashboard_sql(f), repeat=repeat),
        }
        row["ratio"] = round(row["ours"]["median_ms"] / row["sql"]["median_ms"], 2)
        rows.append(row)
    return rows


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(line for (line,) in cursor.fetchall())


# ---------------------------------------------------------------------------------------------
# (3) The enterprise list and (7) query counts of the main pages.


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _get(client: Client, url: str) -> tuple[int, int, float]:
    """Status, number of queries and server time (ms) of one GET."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    return response.status_code, len(queries), elapsed


def measure_enterprise_list(*, county: Federation, repeat: int) -> list[dict]:
    """The staff enterprise list of the province's staff (every enterprise), page by page."""
    client = _client("bench_province")
    base = reverse("backoffice:enterprise_list")
    total = Enterprise.objects.count()
    cases = [
        ("first page", {}),
        ("page 100", {"page": 100}),
        ("page 1000", {"page": 1000}),
        ("sorted by headcount", {"sort": "-headcount"}),
        ("search 机械", {"q": "机械"}),
        ("search pinyin hs", {"q": "hs"}),
        # Three characters or more: the trigram index on PostgreSQL (where pg_trgm is).
        ("search credit code part g000123", {"q": "g000123"}),
        (
            "filters: industry C, non-public, in production",
            {"industry": "C", "ownership": "non_public", "status": "in_production"},
        ),
        ("filter: one county", {"federation": county.pk}),
        ("filter: without a union", {"has_union": "no"}),
        ("filter: three contracts signed", {"three_contracts": "yes"}),
        ("search + county + industry", {"q": "有限", "federation": county.pk, "industry": "C"}),
    ]
    rows = []
    for label, params in cases:
        url = base + ("?" + urlencode(params) if params else "")
        status, queries, _ms = _get(client, url)
        samples = [_get(client, url)[2] for _ in range(repeat)]
        rows.append(
            {
                "case": label,
                "url": url,
                "status": status,
                "queries": queries,
                "rows_in_table": total,
                "median_ms": round(statistics.median(samples), 1),
                "max_ms": round(max(samples), 1),
            }
        )
    return rows


def _union_of_size(*, largest: bool) -> Union:
    """The union with the fewest (or most) officers among those of the same shape: with
    contracts and a replaced chair, so optional parts of the pages are there in both."""
    from django.db.models import Count

    shaped = Union.objects.filter(
        contracts__isnull=False, officers__status=Officer.Status.REPLACED
    ).values("pk")
    # Counted apart from the shape's filter, which would count the replaced officers only.
    qs = Union.objects.filter(pk__in=shaped).annotate(n=Count("officers", distinct=True))
    return qs.order_by("-n" if largest else "n", "pk").first()


def measure_query_counts(*, county: Federation, township: Federation) -> list[dict]:
    """Each main page's query count for a small and a large amount of data: the same page
    seen by a township's staff and the province's, or for a small and the largest union."""
    small_union, big_union = _union_of_size(largest=False), _union_of_size(largest=True)
    pages = {
        "enterprise list": (reverse("backoffice:enterprise_list"), None),
        "union list": (reverse("backoffice:union_list"), None),
        "officer list": (reverse("backoffice:officer_list"), None),
        "staff home": (reverse("backoffice:home"), None),
        "stats API": ("/api/v1/stats/summary", None),
    }
    rows = []
    township_client, province_client = _client("bench_township"), _client("bench_province")
    sizes = {
        "bench_township": Enterprise.objects.filter(federation__path__startswith=township.path)
        .only("pk")
        .count(),
        "bench_province": Enterprise.objects.count(),
    }
    for name, (url, _x) in pages.items():
        small = _get(township_client, url)
        large = _get(province_client, url)
        rows.append(
            {
                "page": name,
                "small": {
                    "data": f"{sizes['bench_township']} enterprises",
                    "status": small[0],
                    "queries": small[1],
                },
                "large": {
                    "data": f"{sizes['bench_province']} enterprises",
                    "status": large[0],
                    "queries": large[1],
                },
            }
        )
    anonymous = Client()
    for name, url_name in (
        ("public union page", "public:union_page"),
        ("staff union page", "backoffice:union_detail"),
    ):
        counts = []
        for union in (small_union, big_union):
            if url_name.startswith("public"):
                url = reverse(url_name, args=[UnionPage.objects.get(union=union).token])
                client = anonymous
            else:
                url, client = reverse(url_name, args=[union.pk]), province_client
            # A first visit issues what is made lazily (credentials, the public page); the
            # public page is counted as rendered, not as served from its cache.
            client.get(url)
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                result = _get(client, url)
            officers = union.officers.filter(status=Officer.Status.ACTIVE).count()
            counts.append(
                {"data": f"{officers} officers", "status": result[0], "queries": result[1]}
            )
        rows.append({"page": name, "small": counts[0], "large": counts[1]})
    for row in rows:
        row["equal"] = row["small"]["queries"] == row["large"]["queries"]
    return rows


# ---------------------------------------------------------------------------------------------
# (5) Batch print: the product's engine against fpdf2 drawing the same text and QR directly.


def measure_print(*, federation: Federation, count: int, repeat: int = 1) -> list[dict]:
    from shuangliang.doublebright.print_selectors import batch_officers
    from shuangliang.doublebright.printing import badge_pdf, contact_cards_pdf
    from shuangliang.doublebright.services import credentials_ensure

    officers = list(batch_officers(federation=federation)[:count])
    credentials = credentials_ensure(officers=officers)

    def verify_url(officer) -> str:
        token = credentials[officer.pk].token
        return "https://example.org" + reverse("public:credential_verify", kwargs={"token": token})

    records = [
        {
            "name": o.person.name,
            "position": o.get_position_display(),
            "union": o.union.name,
            "phone": o.person.published_mobile or o.person.published_office_phone,
            "url": verify_url(o),
        }
        for o in officers
    ]
    rows = []
    for kind, ours_fn, per_page in (
        ("contact cards", lambda: contact_cards_pdf(officers, verify_url), 10),
        ("badges", lambda: badge_pdf(officers, verify_url), 1),
    ):
        sizes = {}

        def ours(fn=ours_fn, sizes=sizes):
            sizes["ours"] = len(fn())

        def raw(kind=kind, sizes=sizes):
            sizes["raw"] = len(raw_fpdf(records, cards=kind == "contact cards"))

        ours_t = timed(ours, repeat=repeat, warmup=0)
        raw_t = timed(raw, repeat=repeat, warmup=0)
        pages = -(-len(officers) // per_page)
        row = {
            "kind": kind,
            "items": len(officers),
            "pages": pages,
            "ours_s": round(ours_t["median_ms"] / 1000, 2),
            "raw_s": round(raw_t["median_ms"] / 1000, 2),
            "ours_pages_per_s": round(pages / (ours_t["median_ms"] / 1000), 1),
            "raw_pages_per_s": round(pages / (raw_t["median_ms"] / 1000), 1),
            "ours_items_per_s": round(len(officers) / (ours_t["median_ms"] / 1000), 1),
            "raw_items_per_s": round(len(officers) / (raw_t["median_ms"] / 1000), 1),
            "ours_bytes": sizes.get("ours"),
            "raw_bytes": sizes.get("raw"),
        }
        row["ratio"] = round(row["ours_pages_per_s"] / row["raw_pages_per_s"], 2)
        rows.append(row)
    return rows


def raw_fpdf(records: list[dict], *, cards: bool) -> bytes:
    """The same text and QR drawn with fpdf2 directly: the library's own rate. Contact cards
    10 to an A4 sheet (90 x 54 mm), badges a page each (86 x 54 mm)."""
    import segno
    from fpdf import FPDF

    from shuangliang.core.pdf.fonts import register_fonts

    pdf = FPDF(unit="mm", format="A4" if cards else (86, 54))
    pdf.set_auto_page_break(False)
    family = register_fonts(pdf).family  # the same embedded CJK face as the engine's
    for index, record in enumerate(records):
        if cards:
            slot = index % 10
            if slot == 0:
                pdf.add_page()
            x, y = 15 + (slot % 2) * 90, 13.5 + (slot // 2) * 54
        else:
            pdf.add_page()
            x, y = 0, 0
        pdf.set_font(family, size=12)
        pdf.text(x + 6, y + 12, record["union"][:24])
        pdf.set_font(family, size=16)
        pdf.text(x + 6, y + 24, record["name"])
        pdf.set_font(family, size=10)
        pdf.text(x + 6, y + 32, record["position"])
        if record["phone"]:
            pdf.text(x + 6, y + 40, record["phone"])
        qr = io.BytesIO()
        segno.make(record["url"], error="m").save(qr, kind="png", scale=4, border=1)
        qr.seek(0)
        pdf.image(qr, x=x + 60, y=y + 24, w=22, h=22)
    return bytes(pdf.output())


def today() -> datetime.date:
    return timezone.localdate()
