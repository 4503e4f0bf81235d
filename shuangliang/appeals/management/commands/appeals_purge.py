"""`manage.py appeals_purge`: delete the personal data of appeals past their category's
retention period (QUALITY.md C5); the bare rows stay for the figures."""

from django.core.management.base import BaseCommand

from shuangliang.appeals.services import appeals_purge


class Command(BaseCommand):
    help = "Purge identity, text and attachments of appeals closed longer than their retention."

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {appeals_purge()} appeals.")
