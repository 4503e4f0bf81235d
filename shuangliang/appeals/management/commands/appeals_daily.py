"""`manage.py appeals_daily`: escalate overdue appeals (督辦) and send queued notifications.

Run once a day (and as often as you like: escalating twice is impossible, delivery retries)."""

from django.core.management.base import BaseCommand

from shuangliang.appeals.services import appeals_escalate_overdue, notifications_deliver


class Command(BaseCommand):
    help = "Escalate overdue appeals and deliver pending appeal notifications."

    def handle(self, *args, **options):
        escalated = appeals_escalate_overdue()
        sent = notifications_deliver()
        self.stdout.write(f"Escalated {escalated} overdue appeals; sent {sent} notifications.")
