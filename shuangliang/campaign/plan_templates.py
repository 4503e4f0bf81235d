"""Campaign plans shipped as data. A federation instantiates one with its own start date
(campaign.services.campaign_instantiate) and adjusts the copy; the template never changes.

Months count from 1, the month the campaign starts in: month 1 runs from the start date to
the day before the same date a month later. The seed document's county ran its plan from
June 2012 to December 2013: phase one with mobilisation (June), solid progress (July to
September) and inspection and review (October to December); phase two with the full push
(January to June) and consolidation (July to December).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Metric


@dataclass(frozen=True)
class StageTemplate:
    name: Promise
    first_month: int
    last_month: int
    goal: Promise


@dataclass(frozen=True)
class PhaseTemplate:
    name: Promise
    stages: tuple[StageTemplate, ...]

    @property
    def first_month(self) -> int:
        return self.stages[0].first_month

    @property
    def last_month(self) -> int:
        return self.stages[-1].last_month


@dataclass(frozen=True)
class TaskTemplate:
    title: Promise
    due_month: int  # due on the last day of this month
    stage: int  # index of the stage, counted across all phases


@dataclass(frozen=True)
class TargetTemplate:
    metric: str
    percent: int
    due_month: int


@dataclass(frozen=True)
class PlanTemplate:
    code: str
    name: Promise
    description: Promise
    months: int
    phases: tuple[PhaseTemplate, ...]
    tasks: tuple[TaskTemplate, ...]
    targets: tuple[TargetTemplate, ...]


DOUBLE_BRIGHT_SEED = PlanTemplate(
    code="double_bright_seed",
    name=_("Double Bright campaign (two-year plan)"),
    description=_(
        "Union organisations show their signboards and union chairs show their identity: "
        "essentially full Double Bright coverage of enterprise unions within two years."
    ),
    months=19,
    phases=(
        PhaseTemplate(
            _("Phase one"),
            (
                StageTemplate(
                    _("Mobilisation and deployment"),
                    1,
                    1,
                    _("Issue the implementation plan, brief townships and parks, register chairs."),
                ),
                StageTemplate(
                    _("Solid progress"),
                    2,
                    4,
                    _("Signboards hung, identities posted, badges and contact cards handed out."),
                ),
                StageTemplate(
                    _("Inspection and review"),
                    5,
                    7,
                    _("Self-checks, spot checks and mutual checks; a notice of the results."),
                ),
            ),
        ),
        PhaseTemplate(
            _("Phase two"),
            (
                StageTemplate(
                    _("Full push"),
                    8,
                    13,
                    _("Extend Double Bright to every enterprise union, focus enterprises first."),
                ),
                StageTemplate(
                    _("Consolidation and improvement"),
                    14,
                    19,
                    _("Keep identities current after every change, name model units, sum up."),
                ),
            ),
        ),
    ),
    tasks=(
        TaskTemplate(_("Issue the implementation plan to townships and parks"), 1, 0),
        TaskTemplate(_("Hold the mobilisation meeting"), 1, 0),
        TaskTemplate(_("Register every union chair and committee member"), 2, 1),
        TaskTemplate(_("Hang union signboards in every enterprise with a union"), 3, 1),
        TaskTemplate(_("Post cadre identities on notice boards; hand out contact cards"), 4, 1),
        TaskTemplate(_("Publish county cadres' contacts in their assigned enterprises"), 4, 1),
        TaskTemplate(_("Union self-checks"), 5, 2),
        TaskTemplate(_("Spot checks and mutual checks by townships"), 6, 2),
        TaskTemplate(_("Publish the notice of phase one results"), 7, 2),
        TaskTemplate(_("Found unions in the remaining enterprises in production"), 10, 3),
        TaskTemplate(_("Visit every focus enterprise at least once a month"), 13, 3),
        TaskTemplate(_("Sign the three contracts in enterprises still missing them"), 13, 3),
        TaskTemplate(_("Update identities after every re-election or change"), 16, 4),
        TaskTemplate(_("Name model units and spread their experience"), 18, 4),
        TaskTemplate(_("Final inspection, evaluation and summary"), 19, 4),
    ),
    targets=(
        TargetTemplate(Metric.DOUBLE_BRIGHT, 50, 7),
        TargetTemplate(Metric.DOUBLE_BRIGHT, 75, 13),
        TargetTemplate(Metric.DOUBLE_BRIGHT, 100, 19),
        TargetTemplate(Metric.UNION_FOUNDING, 90, 7),
        TargetTemplate(Metric.UNION_FOUNDING, 95, 19),
        TargetTemplate(Metric.THREE_CONTRACTS, 80, 7),
        TargetTemplate(Metric.THREE_CONTRACTS, 90, 19),
    ),
)

PLAN_TEMPLATES = {template.code: template for template in (DOUBLE_BRIGHT_SEED,)}
