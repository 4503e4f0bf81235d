"""python manage.py import_register FILE.xlsx --federation CODE [--dry-run]

The web import as a command, for automation: the same checks, all or nothing. Each error is
printed as sheet/row/column/message; the exit status is non-zero when any row is bad.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shuangliang.register.importers import SpreadsheetError, register_import
from shuangliang.register.models import Federation


class Command(BaseCommand):
    help = "Import enterprises, unions and cadres from an xlsx workbook into a federation."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The xlsx workbook.")
        parser.add_argument(
            "--federation",
            required=True,
            help="Administrative division code of the federation the rows enter.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report the counts, but write nothing.",
        )

    def handle(self, *args, file: str, federation: str, dry_run: bool, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._import(Path(file), federation, dry_run)

    def _import(self, path: Path, code: str, dry_run: bool) -> None:
        target = Federation.objects.filter(division_code=code.strip()).first()
        if target is None:
            raise CommandError(_("No federation has the division code %(code)s.") % {"code": code})
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        try:
            result = register_import(
                file=path,
                federation=target,
                actor=None,
                dry_run=dry_run,
                log_data={"source": "import_register", "file": path.name},
            )
        except SpreadsheetError as exc:
            raise CommandError(str(exc))
        for warning in result.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{error.sheet}/{error.row}/{error.column}/{error.message}")
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)s error was found; nothing was written.",
                    "%(count)s errors were found; nothing was written.",
                    count,
                )
                % {"count": count}
            )
        counts = {
            "enterprises": result.counts["enterprises"],
            "unions": result.counts["unions"],
            "officers": result.counts["officers"],
        }
        if dry_run:
            message = _(
                "No errors. Dry run, nothing written; the import would write: enterprises "
                "%(enterprises)s, unions %(unions)s, officers %(officers)s."
            )
        else:
            message = _(
                "Written: enterprises %(enterprises)s, unions %(unions)s, officers %(officers)s."
            )
        self.stdout.write(message % counts)
        if result.counts.get("attached"):
            self.stdout.write(
                _("Registered enterprises given a union: %(count)s.")
                % {"count": result.counts["attached"]}
            )
