"""Dependency audit (QUALITY.md F3): zero known-vulnerable pins, or the step fails.

    .venv/bin/python scripts/audit.py [--venv .venv]

Every distribution installed in the virtual environment (runtime, test and bench
dependencies, the transitive ones included) is audited, in two stages:

1. pip-audit against PyPI's advisory data (the per-release JSON API). Any known
   vulnerability fails the step.
2. When the advisory data cannot be reached (a mirror or proxy that serves packages but not
   the per-release JSON API, as on the build machine of this project), pip-audit reports
   every dependency as "could not be audited". Passing then would be a silent skip, so a
   fallback check runs against what is reachable, PyPI's per-project JSON:
   - a pinned release that was yanked fails;
   - a pinned release with a newer patch release in the same major.minor series fails once
     that patch release has been out longer than the grace period (30 days, --grace-days):
     security fixes ship as patch releases, and upgrading within the series is the remedy.
     Without advisory data a routine patch cannot be told from a security fix, so a patch
     younger than the grace period is printed as a notice instead: otherwise a dependency
     that publishes every weekday (boto3) would fail every fresh checkout the day after its
     pins were last refreshed. The pins are refreshed at least monthly.
   - advisories PyPI lists for the newest release fail when that release is the pin.
   The summary says that the fallback ran, so nobody mistakes it for a full audit.

Exit status: 0 clean, 1 findings, 2 nothing could be checked (no network at all).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
# Distributions that are the tooling itself, not dependencies of the product.
IGNORED = {"pip", "setuptools", "wheel", "pip-audit"}
GRACE = timedelta(days=30)


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}: {self.reason}"


def installed(venv: Path) -> list[tuple[str, str]]:
    """(name, version) of every distribution in the environment, from `pip freeze`."""
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze", "--all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = []
    for line in out.splitlines():
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line.strip())
        if match and canonical(match[1]) not in IGNORED:
            pins.append((match[1], match[2]))
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def release_key(version: str) -> tuple[int, ...] | None:
    """The numeric release segment of a final release, or None for pre/dev/local ones."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:\.post\d+)?", version)
    if not match:
        return None
    return tuple(int(part) for part in match[1].split("."))


def series(key: tuple[int, ...]) -> tuple[int, int]:
    padded = key + (0, 0)
    return padded[0], padded[1]


def check_project(
    name: str,
    version: str,
    project: dict,
    now: datetime | None = None,
    grace: timedelta = GRACE,
) -> tuple[list[Finding], list[Finding]]:
    """The fallback check of one pin against PyPI's per-project JSON document.

    Returns (findings, notices): findings fail the audit, notices are newer patch releases
    still inside the grace period.
    """
    now = now or datetime.now(UTC)
    findings, notices = [], []
    releases = project.get("releases", {})
    files = releases.get(version)
    if files and all(f.get("yanked") for f in files):
        reason = next((f.get("yanked_reason") for f in files if f.get("yanked_reason")), "")
        findings.append(Finding(name, version, f"yanked on PyPI ({reason or 'no reason given'})"))
    pinned = release_key(version)
    if pinned is not None:
        newer = []
        for candidate, candidate_files in releases.items():
            key = release_key(candidate)
            if key is None or not candidate_files or all(f.get("yanked") for f in candidate_files):
                continue
            if series(key) == series(pinned) and key > pinned:
                newer.append((key, candidate, published(candidate_files)))
        if newer:
            latest = max(newer)[1]
            # The oldest newer patch says how long the pin has been behind; an unknown upload
            # time counts as long ago.
            since = min((when or datetime.min.replace(tzinfo=UTC)) for _, _, when in newer)
            days = (now - since).days
            reason = f"patch release {latest} of the same series is available"
            if now - since > grace:
                findings.append(Finding(name, version, f"{reason} (behind for {days} days)"))
            else:
                notices.append(
                    Finding(name, version, f"{reason}, out {days} days (grace {grace.days})")
                )
    latest_version = project.get("info", {}).get("version")
    if latest_version == version:
        for advisory in project.get("vulnerabilities") or []:
            if advisory.get("withdrawn"):
                continue
            ident = advisory.get("id") or ", ".join(advisory.get("aliases") or [])
            findings.append(Finding(name, version, f"known vulnerability {ident}"))
    return findings, notices


def published(files: list[dict]) -> datetime | None:
    """When a release was first uploaded (its earliest file), from PyPI's JSON."""
    times = []
    for f in files:
        stamp = f.get("upload_time_iso_8601") or f.get("upload_time")
        if not stamp:
            continue
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            continue
        times.append(when if when.tzinfo else when.replace(tzinfo=UTC))
    return min(times) if times else None


def fetch_project(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=30) as response:
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def run_pip_audit(venv: Path, pins: list[tuple[str, str]]) -> tuple[list[Finding], int]:
    """Findings from pip-audit and how many dependencies it could actually audit."""
    requirements = "\n".join(f"{name}=={version}" for name, version in pins) + "\n"
    frozen = venv / "audit-requirements.txt"
    frozen.write_text(requirements)
    try:
        result = subprocess.run(
            [
                str(venv / "bin" / "pip-audit"),
                "--requirement",
                str(frozen),
                "--no-deps",
                "--disable-pip",
                "--vulnerability-service",
                "pypi",
                "--format",
                "json",
                "--progress-spinner",
                "off",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        frozen.unlink(missing_ok=True)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stderr[-2000:], file=sys.stderr)
        return [], 0
    findings, audited = [], 0
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            findings.append(
                Finding(
                    dependency["name"],
                    dependency.get("version", "?"),
                    f"known vulnerability {vuln.get('id')} (fixed in {fixes})",
                )
            )
    return findings, audited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=".venv", type=Path)
    parser.add_argument(
        "--grace-days",
        default=GRACE.days,
        type=int,
        help="days a newer patch release may be out before the fallback check fails the pin",
    )
    args = parser.parse_args(argv)
    grace = timedelta(days=args.grace_days)
    pins = installed(args.venv)
    print(f"Auditing {len(pins)} installed distributions.")

    findings, audited = run_pip_audit(args.venv, pins)
    if audited:
        print(f"pip-audit checked {audited} of {len(pins)} against PyPI's advisory data.")
    fallback = audited < len(pins)
    if fallback:
        print(
            "PyPI's advisory data could not be reached for "
            f"{len(pins) - audited} distributions; running the fallback check "
            f"(yanked releases, patch releases out over {grace.days} days, advisories on the "
            "newest release)."
        )
        unreachable = 0
        notices = []
        for name, version in pins:
            project = fetch_project(name)
            if project is None:
                unreachable += 1
                continue
            found, noticed = check_project(name, version, project, grace=grace)
            findings.extend(found)
            notices.extend(noticed)
        for notice in notices:
            print(f"  notice  {notice}")
        if unreachable == len(pins):
            print("Nothing could be checked: PyPI is unreachable.", file=sys.stderr)
            return 2
        if unreachable:
            print(f"{unreachable} distributions could not be looked up at all.", file=sys.stderr)
            findings.append(Finding("-", "-", f"{unreachable} distributions not checked"))

    for finding in findings:
        print(f"  FINDING {finding}")
    kind = "fallback check" if fallback else "pip-audit"
    if findings:
        print(f"Dependency audit ({kind}): {len(findings)} findings.")
        return 1
    print(f"Dependency audit ({kind}): no findings.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
