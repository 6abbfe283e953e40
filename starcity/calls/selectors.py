"""Reads of calls and applications: what a user may see, deadlines, lists, bundles, recipients.

Visibility of applications: province staff see every application (the province screens what was
submitted to it: its pages show the latest revision, never the live draft); a city operator sees
its city's own application and its counties'; a county operator its county's; an observer those
of its own region (a province observer: the province's) that reached the province. Lists,
exports, timelines and the workbench all start from `applications_visible_to`, so an export
never shows more than the screen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from starcity.accounts.choices import PROVINCE_ROLES, Role
from starcity.accounts.models import User
from starcity.accounts.selectors import actable_path_filter, is_province_staff, memberships_of
from starcity.assessments.choices import Status as AssessmentStatus
from starcity.assessments.models import SelfAssessment
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.deadlines import may_submit, resubmission_closes_at, stated_deadline, submission_closes_at
from starcity.calls.models import Application, ApplicationRevision, Call, CallLevel, Extension
from starcity.calls.workflow import observer_paths
from starcity.core import clock
from starcity.core.audit import audit_timeline_for
from starcity.core.models import AuditEntry
from starcity.regions.choices import Level
from starcity.regions.models import Region

S = ApplicationStatus
ACTIVE = ~Q(status=S.WITHDRAWN)
# not yet with the province: what an applicant or its city still has to do
UNSUBMITTED = (S.DRAFT, S.WITH_CITY, S.CITY_RETURNED, S.CITY_APPROVED, S.PROVINCE_RETURNED)
REACHED_PROVINCE = (S.SUBMITTED, S.ACCEPTED, S.PROVINCE_RETURNED)


# ---------------------------------------------------------------- calls


def calls_visible_to(user: Any) -> QuerySet[Call]:
    """Published and closed calls for everyone logged in; drafts for province staff too."""
    if not getattr(user, "is_authenticated", False):
        return Call.objects.none()
    qs = Call.objects.prefetch_related("levels__standard_version__line")
    if is_province_staff(user):
        return qs
    return qs.exclude(status=CallStatus.DRAFT)


def open_calls() -> QuerySet[Call]:
    """Published calls, newest first (the deadline rule itself is checked per applicant)."""
    return Call.objects.filter(status=CallStatus.PUBLISHED).prefetch_related("levels")


def call_level(call: Call, level: str) -> CallLevel | None:
    """The call's rules for one level (pinned version, quotas), or None when it is not open to it."""
    return next((item for item in call.levels.all() if item.level == level), None)


def grade_offer_for(call: Call, target: int | None) -> list[int] | None:
    """The call's offer [already met, target] for a target grade, or None."""
    return next((list(offer) for offer in call.grade_offers or [] if offer[1] == target), None)


# ---------------------------------------------------------------- deadlines


def extension_for(call: Call, region: Region) -> Extension | None:
    """The extension the province granted `region` on `call`, if any."""
    return Extension.objects.filter(call=call, region=region).first()


def extensions_by_region(call: Call) -> dict[int, Extension]:
    """The call's extensions keyed by region id (one query, for pages listing many applicants)."""
    return {
        e.region_id: e for e in Extension.objects.filter(call=call).select_related("region", "granted_by")
    }


def _until(extension: Extension | None) -> datetime | None:
    return extension.until if extension is not None else None


def effective_deadline(call: Call, region: Region, *, extension: Any = ...) -> datetime:
    """The last instant (aware) at which `region` may submit a first application to `call`: the
    deadline plus grace, or its extension when later. Pass `extension` (or None) when known."""
    if extension is ...:
        extension = extension_for(call, region)
    return submission_closes_at(
        deadline=call.deadline, grace_minutes=call.grace_minutes, extension_until=_until(extension)
    )


def submission_window_closes(application: Application, *, extension: Any = ...) -> datetime:
    """The last instant at which this application may be submitted to the province now: its
    region's deadline, or for a resubmission after a province return the call's
    `resubmission_until` when set."""
    closes = effective_deadline(application.call, application.region, extension=extension)
    if application.revision >= 1:
        return resubmission_closes_at(
            closes_at=closes, resubmission_until=application.call.resubmission_until
        )
    return closes


def told_deadline(application: Application, *, extension: Any = ...) -> datetime:
    """The deadline an applicant is told (no grace): its extension when later than the call's
    deadline, or for a resubmission the call's `resubmission_until` when set and later."""
    if extension is ...:
        extension = extension_for(application.call, application.region)
    told = stated_deadline(deadline=application.call.deadline, extension_until=_until(extension))
    until = application.call.resubmission_until
    if application.revision >= 1 and until is not None and until > told:
        return until
    return told


# ---------------------------------------------------------------- applications


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Applications the user may see (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    qs = Application.objects.select_related(
        "call", "region__parent", "city", "self_assessment__standard_version__line", "submitted_by"
    )
    if is_province_staff(user):
        return qs
    visible = actable_path_filter(user, field="region__path")
    observed = observer_paths(user)
    if observed:
        visible |= Q(revision__gte=1) & _under(observed, "region__path")
    return qs.filter(visible)


def _under(paths: list[str], field: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


# the audit actions of the application chain itself; other apps' rows about an application
# (the lists' overrides and on-site results, ...) are internal to the province
CHAIN_ACTIONS = "application."


def application_timeline(application: Application, user: Any) -> QuerySet[AuditEntry]:
    """The audit rows the application page shows this user, newest first: province staff read
    every row about the application; everyone else only the chain's own (county → city →
    province), never the province's internal list decisions."""
    rows = audit_timeline_for(application)
    if is_province_staff(user):
        return rows
    return rows.filter(action__startswith=CHAIN_ACTIONS)


def latest_revision(application: Application) -> ApplicationRevision | None:
    """The newest frozen revision of the application (what the province screens), or None."""
    return application.revisions.order_by("-number").first()


@dataclass(frozen=True)
class ApplicationFilters:
    """List filters; empty values mean "any"."""

    call: Call | None = None
    level: str = ""
    status: str = ""
    city: Region | None = None


def application_list_for(user: Any, filters: ApplicationFilters) -> QuerySet[Application]:
    """The list page's rows (and the export's): visible applications with the filters applied."""
    qs = applications_visible_to(user)
    if filters.call is not None:
        qs = qs.filter(call=filters.call)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.city is not None:
        qs = qs.filter(city=filters.city)
    return qs.prefetch_related("call__levels__standard_version").order_by(
        "-call__year", "-call_id", "city__code", "level", "region__code"
    )


def cities_for_filter(user: Any) -> QuerySet[Region]:
    """The cities whose applications the user may see (for the city filter)."""
    ids = applications_visible_to(user).values("city_id")
    return Region.objects.filter(pk__in=ids).order_by("code")


def application_of(call: Call, region: Region) -> Application | None:
    """The region's active application to the call, if any."""
    return Application.objects.filter(ACTIVE, call=call, region=region).first()


def may_start_application(
    call: Call,
    region: Region,
    *,
    application: Any = ...,
    extension: Any = ...,
    now: datetime | None = None,
) -> bool:
    """True when `region` may start an application to `call` now: the call is published, the
    region has no active application and its deadline (extension included) has not passed, to
    the second. Pass `application` and `extension` (or None) when known."""
    if call.status != CallStatus.PUBLISHED:
        return False
    if application is ...:
        application = application_of(call, region)
    if application is not None:
        return False
    closes = effective_deadline(call, region, extension=extension)
    return may_submit(now=now or clock.now(), closes_at=closes)


def applicant_regions_for(user: Any, call: Call) -> list[Region]:
    """The regions this user may start an application for on this call: their own county (county
    operators, when the call is open to counties) or their own city (city operators, when open
    to cities), in code order."""
    levels = {item.level for item in call.levels.all()}
    wanted: dict[str, str] = {Role.COUNTY_OPERATOR: Level.COUNTY, Role.CITY_OPERATOR: Level.CITY}
    regions = {
        m.organisation.region.pk: m.organisation.region
        for m in memberships_of(user)
        if wanted.get(m.role) in levels and m.organisation.region.level == wanted[m.role]
    }
    return sorted(regions.values(), key=lambda region: region.code)


def cities_operated_by(user: Any) -> list[Region]:
    """The cities this user is a city operator of."""
    regions = {
        m.organisation.region.pk: m.organisation.region
        for m in memberships_of(user)
        if m.role == Role.CITY_OPERATOR and m.organisation.region.level == Level.CITY
    }
    return sorted(regions.values(), key=lambda region: region.code)


def eligible_assessments(application: Application) -> QuerySet[SelfAssessment]:
    """The submitted self-assessments of the application's region on the call's pinned version for
    its level, newest first: the ones it may attach."""
    level = call_level(application.call, application.level)
    if level is None:
        return SelfAssessment.objects.none()
    return SelfAssessment.objects.filter(
        region=application.region,
        standard_version=level.standard_version,
        status=AssessmentStatus.SUBMITTED,
    ).order_by("-submitted_at", "-id")


def active_materials(application: Application) -> QuerySet[Any]:
    """The materials not removed, reports first."""
    return application.materials.filter(removed_at__isnull=True).order_by("kind", "uploaded_at", "pk")


def material_ids_in_revisions(application: Application) -> set[int]:
    """The ids of every material some revision of the application froze."""
    ids: set[int] = set()
    for snapshot in application.revisions.values_list("snapshot", flat=True):
        ids.update(int(item["id"]) for item in (snapshot or {}).get("materials", []))
    return ids


# ---------------------------------------------------------------- bundles


@dataclass(frozen=True)
class BundleRow:
    """One application of a city's bundle with the deadline that applies to it."""

    application: Application
    closes_at: datetime
    told: datetime
    extension: Extension | None
    late: bool


def bundle_rows(call: Call, city: Region, *, now: datetime | None = None) -> list[BundleRow]:
    """The city's own and its counties' active applications to the call, each with its deadline."""
    now = now or clock.now()
    extensions = extensions_by_region(call)
    apps = (
        Application.objects.filter(ACTIVE, call=call, city=city)
        .select_related("call", "region__parent", "city", "self_assessment")
        .order_by("level", "region__code")
    )
    rows = []
    for app in apps:
        extension = extensions.get(app.region_id)
        closes = submission_window_closes(app, extension=extension)
        rows.append(
            BundleRow(
                application=app,
                closes_at=closes,
                told=told_deadline(app, extension=extension),
                extension=extension,
                late=not may_submit(now=now, closes_at=closes),
            )
        )
    return rows


def bundle_ready(rows: Iterable[BundleRow]) -> list[BundleRow]:
    """The rows the city's next bundle submission would send (approved, within their deadline)."""
    return [row for row in rows if row.application.status == S.CITY_APPROVED and not row.late]


def call_opened(call: Call, *, now: datetime | None = None) -> bool:
    """True once the call's opening time has come (submissions are taken from then on)."""
    return (now or clock.now()).replace(microsecond=0) >= call.opens_at


@dataclass(frozen=True)
class Bundle:
    """A city's bundle in a call as its page shows it: the rows, those the next submission
    sends, the approved ones past their deadline, and what the user may do."""

    rows: list[BundleRow]
    ready: list[BundleRow]
    late_approved: list[BundleRow]
    is_city_operator: bool
    opened: bool
    may_submit: bool


def bundle_of(call: Call, city: Region, user: Any, *, now: datetime | None = None) -> Bundle:
    """The bundle of `city` in `call` for `user`: the city's operators may submit it while the
    call is published and open and at least one approved application is within its deadline
    (the same rules `bundle_submit` enforces)."""
    now = now or clock.now()
    rows = bundle_rows(call, city, now=now)
    ready = bundle_ready(rows)
    operator = city in cities_operated_by(user)
    opened = call_opened(call, now=now)
    return Bundle(
        rows=rows,
        ready=ready,
        late_approved=[row for row in rows if row.late and row.application.status == S.CITY_APPROVED],
        is_city_operator=operator,
        opened=opened,
        may_submit=operator and call.status == CallStatus.PUBLISHED and opened and bool(ready),
    )


# ---------------------------------------------------------------- recipients


def operators_of(region: Region) -> list[User]:
    """The active operators of exactly this region (a county's county operators, a city's city
    operators), for notifications."""
    role = Role.CITY_OPERATOR if region.level == Level.CITY else Role.COUNTY_OPERATOR
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=role,
            memberships__organisation__region=region,
        ).distinct()
    )


def province_officers() -> list[User]:
    """The active province staff (officers and administrators)."""
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=list(PROVINCE_ROLES)
        ).distinct()
    )


def operators_of_levels(levels: Iterable[str]) -> list[User]:
    """Every active city operator (and county operator when counties may apply) of the province."""
    levels = list(levels)
    roles: dict[str, str] = {Level.CITY: Role.CITY_OPERATOR, Level.COUNTY: Role.COUNTY_OPERATOR}
    wanted = [roles[level] for level in levels if level in roles]
    if Level.COUNTY in levels and Role.CITY_OPERATOR not in wanted:
        wanted.append(Role.CITY_OPERATOR)  # the city submits its counties' applications
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=wanted
        ).distinct()
    )
