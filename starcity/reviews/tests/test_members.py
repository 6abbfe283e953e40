"""Members: accepting after the declaration, declining (the next substitute is invited, a conflict
may be declared), the office replacing a member or naming the chair, fresh draws."""

import pytest

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification
from starcity.reviews.choices import MemberRole, MemberStatus
from starcity.reviews.conflicts import is_conflicted
from starcity.reviews.models import DeclaredConflict, PanelMember
from starcity.reviews.services import member_accept, member_decline, member_replace, panel_set_chair
from starcity.reviews.tests.test_panel_views_scenario import (
    build_scenario,
    drawn_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def by_position(panel):
    return list(panel.members.order_by("position").select_related("expert__user"))


def test_accept_requires_the_declaration_and_records_it(scenario):
    panel = drawn_panel(scenario)
    member = by_position(panel)[0]
    with pytest.raises(ValidationFailed) as exc:
        member_accept(by=member.expert.user, member=member, declaration=False)
    assert exc.value.field == "declaration"
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED and member.declaration_signed_at is None
    member_accept(by=member.expert.user, member=member, declaration=True)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED and member.declaration_signed_at is not None
    assert AuditEntry.objects.filter(action="panel.member_accept", target_id=str(panel.pk)).count() == 1
    with pytest.raises(InvalidTransition):
        member_accept(by=member.expert.user, member=member, declaration=True)


def test_only_the_expert_answers_their_invitation(scenario):
    panel = drawn_panel(scenario)
    first, second = by_position(panel)[:2]
    with pytest.raises(NotAllowed):
        member_accept(by=second.expert.user, member=first, declaration=True)
    with pytest.raises(NotAllowed):
        member_decline(by=scenario.officer, member=first, reason="x")


def test_decline_invites_the_next_substitute(scenario):
    panel = drawn_panel(scenario)
    members = by_position(panel)
    declining, substitute = members[1], members[3]
    assert substitute.status == MemberStatus.WAITING
    Notification.objects.all().delete()
    _declined, successor = member_decline(by=declining.expert.user, member=declining, reason="出差")
    assert successor.pk == substitute.pk
    substitute.refresh_from_db()
    assert substitute.status == MemberStatus.INVITED and substitute.role == MemberRole.MEMBER
    assert substitute.replaces_id == declining.pk and substitute.invited_at is not None
    declining.refresh_from_db()
    assert declining.status == MemberStatus.DECLINED and declining.reason == "出差"
    note = Notification.objects.get(kind="review_invitation")
    # one application: the invitation leads to that panel's page, where they answer it
    assert note.recipient == substitute.expert.user and note.url == f"/reviews/panels/{panel.pk}/"
    audit = AuditEntry.objects.get(action="panel.member_decline")
    assert audit.reason == "出差" and audit.extra["successor"] == substitute.pk


def test_decline_needs_a_reason(scenario):
    panel = drawn_panel(scenario)
    member = by_position(panel)[0]
    with pytest.raises(ValidationFailed):
        member_decline(by=member.expert.user, member=member, reason="  ")
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED


def test_decline_with_a_declared_conflict_records_it(scenario):
    panel = drawn_panel(scenario)
    member = by_position(panel)[0]
    member_decline(
        by=member.expert.user, member=member, reason="我曾为该县做过规划咨询", declare_conflict=True
    )
    declared = DeclaredConflict.objects.get(expert=member.expert)
    assert declared.application == scenario.application and declared.declared_by == member.expert.user
    assert is_conflicted(member.expert, scenario.application)


def test_chair_passes_to_the_first_active_member_when_the_chair_declines(scenario):
    panel = drawn_panel(scenario)
    chair, second = by_position(panel)[:2]
    assert chair.is_chair
    member_decline(by=chair.expert.user, member=chair, reason="r")
    second.refresh_from_db()
    chair.refresh_from_db()
    assert second.is_chair and not chair.is_chair


def test_without_substitutes_a_fresh_expert_is_drawn_reproducibly(scenario):
    scenario.call.substitutes = 0
    scenario.call.save()
    panel = drawn_panel(scenario, seed="fresh")
    member = by_position(panel)[0]
    _declined, successor = member_decline(by=member.expert.user, member=member, reason="r")
    assert successor is not None and successor.position == 4 and successor.status == MemberStatus.INVITED
    assert successor.expert_id not in {m.expert_id for m in by_position(panel) if m.pk != successor.pk}
    event = panel.__class__.objects.get(pk=panel.pk).draw_record["events"][0]
    assert event["kind"] == "fresh" and event["successor"]["expert"] == successor.expert_id


def test_nobody_left_tells_the_office(scenario):
    scenario.call.substitutes = 0
    scenario.call.save()
    panel = drawn_panel(scenario)
    for expert in scenario.experts:
        expert.available = False
        expert.save()
    member = by_position(panel)[0]
    _declined, successor = member_decline(by=member.expert.user, member=member, reason="r")
    assert successor is None
    assert Notification.objects.filter(kind="review_panel_short", recipient=scenario.officer).exists()
    events = panel.__class__.objects.get(pk=panel.pk).draw_record["events"]
    assert events[-1]["kind"] == "unfilled"


def test_a_substitute_now_conflicted_is_skipped(scenario):
    panel = drawn_panel(scenario)
    members = by_position(panel)
    substitute = members[3]
    DeclaredConflict.objects.create(
        expert=substitute.expert, application=scenario.application, reason="r", declared_by=scenario.officer
    )
    _declined, successor = member_decline(by=members[0].expert.user, member=members[0], reason="r")
    assert successor is not None and successor.pk != substitute.pk
    substitute.refresh_from_db()
    assert substitute.status == MemberStatus.WAITING
    assert not Notification.objects.filter(
        recipient=substitute.expert.user, kind="review_invitation"
    ).exists()


def test_office_replaces_a_member_with_a_reason(scenario):
    panel = drawn_panel(scenario)
    members = by_position(panel)
    target = members[2]
    Notification.objects.all().delete()
    with pytest.raises(ValidationFailed):
        member_replace(by=scenario.officer, member=target, reason="")
    _replaced, successor = member_replace(by=scenario.officer, member=target, reason="工作冲突")
    target.refresh_from_db()
    assert target.status == MemberStatus.REPLACED and target.reason == "工作冲突"
    assert successor.pk == members[3].pk and successor.status == MemberStatus.INVITED
    audit = AuditEntry.objects.get(action="panel.member_replace")
    assert audit.from_state == MemberStatus.INVITED and audit.to_state == MemberStatus.REPLACED
    assert Notification.objects.filter(recipient=target.expert.user, kind="review_replaced").exists()
    assert Notification.objects.filter(recipient=successor.expert.user, kind="review_invitation").exists()


def test_a_replaced_conflicted_expert_is_not_notified(scenario):
    panel = drawn_panel(scenario)
    target = by_position(panel)[0]
    DeclaredConflict.objects.create(
        expert=target.expert, application=scenario.application, reason="r", declared_by=scenario.officer
    )
    Notification.objects.all().delete()
    member_replace(by=scenario.officer, member=target, reason="利益冲突")
    assert not Notification.objects.filter(recipient=target.expert.user).exists()


def test_replace_is_for_the_office_and_active_members(scenario):
    panel = drawn_panel(scenario)
    members = by_position(panel)
    with pytest.raises(NotAllowed):
        member_replace(by=members[1].expert.user, member=members[0], reason="r")
    with pytest.raises(InvalidTransition):
        member_replace(by=scenario.officer, member=members[3], reason="r")  # a waiting substitute
    assert not AuditEntry.objects.filter(action="panel.member_replace").exists()


def test_office_names_another_chair(scenario):
    panel = drawn_panel(scenario)
    chair, other = by_position(panel)[:2]
    panel_set_chair(by=scenario.officer, member=other)
    chair.refresh_from_db()
    other.refresh_from_db()
    assert other.is_chair and not chair.is_chair
    assert PanelMember.objects.filter(panel=panel, is_chair=True).count() == 1
    assert Notification.objects.filter(recipient=other.expert.user, kind="review_chair").exists()
    with pytest.raises(InvalidTransition):
        panel_set_chair(by=scenario.officer, member=other)
    with pytest.raises(NotAllowed):
        panel_set_chair(by=other.expert.user, member=chair)


def test_accepting_while_conflicted_is_refused(scenario):
    panel = drawn_panel(scenario)
    member = by_position(panel)[0]
    DeclaredConflict.objects.create(
        expert=member.expert, application=scenario.application, reason="r", declared_by=scenario.officer
    )
    with pytest.raises(NotAllowed):
        member_accept(by=member.expert.user, member=member, declaration=True)
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED


def test_an_unfilled_place_lets_the_panel_conclude_with_the_others(scenario):
    from starcity.reviews.choices import PanelStatus
    from starcity.reviews.services import member_accept
    from starcity.reviews.tests.test_panel_views_scenario import score_and_submit

    scenario.call.substitutes = 0
    scenario.call.save()
    panel = drawn_panel(scenario)
    first, second, third = by_position(panel)
    for member in (first, second):
        member_accept(by=member.expert.user, member=member, declaration=True)
        member.refresh_from_db()
        score_and_submit(scenario, member, 3)
    for expert in scenario.experts:
        expert.available = False
        expert.save()
    member_decline(by=third.expert.user, member=third, reason="r")
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED and panel.verified_grade == 3
