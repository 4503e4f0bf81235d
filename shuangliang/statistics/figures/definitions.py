"""The figures as shown: key, label, kind, where the list behind the number is, and how the
rates are derived from counts (`derive`). A rate names its numerator and denominator counts
once, through `rate()`; `derive` computes every rate from them."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import OperatingStatus

from .core import Counts


@dataclass(frozen=True)
class Figure:
    """One figure as shown: its key in the figures dict, label, kind, and where its list is."""

    key: str
    label: Promise
    kind: str  # "count" or "rate"
    provider: str
    numerator: str = ""  # rates: counts they are made of
    denominator: str = ""
    empty: float | None = None  # rates: the value over a denominator of zero
    headline: bool = True
    # The list page behind the number, and its filter query parameters.
    list_route: str = ""
    list_params: dict = field(default_factory=dict)
    # Open data: counts of this figure are suppressed below the threshold (QUALITY.md C6).
    suppress_small: bool = False


def count(key: str, label: Promise, provider: str, **options) -> Figure:
    return Figure(key, label, "count", provider, **options)


def rate(
    key: str, label: Promise, provider: str, numerator: str, denominator: str, **options
) -> Figure:
    """A share of two counts. The register's rates are 0.0 over nothing (as the API has
    always answered); the others are None then (nothing to measure)."""
    options.setdefault("empty", 0.0 if provider == "enterprises" else None)
    return Figure(
        key, label, "rate", provider, numerator=numerator, denominator=denominator, **options
    )


ENTERPRISES = "backoffice:enterprise_list"
OPERATING = {"status": OperatingStatus.IN_PRODUCTION.value}
# This year's inspection results per grade, best first: (grade, label). The grades and
# labels are standards.models.Grade's (tests/test_statistics.py checks they agree).
GRADES = (
    ("model", _("Model")),
    ("qualified", _("Qualified")),
    ("basic", _("Basically qualified")),
    ("not_qualified", _("Not qualified")),
)
GRADE_FIGURE_KEYS = tuple(f"standard_{grade}" for grade, _label in GRADES)

FIGURES: tuple[Figure, ...] = (
    count(
        "enterprises_operating",
        _("Enterprises in production"),
        "enterprises",
        list_route=ENTERPRISES,
        list_params=OPERATING,
    ),
    count(
        "unions_founded",
        _("Unions founded"),
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "has_union": "yes"},
    ),
    rate(
        "coverage_rate",
        _("Union founding rate"),
        "enterprises",
        "unions_founded",
        "enterprises_operating",
    ),
    count(
        "enterprises_without_union",
        _("Enterprises without a union"),
        "enterprises",
        headline=False,
        list_route=ENTERPRISES,
        list_params={**OPERATING, "has_union": "no"},
    ),
    count(
        "three_contracts_signed",
        _("Three contracts signed"),
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "three_contracts": "yes"},
    ),
    rate(
        "three_contracts_rate",
        _("Three-contract rate"),
        "enterprises",
        "three_contracts_signed",
        "unions_founded",
    ),
    count(
        "double_bright_compliant",
        _("Double Bright compliant"),
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "double_bright": "yes"},
    ),
    rate(
        "double_bright_rate",
        _("Double Bright coverage"),
        "enterprises",
        "double_bright_compliant",
        "unions_founded",
    ),
    count(
        "non_public_operating",
        _("Non-public enterprises in production"),
        "enterprises",
        headline=False,
        list_route=ENTERPRISES,
        list_params={**OPERATING, "ownership": "non_public"},
    ),
    count(
        "union_members",
        _("Union members"),
        "members",
        headline=False,
        list_route="backoffice:union_list",
    ),
    rate(
        "standard_compliance_rate",
        _("Standard compliance"),
        "standards",
        "standard_compliant",
        "standard_assessed",
    ),
    *(
        count(
            f"standard_{grade}",
            label,
            "standards",
            headline=False,
            list_route="standards:results",
            list_params={"grade": grade},
        )
        for grade, label in GRADES
    ),
    count(
        "rectifications_open",
        _("Rectifications open"),
        "standards",
        list_route="standards:rectification_list",
        list_params={"state": "open"},
    ),
    count(
        "appeals_received",
        _("Appeals received"),
        "appeals",
        list_route="appeals:list",
        suppress_small=True,
    ),
    rate(
        "appeals_on_time_rate",
        _("Appeals concluded on time"),
        "appeals",
        "appeals_on_time",
        "appeals_concluded",
    ),
    rate(
        "appeals_satisfaction_rate",
        _("Workers satisfied with the answer"),
        "appeals",
        "appeals_satisfied",
        "appeals_rated",
        headline=False,
    ),
    count(
        "appeals_overdue",
        _("Appeals overdue"),
        "appeals",
        list_route="appeals:list",
        list_params={"deadline": "overdue"},
        suppress_small=True,
    ),
    count("visits_last_90_days", _("Visits in the last 90 days"), "visits"),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}
HEADLINE = tuple(figure for figure in FIGURES if figure.headline)
RATES = tuple(figure for figure in FIGURES if figure.kind == "rate")


def share(part: int | None, whole: int | None, *, empty: float | None = None) -> float | None:
    """part / whole to four places; None when either is unknown, `empty` over nothing."""
    if part is None or whole is None:
        return None
    return round(part / whole, 4) if whole else empty


def derive(counts: Counts) -> dict:
    """Counts and the figures derived from them (every rate, enterprises without a union);
    a figure without its counts is None."""
    out: dict = dict(counts)
    if "enterprises_operating" in counts:
        out["enterprises_without_union"] = counts["enterprises_operating"] - counts.get(
            "unions_founded", 0
        )
    for figure in RATES:
        out[figure.key] = share(
            counts.get(figure.numerator), counts.get(figure.denominator), empty=figure.empty
        )
    for figure in FIGURES:
        out.setdefault(figure.key, None)
    return out


def add_counts(total: Counts, counts: Counts) -> None:
    """Add `counts` into `total`; an unknown (None) count makes the sum unknown."""
    for key, value in counts.items():
        if value is None or total.get(key, 0) is None:
            total[key] = None
        else:
            total[key] = total.get(key, 0) + value


def is_count(key: str) -> bool:
    """Whether the key is a count that adds up (not a rate, not a derived difference)."""
    figure = FIGURES_BY_KEY.get(key)
    if figure is not None:
        return figure.kind == "count" and key != "enterprises_without_union"
    return not key.endswith("_rate")
