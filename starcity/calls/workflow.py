"""The life of a call and of an application as tables, and who may do what in each state.

Applications go county → city → province. Roles of one user for one application:

* county applicant: an operator of the county that applies (county-level application);
* city applicant: an operator of the city applying for itself (city-level application): it has
  no city review, so its own approval takes it straight to "approved, to be submitted";
* city reviewer: an operator of the city for a county's application (approves or returns it);
* province: province staff (formal screening);
* viewer: an observer whose region holds the application, once it reached the province (reads
  the latest revision).

The city submits every approved application of the call at once (统一提交): `submit` is allowed
to the city's operators on an approved application. A county withdraws its application only
until its city approved it; once approved (or submitted) the application is the city's, and
only the city's operators may withdraw it.

While the call is published every edge of the table is open; once the call is closed only
viewing and formal screening remain (what was submitted in time is still accepted or returned).
Everything here is pure except `roles_of`, which asks accounts.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.accounts.choices import Role as AccountRole
from starcity.accounts.selectors import is_province_staff, memberships_of
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.regions.choices import Level

S = ApplicationStatus


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    EDIT = "edit", _("修改申报内容")
    SEND_TO_CITY = "send_to_city", _("报送市级审核")
    CITY_APPROVE = "city_approve", _("市级审核通过")
    CITY_RETURN = "city_return", _("退回修改")
    SUBMIT = "submit", _("统一提交省级")
    ACCEPT = "accept", _("形式审查通过")
    PROVINCE_RETURN = "province_return", _("形式审查退回")
    WITHDRAW = "withdraw", _("撤回申报")


class Role(models.TextChoices):
    COUNTY_APPLICANT = "county_applicant", _("申报县（市、区）")
    CITY_APPLICANT = "city_applicant", _("申报市")
    CITY_REVIEWER = "city_reviewer", _("市级审核")
    PROVINCE = "province", _("省级形式审查")
    VIEWER = "viewer", _("查看者")


COUNTY = Role.COUNTY_APPLICANT
CITY_OWN = Role.CITY_APPLICANT
REVIEWER = Role.CITY_REVIEWER
PROVINCE = Role.PROVINCE
VIEWER = Role.VIEWER
APPLICANTS = frozenset({COUNTY, CITY_OWN})
ALL = frozenset(Role.values)

EDITABLE = (S.DRAFT, S.CITY_RETURNED, S.PROVINCE_RETURNED)
BEFORE_CITY_APPROVAL = (*EDITABLE, S.WITH_CITY)


@dataclass(frozen=True)
class Edge:
    """`roles` may perform `action` on an application in `source`, which moves it to `target`
    (`target` None: the action changes content, not the state)."""

    action: str
    source: str
    target: str | None
    roles: frozenset[str]


def _edges(action: str, sources: tuple[str, ...], target: str | None, roles: set[str]) -> list[Edge]:
    return [Edge(action, source, target, frozenset(roles)) for source in sources]


EDGES: tuple[Edge, ...] = (
    *_edges(Action.VIEW, tuple(S.values), None, set(ALL)),
    *_edges(Action.EDIT, EDITABLE, None, {COUNTY, CITY_OWN}),
    *_edges(Action.SEND_TO_CITY, EDITABLE, S.WITH_CITY, {COUNTY}),
    *_edges(Action.CITY_APPROVE, (S.WITH_CITY,), S.CITY_APPROVED, {REVIEWER}),
    *_edges(Action.CITY_APPROVE, EDITABLE, S.CITY_APPROVED, {CITY_OWN}),
    *_edges(Action.CITY_RETURN, (S.WITH_CITY,), S.CITY_RETURNED, {REVIEWER}),
    *_edges(Action.CITY_RETURN, (S.CITY_APPROVED,), S.CITY_RETURNED, {REVIEWER, CITY_OWN}),
    *_edges(Action.SUBMIT, (S.CITY_APPROVED,), S.SUBMITTED, {REVIEWER, CITY_OWN}),
    *_edges(Action.ACCEPT, (S.SUBMITTED,), S.ACCEPTED, {PROVINCE}),
    *_edges(Action.PROVINCE_RETURN, (S.SUBMITTED,), S.PROVINCE_RETURNED, {PROVINCE}),
    *_edges(Action.WITHDRAW, BEFORE_CITY_APPROVAL, S.WITHDRAWN, {COUNTY, CITY_OWN}),
    *_edges(Action.WITHDRAW, (S.CITY_APPROVED, S.SUBMITTED), S.WITHDRAWN, {REVIEWER, CITY_OWN}),
)

# (action, state) → edge
TABLE: dict[tuple[str, str], Edge] = {(edge.action, edge.source): edge for edge in EDGES}

# actions whose reason is mandatory
NEEDS_REASON = frozenset({Action.CITY_RETURN, Action.PROVINCE_RETURN, Action.WITHDRAW})
# actions that need the application to be complete first
NEEDS_COMPLETE = frozenset({Action.SEND_TO_CITY, Action.CITY_APPROVE, Action.SUBMIT})
# the buttons of an application page, in display order (submit is on the city's bundle page)
BUTTONS: tuple[str, ...] = (
    Action.SEND_TO_CITY,
    Action.CITY_APPROVE,
    Action.CITY_RETURN,
    Action.ACCEPT,
    Action.PROVINCE_RETURN,
    Action.WITHDRAW,
)


def can(action: str, state: str, role: str | None) -> bool:
    """True when `role` may perform `action` on an application in `state`."""
    edge = TABLE.get((action, state))
    return role is not None and edge is not None and role in edge.roles


def can_any(action: str, state: str, roles: frozenset[str]) -> bool:
    """True when one of `roles` may perform `action` in `state`."""
    return any(can(action, state, role) for role in roles)


def target_of(action: str, state: str) -> str | None:
    """The state `action` moves an application in `state` to (None: no move, or not allowed)."""
    edge = TABLE.get((action, state))
    return edge.target if edge else None


def role_may_ever(action: str, roles: frozenset[str]) -> bool:
    """True when one of `roles` may perform `action` in some state (else 403, not 409)."""
    return any(edge.action == action and edge.roles & roles for edge in EDGES)


# what remains once the call is closed: reading, and screening what was submitted in time
AFTER_CLOSE = frozenset({Action.VIEW, Action.ACCEPT, Action.PROVINCE_RETURN})


def call_allows(action: str, call_status: str) -> bool:
    """True when a call in `call_status` lets applications move along `action`: every action
    while published; viewing and formal screening once closed; viewing only otherwise."""
    if call_status == CallStatus.PUBLISHED:
        return True
    if call_status == CallStatus.CLOSED:
        return action in AFTER_CLOSE
    return action == Action.VIEW


def actions_for(state: str, roles: frozenset[str], *, call_status: str = CallStatus.PUBLISHED) -> list[str]:
    """Every action `roles` may perform in `state` while the call is in `call_status`, in table
    order."""
    actions = dict.fromkeys(edge.action for edge in EDGES if edge.source == state and edge.roles & roles)
    return [action for action in actions if call_allows(action, call_status)]


def _operator_regions(user: Any, role: str) -> set[int]:
    return {m.organisation.region_id for m in memberships_of(user) if m.role == role}


def observer_paths(user: Any) -> list[str]:
    """The region paths of the user's observer memberships: an observer sees what reached the
    province within these regions only."""
    observer = AccountRole.OBSERVER
    return sorted({m.organisation.region.path for m in memberships_of(user) if m.role == observer})


def roles_of(user: Any, application: Any) -> frozenset[str]:
    """The user's roles for this application (empty when none)."""
    roles: set[str] = set()
    county_ops = _operator_regions(user, AccountRole.COUNTY_OPERATOR)
    city_ops = _operator_regions(user, AccountRole.CITY_OPERATOR)
    if application.level == Level.COUNTY and application.region_id in county_ops:
        roles.add(COUNTY)
    if application.level == Level.CITY and application.region_id in city_ops:
        roles.add(CITY_OWN)
    if application.level == Level.COUNTY and application.city_id in city_ops:
        roles.add(REVIEWER)
    if is_province_staff(user):
        roles.add(PROVINCE)
    if application.revision >= 1 and any(
        application.region.path.startswith(path) for path in observer_paths(user)
    ):
        roles.add(VIEWER)
    return frozenset(roles)


def sees_live_content(roles: frozenset[str]) -> bool:
    """Applicants and their city read the application as it stands; the province and viewers
    read what was submitted to them (the latest revision), never the live draft."""
    return bool(roles & {COUNTY, CITY_OWN, REVIEWER})


def available_actions(application: Any, user: Any) -> list[str]:
    """The actions this user may perform on this application now: the page shows only these."""
    return actions_for(application.status, roles_of(user, application), call_status=application.call.status)


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    needs_reason: bool


def buttons_for(actions: list[str]) -> list[Button]:
    """The buttons of the application page among the available actions."""
    return [
        Button(action, str(Action(action).label), action in NEEDS_REASON)
        for action in BUTTONS
        if action in actions
    ]


# ---------------------------------------------------------------- calls


class CallAction(models.TextChoices):
    EDIT = "edit", _("修改批次")
    PUBLISH = "publish", _("发布批次")
    CALENDAR = "calendar", _("调整日程")
    EXTEND = "extend", _("批准延期")
    CLOSE = "close", _("结束批次")


CALL_TRANSITIONS: dict[str, dict[str, str | None]] = {
    CallAction.EDIT: {CallStatus.DRAFT: None},
    CallAction.PUBLISH: {CallStatus.DRAFT: CallStatus.PUBLISHED},
    CallAction.CALENDAR: {CallStatus.PUBLISHED: None},
    CallAction.EXTEND: {CallStatus.PUBLISHED: None},
    CallAction.CLOSE: {CallStatus.PUBLISHED: CallStatus.CLOSED},
}


def call_can(action: str, state: str) -> bool:
    """True when a call in `state` allows `action` (only province staff manage calls)."""
    return state in CALL_TRANSITIONS.get(action, {})


def call_actions(call: Any, user: Any) -> list[str]:
    """The management actions this user may perform on this call now."""
    if not is_province_staff(user):
        return []
    return [action for action in CallAction.values if call_can(action, call.status)]
