"""What every application service checks first: the row lock, the workflow edge, the call."""

from typing import Any, NoReturn

from django.utils.translation import gettext as _

from starcity.calls import workflow
from starcity.calls.deadlines import format_deadline
from starcity.calls.models import Application
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed

Action = workflow.Action


class DeadlinePassed(InvalidTransition):
    """A submission (or a new application) came after the applicant's deadline."""


def locked(application: Application) -> Application:
    """The application re-read and locked for the rest of the transaction."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "region__parent", "city", "self_assessment__standard_version")
        .get(pk=application.pk)
    )


def check_action(action: str, application: Application, by: Any) -> frozenset[str]:
    """The user's roles for the application. NotAllowed when none of them may ever do `action`;
    InvalidTransition when the call's state or the application's does not allow it now (a
    closed call still lets the province screen what was submitted)."""
    roles = workflow.roles_of(by, application)
    if not workflow.role_may_ever(action, roles):
        raise NotAllowed(
            _("您无权对%(region)s的申报执行“%(action)s”。")
            % {"region": application.region.full_name, "action": Action(action).label}
        )
    if not workflow.call_allows(action, application.call.status):
        raise InvalidTransition(
            _("批次“%(call)s”已不在申报阶段（%(status)s），申报不能再变动。")
            % {"call": application.call.title, "status": application.call.get_status_display()}
        )
    if not workflow.can_any(action, application.status, roles):
        raise InvalidTransition(
            _("这份申报当前状态为“%(status)s”，不能%(action)s。")
            % {"status": application.get_status_display(), "action": Action(action).label}
        )
    return roles


def deadline_refusal(application: Application, told: Any) -> str:
    """The refusal of a late submission, naming the applicant and its deadline."""
    return _("%(region)s的申报截止时间为 %(deadline)s，已过截止时间，不能提交。") % {
        "region": application.region.full_name,
        "deadline": format_deadline(told),
    }


def refuse(problems: list[tuple[str, str]]) -> NoReturn:
    """ValidationFailed with every (field, message) problem; the first names the field."""
    error = ValidationFailed(
        problems[0][1], field=problems[0][0], errors=[message for _f, message in problems]
    )
    error.by_field = problems  # type: ignore[attr-defined]
    raise error


def required_reason(reason: str, action: str) -> str:
    """The reason, trimmed; refused when empty (returns and withdrawals must say why)."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(
            _("“%(action)s”必须填写理由。") % {"action": Action(action).label}, field="reason"
        )
    if len(text) > 2000:
        raise ValidationFailed(_("理由最多 2000 个字。"), field="reason")
    return text
