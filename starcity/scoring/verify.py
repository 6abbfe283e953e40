"""Checking a plan against section 4, independently of how the planner built it.

`plan_problems()` re-scores the values with the plan applied, and with each step left out, and
checks every promise of the format: the plan reaches its target, it lowers nothing, each value is
the threshold of the grade aimed at tightened by the gate that applies, `to` is the grade that
value attains, and dropping any one step misses the target.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from .compiled import attained
from .engine import score
from .model import Indicator, Standard
from .result import PlanStep, Result
from .values import Ratio, Values, values_from_mapping

__all__ = ["apply_steps", "plan_problems", "values_mapping"]


def values_mapping(values: Values) -> dict[str, Any]:
    """A mapping that `values_from_mapping` turns back into the same values."""
    entries: dict[str, Any] = {}
    for code, entry in values.entries.items():
        if isinstance(entry, Ratio):
            entries[code] = {"numerator": entry.numerator, "denominator": entry.denominator}
        else:
            entries[code] = entry
    return {
        "schema": "starcity/values@1",
        "values": entries,
        "bonus": dict.fromkeys(values.bonus, True),
        "vetoes": dict.fromkeys(values.vetoes, True),
    }


def apply_steps(standard: Standard, values: Values, steps: Iterable[PlanStep]) -> Values:
    """`values` with each step applied: a measured indicator takes the step's value (for a ratio,
    the percentage: numerator = value, denominator = 100), a tiered one grade `to`, a boolean true."""
    mapping = values_mapping(values)
    for step in steps:
        indicator = standard.indicator(step.indicator)
        if indicator.method == "ratio":
            mapping["values"][step.indicator] = {"numerator": step.value, "denominator": 100}
        elif indicator.method == "threshold":
            mapping["values"][step.indicator] = step.value
        elif indicator.method == "tiered":
            mapping["values"][step.indicator] = step.to_grade
        else:
            mapping["values"][step.indicator] = True
    return values_from_mapping(mapping, standard)


def plan_problems(standard: Standard, values: Values, result: Result) -> list[str]:
    """Every way in which `result.plan` breaks section 4 (an empty list for a valid plan)."""
    plan, n = result.plan, standard.n_grades
    if result.grade == n:
        return [] if plan is None else ["plan must be null at the top grade"]
    if plan is None or plan.target != result.grade + 1:
        return [f"plan must target grade {result.grade + 1}"]
    blocked = any(limit.rule == "veto" for limit in result.limits)
    if blocked:
        return (
            []
            if not plan.reachable and not plan.steps
            else ["a veto-blocked plan is unreachable with no steps"]
        )
    if not plan.reachable:
        return ["the plan says unreachable but no veto blocks it"]
    problems = _order_problems(standard, plan.steps)
    for step in plan.steps:
        problems.extend(_step_problems(standard, values, result, step))
    problems.extend(_outcome_problems(standard, values, plan.target, plan.steps))
    return problems


def _order_problems(standard: Standard, steps: tuple[PlanStep, ...]) -> list[str]:
    order = [standard.indicators.index(standard.indicator(s.indicator)) for s in steps]
    if order != sorted(set(order)):
        return ["steps must follow the standard's order, one per indicator"]
    return []


def _gate_value(standard: Standard, indicator: Indicator, target: int) -> Fraction | None:
    values = [
        g.min_value for g in standard.rules.gates if g.indicator == indicator.code and g.from_grade <= target
    ]
    if not values:
        return None
    return min(values) if indicator.direction == "lower" else max(values)


def _step_problems(standard: Standard, values: Values, result: Result, step: PlanStep) -> list[str]:
    indicator = standard.indicator(step.indicator)
    current = result.indicators[step.indicator].grade
    where = f"step {step.indicator}"
    problems = [] if step.from_grade == current else [f"{where}: from {step.from_grade} != grade {current}"]
    if step.to_grade < step.from_grade:
        problems.append(f"{where}: lowers the grade")
    if not indicator.measured:
        if step.value is not None:
            problems.append(f"{where}: a {indicator.method} step has no value")
        if step.to_grade == step.from_grade or (
            indicator.method == "boolean" and step.to_grade != len(standard.grades)
        ):
            problems.append(f"{where}: bad grade {step.to_grade}")
        return problems
    return problems + _measured_problems(standard, values, result, step, indicator)


def _measured_problems(
    standard: Standard, values: Values, result: Result, step: PlanStep, indicator: Indicator
) -> list[str]:
    where = f"step {step.indicator}"
    if step.value is None:
        return [f"{where}: a measured step needs a value"]
    problems = []
    if attained(indicator, step.value) != step.to_grade:
        problems.append(f"{where}: value {step.value} does not attain grade {step.to_grade}")
    gate = _gate_value(standard, indicator, result.grade + 1)
    stricter = min if indicator.direction == "lower" else max
    allowed = {t if gate is None else stricter(t, gate) for t in indicator.thresholds}
    if gate is not None:
        allowed.add(gate)
    if step.value not in allowed:
        problems.append(f"{where}: value {step.value} is not a (gate-tightened) threshold")
    old = values.value_of(step.indicator)
    if old is not None and (step.value < old if indicator.direction == "higher" else step.value > old):
        problems.append(f"{where}: value {step.value} lowers the input {old}")
    if step.to_grade == step.from_grade and gate is None:
        problems.append(f"{where}: from = to without a gate")
    return problems


def _outcome_problems(
    standard: Standard, values: Values, target: int, steps: tuple[PlanStep, ...]
) -> list[str]:
    problems = []
    reached = score(standard, apply_steps(standard, values, steps)).grade
    if reached < target:
        problems.append(f"applying the plan gives grade {reached} < {target}")
    for k, step in enumerate(steps):
        rest = steps[:k] + steps[k + 1 :]
        if score(standard, apply_steps(standard, values, rest)).grade >= target:
            problems.append(f"step {step.indicator} is not needed")
    return problems
