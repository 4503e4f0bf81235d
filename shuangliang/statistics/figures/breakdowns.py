"""Collecting the providers' counts: a node's headline figures, its breakdowns by a
dimension (by place rolled up to its children), the totals of a breakdown, and every
federation's counts at once for the snapshots."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import FOCUS_TAGS, PATH_SEGMENT_WIDTH, Federation, IndustrySection

from .core import (
    ALL,
    CATEGORY,
    FOCUS,
    INDUSTRY,
    OWNERSHIP,
    OWNERSHIP_CLASSES,
    PLACE,
    PROVIDERS,
    SIZE,
    SIZE_BANDS,
    Counts,
    Query,
)
from .definitions import add_counts, derive, is_count


class _Merged(dict):
    """Counts per group; a group without rows counts zero of each count that applies."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys_applying: set[str] = set()

    def __missing__(self, key):
        return dict.fromkeys(self.keys_applying, 0)


def collect(query: Query, dimension: str, only: tuple[str, ...] | None = None) -> dict[Any, Counts]:
    """Every installed provider's counts (or those named in `only`) for the dimension,
    merged per group; a provider that does not break down by the dimension leaves its counts
    out (None: not applicable)."""
    merged: dict[Any, Counts] = _Merged()
    for name, (provider, keys) in PROVIDERS.items():
        if only is not None and name not in only:
            continue
        groups = provider(query, dimension)
        if groups is None:
            continue
        merged.keys_applying.update(keys)
        for key, counts in groups.items():
            dict.setdefault(merged, key, {}).update(counts)
    for key in list(merged):
        merged[key] = {**dict.fromkeys(merged.keys_applying, 0), **merged[key]}
    return merged


def headline_figures(
    *,
    user,
    federation: Federation | None = None,
    as_of: datetime.date | None = None,
    only: tuple[str, ...] | None = None,
) -> dict:
    """Every figure of the subtree (or the user's whole scope), as far as the user sees it:
    one aggregate query per provider (only those named in `only`, when given)."""
    query = Query(user=user, root=federation, as_of=as_of)
    return derive(collect(query, ALL, only)[None])


@dataclass
class GroupRow:
    """One row of a breakdown: the group, its figures, and the filters of its lists."""

    key: Any
    label: str
    figures: dict
    params: dict  # query parameters that narrow a list page to this group
    federation: Federation | None = None
    is_remainder: bool = False  # records directly under the node, not under a child


def children_of(federation: Federation) -> list[Federation]:
    return list(
        Federation.objects.filter(
            path__startswith=federation.path, depth=federation.depth + 1
        ).order_by("division_code", "pk")
    )


def roll_up(
    leaf_counts: dict[Any, Counts], paths: dict[int, str], targets: dict[str, Any]
) -> dict[Any, Counts]:
    """Sum counts kept per federation id into `targets` ({path prefix: target key}): each
    federation adds to the target whose path is the longest prefix of its own."""
    out: dict[Any, Counts] = {}
    lengths = sorted({len(prefix) for prefix in targets}, reverse=True)
    for federation_id, counts in leaf_counts.items():
        path = paths.get(federation_id)
        if path is None:
            continue
        for length in lengths:
            key = targets.get(path[:length])
            if key is not None:
                add_counts(out.setdefault(key, {}), counts)
                break
    return out


def figures_by(*, user, federation: Federation, dimension: str) -> list[GroupRow]:
    """The subtree's figures broken down by place (its child federations, plus what sits
    directly under it), industry, ownership, size band, focus tag or appeal category; a
    constant number of queries whatever the size of the subtree."""
    query = Query(user=user, root=federation)
    groups = collect(query, dimension)
    if dimension == PLACE:
        return _place_rows(federation, groups)
    rows = []
    if dimension == INDUSTRY:
        for value, label in IndustrySection.choices:
            if value in groups:
                rows.append(GroupRow(value, str(label), derive(groups[value]), {"industry": value}))
    elif dimension == OWNERSHIP:
        for value, label in OWNERSHIP_CLASSES.items():
            rows.append(GroupRow(value, str(label), derive(groups[value]), {"ownership": value}))
    elif dimension == SIZE:
        for band in SIZE_BANDS:
            params = {"headcount_min": band.low}
            if band.high is not None:
                params["headcount_max"] = band.high
            rows.append(GroupRow(band.code, str(band.label), derive(groups[band.code]), params))
    elif dimension == FOCUS:
        for tag, label in FOCUS_TAGS.items():
            rows.append(GroupRow(tag, str(label), derive(groups[tag]), {"focus": tag}))
    elif dimension == CATEGORY:
        from shuangliang.appeals.models import Category

        names = dict(Category.objects.filter(pk__in=list(groups)).values_list("pk", "name"))
        for key, counts in sorted(groups.items(), key=lambda item: -item[1]["appeals_received"]):
            rows.append(GroupRow(key, names.get(key, "—"), derive(counts), {"category": key}))
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return rows


def _place_rows(federation: Federation, groups: dict[Any, Counts]) -> list[GroupRow]:
    paths = dict(
        Federation.objects.filter(path__startswith=federation.path).values_list("pk", "path")
    )
    children = children_of(federation)
    targets: dict[str, Any] = {child.path: child.pk for child in children}
    targets[federation.path] = "self"
    rolled = _Merged(roll_up(groups, paths, targets))
    rolled.keys_applying = groups.keys_applying
    rows = [
        GroupRow(
            child.pk,
            child.name,
            derive(rolled[child.pk]),
            {"federation": child.pk},
            federation=child,
        )
        for child in children
    ]
    if "self" in rolled:
        rows.append(
            GroupRow(
                "self",
                str(_("Directly under %(name)s") % {"name": federation.name}),
                derive(rolled["self"]),
                {},
                federation=federation,
                is_remainder=True,
            )
        )
    return rows


def totals(rows: list[GroupRow]) -> dict:
    """The sum of the rows' counts with rates derived from the sums (a partition's rows
    add up to the node's headline figures)."""
    total: Counts = {}
    for row in rows:
        add_counts(total, {k: v for k, v in row.figures.items() if is_count(k)})
    return derive(total)


def counts_for_every_federation(*, as_of: datetime.date | None = None) -> dict[int, Counts]:
    """The counts of every federation's subtree (all records), for snapshots: one grouped
    query per provider, rolled up the tree in Python (a loop over federations)."""
    query = Query(user=None, root=None, as_of=as_of)
    leaf = collect(query, PLACE)
    paths = dict(Federation.objects.values_list("pk", "path"))
    out: dict[int, Counts] = {pk: dict.fromkeys(leaf.keys_applying, 0) for pk in paths}
    by_path = {path: pk for pk, path in paths.items()}
    for federation_id, counts in leaf.items():
        path = paths.get(federation_id)
        if path is None:
            continue
        for end in range(len(path), 0, -PATH_SEGMENT_WIDTH):
            ancestor = by_path.get(path[:end])
            if ancestor is not None:
                add_counts(out[ancestor], counts)
    return out
