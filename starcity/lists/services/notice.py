"""Public notice (公示), objections (异议) and the final list."""

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.lists import workflow
from starcity.lists.choices import ListStatus, ObjectionStatus
from starcity.lists.models import ListEntry, Objection, SelectionList
from starcity.lists.selectors import (
    applicant_operators,
    objections_open,
    pending_reviews_of,
    province_officers,
    public_snapshot,
    unhandled_objections,
)
from starcity.lists.services.common import audit_list, check_action, locked_list, state_message
from starcity.lists.workdays import notice_end, within
from starcity.notifications.services import notify

Action = workflow.Action
ObjectionAction = workflow.ObjectionAction

NAME_MAX = 128
TEXT_MAX = 5000
REASON_MAX = 2000
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,30}[0-9]$")


def shown_time(moment: Any) -> str:
    """A moment as the programme reads it: "2026-12-11 23:59:59（北京时间）"."""
    return _("%(time)s（北京时间）") % {
        "time": formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s")
    }


# ---------------------------------------------------------------- why a step must wait


def notice_blockers(selection_list: SelectionList) -> list[str]:
    """What keeps the list from going to notice: open on-site reviews of pilots (named)."""
    pending = list(pending_reviews_of(selection_list))
    if not pending:
        return []
    names = [review.entry.application.region.full_name for review in pending]
    return [_("以下拟入选试点的现场复核尚未完成：%(names)s。") % {"names": enumeration(names)}]


def final_blockers(selection_list: SelectionList) -> list[str]:
    """What keeps the list from being published as final: the notice period still running,
    objections not handled, open on-site reviews of pilots."""
    problems = []
    ends = selection_list.notice_ends_at
    if ends is not None and within(clock.now(), ends):
        problems.append(_("公示期至 %(end)s 结束，结束后才能发布最终名单。") % {"end": shown_time(ends)})
    waiting = list(unhandled_objections(selection_list).values_list("pk", flat=True))
    if waiting:
        problems.append(
            _("还有 %(count)d 条异议尚未处理：%(numbers)s。")
            % {"count": len(waiting), "numbers": enumeration(f"#{pk}" for pk in sorted(waiting))}
        )
    problems += notice_blockers(selection_list)
    return problems


# ---------------------------------------------------------------- notice


def _notify_notice(selection_list: SelectionList, *, title: str, body: str) -> None:
    entries = list(ListEntry.objects.filter(selection_list=selection_list).select_related("application"))
    notify(
        recipients=applicant_operators(entries),
        kind="lists.notice",
        title=title,
        body=body,
        url=reverse("portal:call", args=[selection_list.call_id]),
    )


def _as_published(rows: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` limited to the fields the published snapshot `before` holds, so a snapshot written
    before a field was added (the target grade) does not read as a change of the list."""
    if len(rows) != len(before):
        return rows
    return [
        {key: row[key] for key in was if key in row} if isinstance(was, dict) else row
        for row, was in zip(rows, before, strict=True)
    ]


def _changed_rows(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries whose published line changed, as audit lines {"region", "from", "to"} (the
    outcome, or the grade when only it changed)."""
    old = {row["entry"]: row for row in before}
    changes = []
    for row in after:
        was = old.get(row["entry"])
        if was == row:
            continue
        changes.append(
            {
                "region": row["region"],
                "from": was["outcome"] if was else "",
                "to": row["outcome"],
                "grade": [was["grade"] if was else None, row["grade"]],
            }
        )
    return changes


def renotice_if_changed(selection_list: SelectionList, *, by: Any, reason: str = "") -> bool:
    """During the notice, within the transaction that changed the list: when what the public
    sees (an entry's region, level, verified grade, target grade, outcome or re-check date)
    differs from what was published, the notice starts again from now: the new entries are
    published, the period is counted again (`notice_working_days` working days), the restart is
    audited with what changed, and the applicants' operators are told. Returns True when it
    restarted.

    The rule chosen: a list whose published content changes is announced again for a full
    period, so no one is held to a list the public could not object to for its whole period."""
    if selection_list.status != ListStatus.NOTICE:
        return False
    rows = public_snapshot(selection_list)
    before = selection_list.published_entries or []
    if _as_published(rows, before) == before:
        return False
    period = _period(selection_list)
    _publish(selection_list, rows)
    audit_list(
        by=by,
        action="list.notice_restart",
        selection_list=selection_list,
        from_state=ListStatus.NOTICE,
        to_state=ListStatus.NOTICE,
        reason=reason,
        before=period,
        after=_period(selection_list),
        extra={"moved": _changed_rows(before, rows), "round": selection_list.notice_round},
    )
    _notify_notice(
        selection_list,
        title=_("%(call)s入选名单调整后重新公示") % {"call": selection_list.call.title},
        body=_("入选名单在公示期内作了调整，已重新公示，公示期至 %(end)s。")
        % {"end": shown_time(selection_list.notice_ends_at)},
    )
    return True


def _period(selection_list: SelectionList) -> dict[str, str | None]:
    """The notice period as audit fields."""
    start, end = selection_list.notice_published_at, selection_list.notice_ends_at
    return {
        "notice_published_at": start.isoformat() if start is not None else None,
        "notice_ends_at": end.isoformat() if end is not None else None,
    }


def _publish(selection_list: SelectionList, rows: list[dict[str, Any]]) -> datetime:
    """Publish `rows` for notice from now: the snapshot, the start, the end of the period
    (returned)."""
    now = clock.now()
    ends = notice_end(now, max(1, selection_list.call.notice_working_days))
    selection_list.status = ListStatus.NOTICE
    selection_list.published_entries = rows
    selection_list.notice_published_at = now
    selection_list.notice_ends_at = ends
    selection_list.notice_round += 1
    selection_list.save(
        update_fields=["status", "published_entries", "notice_published_at", "notice_ends_at", "notice_round"]
    )
    return ends


@transaction.atomic
def selection_list_publish_notice(*, by: Any, selection_list: SelectionList) -> SelectionList:
    """Publish the list for public notice once every pilot's on-site review is completed. The
    notice ends at 23:59:59 (Asia/Shanghai) of the call's `notice_working_days`-th working day
    after the day of publication (weekends and holidays skipped, 调休 days counted). The entries
    as published are kept (`published_entries`): the portal and the list notice show them. The
    applicants' city and county operators are told, with the public page's address."""
    selection_list = locked_list(selection_list)
    check_action(Action.PUBLISH_NOTICE, selection_list, by)
    problems = notice_blockers(selection_list)
    if problems:
        raise InvalidTransition(problems[0], errors=problems)
    before = selection_list.status
    ends = _publish(selection_list, public_snapshot(selection_list))
    audit_list(
        by=by,
        action="list.notice_publish",
        selection_list=selection_list,
        from_state=before,
        to_state=selection_list.status,
        extra={"notice_ends_at": ends.isoformat()},
    )
    _notify_notice(
        selection_list,
        title=_("%(call)s入选名单公示") % {"call": selection_list.call.title},
        body=_("入选名单已公示，公示期至 %(end)s。") % {"end": shown_time(ends)},
    )
    return selection_list


def _objection_errors(*, name: str, phone: str, email: str, text: str) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not name:
        errors.append(("name", _("请填写姓名或单位名称。")))
    elif len(name) > NAME_MAX:
        errors.append(("name", _("姓名或单位最多 %(limit)d 个字。") % {"limit": NAME_MAX}))
    if not phone and not email:
        errors.append(("phone", _("请至少填写联系电话或电子邮箱中的一项，以便核实和反馈。")))
    if phone and not PHONE.match(phone):
        errors.append(
            (
                "phone",
                _("联系电话“%(phone)s”格式不正确（只能包含数字、空格、短横线，可以“+”开头）。")
                % {"phone": phone},
            )
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", _("电子邮箱“%(email)s”格式不正确。") % {"email": email}))
    if not text:
        errors.append(("text", _("请填写异议内容。")))
    elif len(text) > TEXT_MAX:
        errors.append(("text", _("异议内容最多 %(limit)d 个字。") % {"limit": TEXT_MAX}))
    return errors


@transaction.atomic
def objection_lodge(
    *,
    by: Any,
    selection_list: SelectionList,
    name: str,
    phone: str = "",
    email: str = "",
    text: str,
    entry: ListEntry | None = None,
) -> Objection:
    """Anyone (no login needed) lodges an objection during the notice period, with a name and
    at least one way to reach them; refused after the period (its end is named). The province
    officers are told."""
    selection_list = locked_list(selection_list)
    if not workflow.can(Action.LODGE_OBJECTION, selection_list.status, workflow.PUBLIC):
        raise InvalidTransition(_("名单不在公示期内，不能提出异议。"))
    now = clock.now()
    ends = selection_list.notice_ends_at
    if not objections_open(selection_list, now):
        raise InvalidTransition(
            _("公示期已于 %(end)s 结束，不再受理异议。") % {"end": shown_time(ends)}
            if ends
            else _("公示期已结束。")
        )
    name, phone, email = " ".join((name or "").split()), (phone or "").strip(), (email or "").strip()
    text = (text or "").strip()
    errors = _objection_errors(name=name, phone=phone, email=email, text=text)
    if errors:
        raise ValidationFailed(
            errors[0][1], field=errors[0][0], errors=[message for _field, message in errors]
        )
    if entry is not None and entry.selection_list_id != selection_list.pk:
        raise ValidationFailed(_("所选申报地区不在本名单中。"), field="entry")
    duplicate = Objection.objects.filter(
        selection_list=selection_list, text=text, phone=phone, email=email
    ).exists()
    if duplicate:
        raise ValidationFailed(_("相同内容的异议已经收到，无需重复提交。"), field="text")
    objection = Objection.objects.create(
        selection_list=selection_list,
        entry=entry,
        name=name,
        phone=phone,
        email=email,
        text=text,
        lodged_at=now,
    )
    about = entry.application.region.full_name if entry is not None else ""
    audit_list(
        by=by,
        action="objection.lodge",
        selection_list=selection_list,
        target=objection,
        to_state=ObjectionStatus.RECEIVED,
        extra={"entry": entry.pk if entry else None, "about": about},
    )
    notify(
        recipients=province_officers(),
        kind="lists.objection",
        title=_("%(call)s收到异议 #%(number)s") % {"call": selection_list.call.title, "number": objection.pk},
        body=_("涉及：%(about)s。请在发布最终名单前处理。") % {"about": about or _("未指定申报地区")},
        url=reverse("lists:objection", args=[objection.pk]),
    )
    return objection


def _handle(*, by: Any, objection: Objection, action: str, reason: str) -> Objection:
    selection_list = locked_list(objection.selection_list)
    objection = Objection.objects.select_for_update().get(pk=objection.pk, selection_list=selection_list)
    role = workflow.role_of(by)
    if not workflow.objection_role_may_ever(action, role):
        raise NotAllowed(_("只有省级工作人员可以处理异议。"))
    if not workflow.objection_can(action, objection.status, selection_list.status, role):
        if objection.status != ObjectionStatus.RECEIVED:
            raise InvalidTransition(
                _("异议 #%(number)s 已处理（%(status)s）。")
                % {"number": objection.pk, "status": ObjectionStatus(objection.status).label}
            )
        raise InvalidTransition(state_message(selection_list, Action.HANDLE_OBJECTION))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写处理意见。"), field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(_("处理意见最多 %(limit)d 个字。") % {"limit": REASON_MAX}, field="reason")
    to_state = workflow.OBJECTION_TRANSITIONS[action][1]
    objection.status = to_state
    objection.handled_by, objection.handled_at = by, clock.now()
    objection.handling_reason = reason
    objection.save(update_fields=["status", "handled_by", "handled_at", "handling_reason"])
    audit_list(
        by=by,
        action=f"objection.{action}",
        selection_list=selection_list,
        target=objection,
        from_state=ObjectionStatus.RECEIVED,
        to_state=to_state,
        reason=reason,
    )
    return objection


@transaction.atomic
def objection_uphold(*, by: Any, objection: Objection, reason: str) -> Objection:
    """The objection is upheld (异议成立), with the office's reason; the list usually changes
    by an override that names it."""
    return _handle(by=by, objection=objection, action=ObjectionAction.UPHOLD, reason=reason)


@transaction.atomic
def objection_reject(*, by: Any, objection: Objection, reason: str) -> Objection:
    """The objection is rejected (异议不成立), with the office's reason."""
    return _handle(by=by, objection=objection, action=ObjectionAction.REJECT, reason=reason)


# ---------------------------------------------------------------- final


@transaction.atomic
def selection_list_publish_final(*, by: Any, selection_list: SelectionList) -> SelectionList:
    """Publish the final list: only after the notice period has ended, with every objection
    handled and every pilot's on-site review completed. The entries are published as they are
    (the same as in the notice: any change during it restarted the notice). Pre-pilots keep
    their re-check date. The applicants' city and county operators are told; their decision
    letters are ready."""
    selection_list = locked_list(selection_list)
    check_action(Action.PUBLISH_FINAL, selection_list, by)
    problems = final_blockers(selection_list)
    if problems:
        raise InvalidTransition(problems[0], errors=problems)
    before = selection_list.status
    selection_list.status = ListStatus.FINAL
    selection_list.final_published_at = clock.now()
    selection_list.published_entries = public_snapshot(selection_list)
    selection_list.save(update_fields=["status", "final_published_at", "published_entries"])
    audit_list(
        by=by,
        action="list.final_publish",
        selection_list=selection_list,
        from_state=before,
        to_state=selection_list.status,
    )
    entries = list(ListEntry.objects.filter(selection_list=selection_list).select_related("application"))
    notify(
        recipients=applicant_operators(entries),
        kind="lists.final",
        title=_("%(call)s最终名单已发布") % {"call": selection_list.call.title},
        body=_("最终名单已发布，决定书可在“入选名单”页面下载。"),
        url=reverse("lists:index"),
    )
    return selection_list
