"""The one clock of the application: every rule that depends on time asks it (tests freeze it)."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current aware time (UTC inside, shown in Asia/Shanghai)."""
    return timezone.now()


def local_now() -> datetime:
    """The current time in the configured zone (Asia/Shanghai)."""
    return timezone.localtime(now())
