"""Section 3: the arithmetic, rule by rule, with its edges (exact ties, N = 1, 3, 9, vetoes…)."""

from fractions import Fraction

import pytest

from starcity.scoring import exact_text, load_standard_file, result_to_dict, score, standard_from_mapping

from .helpers import EXAMPLES, make_standard, make_values, mutated, run

EXAMPLE = load_standard_file(EXAMPLES / "standard.yaml")
TOP = {
    "H01": 99,
    "H02": {"numerator": 96, "denominator": 100},
    "H03": 92,
    "Z01": 5,
    "Z02": "2.5",
    "Q01": 97,
    "Q02": True,
}


def _one(method="threshold", n=5, **item):
    item = {"code": "A", "method": method, "weight": 100, **item}
    return make_standard(n, [item])


@pytest.mark.parametrize(
    ("value", "grade"),
    [("49.99", 0), (50, 1), ("79.999", 2), (80, 3), ("80.0", 3), (98, 5), (1000, 5), (-5, 0)],
)
def test_threshold_higher_counts_thresholds_met(value, grade):
    standard = _one(thresholds=[50, 65, 80, 90, 98])
    assert run(standard, {"A": value}).grades == (grade,)


@pytest.mark.parametrize(
    ("value", "grade"),
    [("15.01", 0), (15, 1), (7, 3), ("6.99", 3), (3, 5), (0, 5), (100, 0)],
)
def test_threshold_lower_counts_thresholds_not_exceeded(value, grade):
    standard = _one(thresholds=[15, 10, 7, 5, 3], direction="lower")
    assert run(standard, {"A": value}).grades == (grade,)


@pytest.mark.parametrize(
    ("numerator", "denominator", "thresholds", "grade"),
    [
        (91, 130, [20, 40, 60, 80, 95], 3),
        (3, 5, [20, 40, 60, 80, 95], 3),
        (59999, 100000, [20, 40, 60, 80, 95], 2),
        (2, 3, [20, 40, "66.67", 80, 95], 2),
        (2, 3, [20, 40, "66.66", 80, 95], 3),
        (0, 7, [20, 40, 60, 80, 95], 0),
    ],
)
def test_ratio_value_is_a_percentage(numerator, denominator, thresholds, grade):
    standard = _one("ratio", thresholds=thresholds)
    result = run(standard, {"A": {"numerator": numerator, "denominator": denominator}})
    assert result.grades == (grade,)


def test_ratio_lower_direction():
    standard = _one("ratio", thresholds=[50, 40, 30, 20, 10], direction="lower")
    assert run(standard, {"A": {"numerator": 3, "denominator": 10}}).grades == (3,)


def test_tiered_and_boolean_grades():
    standard = make_standard(
        5,
        [
            {"code": "T", "method": "tiered", "tiers": list("abcde"), "weight": 50},
            {"code": "B", "method": "boolean", "weight": 50},
        ],
    )
    assert run(standard, {"T": 4, "B": True}).grades == (4, 5)
    assert run(standard, {"T": 0, "B": False}).grades == (0, 0)


def test_n_equals_one():
    standard = make_standard(
        1,
        [{"code": "A", "method": "threshold", "thresholds": [50], "weight": 100}],
        rules={"score_bands": [60]},
    )
    top = run(standard, {"A": 50})
    assert (top.grade, top.grade_name, top.score, top.plan, top.limits) == (1, "一星级", 100, None, ())
    low = run(standard, {"A": "49.5"})
    assert (low.grade, low.grade_name) == (0, None)
    assert [(lim.grade, lim.rule) for lim in low.limits] == [(1, "score_band")]
    assert [(s.indicator, s.from_grade, s.to_grade, s.value_text) for s in low.plan.steps] == [
        ("A", 0, 1, "50")
    ]


def _thirds(weights, bands, **rules):
    items = [
        {"code": c, "method": "tiered", "tiers": ["a", "b", "c"], "weight": w}
        for c, w in zip("ABC", weights, strict=False)
    ]
    return make_standard(3, items, rules={"score_bands": bands, **rules})


@pytest.mark.parametrize(
    ("grades", "score", "grade"),
    [((1, 1, 0), "10.00", 1), ((0, 0, 1), "23.33", 1), ((2, 2, 0), "20.00", 1), ((3, 3, 3), "100.00", 3)],
)
def test_n_three_band_ties_are_exact(grades, score, grade):
    # 10/3 + 20/3 is exactly the band 10: a fixed-precision decimal would miss the tie.
    standard = _thirds(["10", "20", "70"], ["10", "50", "100"])
    result = run(standard, dict(zip("ABC", grades, strict=False)))
    assert (result_to_dict(result)["score"], result.grade) == (score, grade)


def test_n_three_weights_thirty_three_point_three():
    standard = _thirds(["33.3", "33.3", "33.4"], ["33.3", "66.6", "100"])
    tie = run(standard, {"A": 2, "B": 1, "C": 0})
    assert (tie.score, tie.grade) == (Fraction("33.3"), 1)
    third = run(standard, {"A": 1, "B": 1, "C": 1})
    assert third.score == Fraction(100, 3)
    assert result_to_dict(third)["indicators"]["C"] == {"grade": 1, "points": "11.13"}
    assert result_to_dict(third)["score"] == "33.33"
    below = run(standard, {"A": 1, "B": 1, "C": 0})
    assert (below.score, below.grade) == (Fraction("22.2"), 0)


def test_n_nine():
    items = [{"code": "A", "method": "threshold", "thresholds": list(range(10, 100, 10)), "weight": 100}]
    standard = make_standard(9, items, rules={"score_bands": list(range(10, 100, 10))})
    result = run(standard, {"A": 45})
    assert (result.grades, result.grade, result.grade_name) == ((4,), 4, "四星级")
    assert result_to_dict(result)["score"] == "44.44"
    assert result_to_dict(run(standard, {"A": 50}))["score"] == "55.56"
    assert result.plan.steps[0].to_grade == 5


def test_points_and_domain_scores():
    result = run(EXAMPLE, {"H01": 80, "Z01": 2})
    assert result.indicators["H01"].points == Fraction(9)  # 15 · 3 / 5
    assert result.indicators["Z01"].points == Fraction(8)
    assert result.domains["huimin"].points == 9
    assert result.domains["huimin"].score == Fraction(45, 2)  # 100 · 9 / 40
    assert result.domains["youzheng"].score == Fraction(160, 7)


def test_missing_values_are_grade_zero_and_listed_in_order():
    result = run(EXAMPLE, {"Z02": 4, "H01": 99})
    assert result.missing == ("H02", "H03", "Z01", "Q01", "Q02")
    assert result.indicators["H03"].grade == 0 and result.indicators["H03"].missing
    assert result_to_dict(result)["indicators"]["H03"] == {"grade": 0, "points": "0.00"}


def test_zero_and_cap_vetoes_together():
    result = run(EXAMPLE, TOP, vetoes={"V02": True, "V01": True})
    assert (result.natural_grade, result.grade, result.vetoed) == (5, 0, ("V01", "V02"))
    assert [(lim.grade, lim.rule, lim.code) for lim in result.limits] == [(1, "veto", "V01")]
    assert (result.plan.target, result.plan.reachable, result.plan.steps) == (1, False, ())


def test_cap_veto_caps_and_blocks_the_plan():
    result = run(EXAMPLE, TOP, vetoes={"V02": True})
    assert (result.grade, result.grade_name) == (3, "三星级")
    assert [(lim.rule, lim.code) for lim in result.limits] == [("veto", "V02")]
    assert result.limits[0].detail("en") == "veto V02 caps the grade at 3"
    assert result.plan.reachable is False


def test_cap_veto_above_the_grade_changes_nothing():
    values = {
        "H01": 65,
        "H02": {"numerator": 1, "denominator": 2},
        "H03": 70,
        "Z01": 2,
        "Z02": 10,
        "Q01": 40,
        "Q02": True,
    }
    result = run(EXAMPLE, values, vetoes={"V02": True})
    assert result.grade == result.natural_grade == 2
    assert "veto" not in {lim.rule for lim in result.limits}
    assert result.plan.reachable


def test_cap_zero_veto_blocks_grade_one():
    data = mutated(EXAMPLE.raw, "vetoes[1].cap", 0)
    standard = standard_from_mapping(data)
    result = run(standard, TOP, vetoes={"V02": True})
    assert result.grade == 0
    assert [(lim.grade, lim.rule, lim.code) for lim in result.limits] == [(1, "veto", "V02")]


GOOD = {"H01": 95, "H02": {"numerator": 9, "denominator": 10}, "Z01": 4, "Z02": 4, "Q01": 85, "Q02": True}


@pytest.mark.parametrize(
    ("h03", "grade", "missing"),
    [(88, 4, None), (82, 4, None), ("81.99", 3, False), (None, 3, True)],
)
def test_gate_given_met_missing(h03, grade, missing):
    values = dict(GOOD, H03=h03) if h03 is not None else GOOD
    result = run(EXAMPLE, values)
    assert result.grade == grade
    gates = [lim for lim in result.limits if lim.rule == "gate"]
    if missing is None:
        assert not gates
    else:
        assert [(g.grade, g.code) for g in gates] == [(4, "H03")]
        assert ("未填报" in gates[0].detail()) == missing


@pytest.mark.parametrize(("z02", "grade"), [("4.5", 3), (4, 4), ("3.5", 4)])
def test_gate_on_a_lower_indicator(z02, grade):
    data = mutated(EXAMPLE.raw, "rules.gates", [{"indicator": "Z02", "min_value": 4, "from_grade": 4}])
    standard = standard_from_mapping(data)
    assert run(standard, dict(GOOD, H03=88, Z02=z02)).grade == grade


def test_gate_from_grade_one_on_a_missing_indicator():
    standard = _one(thresholds=[10, 20, 30, 40, 50], weight=100)
    data = mutated(standard.raw, "rules.gates", [{"indicator": "A", "min_value": 5, "from_grade": 1}])
    standard = standard_from_mapping(data)
    result = run(standard, {})
    assert result.grade == 0
    assert [(lim.rule, lim.code) for lim in result.limits] == [("score_band", None), ("gate", "A")]
    assert [(s.from_grade, s.to_grade, s.value_text) for s in result.plan.steps] == [(0, 1, "10")]


def _two(n=2, **rules):
    items = [
        {"code": "A", "method": "boolean", "weight": 50},
        {"code": "B", "method": "boolean", "weight": 50},
    ]
    return make_standard(n, items, rules={"score_bands": [10, 20], **rules})


def test_coverage_tie_holds_and_shortfall_limits():
    standard = _two(coverage=["0.5", 1])
    result = run(standard, {"A": True, "B": False})
    assert result.grade == 1
    [limit] = result.limits
    assert (limit.grade, limit.rule, limit.code) == (2, "coverage", None)
    assert limit.detail("en") == "weight of indicators at grade 2 or above 50 < 100"


def _floors(lag):
    domains = [{"code": "P", "name": "P", "weight": 50}, {"code": "Q", "name": "Q", "weight": 50}]
    items = [
        {"code": "A", "domain": "P", "method": "tiered", "tiers": list("abcde"), "weight": 50},
        {"code": "B", "domain": "Q", "method": "tiered", "tiers": list("abcde"), "weight": 50},
    ]
    rules = {"score_bands": [20, 40, 60, 75, 88]}
    if lag is not None:
        rules["domain_lag"] = lag
    return make_standard(5, items, domains=domains, rules=rules)


@pytest.mark.parametrize(
    ("lag", "grade", "limits"),
    [
        (None, 3, [("score_band", None)]),
        (0, 2, [("domain_floor", "Q")]),
        (1, 3, [("score_band", None), ("domain_floor", "Q")]),
        (3, 3, [("score_band", None)]),
        (9, 3, [("score_band", None)]),
    ],
)
def test_domain_floor_with_lag(lag, grade, limits):
    # T = 70, D_P = 100, D_Q = 40 (exactly the band of grade 2).
    result = run(_floors(lag), {"A": 5, "B": 2})
    assert result.grade == grade
    assert [(lim.rule, lim.code) for lim in result.limits] == limits


def test_domain_floor_detail():
    [limit] = run(_floors(0), {"A": 5, "B": 2}).limits
    assert limit.detail() == "Q 得分率 40.00 < 60.00"


def test_mandatory_minimum_per_grade():
    values = {
        "H01": 65,
        "H02": {"numerator": 1, "denominator": 1},
        "H03": 95,
        "Z01": 5,
        "Z02": 1,
        "Q01": 99,
        "Q02": True,
    }
    result = run(EXAMPLE, values)
    # H01 has grade 2: mandatory_min [1, 2, 2, 4, 5] allows grade 3, not 4.
    assert result.grade == 3
    assert ("mandatory", "H01") in {(lim.rule, lim.code) for lim in result.limits}


@pytest.mark.parametrize(
    ("cap", "bonus", "expected"),
    [
        (3, {"B01": True, "B02": True}, "3.00"),
        (None, {"B01": True, "B02": True}, "4.50"),
        (0, {"B01": True}, "0.00"),
        (3, {"B02": True}, "2.50"),
    ],
)
def test_bonus_cap(cap, bonus, expected):
    data = (
        mutated(EXAMPLE.raw, "rules.bonus_cap", cap)
        if cap is not None
        else mutated(
            EXAMPLE.raw, "rules", {k: v for k, v in EXAMPLE.raw["rules"].items() if k != "bonus_cap"}
        )
    )
    result = run(standard_from_mapping(data), {"Z01": 2}, bonus=bonus)
    assert result_to_dict(result)["bonus"] == expected


def test_total_is_capped_at_one_hundred():
    result = run(EXAMPLE, TOP, bonus={"B01": True, "B02": True})
    assert result.score == 100 and result.bonus == 3
    assert (result.grade, result.plan, result.limits) == (5, None, ())


def test_bonus_counts_towards_the_band():
    values = {
        "H01": 65,
        "H02": {"numerator": 1, "denominator": 2},
        "H03": 70,
        "Z01": 2,
        "Z02": 10,
        "Q01": 40,
        "Q02": True,
    }
    without = run(EXAMPLE, values)
    with_bonus = run(EXAMPLE, values, bonus={"B01": True})
    assert (without.score, with_bonus.score) == (46, 48)


@pytest.mark.parametrize(("weight", "shown"), [("4.69", "2.35"), ("4.689998", "2.34"), ("4.67", "2.34")])
def test_half_up_display_of_points(weight, shown):
    items = [
        {"code": "A", "method": "tiered", "tiers": ["a", "b"], "weight": weight},
        {"code": "B", "method": "boolean", "weight": exact_text(100 - Fraction(weight))},
    ]
    standard = make_standard(2, items, rules={"score_bands": [50, 100]})
    result = run(standard, {"A": 1})
    assert result_to_dict(result)["indicators"]["A"]["points"] == shown


def test_values_of_another_standard_are_refused():
    other = _one(thresholds=[1, 2, 3, 4, 5])
    with pytest.raises(ValueError):
        score(EXAMPLE, make_values(other, {"A": 1}))


def test_result_json_shape():
    data = result_to_dict(run(EXAMPLE, {"H01": 80}), "en")
    assert list(data) == [
        "standard",
        "grade",
        "grade_name",
        "score",
        "bonus",
        "domains",
        "indicators",
        "missing",
        "vetoed",
        "limits",
        "plan",
    ]
    assert list(data["indicators"]) == ["H01", "H02", "H03", "Z01", "Z02", "Q01", "Q02"]
    assert list(data["domains"]) == ["huimin", "youzheng", "qiangji"]
    assert data["standard"] == {"code": "EX-DEMO", "version": "1"}
