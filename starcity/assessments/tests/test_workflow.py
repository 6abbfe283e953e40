"""The transition table, without a database."""

import pytest

from starcity.assessments.choices import Status
from starcity.assessments.workflow import (
    PERMISSIONS,
    TRANSITIONS,
    Action,
    Role,
    actions_for,
    buttons_for,
    can,
    role_may_ever,
)

OPERATOR, VIEWER = Role.OPERATOR, Role.VIEWER


@pytest.mark.parametrize(
    ("action", "state", "role", "allowed"),
    [
        (Action.SAVE, Status.DRAFT, OPERATOR, True),
        (Action.SAVE, Status.SUBMITTED, OPERATOR, False),
        (Action.SAVE, Status.DRAFT, VIEWER, False),
        (Action.SUBMIT, Status.DRAFT, OPERATOR, True),
        (Action.SUBMIT, Status.SUBMITTED, OPERATOR, False),
        (Action.UPLOAD_EVIDENCE, Status.SUBMITTED, OPERATOR, False),
        (Action.REMOVE_EVIDENCE, Status.DRAFT, OPERATOR, True),
        (Action.IMPORT_EXCEL, Status.DRAFT, OPERATOR, True),
        (Action.COPY, Status.SUBMITTED, OPERATOR, True),
        (Action.COPY, Status.DRAFT, OPERATOR, False),
        (Action.COPY, Status.SUBMITTED, VIEWER, False),
        (Action.VIEW, Status.SUBMITTED, VIEWER, True),
        (Action.VIEW, Status.DRAFT, VIEWER, False),
        (Action.EXPORT, Status.SUBMITTED, VIEWER, True),
        (Action.VIEW, Status.DRAFT, None, False),
        (Action.RENAME, Status.DRAFT, OPERATOR, True),
        (Action.RENAME, Status.SUBMITTED, OPERATOR, False),
        (Action.RENAME, Status.DRAFT, VIEWER, False),
    ],
)
def test_can(action, state, role, allowed):
    assert can(action, state, role) is allowed


def test_viewer_may_never_edit_so_the_answer_is_403():
    for action in (Action.SAVE, Action.SUBMIT, Action.UPLOAD_EVIDENCE, Action.IMPORT_EXCEL, Action.COPY):
        assert not role_may_ever(action, VIEWER)
        assert role_may_ever(action, OPERATOR)


def test_submitted_is_final():
    assert TRANSITIONS == {Action.SUBMIT: (Status.DRAFT, Status.SUBMITTED)}
    editing = {
        Action.SAVE,
        Action.RENAME,
        Action.UPLOAD_EVIDENCE,
        Action.REMOVE_EVIDENCE,
        Action.IMPORT_EXCEL,
        Action.SUBMIT,
    }
    assert not editing & set(PERMISSIONS[Status.SUBMITTED])


def test_buttons_follow_available_actions():
    draft_buttons = [button.action for button in buttons_for(actions_for(Status.DRAFT, OPERATOR))]
    assert draft_buttons == [Action.SUBMIT, Action.EXPORT]
    assert [b.action for b in buttons_for(actions_for(Status.SUBMITTED, OPERATOR))] == [
        Action.EXPORT,
        Action.COPY,
    ]
    assert [b.action for b in buttons_for(actions_for(Status.SUBMITTED, VIEWER))] == [Action.EXPORT]
    assert buttons_for(actions_for(Status.DRAFT, None)) == []
