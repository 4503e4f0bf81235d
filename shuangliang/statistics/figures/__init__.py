"""The figure layer: every figure of a federation's subtree, counted by the database.

One place computes each figure; the dashboard, the statistical reports, the open-data page,
the snapshots, the API (through `register.selectors.stats_summary`), the appeals' figures page
and the campaign's targets all read it, so the same question always gets the same number.

- `core`: dimensions, the query, the provider registry, the one grouped aggregate;
- `definitions`: the figures as shown, rates declared once from their counts, `derive`;
- providers, one per domain, each one grouped aggregate query over one table per dimension
  (never a loop over rows): `register` (enterprises, unions, three contracts, with
  `doublebright`'s rule), `appeals`, `campaign` (visits); the standards app installs its own
  (`shuangliang.standards.figures`) from its AppConfig.ready();
- `breakdowns`: headline figures, breakdowns (by place rolled up to the node's children, a
  loop over federations, not over enterprises), totals, every federation for snapshots.

A provider returns counts per group; rates are derived from counts (`derive`), so counts add
up over townships and over months, and a snapshot only needs to store counts. A figure whose
provider is not installed is "not yet measured": its value is None everywhere.
"""

from . import appeals as _appeals
from . import campaign as _campaign
from . import register as _register
from .appeals import appeal_figures, median_days_to_conclusion
from .breakdowns import (
    GroupRow,
    children_of,
    collect,
    counts_for_every_federation,
    figures_by,
    headline_figures,
    roll_up,
    totals,
)
from .core import (
    ALL,
    CATEGORY,
    DIMENSIONS,
    ENTERPRISE,
    FOCUS,
    INDUSTRY,
    OWNERSHIP,
    OWNERSHIP_CLASSES,
    PLACE,
    PROVIDERS,
    SIZE,
    SIZE_BANDS,
    VISIT_WINDOW_DAYS,
    Counts,
    Provider,
    Query,
    SizeBand,
    grouped,
    register_provider,
    scoped,
)
from .definitions import (
    ENTERPRISES,
    FIGURES,
    FIGURES_BY_KEY,
    GRADE_FIGURE_KEYS,
    GRADES,
    HEADLINE,
    OPERATING,
    Figure,
    add_counts,
    derive,
    is_count,
    share,
)
from .doublebright import double_bright_q
from .register import (
    enterprise_provider,
    founded_q,
    member_provider,
    non_public_q,
    size_band_q,
    three_contracts_q,
)

# The providers in a fixed order (the register's counts first); standards adds its own.
_register.install()
_appeals.install()
_campaign.install()

# The standards app's provider (not owned here) still calls the old private name.
_scoped = scoped

__all__ = [
    "appeal_figures",
    "median_days_to_conclusion",
    "ALL",
    "CATEGORY",
    "DIMENSIONS",
    "ENTERPRISE",
    "ENTERPRISES",
    "FIGURES",
    "FIGURES_BY_KEY",
    "FOCUS",
    "GRADE_FIGURE_KEYS",
    "GRADES",
    "HEADLINE",
    "INDUSTRY",
    "OPERATING",
    "OWNERSHIP",
    "OWNERSHIP_CLASSES",
    "PLACE",
    "PROVIDERS",
    "SIZE",
    "SIZE_BANDS",
    "VISIT_WINDOW_DAYS",
    "Counts",
    "Figure",
    "GroupRow",
    "Provider",
    "Query",
    "SizeBand",
    "add_counts",
    "children_of",
    "collect",
    "counts_for_every_federation",
    "derive",
    "double_bright_q",
    "enterprise_provider",
    "figures_by",
    "founded_q",
    "grouped",
    "headline_figures",
    "is_count",
    "member_provider",
    "non_public_q",
    "register_provider",
    "roll_up",
    "scoped",
    "share",
    "size_band_q",
    "three_contracts_q",
    "totals",
]
