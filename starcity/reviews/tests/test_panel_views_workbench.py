"""The workbench sections of the review, and the pure transition tables."""

import pytest

from starcity.accounts.workbench import sections_for
from starcity.reviews import workflow
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    score_and_submit,
    standard_of,
)


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def titles(user):
    return {section.title: section for section in sections_for(user)}


@pytest.mark.django_db
def test_expert_workbench_lists_invitations_then_scorecards(scenario):
    panel = drawn_panel(scenario)
    member = panel.members.order_by("position").select_related("expert__user").first()
    sections = titles(member.expert.user)
    assert [item.title for item in sections["待答复的评审邀请"].items] == ["淄博市桓台县"]
    assert sections["待完成的评分"].items == []
    accept_all(panel)
    sections = titles(member.expert.user)
    assert sections["待答复的评审邀请"].items == []
    assert [item.title for item in sections["待完成的评分"].items] == ["淄博市桓台县"]


@pytest.mark.django_db
def test_office_workbench_lists_calls_to_draw_and_panels_in_discussion(scenario):
    sections = titles(scenario.officer)
    assert [item.title for item in sections["待抽取评审专家的批次"].items] == [scenario.call.title]
    panel = drawn_panel(scenario)
    standard = standard_of(scenario)
    tiered = next(ind for ind in standard.indicators if ind.method == "tiered")
    first, second, third = accept_all(panel)
    score_and_submit(scenario, first, 3)
    score_and_submit(scenario, second, 3)
    score_and_submit(scenario, third, 3, overrides={tiered.code: 1})
    sections = titles(scenario.officer)
    assert [item.title for item in sections["分歧讨论中的评审"].items] == ["淄博市桓台县"]
    # 章丘区 still waits for its draw
    assert [item.title for item in sections["待抽取评审专家的批次"].items] == [scenario.call.title]


@pytest.mark.django_db
def test_other_users_get_no_review_sections(county_operator):
    assert "待答复的评审邀请" not in titles(county_operator)
    assert "待抽取评审专家的批次" not in titles(county_operator)


@pytest.mark.parametrize(
    ("action", "state", "role", "panel_state", "allowed"),
    [
        ("accept", MemberStatus.INVITED, workflow.SELF, PanelStatus.SCORING, True),
        ("accept", MemberStatus.INVITED, workflow.OFFICE, PanelStatus.SCORING, False),
        ("accept", MemberStatus.ACCEPTED, workflow.SELF, PanelStatus.SCORING, False),
        ("decline", MemberStatus.INVITED, workflow.SELF, PanelStatus.SCORING, True),
        ("decline", MemberStatus.WAITING, workflow.SELF, PanelStatus.SCORING, False),
        ("save", MemberStatus.ACCEPTED, workflow.SELF, PanelStatus.SCORING, True),
        ("save", MemberStatus.SUBMITTED, workflow.SELF, PanelStatus.SCORING, False),
        ("save", MemberStatus.INVITED, workflow.SELF, PanelStatus.SCORING, False),
        ("submit", MemberStatus.ACCEPTED, workflow.SELF, PanelStatus.SCORING, True),
        ("submit", MemberStatus.ACCEPTED, workflow.SELF, PanelStatus.CONCLUDED, False),
        ("replace", MemberStatus.SUBMITTED, workflow.OFFICE, PanelStatus.SCORING, True),
        ("replace", MemberStatus.ACCEPTED, workflow.OFFICE, PanelStatus.DISCUSSION, False),
        ("replace", MemberStatus.DECLINED, workflow.OFFICE, PanelStatus.SCORING, False),
        ("replace", MemberStatus.ACCEPTED, workflow.SELF, PanelStatus.SCORING, False),
        ("set_chair", MemberStatus.ACCEPTED, workflow.OFFICE, PanelStatus.DISCUSSION, True),
        ("set_chair", MemberStatus.WAITING, workflow.OFFICE, PanelStatus.SCORING, False),
    ],
)
def test_member_transitions(action, state, role, panel_state, allowed):
    assert workflow.can(action, state, role, panel_state) is allowed


def test_panel_permissions_and_blindness():
    assert workflow.can_on_panel("note", PanelStatus.DISCUSSION, workflow.SELF, MemberStatus.SUBMITTED)
    assert not workflow.can_on_panel("note", PanelStatus.SCORING, workflow.SELF, MemberStatus.SUBMITTED)
    assert not workflow.can_on_panel("note", PanelStatus.DISCUSSION, workflow.OFFICE, None)
    assert workflow.can_on_panel("resolve", PanelStatus.DISCUSSION, workflow.CHAIR, MemberStatus.SUBMITTED)
    assert not workflow.can_on_panel("resolve", PanelStatus.DISCUSSION, workflow.SELF, MemberStatus.SUBMITTED)
    assert workflow.role_may_ever("accept", workflow.SELF) and not workflow.role_may_ever(
        "accept", workflow.OFFICE
    )
    assert workflow.sees_others_scores(workflow.OFFICE, None)
    assert workflow.sees_others_scores(workflow.SELF, MemberStatus.SUBMITTED)
    assert not workflow.sees_others_scores(workflow.SELF, MemberStatus.ACCEPTED)
    assert not workflow.sees_others_scores(workflow.APPLICANT, None)
    assert workflow.PANEL_TRANSITIONS["discuss"] == (PanelStatus.SCORING, PanelStatus.DISCUSSION)
