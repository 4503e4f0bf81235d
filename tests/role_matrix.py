"""Reads the role matrix: which roles may use each route with each method.

tests/role_matrix.toml holds the groups and the register's routes; each later capability keeps
its routes in a file of its own under tests/role_matrix.d/ (same format, groups shared).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

MATRIX_FILE = Path(__file__).with_name("role_matrix.toml")
MATRIX_DIR = Path(__file__).with_name("role_matrix.d")
METHODS = ("GET", "POST")
# Routes whose access is Django's own business, checked by a test of their own.
IGNORED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Entry:
    name: str
    method: str
    args: dict[str, str]
    allowed: frozenset[str]


def _expand(items: list[str], groups: dict[str, list[str]]) -> set[str]:
    roles: set[str] = set()
    for item in items:
        if item.startswith("@"):
            roles |= _expand(groups[item[1:]], groups)
        else:
            roles.add(item)
    return roles


def load_matrix() -> list[Entry]:
    data = tomllib.loads(MATRIX_FILE.read_text(encoding="utf-8"))
    groups = data["groups"]
    routes = dict(data["routes"])
    for path in sorted(MATRIX_DIR.glob("*.toml")):
        extra = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, spec in extra.get("routes", {}).items():
            if name in routes:
                raise ValueError(f"{path.name}: route {name!r} is already in the matrix")
            routes[name] = spec
    entries = []
    for name, spec in routes.items():
        for method in METHODS:
            if method in spec:
                entries.append(
                    Entry(
                        name,
                        method,
                        dict(spec.get("args", {})),
                        frozenset(_expand(spec[method], groups)),
                    )
                )
    return entries


def route_names() -> set[str]:
    """Every named URL pattern of the project, with its namespace."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                if ns in IGNORED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def resolve_args(world, args: dict[str, str]) -> dict:
    out = {}
    for key, ref in args.items():
        target = world
        for part in ref.split("."):
            target = getattr(target, part)
        out[key] = target
    return out
