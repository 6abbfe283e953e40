"""What every self-assessment service checks first: the row lock and the workflow edge."""

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.assessments import workflow
from starcity.assessments.choices import Status
from starcity.assessments.models import SelfAssessment
from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.regions.models import Region
from starcity.standards.models import StandardVersion

Action = workflow.Action


def locked(assessment: SelfAssessment) -> SelfAssessment:
    """The assessment re-read and locked for the rest of the transaction."""
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("region", "standard_version__line")
        .get(pk=assessment.pk)
    )


def check_action(action: str, assessment: SelfAssessment, by: Any) -> None:
    """NotAllowed when the user's role may never do `action`; InvalidTransition when the state
    does not allow it now."""
    role = workflow.role_of(by, assessment)
    if not workflow.role_may_ever(action, role):
        raise NotAllowed(
            _("您无权对%(region)s的自评估执行此操作。") % {"region": assessment.region.full_name}
        )
    if not workflow.can(action, assessment.status, role):
        raise InvalidTransition(_state_message(action, assessment))


def _state_message(action: str, assessment: SelfAssessment) -> str:
    if assessment.status == Status.SUBMITTED:
        return _("这份自评估已于 %(time)s 提交，内容已冻结，不能再修改；如需调整，请复制为新的自评估。") % {
            "time": formats.date_format(timezone.localtime(assessment.submitted_at), "Y-m-d H:i")
            if assessment.submitted_at
            else ""
        }
    if action == Action.COPY:
        return _("只有已提交的自评估可以复制；草稿请直接修改。")
    return _("这份自评估当前的状态不允许此操作。")


class DraftExists(InvalidTransition):
    """A second draft of a region and standard version was refused; `draft` is the open one, so
    the page can link to it."""

    def __init__(self, message: Any, *, draft: SelfAssessment):
        super().__init__(message)
        self.draft = draft


def open_draft(region: Region, version: StandardVersion) -> SelfAssessment | None:
    """The open draft of the region against the version, if there is one."""
    return SelfAssessment.objects.filter(region=region, standard_version=version, status=Status.DRAFT).first()


def second_draft(region: Region, version: StandardVersion, existing: SelfAssessment) -> DraftExists:
    """The refusal of a second draft: it names the open one (and carries it for the link)."""
    return DraftExists(
        _("%(region)s已有一份使用 %(standard)s 的自评估草稿（“%(title)s”），请继续填写那一份。")
        % {"region": region.full_name, "standard": version.label, "title": existing.title},
        draft=existing,
    )


def refuse_second_draft(region: Region, version: StandardVersion) -> None:
    """One open draft per region and standard version (the database enforces it too)."""
    existing = open_draft(region, version)
    if existing is not None:
        raise second_draft(region, version, existing)
