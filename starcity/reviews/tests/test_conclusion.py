"""The panel's conclusion: aggregation when every active member submitted, discussion of flagged
indicators, the chair's resolution, the verified result, and the aggregate partial."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from starcity.accounts.choices import Role
from starcity.calls.testing import make_accepted_application, make_call, submitted_assessment, values_at_grade
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.notifications.models import Notification
from starcity.regions.models import Region
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.conclusion import (
    panel_aggregate_preview,
    panel_conclude_bulk,
    panel_refresh,
    panel_resolve,
)
from starcity.reviews.models import Panel, Resolution
from starcity.reviews.testing import give_scores, make_expert, make_panel
from starcity.standards.selectors import scoring_standard_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(county_standard):
    return scoring_standard_for(county_standard)


@pytest.fixture
def application(province_officer, county_operator, city_operator, county_standard, city_standard):
    call = make_call(by=province_officer, versions={"county": county_standard, "city": city_standard})
    assessment = submitted_assessment(
        by=county_operator, region=Region.objects.get(code="370321"), version=county_standard
    )
    return make_accepted_application(call=call, assessment=assessment, by=city_operator)


@pytest.fixture
def panel(application, province_officer, make_user):
    experts = [
        make_expert(f"专家{i}", "370202", user=make_user(f"expert{i}", Role.EXPERT, "370202"))
        for i in range(1, 6)
    ]
    return make_panel(application=application, experts=experts, by=province_officer)


def members(panel):
    return list(panel.members.select_related("expert__user").order_by("position"))


def tiered_code(standard):
    return next(ind.code for ind in standard.indicators if ind.method == "tiered")


def score_all(panel, standard, *, grades=(3, 3, 3, 3, 3), disagree=None):
    """Every member scores every indicator at their grade; `disagree` = (code, grades) overrides."""
    for member, grade in zip(members(panel), grades, strict=True):
        values = dict(values_at_grade(standard, grade)["values"])
        if disagree is not None:
            code, spread = disagree
            values[code] = spread[member.position - 1]
        give_scores(member, values)


def test_nothing_happens_while_a_member_has_not_submitted(panel, standard):
    for member in members(panel)[:4]:
        give_scores(member, values_at_grade(standard, 3)["values"])
    panel = panel_refresh(panel=panel)
    assert panel.status == PanelStatus.SCORING and panel.aggregate is None
    assert panel_aggregate_preview(panel) is None
    assert not AuditEntry.objects.filter(action__startswith="panel.").exists()


def test_concluded_when_nothing_is_flagged(panel, standard, province_officer):
    score_all(panel, standard)
    panel = panel_refresh(panel=panel)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    assert panel.verified_grade == panel.result["grade"]
    assert panel.verified_score == Decimal(panel.result["score"])
    assert panel.concluded_at is not None
    assert panel.aggregate["rule"] == "auto"
    assert panel.aggregate["values"]["schema"] == "starcity/values@1"
    assert len(panel.aggregate["indicators"]) == len(standard.indicators)
    first = panel.aggregate["indicators"][0]
    assert first["rule"] == "trimmed_mean" and len(first["dropped"]) == 2 and not first["flagged"]
    entry = AuditEntry.objects.get(action="panel.conclude")
    assert (entry.from_state, entry.to_state) == (PanelStatus.SCORING, PanelStatus.CONCLUDED)
    note = Notification.objects.get(recipient=province_officer, kind="panel.concluded")
    assert "专家评审完成" in note.title and note.url == f"/reviews/panels/{panel.pk}/"
    # refreshing again changes nothing
    panel_refresh(panel=panel)
    assert AuditEntry.objects.filter(action="panel.conclude").count() == 1


def test_declined_replaced_and_waiting_members_do_not_count(panel, standard, province_officer):
    from starcity.reviews.choices import MemberRole
    from starcity.reviews.models import PanelMember

    everyone = members(panel)
    for member in everyone[:4]:
        give_scores(member, values_at_grade(standard, 3)["values"])
    everyone[4].status = MemberStatus.DECLINED
    everyone[4].save()
    PanelMember.objects.create(
        panel=panel,
        expert=make_expert("候补", "370202"),
        position=6,
        role=MemberRole.SUBSTITUTE,
        status=MemberStatus.WAITING,
    )
    panel = panel_refresh(panel=panel)
    assert panel.status == PanelStatus.CONCLUDED
    assert len(panel.aggregate["indicators"][0]["scores"]) == 4
    assert panel.aggregate["indicators"][0]["rule"] == "median"  # four scores under AUTO


def test_disagreement_goes_to_discussion_and_the_chair_is_told(panel, standard):
    code = tiered_code(standard)
    score_all(panel, standard, disagree=(code, [1, 3, 3, 3, 3]))
    panel = panel_refresh(panel=panel)
    assert panel.status == PanelStatus.DISCUSSION
    assert panel.aggregate is None and panel.verified_grade is None
    entry = AuditEntry.objects.get(action="panel.discussion")
    assert entry.extra["flagged"] == [code]
    chair = members(panel)[0].expert.user
    note = Notification.objects.get(kind="panel.discussion")
    assert note.recipient == chair and code in note.body
    preview = panel_aggregate_preview(panel)
    assert preview.unresolved == (code,) and not preview.concluded


@pytest.fixture
def discussing(panel, standard):
    score_all(panel, standard, disagree=(tiered_code(standard), [1, 3, 3, 3, 3]))
    return panel_refresh(panel=panel)


def test_only_the_chair_resolves(discussing, standard, province_officer):
    other = members(discussing)[1].expert.user
    code = tiered_code(standard)
    for user in (other, province_officer):
        with pytest.raises(NotAllowed) as refused:
            panel_resolve(by=user, panel=discussing, indicator=code, value=2, reason="讨论结论")
        assert refused.value.status == 403
    assert not Resolution.objects.exists()
    assert not AuditEntry.objects.filter(action="panel.resolve").exists()


def test_only_a_flagged_indicator_is_resolved(discussing, standard):
    chair = members(discussing)[0].expert.user
    calm = next(ind.code for ind in standard.indicators if ind.code != tiered_code(standard))
    with pytest.raises(InvalidTransition) as refused:
        panel_resolve(by=chair, panel=discussing, indicator=calm, value="1", reason="x")
    assert refused.value.status == 409 and calm in str(refused.value.message)
    assert not Resolution.objects.exists()


def test_resolution_value_and_reason_are_checked(discussing, standard):
    chair = members(discussing)[0].expert.user
    code = tiered_code(standard)
    name = standard.indicator(code).name
    with pytest.raises(ValidationFailed) as refused:
        panel_resolve(by=chair, panel=discussing, indicator=code, value="9", reason="有理由")
    assert name in str(refused.value.message) and code in str(refused.value.message)
    assert "0 到 5" in str(refused.value.message)
    with pytest.raises(ValidationFailed) as refused:
        panel_resolve(by=chair, panel=discussing, indicator=code, value="2", reason="  ")
    assert "理由" in str(refused.value.message)
    with pytest.raises(ValidationFailed):
        panel_resolve(by=chair, panel=discussing, indicator=code, value="", reason="有理由")
    assert not Resolution.objects.exists()
    discussing.refresh_from_db()
    assert discussing.status == PanelStatus.DISCUSSION


def test_resolution_concludes_the_panel_with_the_chairs_value(discussing, standard):
    chair = members(discussing)[0].expert.user
    code = tiered_code(standard)
    resolution = panel_resolve(
        by=chair, panel=discussing, indicator=code, value="2", reason="按现场材料核定为 2 级"
    )
    assert resolution.value == 2
    panel = Panel.objects.get(pk=discussing.pk)
    assert panel.status == PanelStatus.CONCLUDED
    row = next(i for i in panel.aggregate["indicators"] if i["code"] == code)
    assert row["aggregated"] == 3 and row["value"] == 2 and row["grade"] == 2
    assert row["resolution"]["reason"] == "按现场材料核定为 2 级"
    assert panel.aggregate["values"]["values"][code] == 2
    assert panel.result["indicators"][code]["grade"] == 2
    resolve_row = AuditEntry.objects.get(action="panel.resolve")
    assert resolve_row.reason == "按现场材料核定为 2 级" and resolve_row.extra["indicator"] == code
    entry = AuditEntry.objects.get(action="panel.conclude")
    assert entry.from_state == PanelStatus.DISCUSSION
    with pytest.raises(InvalidTransition):
        panel_resolve(by=chair, panel=panel, indicator=code, value="3", reason="再改")


def test_partial_shows_scores_by_position_and_dropped_ones(panel, standard):
    score_all(panel, standard)
    panel = panel_refresh(panel=panel)
    preview = panel_aggregate_preview(panel)
    html = render_to_string("reviews/partials/_aggregate.html", {"aggregate": preview, "show_scores": True})
    assert "专家 1" in html and "专家 5" in html and "<del" in html
    assert "专家1" not in html  # never the experts' names
    assert "专家组评定结果" in html and preview.result_panel["grade_name"] in html
    hidden = render_to_string("reviews/partials/_aggregate.html", {"aggregate": preview})
    assert "专家 1" not in hidden and "<del" not in hidden
    assert render_to_string("reviews/partials/_aggregate.html", {"aggregate": None}).strip() == ""


def test_bulk_conclusion_equals_the_service(panel, standard):
    score_all(panel, standard, grades=(3, 4, 3, 4, 3))
    aggregate, result = panel_conclude_bulk([panel])[panel.pk]
    panel = panel_refresh(panel=panel)
    assert panel.status == PanelStatus.CONCLUDED
    assert aggregate.to_dict() == panel.aggregate
    assert result == panel.result


def test_the_aggregate_states_that_yes_no_indicators_go_by_majority(panel, standard):
    yes_no = next(ind.code for ind in standard.indicators if ind.method == "boolean")
    score_all(panel, standard, disagree=(yes_no, [True, True, False, False, True]))
    panel = panel_refresh(panel=panel)
    assert panel.status == PanelStatus.CONCLUDED  # a split vote is not a disagreement
    row = next(i for i in panel.aggregate["indicators"] if i["code"] == yes_no)
    assert row["value"] is True and not row["flagged"] and (row["yes"], row["no"]) == (3, 2)
    html = render_to_string(
        "reviews/partials/_aggregate.html", {"aggregate": panel_aggregate_preview(panel), "show_scores": True}
    )
    assert "是/否指标按多数决定" in html


# -- the chair's value is read as the scorecard reads it --------------------------------------


@pytest.fixture
def discussing_number(panel, standard):
    """A panel in discussion on a threshold indicator (grades 1 and 5 among the experts)."""
    ind = next(ind for ind in standard.indicators if ind.method == "threshold" and ind.direction == "higher")
    low, high = str(ind.thresholds[0]), str(ind.thresholds[-1])
    score_all(panel, standard, disagree=(ind.code, [low, high, high, high, high]))
    return panel_refresh(panel=panel), ind


@pytest.mark.parametrize("text", ["1e3", "0.1234567", "1,000", "１２", "+5", "1234567890123"])
def test_the_chairs_value_uses_the_scorecards_syntax(discussing_number, text):
    panel, ind = discussing_number
    chair = members(panel)[0].expert.user
    with pytest.raises(ValidationFailed) as refused:
        panel_resolve(by=chair, panel=panel, indicator=ind.code, value=text, reason="有理由")
    assert refused.value.field == "value"
    assert ind.code in str(refused.value.message) and "请填写数字" in str(refused.value.message)
    assert not Resolution.objects.exists()


def test_the_chairs_value_is_stored_as_the_scorecard_stores_it(discussing_number):
    from starcity.reviews import entries, services
    from starcity.reviews.services import scorecards

    assert services.entry_from_text is entries.entry_from_text is scorecards.entry_from_text
    panel, ind = discussing_number
    chair = members(panel)[0].expert.user
    resolution = panel_resolve(by=chair, panel=panel, indicator=ind.code, value=" 085.50 ", reason="核实")
    assert resolution.value == entries.entry_from_text(ind, " 085.50 ", "x") == "85.50"


def test_a_built_entry_is_checked_by_the_same_rules(discussing_number):
    panel, ind = discussing_number
    chair = members(panel)[0].expert.user
    for entry in (True, 1.5, {"numerator": "1"}, "1e3"):
        with pytest.raises(ValidationFailed):
            panel_resolve(by=chair, panel=panel, indicator=ind.code, value=entry, reason="有理由")
    assert panel_resolve(by=chair, panel=panel, indicator=ind.code, value=42, reason="核实").value == 42
