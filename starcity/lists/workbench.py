"""The selection list sections of the workbench (工作台)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.core import clock
from starcity.lists import selectors, workflow
from starcity.lists.services.notice import shown_time
from starcity.lists.workdays import within

LIMIT = 10


def _form_badge(call: Any, done: int, total: int) -> str:
    """Where a call stands on the way to its list: submissions open, screening, panels, ready."""
    if selectors.submissions_open(call):
        return _("申报尚未截止")
    if selectors.applications_awaiting_screening(call).exists():
        return _("待形式审查")
    return _("可形成初步名单") if done == total else _("评审进行中")


def _calls_to_form(user: Any) -> list[WorkItem]:
    """Calls with accepted applications and no list yet: ready once submissions have closed,
    every submitted application is screened and every panel concluded."""
    items = []
    waiting = selectors.calls_with_lists(user).filter(selection_list__isnull=True)
    for call in [call for call in waiting if getattr(call, "accepted_count", 0)][:LIMIT]:
        done, total = getattr(call, "concluded_count", 0), getattr(call, "accepted_count", 0)
        items.append(
            WorkItem(
                title=call.title,
                url=reverse("lists:index"),
                detail=_("已完成专家评审 %(done)d / %(total)d 份") % {"done": done, "total": total},
                badge=_form_badge(call, done, total),
            )
        )
    return items


def _reviews(user: Any) -> list[WorkItem]:
    return [
        WorkItem(
            title=str(review),
            url=reverse("lists:review", args=[review.pk]),
            detail=review.entry.selection_list.call.title,
            badge=_("待复核"),
        )
        for review in selectors.open_reviews()[:LIMIT]
    ]


def _objections(user: Any) -> list[WorkItem]:
    return [
        WorkItem(
            title=str(objection),
            url=reverse("lists:objection", args=[objection.pk]),
            detail=_("%(call)s · %(about)s")
            % {
                "call": objection.selection_list.call.title,
                "about": objection.entry.application.region.full_name
                if objection.entry
                else _("未指定申报地区"),
            },
            badge=_("待处理"),
        )
        for objection in selectors.received_objections()[:LIMIT]
    ]


def _notices(user: Any) -> list[WorkItem]:
    now = clock.now()
    items = []
    for selection_list in selectors.lists_in_notice()[:LIMIT]:
        ends = selection_list.notice_ends_at
        running = ends is not None and within(now, ends)
        items.append(
            WorkItem(
                title=selection_list.call.title,
                url=reverse("lists:detail", args=[selection_list.pk]),
                detail=_("公示期至 %(end)s") % {"end": shown_time(ends)} if ends else "",
                badge=_("公示中") if running else _("公示期已结束，可发布最终名单"),
            )
        )
    return items


def _own_results(user: Any) -> list[WorkItem]:
    return [
        WorkItem(
            title=entry.application.region.full_name,
            url=reverse("lists:index"),
            detail=entry.selection_list.call.title,
            badge=entry.get_outcome_display(),
        )
        for entry in selectors.entries_for_applicant(user)[:LIMIT]
    ]


def list_sections(user: Any) -> list[WorkSection]:
    """Province staff: lists to form, on-site reviews to complete, objections to handle, notices
    running or ended. Operators: their results on final lists."""
    sections = []
    if workflow.role_of(user) == workflow.OFFICE:
        sections.append(
            WorkSection(
                title=_("入选名单"),
                items=_calls_to_form(user) + _notices(user),
                empty_text=_("没有待形成或公示中的名单。"),
                actions=[(_("全部名单"), reverse("lists:index"))],
                order=60,
            )
        )
        sections.append(
            WorkSection(
                title=_("待完成的现场复核"),
                items=_reviews(user),
                empty_text=_("没有待完成的现场复核。"),
                order=61,
            )
        )
        sections.append(
            WorkSection(
                title=_("待处理的异议"),
                items=_objections(user),
                empty_text=_("没有待处理的异议。"),
                order=62,
            )
        )
    else:
        own = _own_results(user)
        if own:
            sections.append(
                WorkSection(
                    title=_("入选结果"),
                    items=own,
                    actions=[(_("下载决定书"), reverse("lists:index"))],
                    order=60,
                )
            )
    return sections
