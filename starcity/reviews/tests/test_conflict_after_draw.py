"""A conflict found after the draw takes the expert off the panel: declaring a conflict (the
expert or the office) or editing the expert's regions replaces every active membership now in
conflict (the next substitute or a fresh expert is invited), the chair is handed over (notified,
audited), a discussing panel scores again, the office is told. A conflicted member's scores never
count and a conflicted chair gets no notices and may not resolve, even before the service ran.
A concluded panel keeps its record. An expert may name only applications of panels they sit on."""

import pytest
from django.urls import reverse

from starcity.core.errors import NotAllowed
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification
from starcity.regions.models import Region
from starcity.reviews.choices import MemberRole, MemberStatus, PanelStatus
from starcity.reviews.conclusion import panel_inputs, panel_resolve
from starcity.reviews.models import DeclaredConflict, Expert, PanelMember, Resolution, Score
from starcity.reviews.selectors import applications_of_expert
from starcity.reviews.services import (
    member_accept,
    member_decline,
    member_replace,
    member_vacate_for_conflict,
)
from starcity.reviews.services.experts import ExpertData, conflict_declare, expert_update
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    score_and_submit,
    standard_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def tiered_codes(scenario, count=2):
    return [ind.code for ind in standard_of(scenario).indicators if ind.method == "tiered"][:count]


def waiting(panel):
    return panel.members.select_related("expert__user").get(status=MemberStatus.WAITING)


def nobody_left_to_invite(panel):
    """Every expert not active on the panel (the waiting substitute included) is unavailable."""
    active = panel.members.filter(status__in=[MemberStatus.ACCEPTED, MemberStatus.SUBMITTED])
    Expert.objects.exclude(pk__in=active.values("expert_id")).update(available=False)


def office_notice(scenario):
    return Notification.objects.get(recipient=scenario.officer, kind="review_member_conflict")


def data_of(expert, **changes):
    values = {
        "name": expert.name,
        "employer": expert.employer,
        "home_region": expert.home_region,
        "employer_region": expert.employer_region,
        "fields": list(expert.fields),
        "available": expert.available,
        "phone": expert.phone,
        "email": expert.email,
        "notes": expert.notes,
        "user": expert.user,
    }
    return ExpertData(**{**values, **changes})


# ---------------------------------------------------------------- the member leaves


def test_a_declared_conflict_replaces_the_member_and_invites_the_substitute(scenario):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    leaving, substitute = members[1], waiting(panel)
    Notification.objects.all().delete()
    conflict_declare(
        by=leaving.expert.user,
        expert=leaving.expert,
        application=scenario.application,
        reason="亲属在申报单位任职",
    )
    leaving.refresh_from_db()
    substitute.refresh_from_db()
    assert leaving.status == MemberStatus.REPLACED and "亲属在申报单位任职" in leaving.reason
    assert substitute.status == MemberStatus.INVITED and substitute.replaces_id == leaving.pk
    assert substitute.role == MemberRole.MEMBER
    audit = AuditEntry.objects.get(action="panel.member_conflict")
    assert audit.target_id == str(panel.pk)
    assert (audit.from_state, audit.to_state) == (MemberStatus.ACCEPTED, MemberStatus.REPLACED)
    assert audit.extra["member"] == leaving.pk and audit.extra["successor"] == substitute.pk
    assert audit.extra["conflicts"] == ["declared"]
    notice = office_notice(scenario)
    assert leaving.expert.name in notice.title and substitute.expert.name in notice.body
    assert notice.url == f"/reviews/panels/{panel.pk}/"
    assert Notification.objects.filter(recipient=substitute.expert.user, kind="review_invitation").exists()
    assert not Notification.objects.filter(recipient=leaving.expert.user).exists()
    assert leaving.pk not in [m.pk for m in panel_inputs(panel).members]


def test_a_submitted_members_scores_stop_counting(scenario):
    panel = drawn_panel(scenario)
    first, second, third = accept_all(panel)
    score_and_submit(scenario, first, 3)
    score_and_submit(scenario, third, 1)
    region = Region.objects.get(code="370300")  # 淄博, the applicant's city
    conflict_declare(by=scenario.officer, expert=third.expert, region=region, reason="曾在淄博市任职")
    third.refresh_from_db()
    assert third.status == MemberStatus.REPLACED
    assert Score.objects.filter(member=third).exists()  # the record stays, it no longer counts
    inputs = panel_inputs(panel)
    assert third.pk not in [m.pk for m in inputs.members]
    assert [m.pk for m in inputs.members] == [first.pk, second.pk, waiting_or_invited(panel).pk]


def waiting_or_invited(panel):
    return panel.members.get(status=MemberStatus.INVITED)


def test_the_panel_no_longer_waits_for_a_conflicted_member(scenario):
    """The last member who had not submitted leaves and nobody can replace them: the panel is
    aggregated from the others at once instead of waiting forever; the office is told."""
    panel = drawn_panel(scenario)
    first, second, third = accept_all(panel)
    score_and_submit(scenario, first, 3)
    score_and_submit(scenario, second, 3)
    nobody_left_to_invite(panel)
    zibo = Region.objects.get(code="370303")  # the expert moved to 淄博市张店区
    expert_update(by=scenario.officer, expert=third.expert, data=data_of(third.expert, home_region=zibo))
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    assert len(panel.aggregate["indicators"][0]["scores"]) == 2
    third.refresh_from_db()
    assert third.status == MemberStatus.REPLACED and "淄博市" in third.reason
    assert "暂缺一人" in office_notice(scenario).body
    assert AuditEntry.objects.get(action="panel.member_conflict").extra["successor"] is None


def test_an_edit_that_changes_nothing_relevant_leaves_the_panel_alone(scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    expert_update(by=scenario.officer, expert=member.expert, data=data_of(member.expert, notes="新的备注"))
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED
    assert not AuditEntry.objects.filter(action="panel.member_conflict").exists()


# ---------------------------------------------------------------- the chair leaves


@pytest.fixture
def discussing(scenario):
    """A panel in discussion on two tiered indicators (the chair scored them 1, the others 3);
    the chair resolved the first."""
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    chair = next(m for m in members if m.is_chair)
    first, second = tiered_codes(scenario)
    for member in members:
        overrides = {first: 1, second: 1} if member.pk == chair.pk else None
        score_and_submit(scenario, member, 3, overrides=overrides)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.DISCUSSION
    panel_resolve(by=chair.expert.user, panel=panel, indicator=first, value="2", reason="按材料核定")
    panel.refresh_from_db()
    assert panel.status == PanelStatus.DISCUSSION
    return panel, members, chair


def test_a_conflicted_chair_hands_over_and_the_panel_scores_again(scenario, discussing):
    panel, members, chair = discussing
    heir = next(m for m in members if m.pk != chair.pk)
    substitute = waiting(panel)
    Notification.objects.all().delete()
    conflict_declare(
        by=scenario.officer,
        expert=chair.expert,
        region=Region.objects.get(code="370321"),
        reason="配偶在桓台县工作",
    )
    panel.refresh_from_db()
    chair.refresh_from_db()
    heir.refresh_from_db()
    assert chair.status == MemberStatus.REPLACED and not chair.is_chair
    assert heir.is_chair
    assert panel.status == PanelStatus.SCORING  # the substitute must score
    assert not Resolution.objects.filter(panel=panel).exists()  # the conflicted chair's resolution
    reopen = AuditEntry.objects.get(action="panel.reopen")
    assert (reopen.from_state, reopen.to_state) == (PanelStatus.DISCUSSION, PanelStatus.SCORING)
    conflict = AuditEntry.objects.get(action="panel.member_conflict")
    assert conflict.extra["reopened"] is True
    assert conflict.extra["withdrawn_resolutions"] == [tiered_codes(scenario)[0]]
    handover = AuditEntry.objects.get(action="panel.chair_handover")
    assert handover.extra == {"member": heir.pk, "position": heir.position, "previous": chair.pk}
    told = Notification.objects.get(kind="review_chair")
    assert told.recipient == heir.expert.user and told.url == f"/reviews/panels/{panel.pk}/"
    assert not Notification.objects.filter(recipient=chair.expert.user).exists()
    # the substitute accepts and scores like the others: nothing left to discuss
    substitute.refresh_from_db()
    member_accept(by=substitute.expert.user, member=substitute, declaration=True)
    score_and_submit(scenario, PanelMember.objects.get(pk=substitute.pk), 3)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    assert len(panel.aggregate["indicators"][0]["scores"]) == 3


def test_without_a_successor_the_remaining_members_conclude(scenario, discussing):
    panel, _members, chair = discussing
    nobody_left_to_invite(panel)
    conflict_declare(
        by=chair.expert.user, expert=chair.expert, application=scenario.application, reason="回避"
    )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED  # the two others agree on everything
    assert not any(item["flagged"] for item in panel.aggregate["indicators"])


def test_a_chair_who_declines_is_handed_over_with_a_notice_and_an_audit_row(scenario):
    panel = drawn_panel(scenario)
    chair, second = list(panel.members.order_by("position").select_related("expert__user"))[:2]
    assert chair.is_chair
    Notification.objects.all().delete()
    member_decline(by=chair.expert.user, member=chair, reason="出差")
    second.refresh_from_db()
    assert second.is_chair
    handover = AuditEntry.objects.get(action="panel.chair_handover")
    assert handover.extra["member"] == second.pk and handover.extra["previous"] == chair.pk
    assert Notification.objects.filter(recipient=second.expert.user, kind="review_chair").exists()


def test_the_chair_goes_to_a_member_who_signed_before_one_still_invited(scenario):
    panel = drawn_panel(scenario)
    chair, second, third = list(panel.members.order_by("position").select_related("expert__user"))[:3]
    member_accept(by=chair.expert.user, member=chair, declaration=True)
    member_accept(by=third.expert.user, member=third, declaration=True)
    member_replace(by=scenario.officer, member=chair, reason="工作调整")
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.is_chair and not second.is_chair


# ---------------------------------------------------------------- concluded panels


def test_a_concluded_panel_keeps_its_record_and_the_office_is_told(scenario):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    for member in members:
        score_and_submit(scenario, member, 3)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    result = (panel.verified_grade, panel.verified_score, panel.aggregate)
    conflict_declare(
        by=scenario.officer, expert=members[0].expert, application=scenario.application, reason="r"
    )
    panel.refresh_from_db()
    members[0].refresh_from_db()
    assert members[0].status == MemberStatus.SUBMITTED
    assert (panel.status, panel.verified_grade, panel.verified_score, panel.aggregate) == (
        PanelStatus.CONCLUDED,
        *result,
    )
    assert AuditEntry.objects.filter(action="panel.conflict_after_conclusion").count() == 1
    assert "评审已完成" in office_notice(scenario).body
    assert len(panel_inputs(panel).members) == 3  # the record it concluded with


def test_the_service_does_nothing_without_a_conflict(scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    assert member_vacate_for_conflict(by=scenario.officer, expert=member.expert) == []
    assert not Notification.objects.filter(kind="review_member_conflict").exists()


# ---------------------------------------------------------------- before the service ran


def test_a_conflicted_member_never_counts_nor_chairs(scenario):
    """A conflict recorded without the service (say, written by another path): the aggregate
    leaves the member out, the chair gets no discussion notice and may not resolve."""
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    chair = next(m for m in members if m.is_chair)
    others = [m for m in members if m.pk != chair.pk]
    code = tiered_codes(scenario, 1)[0]
    score_and_submit(scenario, chair, 5)
    DeclaredConflict.objects.create(
        expert=chair.expert, application=scenario.application, reason="r", declared_by=scenario.officer
    )
    score_and_submit(scenario, others[0], 3, overrides={code: 1})
    score_and_submit(scenario, others[1], 3)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.DISCUSSION
    inputs = panel_inputs(panel)
    assert [m.pk for m in inputs.members] == [m.pk for m in others]
    assert not Notification.objects.filter(kind="panel.discussion", recipient=chair.expert.user).exists()
    with pytest.raises(NotAllowed):
        panel_resolve(by=chair.expert.user, panel=panel, indicator=code, value="2", reason="r")


# ---------------------------------------------------------------- what an expert may declare on


def test_an_expert_names_only_applications_of_panels_they_sit_on(client, scenario):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    substitute = waiting(panel)
    assert applications_of_expert(members[0].expert).filter(pk=scenario.application.pk).exists()
    assert not applications_of_expert(substitute.expert).filter(pk=scenario.application.pk).exists()
    # the page's form offers the same applications: none to a waiting substitute
    client.force_login(substitute.expert.user)
    offered = client.get(reverse("reviews:my_conflicts")).context["form"].fields["application"].queryset
    assert not offered.exists()
    response = client.post(
        reverse("reviews:my_conflict_declare"), {"application": scenario.application.pk, "reason": "r"}
    )
    assert response.status_code == 400 and not DeclaredConflict.objects.exists()
    client.force_login(members[0].expert.user)
    offered = client.get(reverse("reviews:my_conflicts")).context["form"].fields["application"].queryset
    assert list(offered.values_list("pk", flat=True)) == [scenario.application.pk]
    # a replaced member no longer sits on the panel
    member_replace(by=scenario.officer, member=members[1], reason="工作调整")
    assert not applications_of_expert(members[1].expert).filter(pk=scenario.application.pk).exists()
    # a computed conflict (the expert moved into 淄博) hides the panel at once
    moved = members[2].expert
    moved.home_region = Region.objects.get(code="370303")
    moved.save()
    assert not applications_of_expert(moved).filter(pk=scenario.application.pk).exists()


def test_declaring_from_the_experts_page_takes_them_off_the_panel(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    client.force_login(member.expert.user)
    response = client.post(
        reverse("reviews:my_conflict_declare"),
        {"application": scenario.application.pk, "reason": "本人参与过申报材料编制"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.REPLACED
    assert client.get(reverse("reviews:panel_detail", args=[panel.pk])).status_code == 404


def test_the_office_declaring_for_an_expert_takes_them_off_the_panel(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[1]
    client.force_login(scenario.officer)
    response = client.post(
        reverse("reviews:expert_conflict_declare", args=[member.expert.pk]),
        {"region": Region.objects.get(code="370300").pk, "reason": "在淄博市兼职"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.REPLACED
    page = client.get(reverse("reviews:panel_detail", args=[panel.pk])).content.decode()
    assert "发现利益冲突" in page
