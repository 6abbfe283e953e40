"""Working days for the notice period (公示期): pure date arithmetic, and its reading of the
Holiday table.

A day is a working day when it is Monday to Friday, unless a Holiday row makes it a day off; a
Holiday row with `is_workday` makes a weekend day a working day (调休). The notice period runs
from its publication to the end (23:59:59, Asia/Shanghai) of the N-th working day after the day
of publication; the day of publication itself does not count.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

LAST_SECOND = time(23, 59, 59)


def is_working_day(day: date, exceptions: Mapping[date, bool]) -> bool:
    """True when `day` is worked: the Holiday table decides where it has a row, else Mon–Fri."""
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def nth_working_day_after(start: date, n: int, exceptions: Mapping[date, bool]) -> date:
    """The n-th working day after `start` (n >= 1; `start` itself never counts)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, exceptions):
            counted += 1
    return day


def end_of_day(day: date) -> datetime:
    """23:59:59 of `day` in the programme's time zone (an aware datetime)."""
    return datetime.combine(day, LAST_SECOND, tzinfo=ZoneInfo(settings.TIME_ZONE))


def holiday_exceptions(start: date, n: int) -> dict[date, bool]:
    """The Holiday rows that can matter for n working days after `start` (one query): date →
    is_workday. The window is generous: even a long holiday cannot push n days past it."""
    from starcity.lists.models import Holiday

    until = start + timedelta(days=3 * n + 45)
    rows = Holiday.objects.filter(date__gt=start, date__lte=until).values_list("date", "is_workday")
    return dict(rows)


def notice_end(published: datetime, n: int) -> datetime:
    """When a notice published at `published` ends: 23:59:59 (Asia/Shanghai) of the n-th
    working day after the day of publication."""
    local_day = published.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return end_of_day(nth_working_day_after(local_day, n, holiday_exceptions(local_day, n)))


def within(moment: datetime, ends_at: datetime) -> bool:
    """True while `moment` is at or before the last second `ends_at` names (23:59:59.999 is still
    the last second; 00:00:00 of the next day is not)."""
    return moment.replace(microsecond=0) <= ends_at
