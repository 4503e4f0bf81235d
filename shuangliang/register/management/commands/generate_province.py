"""python manage.py generate_province [--scale tiny|small|province] [--seed N]

Fills the database with a synthetic province for benchmarks and load tests (see
shuangliang/bench/generator.py): federations, enterprises, unions, officers, contracts,
Double Bright checklists, public pages, credentials and a few staff accounts. Fast on
PostgreSQL (COPY); works, slower, on SQLite.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from shuangliang.bench.generator import PROVINCE_CODE, SCALES, generate_province


class Command(BaseCommand):
    help = "Fill the database with a synthetic province (benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--province-code", default=PROVINCE_CODE)
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, scale: str, seed: int, province_code: str, **options):
        log = None if options["json"] else self.stdout.write
        try:
            result = generate_province(
                scale=SCALES[scale], seed=seed, province_code=province_code, log=log
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        summary = {
            "scale": scale,
            "seconds": result.seconds,
            "counts": result.counts,
            "province": result.province.pk,
            "city": result.city.pk,
            "county": result.county.pk,
            "township": result.township.pk,
            "users": result.users,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
