"""The self-assessment sections of the workbench (工作台)."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.assessments import selectors


def _item(assessment: Any, moment: Any) -> WorkItem:
    return WorkItem(
        title=assessment.title,
        url=reverse("assessments:detail", args=[assessment.pk]),
        detail=_("%(region)s · %(standard)s · %(time)s")
        % {
            "region": assessment.region.full_name,
            "standard": assessment.standard_version.label,
            "time": formats.date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else "",
        },
        badge=_("%(grade)s · %(score)s 分") % {"grade": assessment.grade_label, "score": assessment.score},
    )


def assessment_sections(user: Any) -> list[WorkSection]:
    """Operators: drafts to finish and a link to start one. Province staff: recent submissions."""
    sections = []
    if selectors.regions_startable_by(user).exists():
        drafts = selectors.drafts_for_operator(user)
        sections.append(
            WorkSection(
                title=_("待完成的自评估"),
                items=[_item(a, a.updated_at) for a in drafts],
                empty_text=_("没有未提交的自评估草稿。"),
                actions=[(_("开展自评估"), reverse("assessments:create"))],
                order=20,
            )
        )
    if is_province_staff(user):
        recent = selectors.recently_submitted(user)
        sections.append(
            WorkSection(
                title=_("最近提交的自评估"),
                items=[_item(a, a.submitted_at) for a in recent],
                empty_text=_("还没有提交的自评估。"),
                actions=[(_("查看全部"), reverse("assessments:list") + "?status=submitted")],
                order=30,
            )
        )
    return sections
