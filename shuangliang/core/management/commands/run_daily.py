"""manage.py run_daily: the jobs a deployment runs once a day (cron or the systemd timer).

Each job is a management command named in settings.DAILY_COMMANDS, run in order; a job that
fails is logged and the others still run; the exit status is non-zero when any failed.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the daily jobs: escalations and notifications, snapshots, purges."

    def handle(self, *args, **options):
        available = get_commands()
        failed = []
        for line in settings.DAILY_COMMANDS:
            name, *arguments = line.split()
            if name not in available:
                logger.warning("Daily job %s is not installed; skipped", name)
                continue
            started = time.monotonic()
            try:
                call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
            except Exception:
                logger.exception("Daily job %s failed", name)
                failed.append(name)
                continue
            logger.info("Daily job %s done in %.1f s", name, time.monotonic() - started)
        if failed:
            raise CommandError(f"Daily jobs failed: {', '.join(failed)}")
        self.stdout.write("Daily jobs done.")
