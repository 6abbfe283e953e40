"""The result of scoring (section 4 of the format) and its JSON form.

Scores are kept as integer units while scoring; the exact `Fraction` points and scores are built
only when read (`Result.score`, `.domains`, `.indicators`), and rounded (2 decimals, half up)
only when shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .messages import format_message
from .numeric import exact_text, half_up, half_up_ratio

if TYPE_CHECKING:
    from .compiled import Compiled
    from .model import Standard

__all__ = [
    "DomainScore",
    "IndicatorScore",
    "Limit",
    "Plan",
    "PlanStep",
    "Result",
    "result_to_dict",
    "result_to_json",
]

RULES = ("score_band", "domain_floor", "mandatory", "coverage", "gate", "veto")


@dataclass(frozen=True)
class Limit:
    """A condition that fails at grade `grade` (= G+1): `rule` is one of `RULES`, `code` names
    the domain, indicator or veto concerned (None for score_band and coverage)."""

    grade: int
    rule: str
    code: str | None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def detail(self, lang: str = "zh") -> str:
        """A sentence saying what fails, in `lang` ("zh" or "en")."""
        key = f"limit_{self.rule}"
        params = dict(self.params)
        if self.rule == "veto":
            key = f"limit_veto_{params.pop('effect')}"
        elif self.rule == "gate" and params.pop("missing", False):
            key = "limit_gate_missing"
        for name, value in params.items():
            if isinstance(value, Fraction):
                params[name] = (
                    half_up(value) if self.rule in ("score_band", "domain_floor") else exact_text(value)
                )
        return format_message(key, params, lang)


@dataclass(frozen=True)
class PlanStep:
    """Raise `indicator` from grade `from_grade` to `to_grade`; for threshold and ratio
    indicators by giving `value` (a ratio's percentage), None for tiered and boolean ones."""

    indicator: str
    from_grade: int
    to_grade: int
    value: Fraction | None = None

    @property
    def value_text(self) -> str | None:
        """`value` as an exact decimal string ("90", "66.5"), or None."""
        return None if self.value is None else exact_text(self.value)


@dataclass(frozen=True)
class Plan:
    """The path to grade `target` = G+1; `reachable` is false (no steps) when vetoes block it."""

    target: int
    reachable: bool
    steps: tuple[PlanStep, ...] = ()


@dataclass(frozen=True)
class IndicatorScore:
    """An indicator's grade 0..N and points w·g/N; `missing` when it had no value."""

    code: str
    grade: int
    points: Fraction
    missing: bool


@dataclass(frozen=True)
class DomainScore:
    """A domain's points (sum of its indicators' points) and score 100·points/weight."""

    code: str
    points: Fraction
    score: Fraction


@dataclass(frozen=True)
class Result:
    """The outcome of `score()`.

    `grade` is the overall grade G after vetoes (`natural_grade` before them), `grade_name` its
    name (None for 0); `grades` the indicator grades in the standard's order. `score` (total T,
    capped at 100), `bonus`, `domains` and `indicators` are exact and built on first use.
    """

    standard_code: str
    standard_version: str
    grade: int
    grade_name: str | None
    natural_grade: int
    grades: tuple[int, ...]
    missing: tuple[str, ...]
    vetoed: tuple[str, ...]
    limits: tuple[Limit, ...]
    plan: Plan | None
    total_units: int = field(repr=False)
    domain_units: tuple[int, ...] = field(repr=False)
    bonus_units: int = field(repr=False)
    standard: Standard = field(repr=False, compare=False)

    @property
    def _compiled(self) -> Compiled:
        return self.standard.compiled

    @cached_property
    def score(self) -> Fraction:
        """T = min(100, Σ domain points + bonus)."""
        return min(
            Fraction(100), Fraction(self.total_units + self.bonus_units, self._compiled.units_per_point)
        )

    @cached_property
    def bonus(self) -> Fraction:
        """B: points of the bonus items given, limited to the bonus cap."""
        return Fraction(self.bonus_units, self._compiled.units_per_point)

    @cached_property
    def domains(self) -> dict[str, DomainScore]:
        """Every domain's points and score, in the standard's order."""
        unit = self._compiled.units_per_point
        out = {}
        for domain, units in zip(self.standard.domains, self.domain_units, strict=True):
            points = Fraction(units, unit)
            out[domain.code] = DomainScore(domain.code, points, 100 * points / domain.weight)
        return out

    @cached_property
    def indicators(self) -> dict[str, IndicatorScore]:
        """Every indicator's grade and points, in the standard's order (missing ones included)."""
        c = self._compiled
        missing = set(self.missing)
        return {
            code: IndicatorScore(code, grade, Fraction(weight * grade, c.units_per_point), code in missing)
            for code, weight, grade in zip(c.codes, c.weights, self.grades, strict=True)
        }


def result_to_dict(result: Result, lang: str = "zh") -> dict[str, Any]:
    """The JSON object of section 4: points and scores as strings with two decimals (half up).

    Rounded straight from the integer units, so showing a result costs no `Fraction`.
    """
    c = result.standard.compiled
    unit = c.units_per_point
    total = min(result.total_units + result.bonus_units, 100 * unit)
    domains = {}
    for code, units, weight in zip(c.domain_codes, result.domain_units, c.domain_weights, strict=True):
        score = half_up_ratio(100 * units * c.weight_scale, unit * weight)
        domains[code] = {"points": half_up_ratio(units, unit), "score": score}
    indicators = {
        code: {"grade": grade, "points": half_up_ratio(weight * grade, unit)}
        for code, weight, grade in zip(c.codes, c.weights, result.grades, strict=True)
    }
    return {
        "standard": {"code": result.standard_code, "version": result.standard_version},
        "grade": result.grade,
        "grade_name": result.grade_name,
        "score": half_up_ratio(total, unit),
        "bonus": half_up_ratio(result.bonus_units, unit),
        "domains": domains,
        "indicators": indicators,
        "missing": list(result.missing),
        "vetoed": list(result.vetoed),
        "limits": [
            {"grade": lim.grade, "rule": lim.rule, "code": lim.code, "detail": lim.detail(lang)}
            for lim in result.limits
        ],
        "plan": _plan_dict(result.plan),
    }


def _plan_dict(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    steps = [
        {"indicator": s.indicator, "from": s.from_grade, "to": s.to_grade, "value": s.value_text}
        for s in plan.steps
    ]
    return {"target": plan.target, "reachable": plan.reachable, "steps": steps}


def result_to_json(result: Result, lang: str = "zh", *, indent: int | None = 2) -> str:
    """`result_to_dict` as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(result_to_dict(result, lang), ensure_ascii=False, indent=indent)
