"""Reads for print materials: who goes on a badge, card, signboard or poster, loaded in a
fixed number of queries, and a fingerprint of that data for the batch cache.

Callers pass objects they already fetched through the access chokepoint (a union, an
officer, a federation in the user's scope); everything read here hangs under them.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from shuangliang.register.models import Enterprise, Federation, Officer, Position, Union
from shuangliang.register.selectors import position_rank

from .models import Credential, UnionPage
from .printing import PosterCadre, with_print_relations

# Who wears a badge and hands out cards in the 2012 definition: the chair and vice chairs.
LEADING_POSITIONS = (Position.CHAIR, Position.VICE_CHAIR)


def positions_for(choice: str | None) -> tuple[str, ...] | None:
    """The positions a batch option names: "leaders" (chair and vice chairs) or all."""
    return LEADING_POSITIONS if choice == "leaders" else None


def _current_officers(today: datetime.date | None = None) -> QuerySet[Officer]:
    return Officer.objects.filter(Officer.current_q(today or timezone.localdate()))


def union_print_officers(*, union: Union) -> list[Officer]:
    """The union's cadres in office today, chair first, with what printing reads."""
    officers = (
        _current_officers()
        .filter(union=union)
        .annotate(position_rank=position_rank())
        .order_by("position_rank", "term_start", "person__name", "id")
    )
    return list(with_print_relations(officers).select_related("union__federation"))


def batch_officers(
    *, federation: Federation, positions: Iterable[str] | None = None
) -> QuerySet[Officer]:
    """The cadres in office today in every union of the federation's subtree, by township,
    union and rank; `positions` limits them (None: every position)."""
    officers = _current_officers().filter(union__federation__path__startswith=federation.path)
    if positions is not None:
        officers = officers.filter(position__in=list(positions))
    officers = officers.annotate(position_rank=position_rank()).order_by(
        "union__federation__path", "union__name", "union_id", "position_rank", "person__name", "id"
    )
    return with_print_relations(officers).select_related("union__federation")


def batch_unions(*, federation: Federation) -> QuerySet[Union]:
    """Every union of the federation's subtree, by township and name."""
    return (
        Union.objects.filter(federation__path__startswith=federation.path)
        .select_related("federation")
        .prefetch_related("enterprises")
        .order_by("federation__path", "name", "id")
    )


def federation_poster_cadres(*, federation: Federation) -> list[PosterCadre]:
    """The federation's cadres for its notice-board poster (縣總工會幹部公示): the cadres
    assigned today (掛點) to enterprises of its subtree, once each, with the position title
    and the phone their assignment publishes to workers. Nothing else about them is
    printed, and a cadre without a name on record is left out."""
    from shuangliang.campaign.models import Assignment

    today = timezone.localdate()
    assignments = (
        Assignment.objects.filter(
            enterprise__federation__path__startswith=federation.path, starts_on__lte=today
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("cadre")
        .order_by("starts_on", "id")
    )
    seen: set[int] = set()
    cadres = []
    for assignment in assignments:
        if assignment.cadre_id in seen:
            continue
        seen.add(assignment.cadre_id)
        user = assignment.cadre
        # Chinese order: family name first; a login name is never printed.
        name = f"{user.last_name}{user.first_name}".strip()
        if name:
            cadres.append(
                PosterCadre(
                    name=name, position=assignment.position_title, phone=assignment.public_phone
                )
            )
    return cadres


def _stamp(value) -> str | int | None:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def print_data_fingerprint(*, federation: Federation, kind: str, options: dict) -> dict:
    """The state of everything a batch prints, in a few aggregate queries: counts, id sums
    and latest change times of the officers, people, unions, enterprises, credentials and
    public pages involved. Any edit, appointment, photo, consent or reissued credential
    changes it; so does the date (terms start and end by the calendar)."""
    unions = Union.objects.filter(federation__path__startswith=federation.path)
    state: dict[str, object] = {"today": timezone.localdate().isoformat()}
    if kind == "signboards":
        state["unions"] = unions.aggregate(n=Count("id"), ids=Sum("id"), at=Max("updated_at"))
        state["pages"] = UnionPage.objects.filter(union__in=unions).aggregate(
            n=Count("id"), ids=Sum("id"), at=Max("updated_at")
        )
    else:
        positions = positions_for(options.get("positions"))
        officers = batch_officers(federation=federation, positions=positions).order_by()
        state["officers"] = officers.aggregate(
            n=Count("id"),
            ids=Sum("id"),
            at=Max("updated_at"),
            person_at=Max("person__updated_at"),
            union_at=Max("union__updated_at"),
        )
        state["enterprises"] = Enterprise.objects.filter(union__in=unions).aggregate(
            n=Count("id"), ids=Sum("id"), at=Max("updated_at")
        )
        state["credentials"] = Credential.objects.filter(
            officer__in=officers.values("id"), revoked_at__isnull=True
        ).aggregate(n=Count("id"), ids=Sum("id"))
    return {
        group: ({k: _stamp(v) for k, v in values.items()} if isinstance(values, dict) else values)
        for group, values in state.items()
    }


def fingerprint(parts: dict) -> str:
    """A stable SHA-256 of JSON-able parts (the batch cache key)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
