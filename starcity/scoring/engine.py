"""The arithmetic of section 3: indicator grades, points, rules per grade, vetoes, limits.

Scoring runs on the integer tables of `Compiled` (see compiled.py): every comparison is exact,
nothing is rounded, and no `Fraction` is built unless a result is read or a limit explained.
"""

from __future__ import annotations

from bisect import bisect_right
from fractions import Fraction
from operator import mul

from .compiled import Compiled
from .model import Standard
from .plan import make_plan
from .result import Limit, Plan, Result
from .values import EngineInput, Values

__all__ = ["Tally", "score"]


class Tally:
    """The integer totals of one set of grades (see compiled.py for the units)."""

    __slots__ = ("bonus", "cov_at", "dom", "failing_gates", "gate_block", "mand", "tot")

    def __init__(
        self, c: Compiled, grades: list[int], vec: tuple[EngineInput, ...], bonus: tuple[str, ...]
    ) -> None:
        self.tot: int = sum(map(mul, c.weights, grades))
        self.dom: list[int] = [sum(map(mul, ws, getter(grades))) for ws, getter in c.domain_parts]
        self.cov_at: list[int] | None = _coverage_at(c, grades) if c.coverage_units is not None else None
        self.mand: int = min([grades[i] for i in c.mandatory]) if c.mandatory else c.n
        self.failing_gates = [k for k, gate in enumerate(c.gates) if _gate_fails(gate, vec)]
        self.gate_block: int = min([c.gates[k][3] for k in self.failing_gates], default=c.n + 1)
        units = sum([c.bonus_units[code] for code in bonus])
        if c.bonus_cap_units is not None and units > c.bonus_cap_units:
            units = c.bonus_cap_units
        self.bonus: int = units

    def natural_grade(self, c: Compiled) -> int:
        """The largest L such that the rules hold at every grade 1..L (section 3, step 7)."""
        for level in range(1, c.n + 1):
            if not self.holds(c, level):
                return level - 1
        return c.n

    def holds(self, c: Compiled, level: int) -> bool:
        """Whether every configured rule holds at grade `level` (section 3, step 6)."""
        if self.tot + self.bonus < c.band_units[level] or self.mand < c.mandatory_min[level]:
            return False
        if level >= self.gate_block:
            return False
        floor = c.floor_units[level]
        if floor is not None and any(d < f for d, f in zip(self.dom, floor, strict=True)):
            return False
        return (
            self.cov_at is None or c.coverage_units is None or self.cov_at[level] >= c.coverage_units[level]
        )


def _gate_fails(gate: tuple[int, int, int, int], vec: tuple[EngineInput, ...]) -> bool:
    x = vec[gate[0]]
    return x is None or (x[0] * gate[1]) // x[1] < gate[2]  # type: ignore[index]


def _coverage_at(c: Compiled, grades: list[int]) -> list[int]:
    """cov_at[L] = Σ W_i over indicators with g_i ≥ L, for L = 0..N."""
    hist = [0] * (c.n + 2)
    for weight, grade in zip(c.weights, grades, strict=True):
        hist[grade] += weight
    for level in range(c.n - 1, -1, -1):
        hist[level] += hist[level + 1]
    return hist


def indicator_grades(c: Compiled, vec: tuple[EngineInput, ...]) -> list[int]:
    """g_i for every indicator: thresholds met (measured), the given tier, N or 0 (boolean), 0 if missing."""
    grades = [0] * len(vec)
    for index, signed_scale, keys in c.measured:
        x = vec[index]
        if x is not None:
            grades[index] = bisect_right(keys, (x[0] * signed_scale) // x[1])  # type: ignore[index]
    for index in c.tiered:
        x = vec[index]
        if x is not None:
            grades[index] = x  # type: ignore[assignment]
    n = c.n
    for index in c.booleans:
        if vec[index]:
            grades[index] = n
    return grades


def score(standard: Standard, values: Values) -> Result:
    """Score `values` against `standard` (section 3) and plan the way to the next grade (section 4).

    G is the largest L such that the rules hold at every grade 1..L; vetoes given as true then
    apply (`zero` → 0, `cap` → min(G, cap)). `limits` lists what fails at G+1.
    """
    c = standard.compiled
    vec = values.vector
    if values.standard_key != standard.key or len(vec) != len(c.codes):
        raise ValueError(f"values for {values.standard_key} cannot be scored with {standard.key}")
    grades = indicator_grades(c, vec)
    tally = Tally(c, grades, vec, values.bonus)
    natural = tally.natural_grade(c)
    grade = _apply_vetoes(c, natural, values.vetoes)
    limits: tuple[Limit, ...] = ()
    plan: Plan | None = None
    if grade < c.n:
        limits = _limits(standard, grade + 1, tally, grades, values)
        if limits and limits[-1].rule == "veto":
            plan = Plan(grade + 1, False, ())
        else:
            plan = make_plan(c, vec, grades, tally, grade + 1)
    return Result(
        standard_code=standard.code,
        standard_version=standard.version,
        grade=grade,
        grade_name=standard.grades[grade - 1] if grade else None,
        natural_grade=natural,
        grades=tuple(grades),
        missing=values.missing,
        vetoed=values.vetoes,
        limits=limits,
        plan=plan,
        total_units=tally.tot,
        domain_units=tuple(tally.dom),
        bonus_units=tally.bonus,
        standard=standard,
    )


def _apply_vetoes(c: Compiled, grade: int, vetoed: tuple[str, ...]) -> int:
    for code in vetoed:
        effect, cap = c.vetoes[code]
        grade = 0 if effect == "zero" else min(grade, cap)
    return grade


def _limits(
    standard: Standard, level: int, tally: Tally, grades: list[int], values: Values
) -> tuple[Limit, ...]:
    """Every condition failing at grade `level`, one entry per failing item (section 4)."""
    c = standard.compiled
    out: list[Limit] = []
    rules = standard.rules
    if tally.tot + tally.bonus < c.band_units[level]:
        total = min(Fraction(100), Fraction(tally.tot + tally.bonus, c.units_per_point))
        out.append(
            Limit(level, "score_band", None, {"actual": total, "required": rules.score_bands[level - 1]})
        )
    out.extend(_floor_limits(standard, c, level, tally))
    minimum = c.mandatory_min[level]
    for index in c.mandatory:
        if grades[index] < minimum:
            params = {"indicator": c.codes[index], "actual": grades[index], "required": minimum}
            out.append(Limit(level, "mandatory", c.codes[index], params))
    if tally.cov_at is not None and c.coverage_units is not None and rules.coverage is not None:
        out.extend(_coverage_limits(c, level, tally, rules.coverage))
    out.extend(_gate_limits(standard, level, tally, values.vector))
    out.extend(_veto_limits(c, level, values.vetoes))
    return tuple(out)


def _coverage_limits(c: Compiled, level: int, tally: Tally, coverage: tuple[Fraction, ...]) -> list[Limit]:
    assert tally.cov_at is not None and c.coverage_units is not None
    if tally.cov_at[level] >= c.coverage_units[level]:
        return []
    params = {
        "grade": level,
        "actual": Fraction(tally.cov_at[level], c.weight_scale),
        "required": coverage[level - 1] * 100,
    }
    return [Limit(level, "coverage", None, params)]


def _floor_limits(standard: Standard, c: Compiled, level: int, tally: Tally) -> list[Limit]:
    floor, band = c.floor_units[level], c.floor_band[level]
    if floor is None or band is None:
        return []
    out = []
    for domain, units, need in zip(standard.domains, tally.dom, floor, strict=True):
        if units < need:
            actual = 100 * Fraction(units, c.units_per_point) / domain.weight
            params = {"domain": domain.code, "actual": actual, "required": standard.rules.score_bands[band]}
            out.append(Limit(level, "domain_floor", domain.code, params))
    return out


def _gate_limits(standard: Standard, level: int, tally: Tally, vec: tuple[EngineInput, ...]) -> list[Limit]:
    out = []
    compiled = standard.compiled.gates
    for k in tally.failing_gates:
        gate = standard.rules.gates[k]
        if gate.from_grade <= level:
            params = {
                "indicator": gate.indicator,
                "required": gate.min_value,
                "missing": vec[compiled[k][0]] is None,
            }
            out.append(Limit(level, "gate", gate.indicator, params))
    return out


def _veto_limits(c: Compiled, level: int, vetoed: tuple[str, ...]) -> list[Limit]:
    out = []
    for code in vetoed:
        effect, cap = c.vetoes[code]
        if effect == "zero":
            out.append(Limit(level, "veto", code, {"veto": code, "effect": "zero"}))
        elif cap < level:
            out.append(Limit(level, "veto", code, {"veto": code, "effect": "cap", "cap": cap}))
    return out
