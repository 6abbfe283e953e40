"""Prefilling a scorecard with the applicant's self-assessed values: only the indicators without a
value are filled (values entered and comments stay), from the revision under review, read like
typed values (nothing rounded); only the expert themselves, accepted and before submitting;
audited; the view's permissions, wrong states, htmx answer and the button on the page."""

import pytest
from django.urls import reverse

from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.core.models import AuditEntry
from starcity.reviews.choices import MemberStatus
from starcity.reviews.entries import entry_from_self
from starcity.reviews.models import Score
from starcity.reviews.selectors import revision_under_review
from starcity.reviews.services import scorecard_prefill, scorecard_save
from starcity.reviews.services.scorecards import prefill_plan
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    score_and_submit,
    standard_of,
    values_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def indicator_of(standard, method):
    return next(ind for ind in standard.indicators if ind.method == method)


def url(name, panel):
    return reverse(f"reviews:{name}", args=[panel.pk])


def stored(member):
    return {s.indicator: s for s in Score.objects.filter(member=member)}


def prefill_audits():
    return AuditEntry.objects.filter(action="scorecard.prefill")


def set_self_value(panel, code, raw):
    """Change one self-assessed value in the revision under review (what the experts see)."""
    revision = revision_under_review(panel)
    revision.snapshot["self_assessment"]["values"]["values"][code] = raw
    revision.save(update_fields=["snapshot"])


# ---------------------------------------------------------------- reading a self-assessed value


def test_self_values_are_read_like_typed_values(scenario):
    standard = standard_of(scenario)
    threshold = indicator_of(standard, "threshold")
    ratio = indicator_of(standard, "ratio")
    tiered = indicator_of(standard, "tiered")
    boolean = indicator_of(standard, "boolean")
    assert entry_from_self(threshold, "085.50", "x") == "85.5"
    assert entry_from_self(threshold, 12, "x") == "12"
    assert entry_from_self(ratio, {"numerator": "45", "denominator": "60"}, "x") == {
        "numerator": "75",
        "denominator": "100",
    }
    assert entry_from_self(ratio, {"numerator": "1", "denominator": "8"}, "x") == {
        "numerator": "12.5",
        "denominator": "100",
    }
    assert entry_from_self(tiered, 3, "x") == 3 and entry_from_self(tiered, 0, "x") == 0
    assert entry_from_self(boolean, True, "x") is True and entry_from_self(boolean, False, "x") is False
    assert entry_from_self(threshold, None, "x") is None


def test_a_self_value_that_cannot_be_written_exactly_is_refused_naming_the_indicator(scenario):
    standard = standard_of(scenario)
    ratio = indicator_of(standard, "ratio")
    threshold = indicator_of(standard, "threshold")
    for indicator, raw in [
        (ratio, {"numerator": "1", "denominator": "3"}),  # 33.333…%: never rounded
        (threshold, "1.1234567"),  # more than six decimals
        (threshold, "很多"),
    ]:
        with pytest.raises(ValueError) as exc:
            entry_from_self(indicator, raw, "X99 某指标")
        assert str(exc.value).startswith("X99 某指标：自评值")


def test_the_plan_fills_only_indicators_without_a_value(scenario):
    standard = standard_of(scenario)
    codes = [ind.code for ind in standard.indicators]
    self_values = values_for(standard, 3)
    self_values[codes[1]] = None
    ratio = next(ind for ind in standard.indicators[2:] if ind.method == "ratio")
    self_values[ratio.code] = {"numerator": "2", "denominator": "3"}
    plan = prefill_plan(standard, self_values, given={codes[0]})
    assert codes[0] not in plan.entries and codes[1] not in plan.entries
    assert plan.without_self == (codes[1],)
    assert len(plan.problems) == 1 and plan.problems[0].startswith(ratio.code)
    assert plan.count == len(codes) - 3 and list(plan.entries) == [
        c for c in codes if c not in (codes[0], codes[1], ratio.code)
    ]


# ---------------------------------------------------------------- the service


def test_prefill_fills_the_empty_indicators_and_keeps_what_the_expert_entered(scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    user = member.expert.user
    standard = standard_of(scenario)
    tiered = indicator_of(standard, "tiered")
    threshold = indicator_of(standard, "threshold")
    # the expert already graded one indicator lower and commented another without a value
    scorecard_save(
        by=user,
        member=member,
        standard=standard,
        values={tiered.code: 1},
        comments={tiered.code: "材料只证明第 1 档", threshold.code: "待核实台账"},
    )
    plan = scorecard_prefill(by=user, member=member, standard=standard)
    assert plan.count == len(standard.indicators) - 1
    scores = stored(member)
    assert scores[tiered.code].value == 1 and scores[tiered.code].comment == "材料只证明第 1 档"
    assert scores[threshold.code].comment == "待核实台账"
    expected = values_for(standard, 3)  # 桓台县's self-assessment: every indicator at grade 3
    for ind in standard.indicators:
        if ind.code != tiered.code:
            assert scores[ind.code].value == expected[ind.code], ind.code
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED  # still to be checked and submitted
    audit = prefill_audits().get()
    assert audit.actor == user and audit.target_id == str(panel.pk)
    assert audit.extra["indicators"] == plan.count and tiered.code not in audit.extra["codes"]
    # nothing left to fill: nothing written, no second audit row
    again = scorecard_prefill(by=user, member=member, standard=standard)
    assert again.count == 0 and prefill_audits().count() == 1


def test_prefill_leaves_inexact_and_missing_self_values_empty(scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    ratio = indicator_of(standard, "ratio")
    boolean = indicator_of(standard, "boolean")
    set_self_value(panel, ratio.code, {"numerator": "1", "denominator": "3"})
    set_self_value(panel, boolean.code, None)
    plan = scorecard_prefill(by=member.expert.user, member=member, standard=standard)
    scores = stored(member)
    assert ratio.code not in scores and boolean.code not in scores
    assert plan.without_self == (boolean.code,) and ratio.code in plan.problems[0]


def test_prefill_only_by_the_expert_themselves_and_before_submitting(scenario):
    panel = drawn_panel(scenario)
    invited = panel.members.get(position=1)
    standard = standard_of(scenario)
    with pytest.raises(InvalidTransition):  # not accepted yet
        scorecard_prefill(by=invited.expert.user, member=invited, standard=standard)
    first, second, _third = accept_all(panel)
    with pytest.raises(NotAllowed):  # another expert
        scorecard_prefill(by=second.expert.user, member=first, standard=standard)
    with pytest.raises(NotAllowed):  # the office
        scorecard_prefill(by=scenario.officer, member=first, standard=standard)
    score_and_submit(scenario, first, 3)
    Score.objects.filter(member=first, indicator=standard.indicators[0].code).update(value=None)
    with pytest.raises(InvalidTransition) as exc:  # submitted: frozen
        scorecard_prefill(by=first.expert.user, member=first, standard=standard)
    assert "已冻结" in str(exc.value.message)
    assert Score.objects.get(member=first, indicator=standard.indicators[0].code).value is None
    assert not prefill_audits().exists()


# ---------------------------------------------------------------- the view and the page


def test_prefill_view(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    client.force_login(member.expert.user)
    page = client.get(url("panel_detail", panel)).content.decode()
    count = len(standard.indicators)
    assert f"以自评值预填（{count} 项）" in page and url("panel_prefill", panel) in page
    assert client.get(url("panel_prefill", panel)).status_code == 405
    response = client.post(url("panel_prefill", panel))
    assert response.status_code == 302
    assert response["Location"] == url("panel_detail", panel) + "#scorecard"
    assert Score.objects.filter(member=member, value__isnull=False).count() == count
    page = client.get(url("panel_detail", panel)).content.decode()
    assert f"已用自评值预填 {count} 项指标的核定值" in page
    assert "以自评值预填（" not in page  # nothing left to fill: no button
    assert "全部指标都已填写核定值" in page
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED


def test_prefill_view_with_htmx_answers_the_scorecard(client, scenario):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    standard = standard_of(scenario)
    threshold = indicator_of(standard, "threshold")
    set_self_value(panel, threshold.code, None)
    client.force_login(member.expert.user)
    response = client.post(url("panel_prefill", panel), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="scorecard"' in body
    assert "还有 1 项没有可用的自评值，请手工填写" in body and 'role="status"' in body
    assert "以自评值预填（" not in body


def test_prefill_view_refuses_others_and_wrong_states(client, scenario, county_operator):
    panel = drawn_panel(scenario)
    target = url("panel_prefill", panel)
    response = client.post(target)
    assert response.status_code == 302 and "/login" in response["Location"]
    invited = panel.members.get(position=1)
    client.force_login(invited.expert.user)
    assert client.post(target).status_code == 409  # not accepted yet
    first = accept_all(panel)[0]
    client.force_login(scenario.officer)
    assert client.post(target).status_code == 403  # the office sees the panel, never scores
    client.force_login(county_operator)
    assert client.post(target).status_code == 404  # the applicant does not see it while scoring
    score_and_submit(scenario, first, 3)
    client.force_login(first.expert.user)
    assert client.post(target).status_code == 409  # submitted
    assert not prefill_audits().exists()
