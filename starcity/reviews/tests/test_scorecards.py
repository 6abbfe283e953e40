"""Scorecards: entries read per method, save all-or-nothing with errors naming the indicator,
submit with every indicator (frozen after), the panel aggregated on the last submission, and
discussion notes on flagged indicators."""

import pytest

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.models import DiscussionNote, Score
from starcity.reviews.services import (
    discussion_note_add,
    entry_from_text,
    entry_text,
    scorecard_save,
    scorecard_submit,
)
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


def test_entries_are_read_per_method(scenario):
    standard = standard_of(scenario)
    threshold = indicator_of(standard, "threshold")
    ratio = indicator_of(standard, "ratio")
    tiered = indicator_of(standard, "tiered")
    boolean = indicator_of(standard, "boolean")
    assert entry_from_text(threshold, " 085.50 ", "x") == "85.50"
    assert entry_from_text(threshold, "-0", "x") == "0"
    assert entry_from_text(ratio, "92.5", "x") == {"numerator": "92.5", "denominator": "100"}
    assert entry_text(ratio, {"numerator": "92.5", "denominator": "100"}) == "92.5"
    assert entry_text(ratio, {"numerator": "1", "denominator": "4"}) == "25"
    assert entry_from_text(tiered, "3", "x") == 3
    assert entry_from_text(boolean, "yes", "x") is True and entry_text(boolean, False) == "no"
    assert entry_from_text(threshold, "", "x") is None
    for indicator, text in [
        (threshold, "1e3"),
        (ratio, "-5"),
        (tiered, str(len(tiered.tiers) + 1)),
        (boolean, "maybe"),
    ]:
        with pytest.raises(ValueError) as exc:
            entry_from_text(indicator, text, "X99 某指标")
        assert "X99 某指标" in str(exc.value)


def test_save_is_all_or_nothing_and_names_each_indicator(scenario):
    standard = standard_of(scenario)
    member = accept_all(drawn_panel(scenario))[0]
    threshold = indicator_of(standard, "threshold")
    tiered = indicator_of(standard, "tiered")
    with pytest.raises(ValidationFailed) as exc:
        scorecard_save(
            by=member.expert.user,
            member=member,
            standard=standard,
            values={threshold.code: "12", tiered.code: 99},
            comments={threshold.code: "ok"},
        )
    assert any(tiered.code in str(e) for e in exc.value.errors)
    assert not Score.objects.filter(member=member).exists()
    scorecard_save(
        by=member.expert.user,
        member=member,
        standard=standard,
        values={threshold.code: "12", tiered.code: 2},
        comments={threshold.code: "核实台账"},
    )
    scores = {s.indicator: s for s in Score.objects.filter(member=member)}
    assert scores[threshold.code].value == "12" and scores[threshold.code].comment == "核实台账"
    assert scores[tiered.code].value == 2
    # saving again only changes what changed; an empty value clears it
    scorecard_save(
        by=member.expert.user, member=member, standard=standard, values={tiered.code: None}, comments={}
    )
    assert Score.objects.get(member=member, indicator=tiered.code).value is None
    assert Score.objects.get(member=member, indicator=threshold.code).value == "12"


def test_save_before_accepting_or_by_someone_else_is_refused(scenario):
    standard = standard_of(scenario)
    panel = drawn_panel(scenario)
    invited = panel.members.order_by("position").select_related("expert__user").first()
    with pytest.raises(InvalidTransition):
        scorecard_save(by=invited.expert.user, member=invited, standard=standard, values={}, comments={})
    accepted = accept_all(panel)
    with pytest.raises(NotAllowed):
        scorecard_save(
            by=accepted[1].expert.user, member=accepted[0], standard=standard, values={}, comments={}
        )


def test_submit_needs_every_indicator_then_freezes(scenario):
    standard = standard_of(scenario)
    member = accept_all(drawn_panel(scenario))[0]
    values = values_for(standard, 3)
    missing = standard.indicators[0].code
    values[missing] = None
    scorecard_save(by=member.expert.user, member=member, standard=standard, values=values, comments={})
    with pytest.raises(ValidationFailed) as exc:
        scorecard_submit(by=member.expert.user, member=member, standard=standard)
    assert missing in str(exc.value.message) and len(exc.value.errors) == 1
    member.refresh_from_db()
    assert member.status == MemberStatus.ACCEPTED
    scorecard_save(
        by=member.expert.user, member=member, standard=standard, values=values_for(standard, 3), comments={}
    )
    scorecard_submit(by=member.expert.user, member=member, standard=standard)
    member.refresh_from_db()
    assert member.status == MemberStatus.SUBMITTED and member.submitted_at is not None
    assert AuditEntry.objects.filter(action="scorecard.submit").count() == 1
    with pytest.raises(InvalidTransition) as exc:
        scorecard_save(
            by=member.expert.user, member=member, standard=standard, values={missing: None}, comments={}
        )
    assert "已冻结" in str(exc.value.message)
    with pytest.raises(InvalidTransition):
        scorecard_submit(by=member.expert.user, member=member, standard=standard)


def test_last_submission_concludes_the_panel(scenario):
    panel = drawn_panel(scenario)
    for member in accept_all(panel):
        score_and_submit(scenario, member, 3)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED and panel.verified_grade == 3


def flagged_panel(scenario):
    """Three members; the third rates one tiered indicator 2 grades apart: discussion."""
    standard = standard_of(scenario)
    tiered = indicator_of(standard, "tiered")
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    score_and_submit(scenario, members[0], 3)
    score_and_submit(scenario, members[1], 3)
    score_and_submit(scenario, members[2], 3, overrides={tiered.code: 1})
    panel.refresh_from_db()
    return panel, members, tiered


def test_disagreement_moves_to_discussion_and_members_write_notes(scenario):
    panel, members, tiered = flagged_panel(scenario)
    assert panel.status == PanelStatus.DISCUSSION
    note = discussion_note_add(
        by=members[1].expert.user,
        member=members[1],
        indicator=tiered.code,
        text="现场材料显示已覆盖",
        flagged=(tiered.code,),
    )
    assert DiscussionNote.objects.get() == note and note.author == members[1]
    other = next(ind.code for ind in standard_of(scenario).indicators if ind.code != tiered.code)
    with pytest.raises(ValidationFailed):
        discussion_note_add(
            by=members[1].expert.user, member=members[1], indicator=other, text="x", flagged=(tiered.code,)
        )
    with pytest.raises(ValidationFailed):
        discussion_note_add(
            by=members[1].expert.user,
            member=members[1],
            indicator=tiered.code,
            text=" ",
            flagged=(tiered.code,),
        )
    with pytest.raises(NotAllowed):
        discussion_note_add(
            by=members[0].expert.user,
            member=members[1],
            indicator=tiered.code,
            text="x",
            flagged=(tiered.code,),
        )


def test_notes_only_in_discussion(scenario):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    score_and_submit(scenario, members[0], 3)
    with pytest.raises(InvalidTransition):
        discussion_note_add(
            by=members[0].expert.user, member=members[0], indicator="H01", text="x", flagged=("H01",)
        )
