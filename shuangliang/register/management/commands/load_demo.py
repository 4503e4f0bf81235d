"""`manage.py load_demo`: load the demo county (示範縣) once; a second run changes nothing."""

from django.core.management.base import BaseCommand

from shuangliang.register.demo import DEMO_PASSWORD, DEMO_USERNAMES, load_demo


class Command(BaseCommand):
    help = "Load the demo county with its enterprises, unions, cadres and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-photos", action="store_true", help="Skip the chairs' photos.")

    def handle(self, *args, **options):
        """Load the demo (or find it loaded) and print row counts and the county's figures."""
        result = load_demo(photos=not options["no_photos"])
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Demo county loaded in {result.seconds}s."))
        else:
            self.stdout.write("The demo county is already loaded; nothing was changed.")
        self.stdout.write("Rows: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
        figures = result.figures
        self.stdout.write(
            f"示範縣: {figures['enterprises_operating']} enterprises in production, "
            f"{figures['unions_founded']} with a union ({figures['coverage_rate']:.2%}), "
            f"{figures['three_contracts_signed']} with the three contracts."
        )
        self.stdout.write(
            f"Double Bright: {figures['double_bright_compliant']} enterprises with a compliant "
            f"union ({figures['double_bright_rate']:.2%} of those with a union)."
        )
        self.stdout.write(f"Demo accounts: {', '.join(DEMO_USERNAMES)}; password {DEMO_PASSWORD}")
