"""The life of a panel and of its members, as pure tables.

A member (PanelMember) is drawn as a member (invited) or a substitute (waiting). An invited expert
signs the no-conflict declaration and accepts, or declines; a waiting substitute is invited when a
member declines or is replaced. An accepted member saves scores (or prefills the empty ones with
the applicant's self-assessed values, to be checked) and submits them (frozen after).
The office (province staff) replaces any active member with a reason, or names another chair.

A panel scores (scoring); once every active member has submitted it is aggregated: indicators on
which the experts disagree are discussed (discussion) until the chair resolves each; then it is
concluded. Those two moves are the conclusion service's; the table below states them.

Roles for one panel: the office, the member themselves (`self`), the chair, and applicants (the
operators of the applicant's region, who see the result once concluded). Everything here is pure.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.reviews.choices import MemberStatus, PanelStatus


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ACCEPT = "accept", _("签署声明并接受邀请")
    DECLINE = "decline", _("谢绝邀请")
    SAVE = "save", _("保存评分")
    PREFILL = "prefill", _("以自评值预填")
    SUBMIT = "submit", _("提交评分")
    REPLACE = "replace", _("更换专家")
    SET_CHAIR = "set_chair", _("指定为组长")
    NOTE = "note", _("发表讨论意见")
    RESOLVE = "resolve", _("确定分歧指标的取值")
    DRAW = "draw", _("抽取评审专家")


class Role(models.TextChoices):
    OFFICE = "office", _("省级工作人员")
    SELF = "self", _("评审专家本人")
    CHAIR = "chair", _("评审组长")
    APPLICANT = "applicant", _("申报单位")


OFFICE, SELF, CHAIR, APPLICANT = Role.OFFICE, Role.SELF, Role.CHAIR, Role.APPLICANT

# Members who are on the panel now (a waiting substitute, a declined or replaced expert are not).
ACTIVE_MEMBER_STATES = frozenset({MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.SUBMITTED})
# Members who may open the application's content (they signed the declaration).
SIGNED_MEMBER_STATES = frozenset({MemberStatus.ACCEPTED, MemberStatus.SUBMITTED})

# member action → (from states, to state, roles allowed)
MEMBER_TRANSITIONS: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    Action.ACCEPT: (frozenset({MemberStatus.INVITED}), MemberStatus.ACCEPTED, frozenset({SELF})),
    Action.DECLINE: (frozenset({MemberStatus.INVITED}), MemberStatus.DECLINED, frozenset({SELF})),
    Action.SAVE: (frozenset({MemberStatus.ACCEPTED}), MemberStatus.ACCEPTED, frozenset({SELF})),
    Action.PREFILL: (frozenset({MemberStatus.ACCEPTED}), MemberStatus.ACCEPTED, frozenset({SELF})),
    Action.SUBMIT: (frozenset({MemberStatus.ACCEPTED}), MemberStatus.SUBMITTED, frozenset({SELF})),
    Action.REPLACE: (ACTIVE_MEMBER_STATES, MemberStatus.REPLACED, frozenset({OFFICE})),
    Action.SET_CHAIR: (ACTIVE_MEMBER_STATES, "", frozenset({OFFICE})),
}

# the panel states in which each member action may happen
MEMBER_ACTION_PANEL_STATES: dict[str, frozenset[str]] = {
    Action.ACCEPT: frozenset({PanelStatus.SCORING}),
    Action.DECLINE: frozenset({PanelStatus.SCORING}),
    Action.SAVE: frozenset({PanelStatus.SCORING}),
    Action.PREFILL: frozenset({PanelStatus.SCORING}),
    Action.SUBMIT: frozenset({PanelStatus.SCORING}),
    Action.REPLACE: frozenset({PanelStatus.SCORING}),
    Action.SET_CHAIR: frozenset({PanelStatus.SCORING, PanelStatus.DISCUSSION}),
}

# panel action → (panel states, roles allowed); a member's own status is checked by `can_on_panel`
PANEL_PERMISSIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Action.VIEW: (
        frozenset({PanelStatus.SCORING, PanelStatus.DISCUSSION, PanelStatus.CONCLUDED}),
        frozenset({OFFICE, SELF, CHAIR}),
    ),
    Action.NOTE: (frozenset({PanelStatus.DISCUSSION}), frozenset({SELF, CHAIR})),
    Action.RESOLVE: (frozenset({PanelStatus.DISCUSSION}), frozenset({CHAIR})),
}

# applicants see a panel only once it is concluded (its aggregate, never who scored what)
APPLICANT_VISIBLE_STATES = frozenset({PanelStatus.CONCLUDED})

# the panel's own moves (made by the conclusion service once every active member submitted;
# "reopen" when a member found conflicted leaves a discussing panel: their scores no longer
# count and their successor must score)
PANEL_TRANSITIONS: dict[str, tuple[str, str]] = {
    "discuss": (PanelStatus.SCORING, PanelStatus.DISCUSSION),
    "conclude": (PanelStatus.SCORING, PanelStatus.CONCLUDED),
    "conclude_after_discussion": (PanelStatus.DISCUSSION, PanelStatus.CONCLUDED),
    "reopen": (PanelStatus.DISCUSSION, PanelStatus.SCORING),
}

# A member found conflicted with the application after the draw (a declared conflict, a changed
# home or employer region) leaves the panel, whoever revealed the conflict: from any active state
# while the panel has not concluded; they end replaced. A concluded panel's record is kept (the
# office is told).
CONFLICT_VACATE_PANEL_STATES = frozenset({PanelStatus.SCORING, PanelStatus.DISCUSSION})


def can(action: str, state: str, role: str | None, panel_state: str = PanelStatus.SCORING) -> bool:
    """True when `role` may perform member `action` on a member in `state` while the panel is in
    `panel_state`."""
    rule = MEMBER_TRANSITIONS.get(action)
    if rule is None or role is None:
        return False
    sources, _target, roles = rule
    return role in roles and state in sources and panel_state in MEMBER_ACTION_PANEL_STATES[action]


def target_state(action: str, state: str) -> str:
    """The member's state after `action` (unchanged for actions that do not move it)."""
    return MEMBER_TRANSITIONS[action][1] or state


def role_may_ever(action: str, role: str | None) -> bool:
    """True when `role` may perform the member or panel `action` in some state (else 403, not 409)."""
    if action in MEMBER_TRANSITIONS:
        return role in MEMBER_TRANSITIONS[action][2]
    if action in PANEL_PERMISSIONS:
        return role in PANEL_PERMISSIONS[action][1]
    return False


def can_on_panel(action: str, panel_state: str, role: str | None, member_state: str | None = None) -> bool:
    """True when `role` may perform panel `action` in `panel_state`; discussion is for members who
    submitted their own scores."""
    rule = PANEL_PERMISSIONS.get(action)
    if rule is None or role is None:
        return False
    states, roles = rule
    if role not in roles or panel_state not in states:
        return False
    if action in (Action.NOTE, Action.RESOLVE):
        return member_state == MemberStatus.SUBMITTED
    return True


def may_vacate_for_conflict(member_state: str, panel_state: str) -> bool:
    """True when a member found conflicted leaves the panel now (see CONFLICT_VACATE_PANEL_STATES)."""
    return member_state in ACTIVE_MEMBER_STATES and panel_state in CONFLICT_VACATE_PANEL_STATES


def is_active(member_state: str) -> bool:
    return member_state in ACTIVE_MEMBER_STATES


def has_signed(member_state: str) -> bool:
    return member_state in SIGNED_MEMBER_STATES


def sees_others_scores(role: str | None, member_state: str | None) -> bool:
    """Blindness: an expert sees the others' scores (without names) only after submitting their
    own; the office sees everything; applicants never see individual scores."""
    if role == OFFICE:
        return True
    return role in (SELF, CHAIR) and member_state == MemberStatus.SUBMITTED


def member_role_of(user: Any, member: Any) -> str | None:
    """The user's role for one member row: the expert themselves, the office, or None."""
    from starcity.accounts.selectors import is_province_staff

    if member.expert.user_id is not None and member.expert.user_id == getattr(user, "pk", None):
        return SELF
    if is_province_staff(user):
        return OFFICE
    return None


def available_member_actions(member: Any, user: Any) -> list[str]:
    """The member actions this user may perform on this member now: the page shows only these."""
    role = member_role_of(user, member)
    return [
        action
        for action in MEMBER_TRANSITIONS
        if can(action, member.status, role, member.panel.status)
        and not (action == Action.SET_CHAIR and member.is_chair)
    ]


def available_panel_actions(panel: Any, role: str | None, member_state: str | None = None) -> list[str]:
    """The panel actions (discussion, resolution) of a user in `role` now."""
    return [action for action in PANEL_PERMISSIONS if can_on_panel(action, panel.status, role, member_state)]


@dataclass(frozen=True)
class PanelPage:
    """What the panel page shows a viewer, by their role: templates test these, never the role.

    result_only   the applicant: the panel's aggregate (no individual scores), nothing else;
    members       the members table with names and the office's replace/chair forms;
    draw_record   who drew the panel, with which seed, and the draw record;
    timeline      the panel's audit rows;
    call_link     the way back to the call's overview of panels;
    expert_names  other experts' scores named (by name as well as number);
    own_scores    the viewer's own values beside the others' ("我的评分")."""

    result_only: bool
    members: bool
    draw_record: bool
    timeline: bool
    call_link: bool
    expert_names: bool
    own_scores: bool


def panel_page(role: str | None) -> PanelPage:
    """The parts of the panel page a viewer in `role` sees (see `PanelPage`)."""
    office = role == OFFICE
    return PanelPage(
        result_only=role == APPLICANT,
        members=office,
        draw_record=office,
        timeline=office,
        call_link=office,
        expert_names=office,
        own_scores=role in (SELF, CHAIR),
    )


@dataclass(frozen=True)
class Button:
    action: str
    label: str


def buttons_for(actions: list[str]) -> list[Button]:
    """Buttons for the given actions, in table order, with their labels."""
    return [Button(action, str(Action(action).label)) for action in actions]
