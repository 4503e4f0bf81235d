"""manage.py restore BACKUP_DIR: into a fresh instance, checked against the manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuangliang.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (of the same "
        "kind) and the media directory, then compare every table's row count and checksum "
        "with the backup's manifest. Exits non-zero when anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup directory (shuangliang-backup-…).")

    def handle(self, *args, source, **options):
        try:
            differences = restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc))
        if differences:
            for table, values in differences.items():
                self.stderr.write(
                    f"{table}: backup {values['backup']}, restored {values['restored']}"
                )
            raise CommandError(f"{len(differences)} tables differ from the backup.")
        self.stdout.write("Restored; every table matches the backup's row counts and checksums.")
