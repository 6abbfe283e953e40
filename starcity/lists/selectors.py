"""Reads of selection lists: what a user may see, the ranking of a level, the public list, the
applicants' own results, the people to notify and the list's timeline.

Office pages (province staff; observers read them) start from `lists_visible_to`; the public
portal from `published_lists` (in notice or final: nothing before the notice is published);
applicants reach only their own entries of final lists (`entries_for_applicant`).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from starcity.accounts.choices import PROVINCE_ROLES, Role
from starcity.accounts.models import User
from starcity.accounts.selectors import actable_path_filter
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.deadlines import submission_closes_at
from starcity.calls.models import Application, Call, CallLevel, Extension
from starcity.calls.selectors import effective_deadline, submission_window_closes
from starcity.core import clock
from starcity.core.models import AuditEntry
from starcity.lists import workflow
from starcity.lists.choices import ListStatus, ObjectionStatus, OnsiteStatus, Outcome
from starcity.lists.models import ListEntry, Objection, OnsiteReview, SelectionList
from starcity.lists.workdays import within
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.reviews.choices import PanelStatus

PUBLISHED_STATES = (ListStatus.NOTICE, ListStatus.FINAL)
LEVEL_ORDER = (Level.CITY, Level.COUNTY)


_SCOPE: dict[str, str] = {}


def province_scope() -> str:
    """The audit scope of province-wide objects: the province's region path (read once)."""
    if "path" not in _SCOPE:
        path = (
            Region.objects.filter(level=Level.PROVINCE)
            .order_by("path")
            .values_list("path", flat=True)
            .first()
        )
        if not path:
            return ""
        _SCOPE["path"] = path
    return _SCOPE["path"]


def lists_visible_to(user: Any) -> QuerySet[SelectionList]:
    """Lists whose office pages the user may see: province staff and observers see all."""
    if workflow.role_of(user) == workflow.PUBLIC:
        return SelectionList.objects.none()
    return SelectionList.objects.select_related("call", "formed_by")


def calls_with_lists(user: Any) -> QuerySet[Call]:
    """Published and closed calls with their list, if any (office pages), newest first, with
    the number of accepted applications and of concluded panels."""
    if workflow.role_of(user) == workflow.PUBLIC:
        return Call.objects.none()
    accepted = Q(applications__status=ApplicationStatus.ACCEPTED)
    return (
        Call.objects.exclude(status=CallStatus.DRAFT)
        .select_related("selection_list")
        .annotate(
            accepted_count=Count("applications", filter=accepted, distinct=True),
            concluded_count=Count(
                "applications",
                filter=accepted & Q(applications__panel__status=PanelStatus.CONCLUDED),
                distinct=True,
            ),
        )
        .order_by("-year", "-id")
    )


def call_levels_of(call: Call) -> dict[str, CallLevel]:
    """The call's levels by level code, with their pinned versions (cached on the call)."""
    cached = getattr(call, "_levels_by_code", None)
    if cached is None:
        cached = {
            item.level: item
            for item in CallLevel.objects.filter(call=call).select_related("standard_version")
        }
        call._levels_by_code = cached  # type: ignore[attr-defined]
    return cached


def levels_of(call: Call) -> list[str]:
    """The call's level codes in display order (city before county)."""
    levels = call_levels_of(call)
    return [level for level in LEVEL_ORDER if level in levels]


def submissions_close_at(call: Call) -> datetime:
    """The last instant at which an application of the call may still reach the province: the
    deadline plus its grace period, every extension granted, and, for applications the province
    returned, the call's resubmission window."""
    closes = submission_closes_at(deadline=call.deadline, grace_minutes=call.grace_minutes)
    extensions = {item.region_id: item for item in Extension.objects.filter(call=call)}
    for extension in extensions.values():
        closes = max(closes, effective_deadline(call, extension.region, extension=extension))
    returned = Application.objects.filter(
        call=call, status=ApplicationStatus.PROVINCE_RETURNED
    ).select_related("call", "region")
    for application in returned:
        granted = extensions.get(application.region_id)
        closes = max(closes, submission_window_closes(application, extension=granted))
    return closes


def submissions_open(call: Call, now: datetime | None = None) -> bool:
    """True while an application may still reach the province (to the second): the call is not
    closed and `submissions_close_at` has not passed."""
    if call.status == CallStatus.CLOSED:
        return False
    return within(now or clock.now(), submissions_close_at(call))


def applications_awaiting_screening(call: Call) -> QuerySet[Application]:
    """Applications of the call submitted to the province and not yet screened (accepted or
    returned), with their region."""
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("region__parent")
        .order_by("level", "region__code")
    )


def applications_missing_from(selection_list: SelectionList) -> list[Application]:
    """Rankable applications of the list's call that have no entry yet (accepted and concluded
    since the list was formed): the list must be formed again to take them."""
    listed = ListEntry.objects.filter(selection_list=selection_list).values("application_id")
    levels = list(call_levels_of(selection_list.call))
    return list(
        rankable_applications(selection_list.call)
        .filter(level__in=levels)
        .exclude(pk__in=listed)
        .order_by("level", "region__code")
    )


def applications_without_conclusion(call: Call) -> QuerySet[Application]:
    """Accepted applications of the call whose panel has not concluded (or was never drawn)."""
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.ACCEPTED)
        .exclude(panel__status=PanelStatus.CONCLUDED)
        .select_related("region__parent")
        .order_by("level", "region__code")
    )


def rankable_applications(call: Call) -> QuerySet[Application]:
    """Accepted applications of the call with a concluded panel, with their region and panel."""
    return (
        Application.objects.filter(
            call=call, status=ApplicationStatus.ACCEPTED, panel__status=PanelStatus.CONCLUDED
        )
        .select_related("region__parent", "panel")
        .defer("panel__aggregate", "panel__result", "panel__draw_record")
    )


def ranking_rows(selection_list: SelectionList, level: str) -> QuerySet[ListEntry]:
    """One level's entries in rank order, with what the ranking page shows (constant queries)."""
    return (
        ListEntry.objects.filter(selection_list=selection_list, level=level)
        .select_related(
            "application__region__parent",
            "application__city",
            "application__panel",
            "onsite",
            "overridden_by",
            "override_objection",
        )
        .order_by("rank", "pk")
    )


@dataclass(frozen=True)
class LevelSummary:
    level: str
    label: str
    pilot_quota: int
    pre_pilot_quota: int
    counts: dict[str, int]
    total: int


def level_summaries(selection_list: SelectionList) -> list[LevelSummary]:
    """Per level: the quotas and how many entries have each outcome (one query)."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in (
        ListEntry.objects.filter(selection_list=selection_list)
        .values("level", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["level"], row["outcome"])] = row["n"]
    levels = call_levels_of(selection_list.call)
    summaries = []
    for level in levels_of(selection_list.call):
        by_outcome = {outcome: counts[(level, outcome)] for outcome in Outcome.values}
        summaries.append(
            LevelSummary(
                level=level,
                label=str(Level(level).label),
                pilot_quota=levels[level].pilot_quota,
                pre_pilot_quota=levels[level].pre_pilot_quota,
                counts=by_outcome,
                total=sum(by_outcome.values()),
            )
        )
    return summaries


def reviews_of(selection_list: SelectionList) -> QuerySet[OnsiteReview]:
    """The list's on-site reviews, open ones first, with their entry's region."""
    return (
        OnsiteReview.objects.filter(entry__selection_list=selection_list)
        .select_related("entry__application__region__parent", "completed_by")
        .order_by("-status", "entry__level", "entry__rank")
    )


def pending_reviews_of(selection_list: SelectionList) -> QuerySet[OnsiteReview]:
    """Open on-site reviews of entries that are pilots now (they must be completed before the
    notice, and before the final list)."""
    return reviews_of(selection_list).filter(status=OnsiteStatus.OPEN, entry__outcome=Outcome.PILOT)


def objections_of(selection_list: SelectionList) -> QuerySet[Objection]:
    """The list's objections, newest first, with the entry they concern."""
    return Objection.objects.filter(selection_list=selection_list).select_related(
        "entry__application__region__parent", "handled_by"
    )


def unhandled_objections(selection_list: SelectionList) -> QuerySet[Objection]:
    return objections_of(selection_list).filter(status=ObjectionStatus.RECEIVED)


def objections_open(selection_list: SelectionList, now: datetime | None = None) -> bool:
    """True while the public may lodge an objection: the list is in notice and its period has
    not ended (23:59:59.999 of the last day is still the last second)."""
    ends = selection_list.notice_ends_at
    return (
        workflow.can(workflow.Action.LODGE_OBJECTION, selection_list.status, workflow.PUBLIC)
        and ends is not None
        and within(now or clock.now(), ends)
    )


def published_lists() -> QuerySet[SelectionList]:
    """Lists the public may see: in notice or final, newest call first."""
    return (
        SelectionList.objects.filter(status__in=PUBLISHED_STATES)
        .select_related("call")
        .order_by("-call__year", "-call_id")
    )


def public_entries(selection_list: SelectionList) -> QuerySet[ListEntry]:
    """The entries as the public would see them now (region, level, outcome, verified grade),
    per level, pilots first, then in rank order."""
    outcome_order = {Outcome.PILOT: 0, Outcome.PRE_PILOT: 1, Outcome.NOT_SELECTED: 2}
    return (
        ListEntry.objects.filter(selection_list=selection_list)
        .select_related("application__region__parent", "application__city")
        .annotate(
            outcome_order=Case(
                *[When(outcome=key, then=Value(value)) for key, value in outcome_order.items()],
                output_field=IntegerField(),
            )
        )
        .order_by("level", "outcome_order", "rank")
    )


@dataclass(frozen=True)
class PublicRow:
    """One line of the published list: what the public reads of an entry."""

    entry: int
    region: str
    city: str
    level: str
    grade: int
    outcome: str
    recheck_by: date | None
    target_grade: int | None = None  # the grade applied for (a pilot creates it: 创建四星级试点)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else self.level

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome in Outcome.values else self.outcome

    @property
    def outcome_badge(self) -> str:
        badges: dict[str, str] = {Outcome.PILOT: "badge-ok", Outcome.PRE_PILOT: "badge-warn"}
        return badges.get(self.outcome, "")


def public_snapshot(selection_list: SelectionList) -> list[dict[str, Any]]:
    """The entries as the public would see them now, as the JSON stored at publication
    (`SelectionList.published_entries`), in the order they are shown."""
    return [
        {
            "entry": entry.pk,
            "region": entry.application.region.full_name,
            "city": entry.application.city.name,
            "level": entry.level,
            "grade": entry.verified_grade,
            "outcome": entry.outcome,
            "recheck_by": entry.recheck_by.isoformat() if entry.recheck_by else None,
            "target_grade": entry.application.target_grade,
        }
        for entry in public_entries(selection_list)
    ]


def _row(data: dict[str, Any]) -> PublicRow:
    recheck = data.get("recheck_by")
    return PublicRow(
        entry=int(data["entry"]),
        region=str(data["region"]),
        city=str(data.get("city") or ""),
        level=str(data["level"]),
        grade=int(data.get("grade") or 0),
        outcome=str(data["outcome"]),
        recheck_by=date.fromisoformat(recheck) if recheck else None,
        target_grade=int(data["target_grade"]) if data.get("target_grade") else None,
    )


def published_rows(selection_list: SelectionList) -> list[PublicRow]:
    """The rows of the list as published (in notice or final: the snapshot taken at the last
    publication, so the public reads exactly what was announced); before the notice, the
    current entries (the office's draft)."""
    if selection_list.status in PUBLISHED_STATES and selection_list.published_entries is not None:
        return [_row(data) for data in selection_list.published_entries]
    return [_row(data) for data in public_snapshot(selection_list)]


def entries_for_applicant(user: Any) -> QuerySet[ListEntry]:
    """The user's own entries (regions they act for) on final lists, newest call first."""
    if not getattr(user, "is_authenticated", False):
        return ListEntry.objects.none()
    return (
        ListEntry.objects.filter(
            actable_path_filter(user, field="application__region__path"),
            selection_list__status=ListStatus.FINAL,
        )
        .select_related("selection_list__call", "application__region__parent")
        .order_by("-selection_list__call__year", "application__region__path")
    )


def operators_of(regions: list[Region]) -> QuerySet[User]:
    """Active users with an active city or county operator membership in one of `regions`."""
    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role__in=[Role.CITY_OPERATOR, Role.COUNTY_OPERATOR],
        memberships__organisation__region__in=regions,
    ).distinct()


def applicant_operators(entries: list[ListEntry]) -> QuerySet[User]:
    """The city and county operators of the entries' applicants (the county and its city)."""
    regions = {entry.application.region_id for entry in entries} | {
        entry.application.city_id for entry in entries
    }
    return operators_of(list(Region.objects.filter(pk__in=regions)))


def province_officers() -> QuerySet[User]:
    """The active province staff, officers and administrators (they run the selection)."""
    return User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role__in=list(PROVINCE_ROLES)
    ).distinct()


def list_timeline(selection_list: SelectionList) -> QuerySet[AuditEntry]:
    """Every audit row about the list and its entries, reviews and objections, newest first."""
    return (
        AuditEntry.objects.filter(extra__selection_list=selection_list.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def open_reviews() -> QuerySet[OnsiteReview]:
    """Open on-site reviews of lists on site or in notice (the office's workbench)."""
    return OnsiteReview.objects.filter(
        status=OnsiteStatus.OPEN,
        entry__outcome=Outcome.PILOT,
        entry__selection_list__status__in=[ListStatus.ONSITE, ListStatus.NOTICE],
    ).select_related("entry__application__region__parent", "entry__selection_list__call")


def received_objections() -> QuerySet[Objection]:
    """Objections waiting to be handled, on lists in notice (the office's workbench)."""
    return Objection.objects.filter(
        status=ObjectionStatus.RECEIVED, selection_list__status=ListStatus.NOTICE
    ).select_related("selection_list__call", "entry__application__region__parent")


def lists_in_notice() -> QuerySet[SelectionList]:
    return (
        SelectionList.objects.filter(status=ListStatus.NOTICE)
        .select_related("call")
        .order_by("notice_ends_at")
    )
