"""(4) Excel import of N enterprises: our importer, django-import-export, and the raw limit
(openpyxl read plus bulk_create), each in its own process so its peak memory is its own.

    python -m shuangliang.bench.imports CONTENDER FILE.xlsx COUNTY_DIVISION_CODE

prints one JSON line: seconds, rows written, peak resident memory. The parent
(`measure_import`) writes the file, runs the three contenders one after another and removes
what each wrote before the next starts.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

CONTENDERS = ("raw", "ours", "django-import-export")
HEADERS = (
    "企业名称",
    "统一社会信用代码",
    "所属乡镇",
    "经济类型",
    "行业",
    "职工人数",
    "女职工人数",
    "企业地址",
    "经营状态",
)


def _labels() -> dict[str, dict[str, str]]:
    """{column: {label as written in the file: stored value}}, as the template writes them."""
    from shuangliang.register.importers.template import TEMPLATE_COLUMNS
    from shuangliang.register.importers.values import _CHOICE_ALIASES
    from shuangliang.register.models import IndustrySection, OperatingStatus, Ownership

    choices = {key: dropdown for key, _h, _e, dropdown in TEMPLATE_COLUMNS["enterprise"]}
    ownership = dict(zip(choices["ent.ownership"].split(","), Ownership.values, strict=True))
    status = dict(
        zip(choices["ent.operating_status"].split(","), OperatingStatus.values, strict=True)
    )
    industry = {
        _CHOICE_ALIASES["industry"][value].split()[0]: value for value in IndustrySection.values
    }
    return {"经济类型": ownership, "行业": industry, "经营状态": status}


def write_workbook(path: Path, *, county, rows: int, seed: int = 11) -> None:
    """N enterprises of `county`'s townships in the import template's enterprise sheet."""
    from openpyxl import Workbook

    from shuangliang.bench.generator import BRANDS, INDUSTRY_WORDS, SUFFIXES, credit_code
    from shuangliang.register.models import Federation

    rng = random.Random(seed)
    townships = list(
        Federation.objects.filter(path__startswith=county.path, depth=county.depth + 1)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    labels = _labels()
    label_lists = {column: list(values) for column, values in labels.items()}
    industry_words = {label: INDUSTRY_WORDS[v].split() for label, v in labels["行业"].items()}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append(HEADERS)
    for serial in range(1, rows + 1):
        industry = rng.choice(label_lists["行业"])
        headcount = rng.randint(3, 2000)
        township = rng.choice(townships)
        sheet.append(
            (
                f"{township[:2]}{rng.choice(BRANDS)}{rng.choice(industry_words[industry])}"
                f"{serial}{rng.choice(SUFFIXES)}",
                credit_code("91", county.division_code, serial, marker="M"),
                township,
                rng.choice(label_lists["经济类型"]),
                industry,
                headcount,
                headcount // 3,
                f"{township}工业路{rng.randint(1, 999)}号",
                rng.choice(label_lists["经营状态"]),
            )
        )
    workbook.save(path)


def measure_import(*, county, rows: int, workdir: Path, memory_rows: int | None) -> dict:
    """Run every contender on the same file; our importer also at a second size, to show
    how its memory grows with the file."""
    from django.db import connection

    from shuangliang.core.models import ActionLogEntry
    from shuangliang.register.models import Enterprise

    results = {"rows": rows, "contenders": []}
    files = {rows: workdir / f"import-{rows}.xlsx"}
    if memory_rows:
        files[memory_rows] = workdir / f"import-{memory_rows}.xlsx"
    for size, path in files.items():
        started = time.perf_counter()
        write_workbook(path, county=county, rows=size)
        results.setdefault("file", {})[size] = {
            "bytes": path.stat().st_size,
            "write_s": round(time.perf_counter() - started, 1),
        }
    runs = [(name, rows) for name in CONTENDERS]
    if memory_rows:
        runs.append(("ours", memory_rows))
    for name, size in runs:
        enterprise_top = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first()
        log_top = ActionLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        outcome = _run(name, files[size], county.division_code)
        written = Enterprise.objects.filter(pk__gt=enterprise_top or 0).count()
        outcome.update(contender=name, rows=size, written=written)
        results["contenders"].append(outcome)
        with connection.cursor() as cursor:  # back to the same state for the next one
            cursor.execute("DELETE FROM register_enterprise WHERE id > %s", [enterprise_top or 0])
            cursor.execute("DELETE FROM core_actionlogentry WHERE id > %s", [log_top or 0])
            cursor.execute("VACUUM ANALYZE register_enterprise")
    return results


def _run(name: str, path: Path, county_code: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shuangliang.bench.settings"}
    completed = subprocess.run(
        [sys.executable, "-m", "shuangliang.bench.imports", name, str(path), county_code],
        capture_output=True,
        text=True,
        env=env,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr[-2000:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# The contenders, run in a child process.


def _rss_kb(prefix: str = "VmRSS:") -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(prefix):
                return int(line.split()[1])
    return 0


def import_ours(path: Path, county) -> None:
    from shuangliang.register.importers import register_import

    result = register_import(file=path, federation=county, log_data={"source": "bench"})
    if result.errors:
        raise SystemExit(f"{len(result.errors)} errors, first: {result.errors[0]}")


def import_raw(path: Path, county) -> None:
    """The floor: read the cells with openpyxl and bulk-insert them, nothing checked."""
    from openpyxl import load_workbook

    from shuangliang.register.models import Enterprise, Federation

    labels = _labels()
    townships = dict(
        Federation.objects.filter(path__startswith=county.path).values_list("name", "pk")
    )
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
    batch = []
    for name, code, township, ownership, industry, headcount, women, address, status in rows:
        batch.append(
            Enterprise(
                name=name,
                credit_code=code,
                federation_id=townships[township],
                ownership=labels["经济类型"][ownership],
                industry=labels["行业"][industry],
                headcount=headcount,
                women_headcount=women,
                address=address,
                operating_status=labels["经营状态"][status],
            )
        )
        if len(batch) == 2000:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)
    workbook.close()


def import_django_import_export(path: Path, county) -> None:
    """django-import-export configured for speed (bulk mode, no diff), with the model's own
    validation (clean_model_instances) as our importer does, and the township looked up by
    name inside the county, as its ForeignKeyWidget does."""
    import tablib
    from import_export import fields, resources, widgets

    from shuangliang.register.models import Enterprise, Federation

    labels = _labels()

    class LabelWidget(widgets.Widget):
        def __init__(self, mapping: dict[str, str]):
            super().__init__()
            self.mapping = mapping

        def clean(self, value, row=None, **kwargs):
            return self.mapping[value]

    class TownshipWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Federation.objects.filter(path__startswith=county.path)

    class EnterpriseResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="企业名称")
        credit_code = fields.Field(attribute="credit_code", column_name="统一社会信用代码")
        federation = fields.Field(
            attribute="federation",
            column_name="所属乡镇",
            widget=TownshipWidget(Federation, "name"),
        )
        ownership = fields.Field(
            attribute="ownership", column_name="经济类型", widget=LabelWidget(labels["经济类型"])
        )
        industry = fields.Field(
            attribute="industry", column_name="行业", widget=LabelWidget(labels["行业"])
        )
        headcount = fields.Field(
            attribute="headcount", column_name="职工人数", widget=widgets.IntegerWidget()
        )
        women_headcount = fields.Field(
            attribute="women_headcount", column_name="女职工人数", widget=widgets.IntegerWidget()
        )
        address = fields.Field(attribute="address", column_name="企业地址")
        operating_status = fields.Field(
            attribute="operating_status",
            column_name="经营状态",
            widget=LabelWidget(labels["经营状态"]),
        )

        class Meta:
            model = Enterprise
            import_id_fields = ("credit_code",)
            fields = (
                "name",
                "credit_code",
                "federation",
                "ownership",
                "industry",
                "headcount",
                "women_headcount",
                "address",
                "operating_status",
            )
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            clean_model_instances = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.search_text = instance.build_search_text()  # save() is skipped in bulk

    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = EnterpriseResource().import_data(
        dataset, dry_run=False, use_transactions=True, raise_errors=True
    )
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export reported errors")


def main(argv: list[str]) -> None:
    name, path, county_code = argv
    import django

    django.setup()
    from shuangliang.register.models import Federation

    county = Federation.objects.get(division_code=county_code)
    baseline = _rss_kb()
    started = time.perf_counter()
    {
        "ours": import_ours,
        "raw": import_raw,
        "django-import-export": import_django_import_export,
    }[name](Path(path), county)
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    peak = _rss_kb("VmHWM:")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak / 1024, 1),
                "baseline_rss_mb": round(baseline / 1024, 1),
                "peak_growth_mb": round((peak - baseline) / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
