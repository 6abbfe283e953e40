"""The application sections of the workbench (工作台): what waits for each user in the chain.

* an applicant (county, or city for itself): its applications to prepare or returned, with their
  deadline, the open calls it has not applied to yet, and those on their way (with the city, with
  the province, accepted);
* a city: its counties' applications waiting for review, and per call the bundle ready to submit
  with the deadline;
* the province: applications submitted and waiting for formal screening (also once the call
  closed: what was submitted in time is still screened).
"""

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.calls import selectors
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.deadlines import format_deadline
from starcity.calls.models import Application

S = ApplicationStatus
LIMIT = 20
# applications on their way through the chain: the applicant follows them from the workbench
IN_PROGRESS = (S.WITH_CITY, S.CITY_APPROVED, S.SUBMITTED, S.ACCEPTED)


def _app_item(application: Application, detail: str = "") -> WorkItem:
    return WorkItem(
        title=f"{application.region.full_name} · {application.call.title}",
        url=reverse("calls:application_detail", args=[application.pk]),
        detail=detail,
        badge=application.get_status_display(),
    )


def _deadline(application: Application) -> str:
    return _("截止 %(deadline)s") % {"deadline": format_deadline(selectors.told_deadline(application))}


def _applicant_section(user: Any) -> list[WorkSection]:
    items: list[WorkItem] = []
    progress: list[WorkItem] = []
    actions: list[tuple[str, str]] = []
    for call in selectors.open_calls():
        for row_region in selectors.applicant_regions_for(user, call):
            application = selectors.application_of(call, row_region)
            if application is None:
                actions.append(
                    (
                        _("%(region)s：参加“%(call)s”") % {"region": row_region.name, "call": call.title},
                        reverse("calls:detail", args=[call.pk]),
                    )
                )
            elif application.status in (S.DRAFT, S.CITY_RETURNED, S.PROVINCE_RETURNED):
                items.append(_app_item(application, _deadline(application)))
            elif application.status in IN_PROGRESS:
                progress.append(_app_item(application))
    sections = []
    if items or actions:
        sections.append(
            WorkSection(
                title=_("待准备的申报"),
                items=items[:LIMIT],
                empty_text=_("没有待准备或被退回的申报。"),
                actions=actions[:LIMIT],
                order=15,
            )
        )
    if progress:
        sections.append(WorkSection(title=_("办理中的申报"), items=progress[:LIMIT], order=16))
    return sections


def _city_sections(user: Any) -> list[WorkSection]:
    cities = selectors.cities_operated_by(user)
    if not cities:
        return []
    waiting = (
        Application.objects.filter(city__in=cities, status=S.WITH_CITY, call__status=CallStatus.PUBLISHED)
        .select_related("call", "region__parent")
        .order_by("sent_to_city_at")
    )
    review = WorkSection(
        title=_("待市级审核的县级申报"),
        items=[_app_item(a, _deadline(a)) for a in waiting[:LIMIT]],
        empty_text=_("没有待审核的县级申报。"),
        order=12,
    )
    bundles = (
        Application.objects.filter(city__in=cities, status=S.CITY_APPROVED, call__status=CallStatus.PUBLISHED)
        .values("call_id", "call__title", "call__deadline", "city__code", "city__name")
        .annotate(count=Count("pk"))
        .order_by("call_id")
    )
    ready = WorkSection(
        title=_("待统一提交省级"),
        items=[
            WorkItem(
                title=_("%(city)s · %(call)s") % {"city": b["city__name"], "call": b["call__title"]},
                url=reverse("calls:bundle", args=[b["call_id"]]) + f"?city={b['city__code']}",
                detail=_("截止 %(deadline)s") % {"deadline": format_deadline(b["call__deadline"])},
                badge=_("%(count)d 份已审核") % {"count": b["count"]},
            )
            for b in bundles
        ],
        empty_text=_("没有已审核待提交的申报。"),
        order=13,
    )
    return [review, ready]


def _province_section(user: Any) -> list[WorkSection]:
    if not is_province_staff(user):
        return []
    waiting = (
        selectors.applications_visible_to(user)
        .filter(status=S.SUBMITTED, call__status__in=(CallStatus.PUBLISHED, CallStatus.CLOSED))
        .order_by("submitted_at")
    )
    return [
        WorkSection(
            title=_("待形式审查的申报"),
            items=[_app_item(a, _("第 %(revision)d 版") % {"revision": a.revision}) for a in waiting[:LIMIT]],
            empty_text=_("没有待形式审查的申报。"),
            actions=[(_("查看全部"), reverse("calls:application_list") + f"?status={S.SUBMITTED}")],
            order=14,
        )
    ]


def application_sections(user: Any) -> list[WorkSection]:
    """The sections of the application chain that concern this user."""
    return _applicant_section(user) + _city_sections(user) + _province_section(user)
