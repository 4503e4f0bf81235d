"""Check (and with --repair, rewrite) the figures stored on enterprises for the dashboard
(register.stored_figures) against those derived from the contracts."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shuangliang.register import stored_figures


class Command(BaseCommand):
    help = "Compare the stored three-contract values of every enterprise with the derived ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Rewrite the stored values that differ."
        )

    def handle(self, *args, repair: bool = False, **options):
        with transaction.atomic():
            wrong = stored_figures.mismatches().count()
            if wrong and repair:
                stored_figures.refresh(
                    stored_figures.Enterprise.objects.filter(
                        pk__in=stored_figures.mismatches().values("pk")
                    )
                )
                self.stdout.write(f"Repaired the stored values of {wrong} enterprises.")
                return
        if wrong:
            raise CommandError(
                f"{wrong} enterprises have stored values that differ from the derived ones; "
                "run with --repair."
            )
        self.stdout.write("The stored values equal the derived ones.")
