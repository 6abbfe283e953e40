"""Who may see and act on a self-assessment: the one place views ask."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.assessments import workflow
from starcity.assessments.models import Evidence, SelfAssessment
from starcity.assessments.selectors import assessments_visible_to


def get_assessment_for_user(user: Any, pk: int, action: str = workflow.Action.VIEW) -> SelfAssessment:
    """The assessment `pk` if the user may see it (else 404), checked for `action`: 403 when the
    user's role may never do it. Whether the state allows it now is the service's question (409)."""
    assessment = assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404(_("没有找到这份自评估，或您无权查看。"))
    if not workflow.role_may_ever(action, workflow.role_of(user, assessment)):
        raise PermissionDenied(_("您可以查看这份自评估，但无权执行此操作。"))
    return assessment


def get_evidence_for_user(
    user: Any, pk: int, evidence_pk: int, action: str = workflow.Action.VIEW
) -> Evidence:
    """An evidence file of an assessment the user may see (removed files are gone: 404)."""
    assessment = get_assessment_for_user(user, pk, action)
    evidence = assessment.evidence.filter(pk=evidence_pk, removed_at__isnull=True).first()
    if evidence is None:
        raise Http404(_("没有找到这份佐证材料。"))
    evidence.assessment = assessment
    return evidence
