"""python manage.py run_bench --scale small (with DJANGO_SETTINGS_MODULE=shuangliang.bench.settings)

Runs every measure of the benchmark against an empty PostgreSQL database (scripts/bench.sh
starts a throw-away one): migrate, generate the province, measure, print the table and
write it with a JSON file of every figure under bench/results/.
"""

import datetime
import json
import random
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from shuangliang.bench import imports, load, measures, report
from shuangliang.bench.generator import SCALES, generate_province
from shuangliang.doublebright.models import UnionPage

# Per scale: load seconds, import rows (and the smaller size for memory growth), batch
# size of print, repetitions of timed calls.
PLANS = {
    "tiny": {"seconds": 5, "import_rows": 2_000, "memory_rows": 500, "print": 100, "repeat": 3},
    "small": {
        "seconds": 20,
        "import_rows": 20_000,
        "memory_rows": 5_000,
        "print": 1_000,
        "repeat": 5,
    },
    "province": {
        "seconds": 30,
        "import_rows": 100_000,
        "memory_rows": 25_000,
        "print": 1_000,
        "repeat": 5,
    },
}
MEASURES = ("load", "appeals", "dashboards", "lists", "query_counts", "import", "print")


class Command(BaseCommand):
    help = "Run the benchmark: generate a province, measure, write bench/results/."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench" / "results"))
        parser.add_argument(
            "--only", default="", help=f"Comma-separated measures to run: {', '.join(MEASURES)}"
        )
        parser.add_argument("--seconds", type=int, help="Seconds of each load run.")
        parser.add_argument("--import-rows", type=int)

    def handle(self, *args, scale: str, out: str, only: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark needs PostgreSQL (DATABASE_URL); see scripts/bench.sh."
            )
        plan = dict(PLANS[scale])
        if options["seconds"]:
            plan["seconds"] = options["seconds"]
        if options["import_rows"]:
            plan["import_rows"] = options["import_rows"]
            plan["memory_rows"] = max(1, options["import_rows"] // 4)
        wanted = set(only.split(",")) if only else set(MEASURES)
        results: dict = {
            "scale": scale,
            "plan": plan,
            "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": report.machine(),
        }
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        results["versions"] = report.versions()
        self.stdout.write(f"Generating the {scale} province …")
        province = generate_province(scale=SCALES[scale], log=None)
        results["generate_seconds"] = province.seconds
        results["counts"] = province.counts
        results["places"] = {
            level: {"id": place.pk, "name": place.name, "division_code": place.division_code}
            for level, place in (
                ("province", province.province),
                ("city", province.city),
                ("county", province.county),
                ("township", province.township),
            )
        }
        self.stdout.write(f"  {province.counts} in {province.seconds} s")
        with translation.override(settings.LANGUAGE_CODE):
            self._measure(results, wanted, plan, province)
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        json_path, md_path = report.write(results, Path(out))
        self.stdout.write("")
        self.stdout.write(report.markdown(results))
        self.stdout.write(f"Written: {json_path} and {md_path}")

    def _step(self, name: str) -> None:
        self.stdout.write(f"[{time.strftime('%H:%M:%S')}] {name} …")

    def _measure(self, results: dict, wanted: set[str], plan: dict, province) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="bench_province")
        if "load" in wanted:
            self._step("public union page under load")
            if load.wrk_available():
                tokens = list(UnionPage.objects.values_list("token", flat=True))
                random.Random(5).shuffle(tokens)
                results["public_page"] = load.measure_public_page(
                    tokens=tokens[:20_000], seconds=plan["seconds"]
                )
            else:
                results["public_page"] = {"gap": "wrk is not installed (scripts/bench.sh)"}
        if "appeals" in wanted:
            self._step("appeal intake under load")
            results["appeal_intake"] = _appeal_intake(plan)
        if "dashboards" in wanted:
            self._step("dashboard figures")
            results["dashboards"] = measures.measure_dashboards(
                user=user,
                places={
                    "county": province.county,
                    "city": province.city,
                    "province": province.province,
                },
                repeat=plan["repeat"],
            )
            params_sql = measures.DASHBOARD_SQL
            results["dashboard_explain_province_sql"] = measures.explain(
                params_sql,
                _dashboard_params(province.province),
            )
        if "lists" in wanted:
            self._step("enterprise list")
            results["enterprise_list"] = measures.measure_enterprise_list(
                county=province.county, repeat=plan["repeat"]
            )
        if "query_counts" in wanted:
            self._step("query counts")
            results["query_counts"] = measures.measure_query_counts(
                county=province.county, township=province.township
            )
        if "import" in wanted:
            self._step(f"Excel import of {plan['import_rows']:,} enterprises")
            with tempfile.TemporaryDirectory() as tmp:
                results["import"] = imports.measure_import(
                    county=province.county,
                    rows=plan["import_rows"],
                    workdir=Path(tmp),
                    memory_rows=plan["memory_rows"],
                )
        if "print" in wanted:
            self._step(f"batch print of {plan['print']:,} cards and badges")
            results["print"] = measures.measure_print(
                federation=province.province, count=plan["print"]
            )
        self.stdout.write(json.dumps({"done": sorted(wanted)}))


def _dashboard_params(federation) -> dict:
    from django.utils import timezone

    from shuangliang.register.models import PUBLIC_OWNERSHIPS, SIGNED_STEPS, ContractKind

    return {
        "path": federation.path + "%",
        "kinds": list(
            ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True)
        ),
        "signed": list(SIGNED_STEPS),
        "today": timezone.localdate(),
        "public": [str(v) for v in PUBLIC_OWNERSHIPS],
    }


def _appeal_intake(plan: dict) -> dict:
    try:
        from shuangliang.bench.appeals import measure_appeal_intake
    except ImportError as exc:
        return {"gap": f"the appeal intake is not measurable here: {exc}"}
    return measure_appeal_intake(seconds=plan["seconds"])
