"""The life of a selection list, its on-site reviews and its objections, as pure tables.

List: preliminary → onsite → notice → final. Roles: the *office* (province staff) runs every
step; a *viewer* (an observer of the province: observers of a city or county are the public here)
reads the office pages, without the objectors' contact details; an *applicant* (an operator who may act for
the entry's region: its county and its city) downloads its own decision letter once the list is
final; the *public* (anyone, logged in or not) sees the list, lodges objections and downloads
the list notice while the list is in notice or final.

On-site review: open → completed, filled by the office while the list is on site or in notice
(an entry that becomes a pilot during the notice period gets its review then). Objection:
received → upheld or rejected, handled by the office while the list is in notice.

During the notice an override must follow an upheld objection (`override_needs_objection`); any
change of what the public sees restarts the notice period (see the notice services).

Everything here is pure except the `role_*` functions, which ask accounts.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.accounts.choices import Role as AccountRole
from starcity.accounts.selectors import can_act_for_region, is_province_staff, memberships_of
from starcity.lists.choices import ListStatus, ObjectionStatus, OnsiteStatus
from starcity.regions.choices import Level


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    REFORM = "reform", _("重新形成初步名单")
    OVERRIDE = "override", _("调整结果")
    SET_DOCUMENT = "document", _("修改文号")
    START_ONSITE = "onsite", _("开始现场复核")
    PUBLISH_NOTICE = "notice", _("发布公示")
    PUBLISH_FINAL = "final", _("发布最终名单")
    NOTICE_DOCUMENT = "notice_document", _("下载名单通知")
    LETTER = "letter", _("下载决定书")
    FILL_ONSITE = "fill_onsite", _("填写现场复核")
    HANDLE_OBJECTION = "handle_objection", _("处理异议")
    PUBLIC_VIEW = "public_view", _("公开查看")
    LODGE_OBJECTION = "lodge_objection", _("提出异议")


class ReviewAction(models.TextChoices):
    VIEW = "view", _("查看")
    SAVE = "save", _("保存复核信息")
    SAVE_ITEM = "save_item", _("保存复核项")
    CONFIRM_REST = "confirm_rest", _("其余各项全部确认")
    ADD_PHOTO = "add_photo", _("上传照片")
    REMOVE_PHOTO = "remove_photo", _("移除照片")
    COMPLETE = "complete", _("完成现场复核")


class ObjectionAction(models.TextChoices):
    VIEW = "view", _("查看")
    UPHOLD = "uphold", _("异议成立")
    REJECT = "reject", _("异议不成立")


class Role(models.TextChoices):
    OFFICE = "office", _("省级工作人员")
    VIEWER = "viewer", _("查看者")
    APPLICANT = "applicant", _("申报地区")
    PUBLIC = "public", _("公众")


OFFICE, VIEWER, APPLICANT, PUBLIC = Role.OFFICE, Role.VIEWER, Role.APPLICANT, Role.PUBLIC
INSIDE = frozenset({OFFICE, VIEWER})
EVERYONE = frozenset({OFFICE, VIEWER, APPLICANT, PUBLIC})

# list state → action → roles allowed
PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    ListStatus.PRELIMINARY: {
        Action.VIEW: INSIDE,
        Action.REFORM: frozenset({OFFICE}),
        Action.OVERRIDE: frozenset({OFFICE}),
        Action.SET_DOCUMENT: frozenset({OFFICE}),
        Action.START_ONSITE: frozenset({OFFICE}),
        Action.NOTICE_DOCUMENT: frozenset({OFFICE}),
        Action.LETTER: frozenset({OFFICE}),
    },
    ListStatus.ONSITE: {
        Action.VIEW: INSIDE,
        Action.OVERRIDE: frozenset({OFFICE}),
        Action.SET_DOCUMENT: frozenset({OFFICE}),
        Action.FILL_ONSITE: frozenset({OFFICE}),
        Action.PUBLISH_NOTICE: frozenset({OFFICE}),
        Action.NOTICE_DOCUMENT: frozenset({OFFICE}),
        Action.LETTER: frozenset({OFFICE}),
    },
    ListStatus.NOTICE: {
        Action.VIEW: INSIDE,
        Action.OVERRIDE: frozenset({OFFICE}),
        Action.SET_DOCUMENT: frozenset({OFFICE}),
        Action.FILL_ONSITE: frozenset({OFFICE}),
        Action.HANDLE_OBJECTION: frozenset({OFFICE}),
        Action.PUBLISH_FINAL: frozenset({OFFICE}),
        Action.NOTICE_DOCUMENT: EVERYONE,
        Action.LETTER: frozenset({OFFICE}),
        Action.PUBLIC_VIEW: EVERYONE,
        Action.LODGE_OBJECTION: EVERYONE,
    },
    ListStatus.FINAL: {
        Action.VIEW: INSIDE,
        Action.NOTICE_DOCUMENT: EVERYONE,
        Action.LETTER: frozenset({OFFICE, APPLICANT}),
        Action.PUBLIC_VIEW: EVERYONE,
    },
}

# action → (from state, to state) for the actions that move the list
TRANSITIONS: dict[str, tuple[str, str]] = {
    Action.START_ONSITE: (ListStatus.PRELIMINARY, ListStatus.ONSITE),
    Action.PUBLISH_NOTICE: (ListStatus.ONSITE, ListStatus.NOTICE),
    Action.PUBLISH_FINAL: (ListStatus.NOTICE, ListStatus.FINAL),
}

# the list's action bar: the transitions and the re-forming, in display order
BUTTONS: tuple[str, ...] = (Action.REFORM, Action.START_ONSITE, Action.PUBLISH_NOTICE, Action.PUBLISH_FINAL)

# on-site review state → action → roles (the list must also allow FILL_ONSITE for a change)
REVIEW_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    OnsiteStatus.OPEN: {
        ReviewAction.VIEW: INSIDE,
        ReviewAction.SAVE: frozenset({OFFICE}),
        ReviewAction.SAVE_ITEM: frozenset({OFFICE}),
        ReviewAction.CONFIRM_REST: frozenset({OFFICE}),
        ReviewAction.ADD_PHOTO: frozenset({OFFICE}),
        ReviewAction.REMOVE_PHOTO: frozenset({OFFICE}),
        ReviewAction.COMPLETE: frozenset({OFFICE}),
    },
    OnsiteStatus.COMPLETED: {
        ReviewAction.VIEW: INSIDE,
    },
}

REVIEW_TRANSITIONS: dict[str, tuple[str, str]] = {
    ReviewAction.COMPLETE: (OnsiteStatus.OPEN, OnsiteStatus.COMPLETED),
}

# objection state → action → roles (the list must also allow HANDLE_OBJECTION)
OBJECTION_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    ObjectionStatus.RECEIVED: {
        ObjectionAction.VIEW: INSIDE,
        ObjectionAction.UPHOLD: frozenset({OFFICE}),
        ObjectionAction.REJECT: frozenset({OFFICE}),
    },
    ObjectionStatus.UPHELD: {ObjectionAction.VIEW: INSIDE},
    ObjectionStatus.REJECTED: {ObjectionAction.VIEW: INSIDE},
}

OBJECTION_TRANSITIONS: dict[str, tuple[str, str]] = {
    ObjectionAction.UPHOLD: (ObjectionStatus.RECEIVED, ObjectionStatus.UPHELD),
    ObjectionAction.REJECT: (ObjectionStatus.RECEIVED, ObjectionStatus.REJECTED),
}


def _allowed(table: dict[str, dict[str, frozenset[str]]], action: str, state: str, role: str | None) -> bool:
    return role is not None and role in table.get(state, {}).get(action, frozenset())


def can(action: str, state: str, role: str | None) -> bool:
    """True when `role` may perform `action` on a list in `state`."""
    return _allowed(PERMISSIONS, action, state, role)


def role_may_ever(action: str, role: str | None) -> bool:
    """True when `role` may perform `action` on a list in some state (else 403, not 409)."""
    return any(can(action, state, role) for state in PERMISSIONS)


def actions_for(state: str, role: str | None) -> list[str]:
    """Every action `role` may perform on a list in `state`, in table order."""
    return [action for action, roles in PERMISSIONS.get(state, {}).items() if role in roles]


def review_can(action: str, review_state: str, list_state: str, role: str | None) -> bool:
    """True when `role` may perform `action` on an on-site review in `review_state` while its
    list is in `list_state` (changes need the list on site or in notice)."""
    if not _allowed(REVIEW_PERMISSIONS, action, review_state, role):
        return False
    return action == ReviewAction.VIEW or can(Action.FILL_ONSITE, list_state, role)


def review_role_may_ever(action: str, role: str | None) -> bool:
    return any(_allowed(REVIEW_PERMISSIONS, action, state, role) for state in REVIEW_PERMISSIONS)


def objection_can(action: str, objection_state: str, list_state: str, role: str | None) -> bool:
    """True when `role` may perform `action` on an objection in `objection_state` while its list
    is in `list_state` (handling needs the list in notice)."""
    if not _allowed(OBJECTION_PERMISSIONS, action, objection_state, role):
        return False
    return action == ObjectionAction.VIEW or can(Action.HANDLE_OBJECTION, list_state, role)


def objection_role_may_ever(action: str, role: str | None) -> bool:
    return any(_allowed(OBJECTION_PERMISSIONS, action, state, role) for state in OBJECTION_PERMISSIONS)


# who may read how to reach an objector (phone, e-mail): the office only, never viewers
CONTACT_ROLES = frozenset({OFFICE})


def sees_objector_contact(role: str | None) -> bool:
    """True when `role` may read an objector's phone number and e-mail address."""
    return role in CONTACT_ROLES


def override_needs_objection(state: str) -> bool:
    """True when an override of a list in `state` must name the upheld objection it follows:
    during the notice the published list changes only because of an objection."""
    return state == ListStatus.NOTICE


def _province_observer(user: Any) -> bool:
    return any(
        membership.role == AccountRole.OBSERVER and membership.organisation.region.level == Level.PROVINCE
        for membership in memberships_of(user)
    )


def role_of(user: Any) -> str:
    """The user's role for lists in general: office (province staff), viewer (an observer of
    the province; lists are province-wide, so observers of a city or county do not read them)
    or public."""
    if is_province_staff(user):
        return OFFICE
    if _province_observer(user):
        return VIEWER
    return PUBLIC


def role_for_entry(user: Any, entry: Any) -> str:
    """The user's role for one entry: office or viewer as for the list, applicant for an
    operator who may act for the entry's region (its county's and its city's operators)."""
    role = role_of(user)
    if role == PUBLIC and can_act_for_region(user, entry.application.region):
        return APPLICANT
    return role


def available_actions(selection_list: Any, user: Any) -> list[str]:
    """The actions this user may perform on this list now (whatever the time: the services say
    why a step must wait, see `blockers`)."""
    return actions_for(selection_list.status, role_of(user))


def review_actions(review: Any, list_state: str, user: Any) -> list[str]:
    role = role_of(user)
    return [
        action
        for action in REVIEW_PERMISSIONS.get(review.status, {})
        if review_can(action, review.status, list_state, role)
    ]


def objection_actions(objection: Any, list_state: str, user: Any) -> list[str]:
    role = role_of(user)
    return [
        action
        for action in OBJECTION_PERMISSIONS.get(objection.status, {})
        if objection_can(action, objection.status, list_state, role)
    ]


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    blocked: str = ""  # why the step must wait (shown instead of a working button)


def buttons_for(actions: list[str], blockers: dict[str, str] | None = None) -> list[Button]:
    """The buttons of the list's action bar among the available actions, each with the reason it
    must wait, if any."""
    blockers = blockers or {}
    return [
        Button(action, str(Action(action).label), blockers.get(action, ""))
        for action in BUTTONS
        if action in actions
    ]
