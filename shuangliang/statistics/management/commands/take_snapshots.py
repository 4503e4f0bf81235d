"""Record this month's figures of every federation (run it daily or on the last day of each
month; the last run of a month closes it), optionally deriving the months before."""

from django.core.management.base import BaseCommand

from shuangliang.statistics.snapshots import snapshots_backfill, snapshots_take


class Command(BaseCommand):
    help = "Take this month's snapshot of every federation's figures (idempotent per month)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill",
            type=int,
            default=0,
            metavar="MONTHS",
            help="Also derive this many past months where no snapshot exists yet.",
        )

    def handle(self, *args, backfill: int = 0, **options):
        if backfill:
            written = snapshots_backfill(months=backfill)
            self.stdout.write(f"Derived {written} snapshots of past months.")
        count = snapshots_take()
        self.stdout.write(f"Took this month's snapshot of {count} federations.")
