"""The dependency audit's fallback check (scripts/audit.py, QUALITY.md F3).

The check runs against PyPI's per-project JSON when the advisory data is unreachable; these
tests feed it documents shaped like PyPI's, so they need no network.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "audit", Path(__file__).resolve().parent.parent / "scripts" / "audit.py"
)
audit = importlib.util.module_from_spec(spec)
sys.modules["audit"] = audit  # dataclasses look their module up
spec.loader.exec_module(audit)


def project(latest, releases, vulnerabilities=()):
    return {
        "info": {"version": latest},
        "releases": {
            version: [{"yanked": yanked, "yanked_reason": reason}]
            for version, (yanked, reason) in releases.items()
        },
        "vulnerabilities": list(vulnerabilities),
    }


OK = (False, None)


def reasons(findings):
    return [f.reason for f in findings]


def test_newest_patch_of_its_series_passes():
    doc = project("6.0.1", {"5.2.18": OK, "5.2.19": OK, "6.0.1": OK})
    assert audit.check_project("Django", "5.2.19", doc) == []


def test_a_missing_patch_release_is_a_finding():
    doc = project("6.0.1", {"5.2.18": OK, "5.2.19": OK, "6.0.1": OK})
    assert reasons(audit.check_project("Django", "5.2.18", doc)) == [
        "patch release 5.2.19 of the same series is available"
    ]


def test_a_newer_series_alone_is_not_a_finding():
    doc = project("6.0.0", {"5.2.19": OK, "6.0.0": OK})
    assert audit.check_project("Django", "5.2.19", doc) == []


@pytest.mark.parametrize("newer", ["5.2.20rc1", "5.2.20.dev1"])
def test_pre_releases_do_not_count(newer):
    doc = project("5.2.19", {"5.2.19": OK, newer: OK})
    assert audit.check_project("Django", "5.2.19", doc) == []


def test_a_yanked_newer_patch_does_not_count_but_a_yanked_pin_does():
    doc = project("1.0.1", {"1.0.0": (True, "CVE-2099-1"), "1.0.1": (True, "broken")})
    assert reasons(audit.check_project("pkg", "1.0.0", doc)) == ["yanked on PyPI (CVE-2099-1)"]


def test_advisories_on_the_newest_release_are_findings_when_it_is_the_pin():
    advisory = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-2"], "withdrawn": None}
    withdrawn = {"id": "PYSEC-2099-3", "aliases": [], "withdrawn": "2099-01-01"}
    doc = project("2.0.0", {"2.0.0": OK}, [advisory, withdrawn])
    assert reasons(audit.check_project("pkg", "2.0.0", doc)) == ["known vulnerability PYSEC-2099-1"]


def test_two_part_versions_compare_within_their_series():
    doc = project("3.1.5", {"3.1": OK, "3.1.5": OK})
    assert reasons(audit.check_project("openpyxl", "3.1", doc)) == [
        "patch release 3.1.5 of the same series is available"
    ]
