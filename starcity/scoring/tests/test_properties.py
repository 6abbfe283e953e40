"""Hypothesis properties: the integer engine equals the Fraction oracle; monotonicity; plans."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from starcity.scoring import half_up, result_to_dict, score, values_from_mapping
from starcity.scoring.verify import apply_steps, plan_problems, values_mapping

from .helpers import make_values, random_inputs, random_standard
from .reference import reference

SEEDS = st.integers(min_value=0, max_value=2**32)
SETTINGS = settings(max_examples=120, deadline=None)


def _case(seed):
    rng = random.Random(seed)
    standard = random_standard(rng)
    values = make_values(
        standard,
        random_inputs(standard, rng),
        bonus={"B1": rng.random() < 0.5},
        vetoes={"V1": rng.random() < 0.05, "V2": rng.random() < 0.1},
    )
    return rng, standard, values


@SETTINGS
@given(SEEDS)
def test_engine_equals_the_fraction_oracle(seed):
    _, standard, values = _case(seed)
    result = score(standard, values)
    oracle = reference(standard, values)
    assert result.grade == oracle["grade"]
    assert result.natural_grade == oracle["natural"]
    assert result.score == oracle["score"]
    assert result.bonus == oracle["bonus"]
    assert {c: d.points for c, d in result.domains.items()} == oracle["domain_points"]
    assert {c: d.score for c, d in result.domains.items()} == oracle["domain_scores"]
    assert {(lim.rule, lim.code) for lim in result.limits} == oracle["limits"]
    assert {c: i.grade for c, i in result.indicators.items()} == oracle["grades"]
    shown = result_to_dict(result)
    assert shown["score"] == half_up(oracle["score"])
    assert shown["bonus"] == half_up(oracle["bonus"])
    assert {c: d["points"] for c, d in shown["domains"].items()} == {
        c: half_up(p) for c, p in oracle["domain_points"].items()
    }
    assert {c: d["score"] for c, d in shown["domains"].items()} == {
        c: half_up(p) for c, p in oracle["domain_scores"].items()
    }
    assert {c: i["points"] for c, i in shown["indicators"].items()} == {
        c: half_up(i.points) for c, i in result.indicators.items()
    }


def _raised(standard, values, code, rng):
    """The values with indicator `code` moved in its better direction."""
    mapping = values_mapping(values)
    ind = standard.indicator(code)
    current = values.value_of(code)
    if ind.method == "boolean":
        mapping["values"][code] = True
    elif ind.method == "tiered":
        mapping["values"][code] = min(standard.n_grades, values.entries.get(code, 0) + rng.randint(1, 3))
    else:
        step = rng.randint(1, 60)
        base = current if current is not None else 0
        number = base - step if ind.direction == "lower" and current is not None else base + step
        number = max(number, 0)
        mapping["values"][code] = (
            {"numerator": number, "denominator": 100} if ind.method == "ratio" else number
        )
    return values_from_mapping(mapping, standard)


@SETTINGS
@given(SEEDS)
def test_raising_an_indicator_never_lowers_the_grade(seed):
    rng, standard, values = _case(seed)
    before = score(standard, values)
    code = rng.choice(standard.indicators).code
    after = score(standard, _raised(standard, values, code, rng))
    assert after.grade >= before.grade
    assert after.score >= before.score


@SETTINGS
@given(SEEDS)
def test_the_plan_applied_reaches_its_target(seed):
    _, standard, values = _case(seed)
    result = score(standard, values)
    if result.plan is None or not result.plan.reachable:
        return
    assert score(standard, apply_steps(standard, values, result.plan.steps)).grade >= result.plan.target


@SETTINGS
@given(SEEDS)
def test_dropping_any_step_misses_the_target(seed):
    _, standard, values = _case(seed)
    result = score(standard, values)
    if result.plan is None or not result.plan.reachable:
        return
    steps = result.plan.steps
    for k in range(len(steps)):
        rest = steps[:k] + steps[k + 1 :]
        assert score(standard, apply_steps(standard, values, rest)).grade < result.plan.target


@SETTINGS
@given(SEEDS)
def test_plan_steps_never_lower_a_value_and_follow_section_4(seed):
    _, standard, values = _case(seed)
    result = score(standard, values)
    for step in result.plan.steps if result.plan else ():
        assert step.to_grade >= step.from_grade
        old = values.value_of(step.indicator)
        if old is not None and step.value is not None:
            lower = standard.indicator(step.indicator).direction == "lower"
            assert (step.value <= old) if lower else (step.value >= old)
    assert plan_problems(standard, values, result) == []
