"""Deadline reminders (截止提醒), sent by an idempotent sweep (`send_deadline_reminders`).

Who is concerned, for each published call before its deadline:

* every city of the province: the city government applies for itself and submits its counties'
  applications, so it is reminded unless all its active applications (at least one) already
  reached the province;
* every county with an active application that has not reached the province yet (a county
  without an application is not chased: applying is voluntary, and its city is reminded).

Each is reminded N days before its own effective deadline (extension included) for each N of the
call's reminder days, by notifying its operators. A sweep that runs late sends only the most
urgent reminder due (not 7, 3 and 1 days at once) and records the ones it skipped; a reminder
once recorded (ReminderSent) is never sent again, so running the sweep twice sends nothing new.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from starcity.calls import selectors
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.deadlines import format_deadline, stated_deadline
from starcity.calls.models import Application, Call, ReminderSent
from starcity.calls.services import notices
from starcity.core import clock
from starcity.regions.choices import Level
from starcity.regions.models import Region

S = ApplicationStatus
WITH_PROVINCE = {S.SUBMITTED, S.ACCEPTED}


@dataclass(frozen=True)
class Reminder:
    """One reminder sent: to whom (the region's operators), for which call and how many days."""

    call: Call
    region: Region
    days_before: int
    recipients: int


def due_reminder_days(*, now: datetime, closes_at: datetime, days: list[int]) -> list[int]:
    """The reminder days already due at `now` for a deadline (pure): those N with
    `closes_at - N days <= now < closes_at`, most urgent first."""
    if now >= closes_at:
        return []
    return sorted(n for n in days if closes_at - timedelta(days=n) <= now)


def concerned_regions(call: Call) -> list[Region]:
    """The cities and counties to remind for this call (see the module docstring)."""
    statuses: dict[int, set[str]] = {}
    counties: dict[int, Region] = {}
    for app in Application.objects.filter(selectors.ACTIVE, call=call).select_related("region"):
        statuses.setdefault(app.city_id, set()).add(app.status)
        if app.level == Level.COUNTY and app.status not in WITH_PROVINCE:
            counties[app.region_id] = app.region
    cities = [
        city
        for city in Region.objects.filter(level=Level.CITY, is_active=True).order_by("code")
        if not (statuses.get(city.pk) and statuses[city.pk] <= WITH_PROVINCE)
    ]
    return cities + sorted(counties.values(), key=lambda region: region.code)


def _record(call: Call, region: Region, days: list[int], now: datetime) -> bool:
    """Record the due reminders; True when the most urgent one was not recorded before."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(call=call, region=region, days_before=days[0], sent_at=now)
    except IntegrityError:
        return False
    for n in days[1:]:
        ReminderSent.objects.get_or_create(call=call, region=region, days_before=n, defaults={"sent_at": now})
    return True


def _remind(call: Call, region: Region, days: int, told: datetime) -> int:
    people = selectors.operators_of(region)
    notices.send(
        recipients=people,
        kind="calls.deadline_reminder",
        url=notices.call_url(call),
        text=lambda: (
            _("申报截止提醒：%(call)s") % {"call": call.title},
            _("%(region)s的申报截止时间为 %(deadline)s（截止前 %(days)d 天提醒），请按时完成申报和提交。")
            % {"region": region.full_name, "deadline": format_deadline(told), "days": days},
        ),
    )
    return len(people)


def _sweep_call(call: Call, now: datetime) -> list[Reminder]:
    sent = []
    extensions = selectors.extensions_by_region(call)
    days = [int(n) for n in call.reminder_days or []]
    for region in concerned_regions(call):
        extension = extensions.get(region.pk)
        closes = selectors.effective_deadline(call, region, extension=extension)
        due = due_reminder_days(now=now, closes_at=closes, days=days)
        if not due:
            continue
        with transaction.atomic():
            if not _record(call, region, due, now):
                continue
            told = stated_deadline(
                deadline=call.deadline, extension_until=extension.until if extension else None
            )
            count = _remind(call, region, due[0], told)
        sent.append(Reminder(call, region, due[0], count))
    return sent


def deadline_reminders_send(*, now: Any = None) -> list[Reminder]:
    """Send every reminder due now for every published call (idempotent); returns those sent."""
    now = now or clock.now()
    sent: list[Reminder] = []
    for call in Call.objects.filter(status=CallStatus.PUBLISHED).prefetch_related("levels"):
        sent += _sweep_call(call, now)
    return sent
