"""The expert review sections of the workbench (工作台)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.reviews import selectors


def _due(row: selectors.QueueRow) -> str:
    return _("评审截止 %(due)s") % {"due": row.due.strftime("%Y-%m-%d")} if row.due else ""


def _queue_item(row: selectors.QueueRow) -> WorkItem:
    application = row.application
    return WorkItem(
        title=application.region.full_name,
        url=reverse("reviews:panel_detail", args=[row.panel.pk]),
        detail=" · ".join(part for part in (row.panel.call.title, _due(row)) if part),
        badge=application.get_level_display(),
    )


def _expert_sections(user: Any) -> list[WorkSection]:
    if selectors.expert_of(user) is None:
        return []
    queue = selectors.expert_queue(user)
    invited = [row for row in queue if row.member.status == "invited"]
    open_cards = [row for row in queue if row.member.status == "accepted" and row.panel.status == "scoring"]
    return [
        WorkSection(
            title=_("待答复的评审邀请"),
            items=[_queue_item(row) for row in invited],
            empty_text=_("没有待答复的评审邀请。"),
            actions=[(_("评审队列"), reverse("reviews:home"))],
            order=10,
        ),
        WorkSection(
            title=_("待完成的评分"),
            items=[_queue_item(row) for row in open_cards],
            empty_text=_("没有待完成的评分。"),
            order=11,
        ),
    ]


def _office_sections() -> list[WorkSection]:
    calls = list(selectors.calls_with_undrawn()[:20])
    discussion = list(selectors.panels_in_discussion()[:20])
    return [
        WorkSection(
            title=_("待抽取评审专家的批次"),
            items=[
                WorkItem(title=call.title, url=reverse("reviews:call_panels", args=[call.pk]))
                for call in calls
            ],
            empty_text=_("没有待抽取评审专家的申报。"),
            actions=[(_("专家评审"), reverse("reviews:home"))],
            order=40,
        ),
        WorkSection(
            title=_("分歧讨论中的评审"),
            items=[
                WorkItem(
                    title=panel.application.region.full_name,
                    url=reverse("reviews:panel_detail", args=[panel.pk]),
                    detail=panel.call.title,
                )
                for panel in discussion
            ],
            empty_text=_("没有分歧讨论中的评审。"),
            order=41,
        ),
    ]


def review_sections(user: Any) -> list[WorkSection]:
    """Experts: invitations to answer and scorecards to finish. The office: calls with accepted
    applications lacking panels, and panels in discussion."""
    sections = _expert_sections(user)
    if is_province_staff(user):
        sections += _office_sections()
    return sections
