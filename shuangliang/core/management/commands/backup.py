"""manage.py backup DIR: the database and the media files, with a verifiable manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuangliang.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Directory in which the backup directory is made.")

    def handle(self, *args, output, **options):
        try:
            result = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Backed up {result.rows} rows in {result.tables} tables and the media files "
            f"to {result.path}"
        )
