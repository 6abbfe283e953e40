"""The draw: reproducible from its seed, conflicts excluded, load caps, coverage, refusals."""

import random

import pytest

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification
from starcity.reviews.choices import MemberRole, MemberStatus, PanelStatus
from starcity.reviews.models import DeclaredConflict, Panel, PanelMember
from starcity.reviews.services import call_draw, panel_draw
from starcity.reviews.services.draw import Candidate, choose
from starcity.reviews.testing import make_expert
from starcity.reviews.tests.test_panel_views_scenario import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def members_of(panel):
    return list(panel.members.order_by("position").values_list("expert__name", "role", "status", "is_chair"))


def test_draw_makes_panel_with_members_substitutes_chair_audit_and_invitations(scenario):
    panel = panel_draw(by=scenario.officer, application=scenario.application, seed="abc")
    rows = members_of(panel)
    assert [r[1:] for r in rows] == [
        (MemberRole.MEMBER, MemberStatus.INVITED, True),
        (MemberRole.MEMBER, MemberStatus.INVITED, False),
        (MemberRole.MEMBER, MemberStatus.INVITED, False),
        (MemberRole.SUBSTITUTE, MemberStatus.WAITING, False),
    ]
    assert panel.status == PanelStatus.SCORING and panel.seed == "abc"
    record = panel.draw_record
    assert record["eligible"] == 6 and record["pool_size"] == 6 and record["excluded"] == []
    assert [item["name"] for item in record["order"]] == [r[0] for r in rows]
    audit = AuditEntry.objects.get(action="panel.draw", target_id=str(panel.pk))
    assert audit.actor == scenario.officer and audit.to_state == PanelStatus.SCORING
    invited = {m.expert.user for m in panel.members.filter(status=MemberStatus.INVITED)}
    assert {n.recipient for n in Notification.objects.filter(kind="review_invitation")} == invited
    # one application: each invitation leads to the panel's page, named after the applicant
    for note in Notification.objects.filter(kind="review_invitation"):
        assert note.url == f"/reviews/panels/{panel.pk}/" and note.title == "评审邀请：淄博市桓台县"


def test_same_seed_and_pool_give_the_same_panel(scenario):
    first = members_of(panel_draw(by=scenario.officer, application=scenario.application, seed="s-1"))
    Panel.objects.all().delete()
    again = members_of(panel_draw(by=scenario.officer, application=scenario.application, seed="s-1"))
    assert first == again
    others = set()
    for i in range(8):
        Panel.objects.all().delete()
        others.add(
            tuple(members_of(panel_draw(by=scenario.officer, application=scenario.application, seed=f"x{i}")))
        )
    assert len(others) > 1  # the seed matters


def test_seed_is_generated_when_not_given(scenario):
    panel = panel_draw(by=scenario.officer, application=scenario.application)
    assert len(panel.seed) == 16 and panel.draw_record["seed"] == panel.seed


def test_conflicted_experts_are_excluded_with_reasons(scenario):
    zibo = make_expert("淄博专家", "370303", employer="淄博专家单位", with_account=True)
    declared = scenario.experts[0]
    DeclaredConflict.objects.create(
        expert=declared, application=scenario.application, reason="曾参与咨询", declared_by=scenario.officer
    )
    panel = panel_draw(by=scenario.officer, application=scenario.application, seed="c")
    drawn = set(panel.members.values_list("expert_id", flat=True))
    assert zibo.pk not in drawn and declared.pk not in drawn
    excluded = {item["name"]: item["conflicts"] for item in panel.draw_record["excluded"]}
    assert excluded["淄博专家"][0]["reason"] == "home_region"
    assert "淄博市" in excluded["淄博专家"][0]["detail"]
    assert excluded[declared.name][0]["reason"] == "declared"
    assert panel.draw_record["eligible"] == 5


def test_too_few_eligible_experts_is_refused_naming_application_and_numbers(scenario):
    for expert in scenario.experts[2:]:
        expert.available = False
        expert.save()
    with pytest.raises(ValidationFailed) as exc:
        panel_draw(by=scenario.officer, application=scenario.application, seed="z")
    message = str(exc.value.message)
    assert "桓台县" in message and "需要 3 位" in message and "只有 2 位" in message
    assert not Panel.objects.exists() and not PanelMember.objects.exists()
    assert not AuditEntry.objects.filter(action="panel.draw").exists()
    assert not Notification.objects.exists()


def test_load_cap_limits_active_memberships_in_the_call(scenario):
    scenario.call.expert_load_cap = 1
    scenario.call.save()
    first = panel_draw(by=scenario.officer, application=scenario.application, seed="a")
    second = panel_draw(by=scenario.officer, application=scenario.other_application, seed="a")
    first_members = set(first.members.filter(role=MemberRole.MEMBER).values_list("expert_id", flat=True))
    second_members = set(second.members.filter(role=MemberRole.MEMBER).values_list("expert_id", flat=True))
    assert not first_members & second_members
    assert set(second.draw_record["at_load_cap"]) == first_members


def test_domain_coverage_when_the_pool_allows(scenario, province_officer):
    # Only one expert per field except 优政; a panel of 3 must still cover… as much as it can;
    # with panel size 4 every field is covered.
    scenario.call.panel_size = 4
    scenario.call.save()
    for expert in scenario.experts:
        expert.fields = ["youzheng"]
        expert.save()
    for name, home, field_code in [
        ("惠民专家", "370200", "huimin"),
        ("兴业专家", "370600", "xingye"),
        ("强基专家", "370700", "qiangji"),
    ]:
        make_expert(name, home, employer=f"{name}单位", fields=[field_code], with_account=True)
    for seed in ("1", "2", "3"):
        Panel.objects.all().delete()
        panel = panel_draw(by=scenario.officer, application=scenario.application, seed=seed)
        fields = set()
        for expert in [m.expert for m in panel.members.filter(role=MemberRole.MEMBER)]:
            fields |= set(expert.fields)
        assert fields == {"youzheng", "huimin", "xingye", "qiangji"}
        assert panel.draw_record["coverage"]["missing"] == []


def test_coverage_shortfall_is_explained(scenario):
    for expert in scenario.experts:
        expert.fields = ["youzheng"]
        expert.save()
    panel = panel_draw(by=scenario.officer, application=scenario.application, seed="q")
    coverage = panel.draw_record["coverage"]
    assert set(coverage["missing"]) == {"huimin", "xingye", "qiangji"}
    assert any("没有惠民、兴业、强基领域的专家" in note for note in coverage["notes"])


def test_choose_is_pure_and_covers_fields_first():
    pool = [Candidate(i, f"e{i}", frozenset({"youzheng"})) for i in range(10)]
    pool.append(Candidate(99, "all", frozenset({"huimin", "xingye", "qiangji"})))
    drawn = choose(random.Random("k"), pool, 2, 2)
    assert 99 in [c.pk for c in drawn.members]
    assert drawn.missing_fields == []
    assert choose(random.Random("k"), pool, 2, 2) == drawn


def test_draw_refused_for_non_staff_and_wrong_state(scenario, county_operator):
    with pytest.raises(NotAllowed):
        panel_draw(by=county_operator, application=scenario.application)
    panel_draw(by=scenario.officer, application=scenario.application, seed="1")
    with pytest.raises(InvalidTransition):
        panel_draw(by=scenario.officer, application=scenario.application, seed="1")
    scenario.other_application.status = "submitted"
    scenario.other_application.save()
    with pytest.raises(InvalidTransition):
        panel_draw(by=scenario.officer, application=scenario.other_application, seed="1")
    assert Panel.objects.count() == 1


def test_call_draw_draws_every_undrawn_accepted_application(scenario):
    panels = call_draw(by=scenario.officer, call=scenario.call, seed="bulk")
    assert {p.application_id for p in panels} == {scenario.application.pk, scenario.other_application.pk}
    assert AuditEntry.objects.filter(action="panel.draw").count() == 2
    assert AuditEntry.objects.filter(action="panel.draw_call").count() == 1
    with pytest.raises(InvalidTransition):
        call_draw(by=scenario.officer, call=scenario.call, seed="bulk")


def test_call_draw_links_single_invitations_to_the_panel_and_several_to_the_queue(scenario):
    # four experts, one conflicted with each application: 01 sits on 桓台县's panel only, 04 on
    # 章丘区's only, 02 and 03 on both
    first, second, third, fourth = scenario.experts[:4]
    for expert in scenario.experts[4:]:
        expert.available = False
        expert.save()
    for expert, application in ((fourth, scenario.application), (first, scenario.other_application)):
        DeclaredConflict.objects.create(
            expert=expert, application=application, reason="r", declared_by=scenario.officer
        )
    panels = {p.application_id: p for p in call_draw(by=scenario.officer, call=scenario.call, seed="bulk")}
    notes = {n.recipient_id: n for n in Notification.objects.filter(kind="review_invitation")}
    assert set(notes) == {e.user_id for e in (first, second, third, fourth)}  # one each
    own_panel = {first: panels[scenario.application.pk], fourth: panels[scenario.other_application.pk]}
    for expert, panel in own_panel.items():
        note = notes[expert.user_id]
        assert note.url == f"/reviews/panels/{panel.pk}/"
        assert note.title == f"评审邀请：{panel.application.region.full_name}"
        assert "请打开评审页面签署无利益冲突声明" in note.body
    for expert in (second, third):
        note = notes[expert.user_id]
        assert note.url == "/reviews/" and note.title == "评审邀请：2 份申报"


def test_call_draw_is_all_or_nothing(scenario):
    # 济南's application: every expert but two lives in 济南's neighbourhood → declare conflicts
    for expert in scenario.experts[:4]:
        DeclaredConflict.objects.create(
            expert=expert, application=scenario.other_application, reason="r", declared_by=scenario.officer
        )
    with pytest.raises(ValidationFailed) as exc:
        call_draw(by=scenario.officer, call=scenario.call, seed="bulk")
    assert any("章丘区" in str(e) for e in exc.value.errors)
    assert not Panel.objects.exists()
