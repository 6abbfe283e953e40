"""Send the deadline reminders due now (idempotent: run it as often as you like, e.g. hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from starcity.calls.services import deadline_reminders_send


class Command(BaseCommand):
    help = "Send the application deadline reminders that are due (each one only once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deadline_reminders_send()
        for reminder in sent:
            self.stdout.write(
                f"{reminder.call.pk} {reminder.region.code} {reminder.days_before}d "
                f"→ {reminder.recipients} recipient(s)"
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent")
