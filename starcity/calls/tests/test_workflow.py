"""The transition table: who may do what in which state (pure, no database)."""

import pytest

from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.choices import CallStatus
from starcity.calls.workflow import (
    BUTTONS,
    Action,
    Role,
    actions_for,
    buttons_for,
    call_allows,
    can,
    role_may_ever,
    target_of,
)

COUNTY, CITY_OWN, REVIEWER, PROVINCE, VIEWER = (
    Role.COUNTY_APPLICANT,
    Role.CITY_APPLICANT,
    Role.CITY_REVIEWER,
    Role.PROVINCE,
    Role.VIEWER,
)


@pytest.mark.parametrize(
    ("action", "state", "role", "target"),
    [
        (Action.SEND_TO_CITY, S.DRAFT, COUNTY, S.WITH_CITY),
        (Action.SEND_TO_CITY, S.CITY_RETURNED, COUNTY, S.WITH_CITY),
        (Action.SEND_TO_CITY, S.PROVINCE_RETURNED, COUNTY, S.WITH_CITY),
        (Action.CITY_APPROVE, S.WITH_CITY, REVIEWER, S.CITY_APPROVED),
        (Action.CITY_APPROVE, S.DRAFT, CITY_OWN, S.CITY_APPROVED),
        (Action.CITY_APPROVE, S.PROVINCE_RETURNED, CITY_OWN, S.CITY_APPROVED),
        (Action.CITY_RETURN, S.WITH_CITY, REVIEWER, S.CITY_RETURNED),
        (Action.CITY_RETURN, S.CITY_APPROVED, REVIEWER, S.CITY_RETURNED),
        (Action.SUBMIT, S.CITY_APPROVED, REVIEWER, S.SUBMITTED),
        (Action.SUBMIT, S.CITY_APPROVED, CITY_OWN, S.SUBMITTED),
        (Action.ACCEPT, S.SUBMITTED, PROVINCE, S.ACCEPTED),
        (Action.PROVINCE_RETURN, S.SUBMITTED, PROVINCE, S.PROVINCE_RETURNED),
        (Action.WITHDRAW, S.DRAFT, COUNTY, S.WITHDRAWN),
        (Action.WITHDRAW, S.WITH_CITY, COUNTY, S.WITHDRAWN),
        (Action.WITHDRAW, S.CITY_APPROVED, REVIEWER, S.WITHDRAWN),
        (Action.WITHDRAW, S.SUBMITTED, REVIEWER, S.WITHDRAWN),
        (Action.WITHDRAW, S.DRAFT, CITY_OWN, S.WITHDRAWN),
        (Action.WITHDRAW, S.SUBMITTED, CITY_OWN, S.WITHDRAWN),
    ],
)
def test_allowed_edges(action, state, role, target):
    assert can(action, state, role)
    assert target_of(action, state) == target


@pytest.mark.parametrize(
    ("action", "state", "role"),
    [
        (Action.SEND_TO_CITY, S.DRAFT, CITY_OWN),  # the city's own application has no city review
        (Action.SEND_TO_CITY, S.WITH_CITY, COUNTY),
        (Action.CITY_APPROVE, S.DRAFT, REVIEWER),  # the city reviews only what was sent to it
        (Action.CITY_APPROVE, S.WITH_CITY, COUNTY),
        (Action.EDIT, S.WITH_CITY, COUNTY),
        (Action.EDIT, S.SUBMITTED, COUNTY),
        (Action.EDIT, S.DRAFT, REVIEWER),
        (Action.SUBMIT, S.WITH_CITY, REVIEWER),
        (Action.ACCEPT, S.PROVINCE_RETURNED, PROVINCE),
        (Action.ACCEPT, S.SUBMITTED, REVIEWER),
        (Action.WITHDRAW, S.ACCEPTED, COUNTY),
        (Action.WITHDRAW, S.DRAFT, REVIEWER),
        (Action.WITHDRAW, S.WITH_CITY, REVIEWER),  # the city returns what it was sent
        # once its city approved it, the application is the city's to withdraw
        (Action.WITHDRAW, S.CITY_APPROVED, COUNTY),
        (Action.WITHDRAW, S.SUBMITTED, COUNTY),
        (Action.WITHDRAW, S.ACCEPTED, REVIEWER),
        (Action.VIEW, S.DRAFT, None),
    ],
)
def test_refused_edges(action, state, role):
    assert not can(action, state, role)


def test_forbidden_versus_wrong_state():
    assert not role_may_ever(Action.ACCEPT, frozenset({COUNTY, REVIEWER}))
    assert role_may_ever(Action.ACCEPT, frozenset({PROVINCE}))
    assert not role_may_ever(Action.EDIT, frozenset({PROVINCE, VIEWER}))


def test_closed_call_leaves_viewing_and_screening():
    closed = CallStatus.CLOSED
    assert actions_for(S.DRAFT, frozenset({COUNTY}), call_status=closed) == [Action.VIEW]
    assert actions_for(S.CITY_APPROVED, frozenset({REVIEWER}), call_status=closed) == [Action.VIEW]
    assert actions_for(S.SUBMITTED, frozenset({PROVINCE}), call_status=closed) == [
        Action.VIEW,
        Action.ACCEPT,
        Action.PROVINCE_RETURN,
    ]


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        (Action.EDIT, CallStatus.PUBLISHED, True),
        (Action.ACCEPT, CallStatus.PUBLISHED, True),
        (Action.ACCEPT, CallStatus.CLOSED, True),
        (Action.PROVINCE_RETURN, CallStatus.CLOSED, True),
        (Action.VIEW, CallStatus.CLOSED, True),
        (Action.EDIT, CallStatus.CLOSED, False),
        (Action.WITHDRAW, CallStatus.CLOSED, False),
        (Action.SEND_TO_CITY, CallStatus.CLOSED, False),
        (Action.CITY_APPROVE, CallStatus.CLOSED, False),
        (Action.ACCEPT, CallStatus.DRAFT, False),
        (Action.VIEW, CallStatus.DRAFT, True),
    ],
)
def test_what_the_calls_state_allows(action, status, allowed):
    assert call_allows(action, status) is allowed


def test_buttons_follow_the_actions_and_mark_reasons():
    actions = actions_for(S.WITH_CITY, frozenset({REVIEWER}))
    buttons = buttons_for(actions)
    assert [b.action for b in buttons] == [Action.CITY_APPROVE, Action.CITY_RETURN]
    assert [b.needs_reason for b in buttons] == [False, True]
    assert Action.SUBMIT not in BUTTONS  # the bundle page submits
