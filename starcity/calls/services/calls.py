"""Writes of calls: create and edit a draft, publish, move the calendar, extend a deadline, close.

Only province staff manage calls. A draft may change freely (its values stay consistent); a
published call keeps its rules and pinned versions, only its calendar moves (audited with the
dates before and after), and the province grants per-applicant extensions with a reason.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.calls import selectors
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.deadlines import format_deadline, may_submit, submission_closes_at
from starcity.calls.models import Application, Call, CallLevel, Extension
from starcity.calls.rules import (
    CALENDAR_FIELDS,
    CALL_FIELDS,
    LevelInput,
    call_problems,
    time_problems,
)
from starcity.calls.services import notices
from starcity.calls.services.guards import refuse
from starcity.calls.workflow import CallAction, call_can
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.regions.choices import Level
from starcity.regions.models import Region


def _require_staff(by: Any) -> None:
    if not is_province_staff(by):
        raise NotAllowed(_("只有省级工作人员可以管理申报批次。"))


def call_check(call: Call, action: str) -> None:
    """InvalidTransition unless a call in its state allows `action` (views ask before a form)."""
    if not call_can(action, call.status):
        raise InvalidTransition(
            _("批次“%(call)s”当前状态为“%(status)s”，不能%(action)s。")
            % {"call": call.title, "status": call.get_status_display(), "action": CallAction(action).label}
        )


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def plain(value: Any) -> Any:
    """A value as the audit log keeps it: times in Beijing time to the second, dates as ISO."""
    if isinstance(value, datetime):
        return format_deadline(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _levels_of(call: Call) -> list[LevelInput]:
    return [
        LevelInput(item.level, item.standard_version, item.pilot_quota, item.pre_pilot_quota)
        for item in call.levels.select_related("standard_version__line")
    ]


def _level_record(levels: Sequence[LevelInput]) -> dict[str, Any]:
    return {
        item.level: {
            "standard": item.standard_version.label if item.standard_version else "",
            "quotas": [item.pilot_quota, item.pre_pilot_quota],
        }
        for item in levels
    }


def _write_levels(call: Call, levels: Sequence[LevelInput]) -> None:
    call.levels.all().delete()
    CallLevel.objects.bulk_create(
        [
            CallLevel(
                call=call,
                level=item.level,
                standard_version=item.standard_version,
                pilot_quota=item.pilot_quota,
                pre_pilot_quota=item.pre_pilot_quota,
            )
            for item in levels
        ]
    )


def _values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"not fields of a call: {sorted(unknown)}")
    return dict(values)


@transaction.atomic
def call_create(*, by: Any, values: Mapping[str, Any], levels: Sequence[LevelInput]) -> Call:
    """Create a draft call with its rules, calendar and levels (province staff only)."""
    _require_staff(by)
    values = _values(values)
    problems = call_problems(values, levels, publishing=False, now=clock.now())
    if problems:
        refuse(problems)
    call = Call.objects.create(created_by=by, created_at=clock.now(), status=CallStatus.DRAFT, **values)
    _write_levels(call, levels)
    audit_record(
        actor=by,
        action="call.create",
        target=call,
        scope=_province_scope(),
        to_state=CallStatus.DRAFT,
        after={"title": call.title, "year": call.year, "levels": _level_record(levels)},
    )
    return call


@transaction.atomic
def call_update(*, by: Any, call: Call, values: Mapping[str, Any], levels: Sequence[LevelInput]) -> Call:
    """Change a draft call's values and levels; the audit row keeps what changed."""
    _require_staff(by)
    call = _locked(call)
    call_check(call, CallAction.EDIT)
    values = _values(values)
    problems = call_problems(values, levels, publishing=False, now=clock.now())
    if problems:
        refuse(problems)
    before = {name: plain(getattr(call, name)) for name in values}
    old_levels = _level_record(_levels_of(call))
    for name, value in values.items():
        setattr(call, name, value)
    call.save()
    _write_levels(call, levels)
    after = {name: plain(getattr(call, name)) for name in values}
    changed = [name for name in values if before[name] != after[name]]
    new_levels = _level_record(levels)
    if old_levels != new_levels:
        before["levels"], after["levels"] = old_levels, new_levels
        changed.append("levels")
    if changed:
        audit_record(
            actor=by,
            action="call.update",
            target=call,
            scope=_province_scope(),
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return call


def _province_scope() -> str:
    province = Region.objects.filter(level=Level.PROVINCE).values_list("path", flat=True).first()
    return province or ""


@transaction.atomic
def call_publish(*, by: Any, call: Call) -> Call:
    """Publish a draft call: at least one level, each with a standard version in force of that
    level, consistent times and calendar, and a deadline still ahead. Every problem is listed.
    The operators concerned are told."""
    _require_staff(by)
    call = _locked(call)
    call_check(call, CallAction.PUBLISH)
    levels = _levels_of(call)
    values = {name: getattr(call, name) for name in CALL_FIELDS}
    problems = call_problems(values, levels, publishing=True, now=clock.now())
    if problems:
        raise ValidationFailed(_("批次尚不能发布："), errors=[message for _f, message in problems])
    call.status = CallStatus.PUBLISHED
    call.published_at = clock.now()
    call.save(update_fields=["status", "published_at"])
    audit_record(
        actor=by,
        action="call.publish",
        target=call,
        scope=_province_scope(),
        from_state=CallStatus.DRAFT,
        to_state=CallStatus.PUBLISHED,
    )
    notices.send(
        recipients=selectors.operators_of_levels([item.level for item in levels]),
        kind="calls.published",
        url=notices.call_url(call),
        text=lambda: (
            _("新的申报批次：%(call)s") % {"call": call.title},
            _("申报截止时间为 %(deadline)s。") % {"deadline": format_deadline(call.deadline)},
        ),
    )
    return call


@transaction.atomic
def call_update_calendar(*, by: Any, call: Call, values: Mapping[str, Any]) -> Call:
    """Move the dates of a published call (planned dates slip): the deadline, the resubmission
    period and the calendar of review, on-site review, notice and publication. A deadline that
    is still ahead cannot be moved into the past. The audit row keeps the dates before and after;
    when the deadline moves, the operators are told."""
    _require_staff(by)
    call = _locked(call)
    call_check(call, CallAction.CALENDAR)
    unknown = set(values) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"not calendar fields: {sorted(unknown)}")
    merged = {name: getattr(call, name) for name in ("opens_at", *CALENDAR_FIELDS)} | dict(values)
    problems = time_problems(merged)
    now = clock.now()
    new_deadline = merged["deadline"]
    if new_deadline != call.deadline and new_deadline < now < call.deadline:
        problems.append(("deadline", _("不能把尚未到达的申报截止时间提前到已经过去的时刻。")))
    if problems:
        refuse(problems)
    before = {name: plain(getattr(call, name)) for name in values}
    old_deadline = call.deadline
    for name, value in values.items():
        setattr(call, name, value)
    changed = [name for name in values if plain(getattr(call, name)) != before[name]]
    if not changed:
        return call
    call.save(update_fields=changed)
    audit_record(
        actor=by,
        action="call.calendar",
        target=call,
        scope=_province_scope(),
        before={name: before[name] for name in changed},
        after={name: plain(getattr(call, name)) for name in changed},
    )
    if call.deadline != old_deadline:
        _notify_deadline_moved(call, old_deadline)
    return call


def _notify_deadline_moved(call: Call, old: datetime) -> None:
    notices.send(
        recipients=selectors.operators_of_levels([item.level for item in call.levels.all()]),
        kind="calls.deadline_moved",
        url=notices.call_url(call),
        text=lambda: (
            _("%(call)s的申报截止时间已调整") % {"call": call.title},
            _("申报截止时间由 %(old)s 调整为 %(new)s。")
            % {"old": format_deadline(old), "new": format_deadline(call.deadline)},
        ),
    )


def _last_submission(call: Call) -> datetime:
    """The last instant any applicant may still submit (deadline and grace, extensions, the
    resubmission period)."""
    latest = submission_closes_at(deadline=call.deadline, grace_minutes=call.grace_minutes)
    for until in Extension.objects.filter(call=call).values_list("until", flat=True):
        latest = max(latest, until)
    return max(latest, call.resubmission_until) if call.resubmission_until else latest


def _awaiting_screening(call: Call) -> list[Application]:
    """The call's applications submitted to the province and not yet screened."""
    return list(
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("region__parent")
        .order_by("level", "region__code")
    )


@transaction.atomic
def call_close(*, by: Any, call: Call) -> Call:
    """End a published call once no applicant may submit any more (deadline, extensions and
    resubmission period all past) and the province screened every submitted application (each
    one still waiting is named). Its applications can no longer change; the call's row lock
    keeps a unified submission from slipping in meanwhile."""
    _require_staff(by)
    call = _locked(call)
    call_check(call, CallAction.CLOSE)
    last = _last_submission(call)
    if may_submit(now=clock.now(), closes_at=last):
        raise InvalidTransition(
            _("申报提交要到 %(time)s 才截止（含宽限、延期和退回后重新提交期限），此前不能结束批次。")
            % {"time": format_deadline(last)}
        )
    waiting = _awaiting_screening(call)
    if waiting:
        raise InvalidTransition(
            _("还有 %(count)d 份申报待形式审查，审查（通过或退回）后才能结束批次：")
            % {"count": len(waiting)},
            errors=[
                _("%(region)s（第 %(revision)d 版）")
                % {"region": application.region.full_name, "revision": application.revision}
                for application in waiting
            ],
        )
    call.status = CallStatus.CLOSED
    call.closed_at = clock.now()
    call.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=by,
        action="call.close",
        target=call,
        scope=_province_scope(),
        from_state=CallStatus.PUBLISHED,
        to_state=CallStatus.CLOSED,
    )
    return call


# ---------------------------------------------------------------- extensions


def _extension_problems(call: Call, region: Region, until: datetime, reason: str) -> list[tuple[str, str]]:
    levels = {item.level for item in call.levels.all()}
    problems = []
    if region.level not in levels:
        problems.append(("region", _("本批次不接受%(level)s申报。") % {"level": region.get_level_display()}))
    if until <= call.deadline:
        problems.append(
            (
                "until",
                _("延期须晚于申报截止时间 %(deadline)s。") % {"deadline": format_deadline(call.deadline)},
            )
        )
    if not reason.strip():
        problems.append(("reason", _("批准延期必须填写理由。")))
    return problems


@transaction.atomic
def extension_grant(*, by: Any, call: Call, region: Region, until: datetime, reason: str) -> Extension:
    """Grant (or change) one applicant's later deadline on a published call, with a mandatory
    reason; one extension per applicant and call. The audit row keeps the old and new dates; the
    applicant's operators and its city's are told."""
    _require_staff(by)
    call = _locked(call)
    call_check(call, CallAction.EXTEND)
    problems = _extension_problems(call, region, until, reason)
    if problems:
        refuse(problems)
    extension = Extension.objects.select_for_update().filter(call=call, region=region).first()
    before = {"until": plain(extension.until), "reason": extension.reason} if extension else {}
    if extension is None:
        extension = Extension(call=call, region=region)
    extension.until, extension.reason = until, reason.strip()
    extension.granted_by, extension.granted_at = by, clock.now()
    extension.save()
    audit_record(
        actor=by,
        action="call.extension",
        target=call,
        scope=region.path,
        reason=extension.reason,
        before=before,
        after={"region": region.full_name, "until": plain(until), "reason": extension.reason},
    )
    _notify_extension(call, region, extension)
    return extension


def _notify_extension(call: Call, region: Region, extension: Extension) -> None:
    people = selectors.operators_of(region)
    city = region.city
    if city is not None and city.pk != region.pk:
        people += selectors.operators_of(city)
    notices.send(
        recipients=people,
        kind="calls.extension",
        url=notices.call_url(call),
        text=lambda: (
            _("%(region)s获准延期提交申报") % {"region": region.full_name},
            _("《%(call)s》：%(region)s的申报截止时间延至 %(until)s。理由：%(reason)s")
            % {
                "call": call.title,
                "region": region.full_name,
                "until": format_deadline(extension.until),
                "reason": extension.reason,
            },
        ),
    )
