"""The one clock of the application: every rule that depends on time asks it (tests freeze it).

`override(moment)` makes the clock read a fixed moment for the length of a block, in the current
thread or task only: replaying dated steps (the demo's past selection year) goes through the real
services, which check their own deadlines and periods against that moment.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils import timezone

_fixed: ContextVar[datetime | None] = ContextVar("starcity_clock_fixed", default=None)


def now() -> datetime:
    """The current aware time (UTC inside, shown in Asia/Shanghai)."""
    fixed = _fixed.get()
    return fixed if fixed is not None else timezone.now()


def local_now() -> datetime:
    """The current time in the configured zone (Asia/Shanghai)."""
    return timezone.localtime(now())


@contextmanager
def override(moment: datetime) -> Iterator[datetime]:
    """Read `moment` (an aware datetime) as the current time inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("clock.override needs an aware datetime")
    token = _fixed.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _fixed.reset(token)
