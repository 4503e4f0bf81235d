"""Townships and parks matched by name, in either script, within a federation's subtree."""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..models import Federation
from .columns import text_key
from .values import CellError

_UNION_SUFFIXES = ("工会联合会", "总工会", "工会委员会", "联合工会", "工会")
_PLACE_SUFFIXES = ("街道办事处", "街道办", "街道", "镇", "乡")


def _strip_suffix(key: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


class TownshipResolver:
    """Match a township or park by name, in either script, within a federation's subtree."""

    def __init__(self, federation: Federation):
        self.federation = federation
        nodes = list(federation.subtree().exclude(pk=federation.pk).only("id", "name", "path"))
        if federation.is_grassroots_level:
            nodes.append(federation)
        self.full: dict[str, set[Federation]] = defaultdict(set)
        self.bare: dict[str, set[Federation]] = defaultdict(set)
        for node in nodes:
            key = text_key(node.name)
            without_union = _strip_suffix(key, _UNION_SUFFIXES)
            self.full[key].add(node)
            self.full[without_union].add(node)
            self.bare[_strip_suffix(without_union, _PLACE_SUFFIXES)].add(node)
        self.cache: dict[str, Federation | str] = {}

    def resolve(self, name: str | None) -> Federation:
        """The federation named, or CellError saying why not."""
        if not name:
            if self.federation.is_grassroots_level:
                return self.federation
            raise CellError(_("Enter the township or park."))
        if name not in self.cache:
            self.cache[name] = self._resolve(name)
        found = self.cache[name]
        if isinstance(found, str):
            raise CellError(found)
        return found

    def _resolve(self, name: str) -> Federation | str:
        key = _strip_suffix(text_key(name), _UNION_SUFFIXES)
        for candidates in (self.full.get(text_key(name)), self.full.get(key)):
            if candidates and len(candidates) == 1:
                return next(iter(candidates))
        candidates = self.bare.get(_strip_suffix(key, _PLACE_SUFFIXES))
        if candidates and len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            return _("“%(name)s” matches several townships; write the full name.") % {
                "name": name[:40]
            }
        return _("“%(name)s” is not a township or park of %(federation)s.") % {
            "name": name[:40],
            "federation": self.federation.name,
        }
