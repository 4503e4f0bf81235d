"""Check (and with --repair, rewrite) the figures stored for the dashboard against those
derived from the rows they summarise: on enterprises, three contracts and Double Bright
(register.stored_figures); on inspections, which one is the union's result
(standards.results); and the tallies per federation (statistics.tallies)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shuangliang.register import stored_figures
from shuangliang.standards import results
from shuangliang.statistics import tallies


class Command(BaseCommand):
    help = (
        "Compare the stored three-contract, Double Bright and inspection-result values with "
        "the derived ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Rewrite the stored values that differ."
        )

    def handle(self, *args, repair: bool = False, **options):
        with transaction.atomic():
            enterprises = stored_figures.mismatches().count()
            inspections = results.mismatches().count()
            # The result flags first: the results' tally counts them.
            if repair and inspections:
                results.refresh(
                    results.Inspection.objects.filter(pk__in=results.mismatches().values("pk"))
                )
            tallied = {name: tallies.mismatches(spec) for name, spec in tallies.SPECS.items()}
            if repair and (enterprises or inspections or any(tallied.values())):
                if enterprises:
                    stored_figures.refresh(
                        stored_figures.Enterprise.objects.filter(
                            pk__in=stored_figures.mismatches().values("pk")
                        )
                    )
                    self.stdout.write(f"Repaired the stored values of {enterprises} enterprises.")
                if inspections:
                    self.stdout.write(
                        f"Repaired the stored result flag of {inspections} inspections."
                    )
                for name, count in tallied.items():
                    if count:
                        tallies.rebuild(tallies.SPECS[name])
                        self.stdout.write(f"Rebuilt the {name} tally ({count} rows differed).")
                return
        wrong = []
        if enterprises:
            wrong.append(f"{enterprises} enterprises")
        if inspections:
            wrong.append(f"{inspections} inspections")
        wrong += [f"{count} rows of the {name} tally" for name, count in tallied.items() if count]
        if wrong:
            raise CommandError(
                f"{' and '.join(wrong)} have stored values that differ from the derived ones; "
                "run with --repair."
            )
        self.stdout.write("The stored values equal the derived ones.")
