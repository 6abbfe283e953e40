"""Aggregation of a panel's scores (pure): the rules, rounding, majority, exactness, records."""

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcity.reviews.aggregation import (
    FALLBACK_MEAN,
    aggregate_indicator,
    aggregate_panel,
    entry_problem,
    parse_entry,
    score_aggregate,
)
from starcity.scoring import Indicator, exact_text, load_standard_file, score, values_from_mapping

STANDARDS = Path(__file__).resolve().parents[3] / "standards"
N = 5


def threshold(
    code: str = "T", *, lower: bool = False, thresholds: tuple[str, ...] = ("10", "20", "30", "40", "50")
):
    return Indicator(
        code=code,
        domain="d",
        name="数值指标",
        method="threshold",
        weight=Fraction(1),
        direction="lower" if lower else "higher",
        thresholds=tuple(Fraction(t) for t in thresholds),
    )


RATIO = Indicator(
    code="R",
    domain="d",
    name="比例指标",
    method="ratio",
    weight=Fraction(1),
    thresholds=(Fraction(50), Fraction(60), Fraction(70), Fraction(80), Fraction(90)),
)
TIERED = Indicator(
    code="G",
    domain="d",
    name="分档指标",
    method="tiered",
    weight=Fraction(1),
    tiers=("一", "二", "三", "四", "五"),
)
BOOLEAN = Indicator(code="B", domain="d", name="是否指标", method="boolean", weight=Fraction(1))


def agg(indicator, scores, rule="auto", **kwargs):
    return aggregate_indicator(indicator, scores, rule=rule, n_grades=N, **kwargs)


# -- the rules, table-driven ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "scores", "used", "raw", "dropped", "note"),
    [
        # AUTO: five scores or more → trimmed mean; fewer → median
        ("auto", ["10", "20", "30", "40", "100"], "trimmed_mean", Fraction(30), (0, 4), ""),
        ("auto", ["10", "20", "30", "40", "100", "35"], "trimmed_mean", Fraction(125, 4), (0, 4), ""),
        ("auto", ["10", "20", "90"], "median", Fraction(20), (), ""),
        ("auto", ["10", "20", "30", "90"], "median", Fraction(25), (), ""),
        ("auto", ["42"], "median", Fraction(42), (), ""),
        # TRIMMED_MEAN at any count; under 3 scores the mean, noted
        ("trimmed_mean", ["10", "20", "90"], "trimmed_mean", Fraction(20), (0, 2), ""),
        ("trimmed_mean", ["30", "10", "20", "90"], "trimmed_mean", Fraction(25), (1, 3), ""),
        ("trimmed_mean", ["10", "20"], "mean", Fraction(15), (), FALLBACK_MEAN),
        ("trimmed_mean", ["10"], "mean", Fraction(10), (), FALLBACK_MEAN),
        ("median", ["10", "20", "30", "40", "100"], "median", Fraction(30), (), ""),
        ("median", ["40", "10"], "median", Fraction(25), (), ""),
        ("mean", ["10", "20", "30", "40", "100"], "mean", Fraction(40), (), ""),
        ("mean", ["1", "1", "2"], "mean", Fraction(4, 3), (), ""),
    ],
)
def test_rules_on_numbers(rule, scores, used, raw, dropped, note):
    result = agg(threshold(), scores, rule)
    assert result.rule == used
    assert result.raw == raw
    assert result.value == raw
    assert result.dropped == dropped
    assert result.note == note
    assert result.scores == tuple(Fraction(s) for s in scores)


def test_trimmed_mean_drops_one_of_tied_extremes_only():
    result = agg(threshold(), ["20", "20", "30", "40", "40"], "trimmed_mean")
    # one lowest and one highest are dropped, the first lowest and the last highest by position
    assert result.dropped == (0, 4)
    assert result.raw == Fraction(30)


def test_auto_with_five_and_with_three_or_four_scores():
    five = agg(threshold(), ["10", "12", "14", "16", "50"])
    assert (five.rule, five.raw) == ("trimmed_mean", Fraction(14))
    three = agg(threshold(), ["10", "12", "50"])
    assert (three.rule, three.raw, three.dropped) == ("median", Fraction(12), ())
    four = agg(threshold(), ["10", "12", "14", "50"])
    assert (four.rule, four.raw) == ("median", Fraction(13))


def test_scores_without_value_take_no_part_and_count_as_grade_zero():
    result = agg(threshold(), ["30", None, "30", "30", "30"])
    assert result.rule == "median"  # four scores given: fewer than five
    assert result.raw == Fraction(30)
    assert result.grades == (3, 0, 3, 3, 3)
    assert result.spread == 3 and result.flagged


def test_no_value_at_all():
    result = agg(threshold(), [None, None])
    assert result.value is None and result.raw is None and result.grade == 0


# -- methods ------------------------------------------------------------------------------------


def test_ratios_are_aggregated_as_percentages():
    scores = [
        {"numerator": "1", "denominator": "2"},  # 50%
        {"numerator": "65", "denominator": "100"},
        {"numerator": "7", "denominator": "10"},  # 70%
        {"numerator": "160", "denominator": "200"},  # 80%
        {"numerator": "95", "denominator": "100"},
    ]
    result = agg(RATIO, scores)
    assert result.scores == (Fraction(50), Fraction(65), Fraction(70), Fraction(80), Fraction(95))
    assert result.raw == Fraction(215, 3)  # (65 + 70 + 80) / 3
    assert result.grades == (1, 2, 3, 4, 5)
    assert result.grade == 3


def test_tiered_grades_are_rounded_down():
    result = agg(TIERED, [2, 3, 3, 4, 5])
    assert result.raw == Fraction(10, 3)
    assert result.value == 3
    assert agg(TIERED, [3, 4]).value == 3  # median 3.5 → 3
    assert agg(TIERED, [4, 4, 5, 5], "mean").value == 4  # 4.5 → 4
    assert agg(TIERED, [1, 1, 2], "mean").value == 1  # 4/3 → 1


def test_boolean_majority_and_tie_counts_as_no():
    assert agg(BOOLEAN, [True, True, False]).value is True
    assert agg(BOOLEAN, [True, False, False, True, True]).value is True
    tie = agg(BOOLEAN, [True, False, True, False])
    assert tie.value is False and tie.rule == "majority"
    assert agg(BOOLEAN, [True, False]).value is False
    assert agg(BOOLEAN, [False, False, False]).value is False


def test_lower_is_better_grades():
    ind = threshold(lower=True, thresholds=("50", "40", "30", "20", "10"))
    result = agg(ind, ["45", "35", "25", "15", "5"])
    assert result.grades == (1, 2, 3, 4, 5)
    assert result.raw == Fraction(25) and result.grade == 3


# -- disagreement and resolution ------------------------------------------------------------------


def test_spread_and_flag_by_threshold():
    result = agg(threshold(), ["20", "20", "30", "30", "30"])  # grades 2..3
    assert result.spread == 1 and not result.flagged
    result = agg(threshold(), ["20", "20", "40", "30", "30"])  # grades 2..4
    assert result.spread == 2 and result.flagged
    assert not agg(threshold(), ["20", "40"], threshold=3).flagged


def test_a_split_yes_no_vote_is_decided_by_majority_and_never_flagged():
    split = agg(BOOLEAN, [True, True, False])
    assert split.spread == N and not split.flagged  # grades N and 0: the spread is kept as it is
    assert split.value is True and split.rule == "majority"
    tie = agg(BOOLEAN, [True, False], threshold=1)
    assert not tie.flagged and tie.value is False
    resolution = {"value": False, "reason": "r"}
    assert agg(BOOLEAN, [True, True, False], resolution=resolution).value is True  # nothing to resolve


def test_a_split_yes_no_vote_does_not_send_the_panel_to_discussion(county):
    yes_no = next(ind.code for ind in county.indicators if ind.method == "boolean")
    members = [values_at(county, 3) for _ in range(5)]
    members[0] = {**members[0], yes_no: False}
    aggregate = aggregate_panel(county, members, rule="auto")
    assert aggregate.flagged == () and aggregate.unresolved == ()
    assert aggregate.indicator(yes_no).value is True


def test_resolution_replaces_the_value_of_a_flagged_indicator_only():
    resolution = {"value": "45", "reason": "经讨论采信现场核实数据"}
    flagged = agg(threshold(), ["10", "20", "40", "30", "30"], resolution=resolution)
    assert flagged.aggregated == Fraction(80, 3)
    assert flagged.value == Fraction(45) and flagged.grade == 4
    assert flagged.resolution == resolution
    calm = agg(threshold(), ["30", "30", "30"], resolution=resolution)
    assert calm.value == Fraction(30) and calm.resolution is None


def test_invalid_scores_are_refused_with_a_code():
    with pytest.raises(ValueError, match="binary_float"):
        agg(threshold(), [1.5])
    assert entry_problem("threshold", "abc", N) == "not_a_number"
    assert entry_problem("ratio", {"numerator": "1"}, N) == "ratio_shape"
    assert entry_problem("ratio", {"numerator": "1", "denominator": "0"}, N) == "ratio_zero"
    assert entry_problem("tiered", 6, N) == "tier_range"
    assert entry_problem("tiered", "2.5", N) == "not_integer"
    assert entry_problem("boolean", "yes", N) == "not_boolean"
    assert entry_problem("boolean", True, N) is None
    assert parse_entry("ratio", {"numerator": 3, "denominator": 4}, N) == Fraction(75)


# -- the record ---------------------------------------------------------------------------------


def test_record_shows_how_the_value_was_obtained():
    record = agg(threshold(), ["10", "20", "30", "40", "100"]).as_dict()
    assert record["rule"] == "trimmed_mean"
    assert record["scores"] == ["10", "20", "30", "40", "100"]
    assert record["dropped"] == [0, 4]
    assert record["raw"] == "30" and record["value"] == "30"
    assert record["grades"] == [1, 2, 3, 4, 5]
    assert record["spread"] == 4 and record["flagged"] is True
    third = agg(threshold(), ["1", "1", "2"], "mean").as_dict()
    assert third["raw"] == "4/3" and third["raw_text"] == "≈1.3333"


# -- the panel and the engine -----------------------------------------------------------------


@pytest.fixture(scope="module")
def county():
    return load_standard_file(STANDARDS / "sd-county.yaml")


def values_at(standard, grade):
    values = {}
    for ind in standard.indicators:
        if ind.method == "tiered":
            values[ind.code] = grade
        elif ind.method == "boolean":
            values[ind.code] = grade >= 1
        elif grade == 0:
            values[ind.code] = None
        else:
            number = exact_text(ind.thresholds[grade - 1])
            values[ind.code] = (
                {"numerator": number, "denominator": "100"} if ind.method == "ratio" else number
            )
    return values


def test_unanimous_panel_scores_like_one_expert(county):
    members = [values_at(county, 3)] * 5
    aggregate = aggregate_panel(county, members, rule="auto")
    assert not aggregate.flagged
    alone = score(county, values_from_mapping({"schema": "starcity/values@1", "values": members[0]}, county))
    assert score_aggregate(county, aggregate).grades == alone.grades
    assert score_aggregate(county, aggregate).score == alone.score


def test_panel_values_are_what_the_engine_scores(county):
    members = [values_at(county, g) for g in (1, 2, 3, 3, 4)]
    aggregate = aggregate_panel(county, members, rule="auto", bonus={"unknown": True})
    stored = aggregate.to_dict()
    assert stored["rule"] == "auto"
    assert [i["code"] for i in stored["indicators"]] == [ind.code for ind in county.indicators]
    direct = score_aggregate(county, aggregate)
    again = score_aggregate(county, stored)  # from the stored JSON, through validation
    assert direct.grades == again.grades and direct.score == again.score and direct.grade == again.grade
    assert stored["values"]["bonus"] == {}  # unknown codes are not carried
    for ind, agg_ in zip(county.indicators, aggregate.indicators, strict=True):
        assert direct.grades[county.indicators.index(ind)] == agg_.grade


def test_non_terminating_mean_keeps_the_exact_grade(county):
    measured = next(ind for ind in county.indicators if ind.method == "threshold")
    t = measured.thresholds[1]
    # three scores around the threshold whose exact mean sits a third above or below it
    lower = measured.direction == "lower"
    step = Fraction(1, 100)
    scores = [t, t, t + (-step if lower else step)]
    members = [{measured.code: exact_text(s)} for s in scores]
    aggregate = aggregate_panel(county, members, rule="mean")
    one = aggregate.indicator(measured.code)
    assert one.value == sum(scores) / 3
    assert score_aggregate(county, aggregate.to_dict()).grades[county.indicators.index(measured)] == one.grade


# -- properties ---------------------------------------------------------------------------------

decimals = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(decimals, min_size=1, max_size=9), st.sampled_from(["auto", "trimmed_mean", "median", "mean"])
)
def test_aggregate_lies_between_min_and_max_and_is_exact(values, rule):
    texts = [str(v) for v in values]
    result = agg(threshold(), texts, rule)
    numbers = [Fraction(t) for t in texts]
    assert min(numbers) <= result.raw <= max(numbers)
    if result.rule == "mean":
        assert result.raw == sum(numbers) / len(numbers)
    if result.rule == "trimmed_mean":
        kept = [n for i, n in enumerate(numbers) if i not in result.dropped]
        assert len(kept) == len(numbers) - 2
        assert result.raw == sum(kept) / len(kept)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=N), min_size=1, max_size=9))
def test_tiered_value_never_exceeds_the_aggregate(grades):
    result = agg(TIERED, grades)
    assert result.value <= result.raw < result.value + 1
    assert min(grades) <= result.value <= max(grades)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=9))
def test_boolean_is_strict_majority(votes):
    assert agg(BOOLEAN, votes).value is (sum(votes) * 2 > len(votes))


@settings(max_examples=100, deadline=None)
@given(st.lists(decimals, min_size=1, max_size=7))
def test_order_of_members_does_not_change_the_value(values):
    texts = [str(v) for v in values]
    assert agg(threshold(), texts).raw == agg(threshold(), list(reversed(texts))).raw
