"""The life of a self-assessment as a table: draft → submitted, and who may do what in each state.

Two roles matter for one assessment: the *operator*, who may act for its region (an operator of
the region or of a region above it), and the *viewer*, who may only see it (province staff and
observers see submitted ones). Everything here is pure except `role_of`, which asks accounts.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.accounts.selectors import can_act_for_region, can_see_region
from starcity.assessments.choices import Status


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    SAVE = "save", _("保存")
    RENAME = "rename", _("修改标题")
    UPLOAD_EVIDENCE = "evidence_upload", _("上传佐证材料")
    REMOVE_EVIDENCE = "evidence_remove", _("移除佐证材料")
    IMPORT_EXCEL = "import", _("导入 Excel")
    EXPORT = "template", _("下载 Excel（含已填数据）")
    SUBMIT = "submit", _("提交")
    COPY = "copy", _("复制为新的自评估")


class Role(models.TextChoices):
    OPERATOR = "operator", _("操作员")
    VIEWER = "viewer", _("查看者")


OPERATOR = Role.OPERATOR
VIEWER = Role.VIEWER

# state → action → roles allowed
PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Status.DRAFT: {
        Action.VIEW: frozenset({OPERATOR}),
        Action.SAVE: frozenset({OPERATOR}),
        Action.RENAME: frozenset({OPERATOR}),
        Action.UPLOAD_EVIDENCE: frozenset({OPERATOR}),
        Action.REMOVE_EVIDENCE: frozenset({OPERATOR}),
        Action.IMPORT_EXCEL: frozenset({OPERATOR}),
        Action.EXPORT: frozenset({OPERATOR}),
        Action.SUBMIT: frozenset({OPERATOR}),
    },
    Status.SUBMITTED: {
        Action.VIEW: frozenset({OPERATOR, VIEWER}),
        Action.EXPORT: frozenset({OPERATOR, VIEWER}),
        Action.COPY: frozenset({OPERATOR}),
    },
}

# states whose content is frozen: shown from the snapshots, never edited in place
FROZEN_STATES = frozenset({Status.SUBMITTED})

# action → (from state, to state) for the actions that move the assessment
TRANSITIONS: dict[str, tuple[str, str]] = {
    Action.SUBMIT: (Status.DRAFT, Status.SUBMITTED),
}

# the actions shown as buttons, in display order, with whether they are POSTs
BUTTONS: tuple[tuple[str, bool], ...] = ((Action.SUBMIT, True), (Action.EXPORT, False), (Action.COPY, True))


def can(action: str, state: str, role: str | None) -> bool:
    """True when `role` may perform `action` on an assessment in `state`."""
    return role is not None and role in PERMISSIONS.get(state, {}).get(action, frozenset())


def is_frozen(state: str) -> bool:
    """True when an assessment in `state` is frozen: its pages show the snapshots."""
    return state in FROZEN_STATES


def role_may_ever(action: str, role: str | None) -> bool:
    """True when `role` may perform `action` in some state (else the answer is 403, not 409)."""
    return any(can(action, state, role) for state in PERMISSIONS)


def actions_for(state: str, role: str | None) -> list[str]:
    """Every action `role` may perform in `state`, in table order."""
    return [action for action, roles in PERMISSIONS.get(state, {}).items() if role in roles]


def role_of(user: Any, assessment: Any) -> str | None:
    """The user's role for this assessment: operator of its region, viewer of a submitted one
    in a region they see, or None."""
    if can_act_for_region(user, assessment.region):
        return OPERATOR
    if assessment.status == Status.SUBMITTED and can_see_region(user, assessment.region):
        return VIEWER
    return None


def available_actions(assessment: Any, user: Any) -> list[str]:
    """The actions this user may perform on this assessment now: the page shows only these."""
    return actions_for(assessment.status, role_of(user, assessment))


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    post: bool


def buttons_for(actions: list[str]) -> list[Button]:
    """The buttons of the action bar, among the available actions."""
    return [Button(action, str(Action(action).label), post) for action, post in BUTTONS if action in actions]
