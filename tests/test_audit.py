"""The dependency audit's fallback check (scripts/audit.py, QUALITY.md F3).

The check runs against PyPI's per-project JSON when the advisory data is unreachable; these
tests feed it documents shaped like PyPI's, so they need no network.
"""

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "audit", Path(__file__).resolve().parent.parent / "scripts" / "audit.py"
)
audit = importlib.util.module_from_spec(spec)
sys.modules["audit"] = audit  # dataclasses look their module up
spec.loader.exec_module(audit)


NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LONG_AGO = "2026-06-01T10:00:00Z"


def project(latest, releases, vulnerabilities=()):
    """A per-project document as PyPI serves it; a release is (yanked, reason[, uploaded])."""
    return {
        "info": {"version": latest},
        "releases": {
            version: [
                {
                    "yanked": spec[0],
                    "yanked_reason": spec[1],
                    "upload_time_iso_8601": spec[2] if len(spec) > 2 else LONG_AGO,
                }
            ]
            for version, spec in releases.items()
        },
        "vulnerabilities": list(vulnerabilities),
    }


OK = (False, None)


def uploaded(days_ago):
    return (False, None, (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ"))


def check(name, version, doc):
    findings, notices = audit.check_project(name, version, doc, now=NOW)
    return findings, notices


def reasons(findings_and_notices):
    return [f.reason for f in findings_and_notices[0]]


def test_newest_patch_of_its_series_passes():
    doc = project("6.0.1", {"5.2.18": OK, "5.2.19": OK, "6.0.1": OK})
    assert check("Django", "5.2.19", doc) == ([], [])


def test_a_missing_patch_release_is_a_finding():
    doc = project("6.0.1", {"5.2.18": OK, "5.2.19": OK, "6.0.1": OK})
    assert reasons(check("Django", "5.2.18", doc)) == [
        "patch release 5.2.19 of the same series is available (behind for 176 days)"
    ]


def test_a_newer_series_alone_is_not_a_finding():
    doc = project("6.0.0", {"5.2.19": OK, "6.0.0": OK})
    assert check("Django", "5.2.19", doc) == ([], [])


@pytest.mark.parametrize("newer", ["5.2.20rc1", "5.2.20.dev1"])
def test_pre_releases_do_not_count(newer):
    doc = project("5.2.19", {"5.2.19": OK, newer: OK})
    assert check("Django", "5.2.19", doc) == ([], [])


def test_a_yanked_newer_patch_does_not_count_but_a_yanked_pin_does():
    doc = project("1.0.1", {"1.0.0": (True, "CVE-2099-1"), "1.0.1": (True, "broken")})
    assert reasons(check("pkg", "1.0.0", doc)) == ["yanked on PyPI (CVE-2099-1)"]


def test_advisories_on_the_newest_release_are_findings_when_it_is_the_pin():
    advisory = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-2"], "withdrawn": None}
    withdrawn = {"id": "PYSEC-2099-3", "aliases": [], "withdrawn": "2099-01-01"}
    doc = project("2.0.0", {"2.0.0": OK}, [advisory, withdrawn])
    assert reasons(check("pkg", "2.0.0", doc)) == ["known vulnerability PYSEC-2099-1"]


def test_two_part_versions_compare_within_their_series():
    doc = project("3.1.5", {"3.1": OK, "3.1.5": OK})
    assert reasons(check("openpyxl", "3.1", doc)) == [
        "patch release 3.1.5 of the same series is available (behind for 176 days)"
    ]


def test_a_patch_release_inside_the_grace_period_is_a_notice_not_a_finding():
    # boto3 publishes every weekday: a pin refreshed last week must not fail a fresh checkout.
    doc = project("1.44.8", {"1.44.5": uploaded(7), "1.44.6": uploaded(6), "1.44.8": uploaded(4)})
    findings, notices = check("boto3", "1.44.5", doc)
    assert findings == []
    assert [n.reason for n in notices] == [
        "patch release 1.44.8 of the same series is available, out 6 days (grace 30)"
    ]


def test_the_pin_is_behind_since_its_first_newer_patch_not_the_newest():
    # A patch from 40 days ago stays overdue even though another came out yesterday.
    doc = project("1.2.9", {"1.2.0": uploaded(90), "1.2.1": uploaded(40), "1.2.9": uploaded(1)})
    assert reasons(check("pkg", "1.2.0", doc)) == [
        "patch release 1.2.9 of the same series is available (behind for 40 days)"
    ]


def test_the_grace_period_is_configurable():
    doc = project("1.0.1", {"1.0.0": uploaded(20), "1.0.1": uploaded(10)})
    findings, _ = audit.check_project("pkg", "1.0.0", doc, now=NOW, grace=timedelta(days=7))
    assert [f.reason for f in findings] == [
        "patch release 1.0.1 of the same series is available (behind for 10 days)"
    ]


def test_a_patch_without_an_upload_time_counts_as_overdue():
    doc = project("1.0.1", {"1.0.0": OK, "1.0.1": OK})
    del doc["releases"]["1.0.1"][0]["upload_time_iso_8601"]
    assert len(check("pkg", "1.0.0", doc)[0]) == 1
