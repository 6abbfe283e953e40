"""Section 4: the plan — forced steps, gate-only steps, minimality, order, unreachable, null."""

import random

import pytest

from starcity.scoring import load_standard_file, score
from starcity.scoring.synthetic import random_batch, synthetic_standard
from starcity.scoring.verify import apply_steps, plan_problems

from .helpers import EXAMPLES, make_standard, random_inputs, random_standard, run

EXAMPLE = load_standard_file(EXAMPLES / "standard.yaml")


def _steps(result):
    return [(s.indicator, s.from_grade, s.to_grade, s.value_text) for s in result.plan.steps]


def test_gate_only_step_keeps_the_grade():
    values = {
        "H01": 92,
        "H02": {"numerator": 170, "denominator": 200},
        "H03": 81,
        "Z01": 4,
        "Z02": "4.5",
        "Q01": 88,
        "Q02": True,
    }
    assert _steps(run(EXAMPLE, values)) == [("H03", 3, 3, "82")]


def test_gate_on_a_missing_indicator_is_given_the_gate_value():
    values = {
        "H01": 92,
        "H02": {"numerator": 170, "denominator": 200},
        "Z01": 4,
        "Z02": "4.5",
        "Q01": 88,
        "Q02": True,
    }
    result = run(EXAMPLE, values)
    assert ("H03", 0, 3, "82") in _steps(result)
    assert plan_problems(EXAMPLE, _values(values), result) == []


def _values(values):
    from .helpers import make_values

    return make_values(EXAMPLE, values)


def test_two_gates_on_one_indicator_use_the_tightest_at_the_target():
    data = dict(EXAMPLE.raw)
    data["rules"] = dict(
        data["rules"],
        gates=[
            {"indicator": "H03", "min_value": 82, "from_grade": 4},
            {"indicator": "H03", "min_value": "86.5", "from_grade": 5},
        ],
    )
    from starcity.scoring import standard_from_mapping

    standard = standard_from_mapping(data)
    values = {
        "H01": 99,
        "H02": {"numerator": 96, "denominator": 100},
        "H03": 84,
        "Z01": 5,
        "Z02": "2.5",
        "Q01": 97,
        "Q02": True,
    }
    result = run(standard, values)
    assert result.grade == 4
    assert _steps(result) == [("H03", 3, 4, "86.5")]
    values["H03"] = 89
    result = run(standard, values)
    assert result.grade == 5


def test_mandatory_steps_are_forced_even_when_the_score_suffices():
    values = {
        "H01": 81,
        "H02": {"numerator": 1, "denominator": 1},
        "H03": 95,
        "Z01": 5,
        "Z02": 1,
        "Q01": 99,
        "Q02": True,
    }
    result = run(EXAMPLE, values)
    assert result.grade == 3
    assert _steps(result) == [("H01", 3, 4, "90")]


def test_boolean_step_goes_to_the_top_grade_without_value():
    standard = make_standard(
        3,
        [
            {"code": "A", "method": "boolean", "weight": 60},
            {"code": "B", "method": "tiered", "tiers": list("abc"), "weight": 40},
        ],
        rules={"score_bands": [20, 50, 90]},
    )
    result = run(standard, {"A": False, "B": 1})
    assert _steps(result) == [("A", 0, 3, None)]


def test_lower_direction_step_value():
    values = {
        "H01": 92,
        "H02": {"numerator": 170, "denominator": 200},
        "H03": 85,
        "Z01": 4,
        "Z02": 9,
        "Q01": 70,
        "Q02": True,
    }
    result = run(EXAMPLE, values)
    assert result.grade == 3
    assert _steps(result) == [("Z02", 2, 3, "7")]


def test_top_grade_has_no_plan():
    values = {
        "H01": 99,
        "H02": {"numerator": 96, "denominator": 100},
        "H03": 92,
        "Z01": 5,
        "Z02": "2.5",
        "Q01": 97,
        "Q02": True,
    }
    assert run(EXAMPLE, values).plan is None


def test_steps_applied_reach_the_target_and_each_is_needed():
    values = _values({"H01": 50, "Z01": 1})
    result = score(EXAMPLE, values)
    assert result.grade == 0
    assert score(EXAMPLE, apply_steps(EXAMPLE, values, result.plan.steps)).grade >= 1
    assert plan_problems(EXAMPLE, values, result) == []


@pytest.mark.parametrize("seed", range(40))
def test_random_standards_give_valid_plans(seed):
    rng = random.Random(seed)
    standard = random_standard(rng)
    for _ in range(5):
        values = _random_values(standard, rng)
        result = score(standard, values)
        assert plan_problems(standard, values, result) == []


def _random_values(standard, rng):
    from .helpers import make_values

    return make_values(
        standard,
        random_inputs(standard, rng),
        bonus={"B1": rng.random() < 0.5},
        vetoes={"V1": rng.random() < 0.05, "V2": rng.random() < 0.1},
    )


def test_synthetic_city_standard_plans_are_valid():
    standard = synthetic_standard(49)
    for values in random_batch(standard, 60, random.Random(3)):
        result = score(standard, values)
        assert plan_problems(standard, values, result) == []
