"""Panel pages: each view's permissions (anonymous, wrong role, unassigned or conflicted expert),
wrong state (409, nothing changed, no audit row), happy path, GET on a POST-only URL (405), and
blindness: an expert sees only their own scores until submitting, then the others' without
names; applicants see the panel's aggregate once concluded, never who scored what."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from starcity.calls.models import ApplicationMaterial
from starcity.calls.snapshots import application_snapshot
from starcity.core import clock
from starcity.core.models import AuditEntry
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.models import DeclaredConflict, Panel, Resolution, Score
from starcity.reviews.services import scorecard_save
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    make_pool,
    score_and_submit,
    standard_of,
    values_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def members(panel):
    return list(panel.members.order_by("position").select_related("expert__user"))


def audit_count():
    return AuditEntry.objects.count()


@pytest.fixture
def outsider(scenario):
    """An expert of the pool with a login who is on no panel (not available for draws)."""
    expert = make_pool(1, prefix="外部专家")[0]
    expert.available = False
    expert.save()
    return expert


# ---------------------------------------------------------------- home and overview


def test_anonymous_is_sent_to_login(client, scenario):
    panel = drawn_panel(scenario)
    for target in [url("home"), url("call_panels", scenario.call.pk), url("panel_detail", panel.pk)]:
        response = client.get(target)
        assert response.status_code == 302 and "/login" in response["Location"]
    response = client.post(url("panel_accept", panel.pk), {"declaration": "on"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_expert_home_lists_their_queue(client, scenario):
    panel = drawn_panel(scenario)
    invited = members(panel)[0]
    page = login(client, invited.expert.user).get(url("home")).content.decode()
    assert "淄博市桓台县" in page and "答复邀请" in page
    substitute = members(panel)[3]
    page = login(client, substitute.expert.user).get(url("home")).content.decode()
    assert "淄博市桓台县" not in page  # a waiting substitute is not invited yet


def test_office_home_and_call_overview(client, scenario):
    drawn_panel(scenario)
    login(client, scenario.officer)
    assert scenario.call.title in client.get(url("home")).content.decode()
    page = client.get(url("call_panels", scenario.call.pk)).content.decode()
    assert "淄博市桓台县" in page and "济南市章丘区" in page
    assert url("panel_draw", scenario.other_application.pk) in page  # the undrawn one has a button
    assert url("panel_draw", scenario.application.pk) not in page


def test_call_overview_is_for_the_office(client, scenario, county_operator):
    assert login(client, county_operator).get(url("call_panels", scenario.call.pk)).status_code == 403


def test_applicant_home_shows_concluded_results_only(client, scenario, county_operator):
    panel = drawn_panel(scenario)
    assert "专家评审结果" not in login(client, county_operator).get(url("home")).content.decode()
    for member in accept_all(panel):
        score_and_submit(scenario, member, 3)
    page = login(client, county_operator).get(url("home")).content.decode()
    assert "专家评审结果" in page and url("panel_detail", panel.pk) in page


# ---------------------------------------------------------------- draws


def test_draw_one_application(client, scenario):
    response = login(client, scenario.officer).post(
        url("panel_draw", scenario.application.pk), {"seed": "web"}
    )
    panel = Panel.objects.get(application=scenario.application)
    assert response.status_code == 302 and response["Location"] == url("panel_detail", panel.pk)
    assert panel.seed == "web"
    before = audit_count()
    response = client.post(url("panel_draw", scenario.application.pk), {"seed": "again"})
    assert response.status_code == 409 and audit_count() == before
    assert Panel.objects.count() == 1


def test_draw_views_refuse_others_and_get(client, scenario, county_operator):
    login(client, county_operator)
    assert client.post(url("panel_draw", scenario.application.pk)).status_code == 404
    assert client.post(url("call_draw", scenario.call.pk)).status_code == 403
    login(client, scenario.officer)
    assert client.get(url("panel_draw", scenario.application.pk)).status_code == 405
    assert client.get(url("call_draw", scenario.call.pk)).status_code == 405
    assert not Panel.objects.exists()


def test_call_draw_view(client, scenario):
    login(client, scenario.officer)
    response = client.post(url("call_draw", scenario.call.pk), {"seed": "x" * 65})
    assert response.status_code == 400 and not Panel.objects.exists()
    response = client.post(url("call_draw", scenario.call.pk), {"seed": "b"})
    assert response.status_code == 302 and Panel.objects.count() == 2
    response = client.post(url("call_draw", scenario.call.pk), {"seed": "b"})
    assert response.status_code == 409


def test_call_draw_shortage_names_the_applications(client, scenario):
    for expert in scenario.experts[1:]:
        expert.available = False
        expert.save()
    response = login(client, scenario.officer).post(url("call_draw", scenario.call.pk), {"seed": "b"})
    page = response.content.decode()
    assert response.status_code == 400 and "淄博市桓台县" in page and "济南市章丘区" in page
    assert not Panel.objects.exists()


# ---------------------------------------------------------------- the panel page


def test_invited_expert_sees_only_name_and_level(client, scenario):
    panel = drawn_panel(scenario)
    invited = members(panel)[0]
    page = login(client, invited.expert.user).get(url("panel_detail", panel.pk)).content.decode()
    assert "淄博市桓台县" in page and "无利益冲突声明" in page
    assert "申报内容" not in page and "自评值" not in page and "一网通办提质" not in page


def test_office_sees_everything_with_names_and_the_draw_record(client, scenario):
    panel = drawn_panel(scenario)
    page = login(client, scenario.officer).get(url("panel_detail", panel.pk)).content.decode()
    for member in members(panel):
        assert member.expert.name in page
    assert "抽取记录" in page and "seed" in page and "一网通办提质" in page


def test_unassigned_expert_and_other_applicants_get_404(
    client, scenario, outsider, county_operator_other_city
):
    panel = drawn_panel(scenario)
    assert login(client, outsider.user).get(url("panel_detail", panel.pk)).status_code == 404
    assert login(client, county_operator_other_city).get(url("panel_detail", panel.pk)).status_code == 404


def test_applicant_sees_nothing_before_the_conclusion(client, scenario, county_operator, city_operator):
    panel = drawn_panel(scenario)
    assert login(client, county_operator).get(url("panel_detail", panel.pk)).status_code == 404
    assert login(client, city_operator).get(url("panel_detail", panel.pk)).status_code == 404


# ---------------------------------------------------------------- accept and decline


def test_accept_view(client, scenario):
    panel = drawn_panel(scenario)
    invited = members(panel)[0]
    login(client, invited.expert.user)
    assert client.get(url("panel_accept", panel.pk)).status_code == 405
    before = audit_count()
    response = client.post(url("panel_accept", panel.pk), {})
    assert response.status_code == 400 and "须勾选并签署无利益冲突声明" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == MemberStatus.INVITED and audit_count() == before
    response = client.post(url("panel_accept", panel.pk), {"declaration": "on"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.status == MemberStatus.ACCEPTED and invited.declaration_signed_at is not None
    before = audit_count()
    assert client.post(url("panel_accept", panel.pk), {"declaration": "on"}).status_code == 409
    assert audit_count() == before
    page = client.get(url("panel_detail", panel.pk)).content.decode()
    assert "申报内容" in page and "一网通办提质" in page and "保存评分" in page


def test_office_may_not_accept_for_an_expert(client, scenario):
    panel = drawn_panel(scenario)
    assert (
        login(client, scenario.officer).post(url("panel_accept", panel.pk), {"declaration": "on"}).status_code
        == 403
    )


def test_decline_view(client, scenario):
    panel = drawn_panel(scenario)
    invited = members(panel)[1]
    login(client, invited.expert.user)
    response = client.post(url("panel_decline", panel.pk), {"reason": ""})
    assert response.status_code == 400 and "请填写谢绝理由" in response.content.decode()
    response = client.post(url("panel_decline", panel.pk), {"reason": "时间冲突", "declare_conflict": "on"})
    assert response.status_code == 302 and response["Location"] == url("home")
    invited.refresh_from_db()
    assert invited.status == MemberStatus.DECLINED
    assert DeclaredConflict.objects.filter(expert=invited.expert, application=scenario.application).exists()
    assert members(panel)[3].status == MemberStatus.INVITED
    # declined (and now conflicted): the panel is gone for them
    assert client.get(url("panel_detail", panel.pk)).status_code == 404


# ---------------------------------------------------------------- scorecards


def form_data(standard, grade, **overrides):
    from starcity.reviews.services import entry_text

    values = values_for(standard, grade)
    data = {}
    for ind in standard.indicators:
        data[f"v__{ind.code}"] = entry_text(ind, values[ind.code])
        data[f"c__{ind.code}"] = ""
    data.update(overrides)
    return data


def test_save_view_plain_and_htmx(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    login(client, member.expert.user)
    assert client.get(url("panel_save", panel.pk)).status_code == 405
    first = standard.indicators[0]
    data = form_data(standard, 3, **{f"c__{first.code}": "台账核实无误"})
    response = client.post(url("panel_save", panel.pk), data)
    assert response.status_code == 302
    assert Score.objects.filter(member=member, value__isnull=False).count() == len(standard.indicators)
    assert Score.objects.get(member=member, indicator=first.code).comment == "台账核实无误"
    response = client.post(url("panel_save", panel.pk), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "评分已保存" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_save_errors_name_the_indicator_and_save_nothing(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    threshold = next(ind for ind in standard.indicators if ind.method == "threshold")
    login(client, member.expert.user)
    data = form_data(standard, 3, **{f"v__{threshold.code}": "很多"})
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(url("panel_save", panel.pk), data, **extra)
        assert response.status_code == 400
        assert f"{threshold.code} {threshold.name}：请填写数字" in response.content.decode()
    assert not Score.objects.filter(member=member).exists()


def test_save_refused_before_accepting_and_for_the_office(client, scenario):
    panel = drawn_panel(scenario)
    invited = members(panel)[0]
    standard = standard_of(scenario)
    before = audit_count()
    assert (
        login(client, invited.expert.user)
        .post(url("panel_save", panel.pk), form_data(standard, 3))
        .status_code
        == 409
    )
    assert (
        login(client, scenario.officer).post(url("panel_save", panel.pk), form_data(standard, 3)).status_code
        == 403
    )
    assert not Score.objects.exists() and audit_count() == before


def test_submit_view(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    login(client, member.expert.user)
    assert client.get(url("panel_submit", panel.pk)).status_code == 405
    response = client.post(url("panel_submit", panel.pk))
    assert response.status_code == 400 and "没有核定值" in response.content.decode()
    client.post(url("panel_save", panel.pk), form_data(standard, 3))
    assert client.post(url("panel_submit", panel.pk)).status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.SUBMITTED
    before = audit_count()
    assert client.post(url("panel_submit", panel.pk)).status_code == 409
    assert client.post(url("panel_save", panel.pk), form_data(standard, 1)).status_code == 409
    assert audit_count() == before


# ---------------------------------------------------------------- blindness


def test_blind_until_submitted_then_anonymous(client, scenario):
    panel = drawn_panel(scenario)
    first, second, third = accept_all(panel)
    standard = standard_of(scenario)
    code = standard.indicators[0].code
    scorecard_save(
        by=second.expert.user,
        member=second,
        standard=standard,
        values=values_for(standard, 3),
        comments={code: "第二位专家的意见"},
    )
    page = login(client, first.expert.user).get(url("panel_detail", panel.pk)).content.decode()
    assert "第二位专家的意见" not in page and second.expert.name not in page
    score_and_submit(scenario, second, 3)
    score_and_submit(scenario, first, 3)
    page = client.get(url("panel_detail", panel.pk)).content.decode()
    assert "第二位专家的意见" in page and "专家 2" in page
    for other in (second, third):
        assert other.expert.name not in page
    # the third has not submitted yet: still blind
    page = login(client, third.expert.user).get(url("panel_detail", panel.pk)).content.decode()
    assert "第二位专家的意见" not in page


def test_applicant_sees_the_aggregate_without_names_or_individual_scores(
    client, scenario, county_operator, city_operator
):
    panel = drawn_panel(scenario)
    standard = standard_of(scenario)
    code = standard.indicators[0].code
    for member in accept_all(panel):
        scorecard_save(
            by=member.expert.user,
            member=member,
            standard=standard,
            values=values_for(standard, 3),
            comments={code: f"意见{member.pk}"},
        )
        score_and_submit(scenario, member, 3)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    for user in (county_operator, city_operator):
        response = login(client, user).get(url("panel_detail", panel.pk))
        page = response.content.decode()
        assert response.status_code == 200 and "专家组评定结果" in page
        for member in members(panel):
            assert member.expert.name not in page and f"意见{member.pk}" not in page
        assert "专家 1" not in page and "抽取记录" not in page


# ---------------------------------------------------------------- discussion and resolution


def flagged(scenario):
    standard = standard_of(scenario)
    tiered = next(ind for ind in standard.indicators if ind.method == "tiered")
    panel = drawn_panel(scenario)
    active = accept_all(panel)
    score_and_submit(scenario, active[0], 3)
    score_and_submit(scenario, active[1], 3)
    score_and_submit(scenario, active[2], 3, overrides={tiered.code: 1})
    panel.refresh_from_db()
    assert panel.status == PanelStatus.DISCUSSION
    return panel, active, tiered


def test_note_and_resolution_views(client, scenario):
    panel, active, tiered = flagged(scenario)
    chair, member = active[0], active[1]
    assert chair.is_chair
    login(client, member.expert.user)
    page = client.get(url("panel_detail", panel.pk)).content.decode()
    assert "分歧讨论" in page and tiered.code in page
    assert client.get(url("panel_note", panel.pk)).status_code == 405
    response = client.post(url("panel_note", panel.pk), {"indicator": tiered.code, "text": "材料支持 3 档"})
    assert response.status_code == 302
    assert (
        client.post(
            url("panel_resolve", panel.pk), {"indicator": tiered.code, "value": "3", "reason": "r"}
        ).status_code
        == 403
    )
    login(client, chair.expert.user)
    response = client.post(
        url("panel_resolve", panel.pk), {"indicator": tiered.code, "value": "3", "reason": ""}
    )
    assert response.status_code == 400 and not Resolution.objects.exists()
    response = client.post(
        url("panel_resolve", panel.pk), {"indicator": tiered.code, "value": "3", "reason": "经讨论按材料认定"}
    )
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    assert Resolution.objects.get().reason == "经讨论按材料认定"
    before = audit_count()
    assert (
        client.post(url("panel_note", panel.pk), {"indicator": tiered.code, "text": "晚了"}).status_code
        == 409
    )
    assert audit_count() == before


# ---------------------------------------------------------------- materials


@pytest.fixture
def with_material(scenario, settings, tmp_path, county_operator):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    application = scenario.application
    material = ApplicationMaterial(
        application=application,
        kind="report",
        original_name="申请报告.pdf",
        content_kind="pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=county_operator,
    )
    material.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=False)
    material.save()
    revision = application.revisions.get()
    revision.snapshot = application_snapshot(application, number=1, submitted_at=clock.now())
    revision.save()
    return material


def test_materials_for_signed_members_and_the_office_only(client, scenario, with_material, outsider):
    panel = drawn_panel(scenario)
    target = url("panel_material", panel.pk, with_material.pk)
    invited = members(panel)[0]
    assert login(client, invited.expert.user).get(target).status_code == 404
    accept_all(panel)
    response = login(client, invited.expert.user).get(target)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    assert "attachment" in response["Content-Disposition"]
    assert login(client, scenario.officer).get(target).status_code == 200
    assert login(client, outsider.user).get(target).status_code == 404
    page = login(client, invited.expert.user).get(url("panel_detail", panel.pk)).content.decode()
    assert target in page and "申请报告.pdf" in page


def test_material_not_in_the_revision_is_not_served(client, scenario, with_material):
    panel = drawn_panel(scenario)
    accept_all(panel)
    later = ApplicationMaterial.objects.create(
        application=scenario.application,
        kind="material",
        file=with_material.file.name,
        original_name="草稿.pdf",
        content_kind="pdf",
        size=8,
        sha256="1" * 64,
        uploaded_by=with_material.uploaded_by,
    )
    assert login(client, scenario.officer).get(url("panel_material", panel.pk, later.pk)).status_code == 404


# ---------------------------------------------------------------- the office's adjustments


def test_replace_view(client, scenario):
    panel = drawn_panel(scenario)
    target = members(panel)[1]
    login(client, scenario.officer)
    assert client.get(url("member_replace", panel.pk, target.pk)).status_code == 405
    response = client.post(url("member_replace", panel.pk, target.pk), {"reason": ""})
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.status == MemberStatus.INVITED
    response = client.post(url("member_replace", panel.pk, target.pk), {"reason": "任职回避"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == MemberStatus.REPLACED
    before = audit_count()
    assert client.post(url("member_replace", panel.pk, target.pk), {"reason": "again"}).status_code == 409
    assert audit_count() == before


def test_replace_and_chair_views_refuse_experts(client, scenario, outsider):
    panel = drawn_panel(scenario)
    first, second = members(panel)[:2]
    login(client, second.expert.user)
    assert client.post(url("member_replace", panel.pk, first.pk), {"reason": "r"}).status_code == 403
    assert client.post(url("member_chair", panel.pk, second.pk)).status_code == 403
    login(client, outsider.user)
    assert client.post(url("member_replace", panel.pk, first.pk), {"reason": "r"}).status_code == 404
    first.refresh_from_db()
    assert first.status == MemberStatus.INVITED and first.is_chair


def test_chair_view(client, scenario):
    panel = drawn_panel(scenario)
    second = members(panel)[1]
    login(client, scenario.officer)
    assert client.get(url("member_chair", panel.pk, second.pk)).status_code == 405
    assert client.post(url("member_chair", panel.pk, second.pk)).status_code == 302
    second.refresh_from_db()
    assert second.is_chair
    assert client.post(url("member_chair", panel.pk, second.pk)).status_code == 409


# ---------------------------------------------------------------- what the page shows, decided by the domain


def test_the_page_parts_come_from_the_workflow_not_the_templates():
    from pathlib import Path

    from starcity.reviews import workflow

    office = workflow.panel_page(workflow.OFFICE)
    assert office.members and office.draw_record and office.timeline and office.call_link
    assert office.expert_names and not office.own_scores and not office.result_only
    for role in (workflow.SELF, workflow.CHAIR):
        expert = workflow.panel_page(role)
        assert expert.own_scores and not (expert.members or expert.draw_record or expert.timeline)
        assert not expert.expert_names and not expert.call_link
    applicant = workflow.panel_page(workflow.APPLICANT)
    assert applicant.result_only and not (applicant.members or applicant.own_scores)
    templates = Path(__file__).resolve().parents[3] / "templates" / "reviews"
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert 'role == "' not in text and 'role != "' not in text, template


def test_each_viewer_sees_the_parts_of_the_page_for_them(client, scenario):
    panel = drawn_panel(scenario)
    first = accept_all(panel)[0]
    page = login(client, scenario.officer).get(url("panel_detail", panel.pk))
    html = page.content.decode()
    assert page.context["show"].members
    assert 'id="members"' in html and "操作记录" in html and url("call_panels", scenario.call.pk) in html
    assert "本人核定值" not in html
    page = login(client, first.expert.user).get(url("panel_detail", panel.pk))
    html = page.content.decode()
    assert not page.context["show"].members
    assert 'id="members"' not in html and "操作记录" not in html and panel.seed not in html
    assert url("call_panels", scenario.call.pk) not in html
