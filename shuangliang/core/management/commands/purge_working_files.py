"""manage.py purge_working_files: old import jobs and print batches, files included."""

from django.core.management.base import BaseCommand

from shuangliang.core.retention import purge_import_jobs, purge_print_jobs


class Command(BaseCommand):
    help = "Delete import jobs and print batches older than their retention period (C5)."

    def handle(self, *args, **options):
        imports = purge_import_jobs()
        batches = purge_print_jobs()
        self.stdout.write(f"Purged {imports} import jobs and {batches} print batches.")
