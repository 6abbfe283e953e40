"""When each step of the demo happens.

The demo builds its selection years through the real services, and every service takes the time
from `starcity.core.clock.now()`, so the demo replays each step at its own moment with
`clock.override` for the length of the step (`replayed_at`). Nothing else changes: every service
still checks its own deadlines, notice periods and dates against that moment, so a step the
programme would refuse at that time is refused here too. Model defaults (`default=clock.now`)
follow the same moment, so rows, audit entries and notifications carry the dates of the story
they tell.

This is for the demo command only: one process, no requests served meanwhile, and the real clock
is back as soon as the block ends.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from starcity.core import clock


def local(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """An aware moment on `day` at the given Beijing time."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=ZoneInfo(settings.TIME_ZONE))


def days_from(today: date, days: int, hour: int = 9, minute: int = 0) -> datetime:
    """`days` days after (negative: before) `today`, at the given Beijing time."""
    return local(today + timedelta(days=days), hour, minute)


@contextmanager
def replayed_at(moment: datetime) -> Iterator[datetime]:
    """Run the block as if it were `moment` (an aware datetime in the past)."""
    if timezone.is_naive(moment):
        raise ValueError("replayed_at needs an aware datetime")
    with clock.override(moment):
        yield moment
