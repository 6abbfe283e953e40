"""The deadline rule of a call, as pure functions (no database): when may an applicant submit?

An applicant may submit to the province while `now <= deadline + grace`, or, when the province
granted it an extension, while `now <= extension.until` (an extension never shortens the time:
the later of the two counts). Time is compared to the second: fractions of a second are dropped,
so a 23:59:59 deadline accepts 23:59:59.999 and refuses 00:00:00. Every deadline check of the
calls app goes through `may_submit`. After the province
returns an application, it may be submitted again until the call's `resubmission_until` when the
call sets one (or the applicant's own deadline if that is later); without it, only within the
applicant's deadline as above.

Deadlines are stored as aware datetimes and shown in Asia/Shanghai, to the second.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

BEIJING = ZoneInfo("Asia/Shanghai")


def submission_closes_at(
    *, deadline: datetime, grace_minutes: int, extension_until: datetime | None = None
) -> datetime:
    """The last instant at which a first submission is accepted: the deadline plus the grace
    period, or the applicant's extension when it is later."""
    closes = deadline + timedelta(minutes=grace_minutes)
    if extension_until is not None and extension_until > closes:
        return extension_until
    return closes


def resubmission_closes_at(*, closes_at: datetime, resubmission_until: datetime | None) -> datetime:
    """The last instant at which an application returned by the province may be submitted again:
    the call's `resubmission_until` when set (never earlier than the applicant's own deadline),
    else the applicant's deadline."""
    if resubmission_until is not None and resubmission_until > closes_at:
        return resubmission_until
    return closes_at


def may_submit(*, now: datetime, closes_at: datetime) -> bool:
    """True while `now`, to the second (its fraction dropped), is at or before `closes_at`."""
    return now.replace(microsecond=0) <= closes_at


def stated_deadline(*, deadline: datetime, extension_until: datetime | None) -> datetime:
    """The deadline an applicant is told: its extension when it has a later one, else the call's
    deadline (the grace period is a tolerance of the server, not a published date)."""
    if extension_until is not None and extension_until > deadline:
        return extension_until
    return deadline


def format_deadline(moment: datetime) -> str:
    """A deadline as read by applicants: "2026-10-20 23:59:59（北京时间）" (Asia/Shanghai)."""
    local = moment.astimezone(BEIJING)
    return _("%(time)s（北京时间）") % {"time": local.strftime("%Y-%m-%d %H:%M:%S")}
