"""The application chain: county → city → province, one service per transition.

A county sends its complete application to its city; the city approves it or returns it with a
reason (the city's own application is approved by the city directly); the city government
submits every approved application of the call at once (统一提交, attributed "submitted by 淄博市
on behalf of 桓台县"), each checked against its own deadline; the province accepts or returns
(with a reason) in formal screening. Every submission freezes a new revision.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.calls import selectors, workflow
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.completeness import missing_items
from starcity.calls.deadlines import format_deadline, may_submit
from starcity.calls.models import Application, ApplicationRevision, Call
from starcity.calls.services import notices
from starcity.calls.services.guards import (
    DeadlinePassed,
    check_action,
    deadline_refusal,
    locked,
    required_reason,
)
from starcity.calls.snapshots import application_snapshot
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.regions.models import Region

Action = workflow.Action
S = ApplicationStatus


def _require_complete(application: Application, action: str) -> None:
    missing = missing_items(application)
    if missing:
        raise ValidationFailed(
            _("申报内容不完整，不能%(action)s：") % {"action": Action(action).label}, errors=missing
        )


def _move(
    application: Application, action: str, by: Any, *, reason: str = "", stamps: tuple[str, ...] = ()
) -> Application:
    """Move the locked application along `action`'s edge, stamp the milestone fields and audit."""
    source = application.status
    target = workflow.target_of(action, source)
    assert target is not None  # check_action passed
    now = clock.now()
    application.status = target
    for name in stamps:
        setattr(application, name, now)
    application.updated_at = now
    application.save(update_fields=["status", *stamps, "updated_at", "return_reason"])
    audit_record(
        actor=by,
        action=f"application.{action}",
        target=application,
        scope=application.region.path,
        from_state=source,
        to_state=target,
        reason=reason,
    )
    return application


@transaction.atomic
def application_send_to_city(*, by: Any, application: Application) -> Application:
    """The county sends its complete application to its city for review."""
    application = locked(application)
    check_action(Action.SEND_TO_CITY, application, by)
    _require_complete(application, Action.SEND_TO_CITY)
    application.return_reason = ""
    _move(application, Action.SEND_TO_CITY, by, stamps=("sent_to_city_at",))
    notices.send(
        recipients=selectors.operators_of(application.city),
        kind="calls.sent_to_city",
        url=notices.application_url(application),
        text=lambda: (
            _("%(region)s的申报待市级审核") % {"region": application.region.full_name},
            _("%(region)s已将《%(call)s》的申报报送市级审核，请审核通过或退回修改。")
            % {"region": application.region.full_name, "call": application.call.title},
        ),
    )
    return application


@transaction.atomic
def application_city_approve(*, by: Any, application: Application) -> Application:
    """The city approves a county's application sent to it, or its own complete application;
    either then waits for the city's unified submission."""
    application = locked(application)
    check_action(Action.CITY_APPROVE, application, by)
    _require_complete(application, Action.CITY_APPROVE)
    application.return_reason = ""
    _move(application, Action.CITY_APPROVE, by, stamps=("city_reviewed_at",))
    if application.region_id != application.city_id:
        notices.send(
            recipients=selectors.operators_of(application.region),
            kind="calls.city_approved",
            url=notices.application_url(application),
            text=lambda: (
                _("%(city)s已审核通过%(region)s的申报")
                % {"city": application.city.name, "region": application.region.name},
                _("申报将由%(city)s统一提交省级。") % {"city": application.city.name},
            ),
        )
    return application


@transaction.atomic
def application_city_return(*, by: Any, application: Application, reason: str) -> Application:
    """The city returns an application for changes, with a mandatory reason."""
    reason = required_reason(reason, Action.CITY_RETURN)
    application = locked(application)
    check_action(Action.CITY_RETURN, application, by)
    application.return_reason = reason
    _move(application, Action.CITY_RETURN, by, reason=reason, stamps=("city_reviewed_at",))
    if application.region_id != application.city_id:
        notices.send(
            recipients=selectors.operators_of(application.region),
            kind="calls.city_returned",
            url=notices.application_url(application),
            text=lambda: (
                _("%(city)s退回了%(region)s的申报")
                % {"city": application.city.name, "region": application.region.name},
                _("退回理由：%(reason)s") % {"reason": reason},
            ),
        )
    return application


@transaction.atomic
def application_accept(*, by: Any, application: Application) -> Application:
    """The province accepts a submitted application in formal screening (it goes to review)."""
    application = locked(application)
    check_action(Action.ACCEPT, application, by)
    _move(application, Action.ACCEPT, by, stamps=("screened_at",))
    notices.send(
        recipients=notices.applicant_and_city(application),
        kind="calls.accepted",
        url=notices.application_url(application),
        text=lambda: (
            _("%(region)s的申报已通过形式审查") % {"region": application.region.full_name},
            _("《%(call)s》：申报（第 %(revision)d 版）已通过形式审查，进入专家评审。")
            % {"call": application.call.title, "revision": application.revision},
        ),
    )
    return application


@transaction.atomic
def application_province_return(*, by: Any, application: Application, reason: str) -> Application:
    """The province returns a submitted application with a mandatory reason; the applicant edits
    it and the chain runs again (resubmission makes a new revision)."""
    reason = required_reason(reason, Action.PROVINCE_RETURN)
    application = locked(application)
    check_action(Action.PROVINCE_RETURN, application, by)
    application.return_reason = reason
    _move(application, Action.PROVINCE_RETURN, by, reason=reason, stamps=("screened_at",))
    call = application.call
    until = selectors.submission_window_closes(application)
    resubmittable = call.status == CallStatus.PUBLISHED and may_submit(now=clock.now(), closes_at=until)
    notices.send(
        recipients=notices.applicant_and_city(application),
        kind="calls.province_returned",
        url=notices.application_url(application),
        text=lambda: (
            _("%(region)s的申报被形式审查退回") % {"region": application.region.full_name},
            _("《%(call)s》：退回理由：%(reason)s。修改后请于 %(deadline)s 前重新提交。")
            % {"call": call.title, "reason": reason, "deadline": format_deadline(until)}
            if resubmittable
            else _("《%(call)s》：退回理由：%(reason)s。重新提交期限 %(deadline)s 已过，不能再次提交。")
            % {"call": call.title, "reason": reason, "deadline": format_deadline(until)},
        ),
    )
    return application


@transaction.atomic
def application_withdraw(*, by: Any, application: Application, reason: str) -> Application:
    """Withdraw an application before acceptance, with a reason: the county until its city
    approved it, then only the city (its own application: the city throughout). The region may
    then start a new one while the call is open. The applicant, its city and (once submitted)
    the province are told, except the one who withdrew."""
    reason = required_reason(reason, Action.WITHDRAW)
    application = locked(application)
    check_action(Action.WITHDRAW, application, by)
    was_submitted = application.status == S.SUBMITTED
    by_city = application.region_id != application.city_id and application.status not in (
        workflow.BEFORE_CITY_APPROVAL
    )
    _move(application, Action.WITHDRAW, by, reason=reason, stamps=("withdrawn_at",))
    recipients = notices.applicant_and_city(application)
    if was_submitted:
        recipients += selectors.province_officers()
    notices.send(
        recipients=[person for person in recipients if person.pk != by.pk],
        kind="calls.withdrawn",
        url=notices.application_url(application),
        text=lambda: (
            _("%(city)s撤回了%(region)s的申报")
            % {"city": application.city.name, "region": application.region.name}
            if by_city
            else _("%(region)s撤回了申报") % {"region": application.region.full_name},
            _("撤回理由：%(reason)s") % {"reason": reason},
        ),
    )
    return application


# ---------------------------------------------------------------- unified submission


@dataclass
class BundleResult:
    """What one unified submission did: the applications submitted and those refused (why)."""

    submitted: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def _check_bundle(by: Any, call: Call, city: Region) -> None:
    if city not in selectors.cities_operated_by(by):
        raise NotAllowed(_("只有%(city)s的市级操作员可以统一提交本市的申报。") % {"city": city.name})
    if call.status != CallStatus.PUBLISHED:
        raise InvalidTransition(_("批次“%(call)s”不在申报阶段，不能提交。") % {"call": call.title})
    if not selectors.call_opened(call):
        raise InvalidTransition(
            _("本批次 %(opens)s 开始接受提交。") % {"opens": format_deadline(call.opens_at)}
        )


def _submit_one(application: Application, by: Any, now: Any) -> None:
    """Submit one approved application: a new revision is frozen, attributed to the city."""
    number = application.revision + 1
    source = application.status
    application.status = S.SUBMITTED
    application.revision = number
    application.submitted_at, application.submitted_by = now, by
    application.return_reason = ""
    application.updated_at = now
    application.save(
        update_fields=["status", "revision", "submitted_at", "submitted_by", "return_reason", "updated_at"]
    )
    ApplicationRevision.objects.create(
        application=application,
        number=number,
        snapshot=application_snapshot(application, number=number, submitted_at=now),
        created_by=by,
        created_at=now,
    )
    audit_record(
        actor=by,
        action="application.submit",
        target=application,
        scope=application.region.path,
        from_state=source,
        to_state=S.SUBMITTED,
        extra={
            "revision": number,
            "submitted_by_region": application.city.name,
            "on_behalf_of": application.region.name if application.region_id != application.city_id else "",
        },
    )


def _refusal(
    application: Application, by: Any, now: Any, extensions: dict[int, Any]
) -> tuple[bool, str] | None:
    """Why this approved application may not be submitted now, and whether it is its deadline."""
    if not workflow.can_any(Action.SUBMIT, application.status, workflow.roles_of(by, application)):
        return False, _("您无权提交%(region)s的申报。") % {"region": application.region.full_name}
    extension = extensions.get(application.region_id)
    closes = selectors.submission_window_closes(application, extension=extension)
    if not may_submit(now=now, closes_at=closes):
        return True, deadline_refusal(application, selectors.told_deadline(application, extension=extension))
    missing = missing_items(application)
    if missing:
        return False, _("%(region)s的申报内容不完整：%(missing)s") % {
            "region": application.region.full_name,
            "missing": " ".join(missing),
        }
    return None


@transaction.atomic
def bundle_submit(*, by: Any, call: Call, city: Region) -> BundleResult:
    """The city submits every approved application of `city` in `call` to the province in one
    go (its own and its counties'). Each is checked against its own deadline (extension or
    resubmission period included): one past its deadline is refused, naming its deadline, and
    stays approved; the others are submitted. Nothing is written when none can be submitted.
    The rows are locked, so two operators submitting at once submit each application once."""
    call = Call.objects.select_for_update().get(pk=call.pk)  # closing the call waits for us
    _check_bundle(by, call, city)
    approved = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, city=city, status=S.CITY_APPROVED)
        .select_related("call", "region__parent", "city", "self_assessment")
        .order_by("level", "region__code", "pk")
    )
    if not approved:
        raise InvalidTransition(
            _("%(city)s没有待统一提交的申报（须先经市级审核通过）。") % {"city": city.name}
        )
    now, extensions = clock.now(), selectors.extensions_by_region(call)
    result, late = BundleResult(), []
    for application in approved:
        refusal = _refusal(application, by, now, extensions)
        if refusal:
            late.append(refusal[0])
            result.refused.append((application, refusal[1]))
        else:
            _submit_one(application, by, now)
            result.submitted.append(application)
    if not result.submitted:
        error = DeadlinePassed if all(late) else InvalidTransition
        raise error(_("没有提交任何申报："), errors=[problem for _app, problem in result.refused])
    _notify_province(call, city, result.submitted)
    return result


def _notify_province(call: Call, city: Region, submitted: list[Application]) -> None:
    names = [application.region.name for application in submitted]
    notices.send(
        recipients=selectors.province_officers(),
        kind="calls.bundle_submitted",
        url=notices.bundle_url(call, city),
        text=lambda: (
            _("%(city)s统一提交了 %(count)d 份申报") % {"city": city.name, "count": len(submitted)},
            _("《%(call)s》：%(names)s，请进行形式审查。")
            % {"call": call.title, "names": enumeration(names)},
        ),
    )
