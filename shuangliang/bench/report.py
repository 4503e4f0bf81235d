"""The benchmark's results as one Markdown table (with ratios and targets) and a JSON file."""

import json
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    load = os.getloadavg()
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "load_average_at_start": [round(x, 2) for x in load],
    }


def versions() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database = cursor.fetchone()[0]
    wrk = ""
    if shutil.which("wrk"):
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "django": _version("django"),
        "database": database,
        "psycopg": _version("psycopg"),
        "gunicorn": _version("gunicorn"),
        "wrk": wrk or "not installed",
        "fpdf2": _version("fpdf2"),
        "openpyxl": _version("openpyxl"),
        "django-import-export": _version("django-import-export"),
        "git_commit": commit,
    }


def _ok(flag: bool | None) -> str:
    return "—" if flag is None else ("yes" if flag else "**no**")


def markdown(results: dict) -> str:
    """One table: measure, ours, the reference, the ratio, the target and whether it is met."""
    lines = [
        f"Scale **{results['scale']}**: "
        + ", ".join(f"{n:,} {k.split('.')[-1].lower()}" for k, n in results["counts"].items())
        + f" (generated in {results['generate_seconds']} s). "
        + f"{results['machine']['cpus']} CPUs ({results['machine']['cpu']}), "
        + f"{results['versions']['database'].split(' on ')[0]}, "
        + f"Django {results['versions']['django']}, Python {results['versions']['python']}, "
        + f"commit {results['versions']['git_commit']}.",
        "",
        "| # | measure | ours | reference | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    targets = results.setdefault("targets", {})

    def row(number, measure, ours, reference, ratio, target, met):
        lines.append(
            f"| {number} | {measure} | {ours} | {reference} | {ratio} | {target} | {_ok(met)} |"
        )

    load = results.get("public_page")
    if isinstance(load, list) and len(load) == 2:
        page, minimal = load
        ratio = page["requests_per_s"] / minimal["requests_per_s"]
        met = ratio >= 0.5 and page["p99_ms"] < 50
        targets["public_page"] = met
        row(
            1,
            "public union page, 32 connections, 2 gunicorn workers",
            f"{page['requests_per_s']:.0f} req/s, p50 {page['p50_ms']} ms, p99 {page['p99_ms']} ms"
            + (f", {page['non_2xx']} errors" if page["non_2xx"] else ""),
            f"minimal view: {minimal['requests_per_s']:.0f} req/s, p50 {minimal['p50_ms']} ms, "
            f"p99 {minimal['p99_ms']} ms",
            f"{ratio:.2f}",
            "≥ 0.50, p99 < 50 ms",
            met,
        )
    elif load:
        row(1, "public union page under load", str(load), "", "", "", None)
    for item in results.get("dashboards", []):
        level = item["level"]
        ours = item["ours"]["median_ms"]
        dashboard = item["ours_dashboard"]["median_ms"]
        met = (
            item["ratio"] <= 2
            and (level != "province" or dashboard < 200)
            and item.get("page", {}).get("status", 200) == 200
        )
        targets[f"dashboard_{level}"] = met
        row(
            2,
            f"dashboard figures, {level} ({item['enterprises_operating']:,} enterprises)",
            f"{ours} ms; every headline figure (appeals, standards, campaign too) {dashboard} ms "
            f"in {item['ours_queries']} queries"
            + (
                f"; the dashboard page (every breakdown and chart) {item['page']['median_ms']} ms "
                f"in {item['page']['queries']} queries"
                if "page" in item
                else ""
            ),
            f"hand-written SQL {item['sql']['median_ms']} ms"
            + ("" if item["figures_match"] else " — **figures differ**"),
            f"{item['ratio']:.2f}",
            "≤ 2.0" + (", headline figures < 200 ms" if level == "province" else ""),
            met and item["figures_match"],
        )
    for item in results.get("enterprise_list", []):
        met = item["median_ms"] < 100 and item["status"] == 200
        targets[f"list_{item['case']}"] = met
        row(
            3,
            f"enterprise list, {item['case']} ({item['rows_in_table']:,} rows)",
            f"{item['median_ms']} ms, {item['queries']} queries",
            "",
            "",
            "< 100 ms",
            met,
        )
    imports = results.get("import")
    if imports:
        by = {(c["contender"], c["rows"]): c for c in imports["contenders"]}
        n = imports["rows"]
        ours, iex, raw = (by.get((name, n), {}) for name in ("ours", "django-import-export", "raw"))
        if all("seconds" in c for c in (ours, iex, raw)):
            speedup = iex["seconds"] / ours["seconds"]
            of_raw = raw["seconds"] / ours["seconds"]
            targets["import_vs_import_export"] = speedup >= 5
            targets["import_vs_raw"] = of_raw >= 0.3
            row(
                4,
                f"Excel import of {n:,} enterprises",
                f"{ours['seconds']} s ({n / ours['seconds']:,.0f} rows/s), "
                f"peak {ours['peak_rss_mb']} MB",
                f"django-import-export {iex['seconds']} s, peak {iex['peak_rss_mb']} MB",
                f"{speedup:.1f}× faster",
                "≥ 5× faster",
                speedup >= 5,
            )
            row(
                4,
                f"Excel import of {n:,} enterprises",
                f"{ours['seconds']} s",
                f"raw limit (openpyxl + bulk_create) {raw['seconds']} s, "
                f"peak {raw['peak_rss_mb']} MB",
                f"{of_raw:.2f} of the raw rate",
                "≥ 0.30",
                of_raw >= 0.3,
            )
        else:
            row(4, "Excel import", json.dumps([ours, iex, raw])[:300], "", "", "", False)
        small = [c for c in imports["contenders"] if c["contender"] == "ours" and c["rows"] != n]
        if small and "peak_growth_mb" in small[0] and "peak_growth_mb" in ours:
            s = small[0]
            flat = ours["peak_growth_mb"] <= 1.5 * max(s["peak_growth_mb"], 1)
            targets["import_memory_flat"] = flat
            row(
                4,
                "import memory growth (peak − baseline)",
                f"{s['peak_growth_mb']} MB at {s['rows']:,} rows → "
                f"{ours['peak_growth_mb']} MB at {n:,} rows",
                f"raw limit {raw.get('peak_growth_mb')} MB at {n:,} rows",
                f"{ours['peak_growth_mb'] / max(s['peak_growth_mb'], 1):.1f}× for "
                f"{n / s['rows']:.0f}× the rows",
                "flat",
                flat,
            )
    for item in results.get("print", []):
        met = item["ratio"] >= 0.5
        targets[f"print_{item['kind']}"] = met
        row(
            5,
            f"batch print, {item['items']:,} {item['kind']}",
            f"{item['ours_pages_per_s']} pages/s ({item['ours_items_per_s']} items/s, "
            f"{item['ours_s']} s)",
            f"fpdf2 directly {item['raw_pages_per_s']} pages/s ({item['raw_s']} s)",
            f"{item['ratio']:.2f}",
            "≥ 0.50",
            met,
        )
    appeals = results.get("appeal_intake")
    if isinstance(appeals, dict) and "gap" in appeals:
        row(6, "appeal intake under load", "not measured", appeals["gap"], "", "", None)
    elif isinstance(appeals, dict) and len(appeals.get("rows", [])) == 2:
        intake, minimal = appeals["rows"]
        ratio = intake["requests_per_s"] / minimal["requests_per_s"]
        met = intake["lost"] == 0 and intake["non_2xx"] == 0
        targets["appeal_intake_zero_lost"] = met
        row(
            6,
            "appeal intake, 32 connections, 2 gunicorn workers",
            f"{intake['requests_per_s']:.0f} posts/s, p99 {intake['p99_ms']} ms, "
            f"{intake['stored']:,} stored, {intake['lost']} lost, {intake['non_2xx']} errors",
            f"minimal write view: {minimal['requests_per_s']:.0f} posts/s, "
            f"p99 {minimal['p99_ms']} ms, {minimal['lost']} lost",
            f"{ratio:.2f}",
            "zero lost",
            met,
        )
    elif appeals:
        row(6, "appeal intake under load", json.dumps(appeals)[:200], "", "", "", None)
    for item in results.get("query_counts", []):
        targets[f"queries_{item['page']}"] = item["equal"]
        row(
            7,
            f"query count, {item['page']}",
            f"{item['small']['queries']} ({item['small']['data']})",
            f"{item['large']['queries']} ({item['large']['data']})",
            "",
            "equal",
            item["equal"],
        )
    return "\n".join(lines) + "\n"


def write(results: dict, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = results["started_at"].replace(":", "").replace("-", "")[:15]
    table = markdown(results)
    json_path = out_dir / f"{stamp}-{results['scale']}.json"
    md_path = json_path.with_suffix(".md")
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    md_path.write_text(table)
    (out_dir / f"latest-{results['scale']}.md").write_text(table)
    return json_path, md_path
