"""A standard compiled to integers, so that scoring is integer arithmetic.

All weights, bonus points and the bonus cap are multiplied by one scale S (the least common
multiple of their denominators), so indicator i at grade g contributes W_i·g *units*, where
W_i = S·w_i and one point is S·N units (p_i = w_i·g/N). Each rule's bound is the ceiling of the
exact rational bound in those units: the left side is an integer, so `units ≥ x` holds exactly
when `units ≥ ceil(x)`. Thresholds are scaled per indicator by Q (the common denominator of its
thresholds and gate values), and a value v = a/b is compared through floor(±a·Q/b); for
`direction: lower` everything is negated so that one ascending `bisect` serves both directions.
Fractions appear only here and when a result is shown.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Gate, Indicator, Standard

__all__ = ["Compiled", "Measured", "TargetData", "compile_standard"]

THRESHOLD, TIERED, BOOLEAN = 0, 1, 2


class Measured(NamedTuple):
    """A threshold or ratio indicator: position, signed scale ±Q, and its thresholds as keys."""

    position: int
    signed_scale: int
    keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TargetData:
    """What the plan needs at one target grade L.

    `gates` holds, per gated indicator, the tightest gate applying at L as
    (index, signed scale, key of min_value, grade q that min_value attains); `step_values[i][h]`
    is the value a step aiming measured indicator i at grade h gives.
    """

    gates: tuple[tuple[int, int, int, int], ...]
    step_values: tuple[tuple[Fraction | None, ...] | None, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    """Integer tables for one standard; lists indexed by grade L have an unused slot 0."""

    n: int
    codes: tuple[str, ...]
    domain_codes: tuple[str, ...]
    kinds: tuple[int, ...]
    weights: tuple[int, ...]
    domain_of: tuple[int, ...]
    measured: tuple[Measured, ...]
    tiered: tuple[int, ...]
    booleans: tuple[int, ...]
    mandatory: tuple[int, ...]
    domain_parts: tuple[tuple[tuple[int, ...], Callable[[Sequence[int]], tuple[int, ...]]], ...]
    units_per_point: int
    weight_scale: int
    domain_weights: tuple[int, ...]
    band_units: tuple[int, ...]
    floor_units: tuple[tuple[int, ...] | None, ...]
    floor_band: tuple[int | None, ...]
    mandatory_min: tuple[int, ...]
    coverage_units: tuple[int, ...] | None
    gates: tuple[tuple[int, int, int, int], ...]
    bonus_units: dict[str, int]
    bonus_cap_units: int | None
    vetoes: dict[str, tuple[str, int]]
    targets: tuple[TargetData | None, ...]


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _lcm_of_denominators(numbers: Sequence[Fraction]) -> int:
    return math.lcm(1, *(x.denominator for x in numbers))


def compile_standard(standard: Standard) -> Compiled:
    """Compile a validated standard to the integer tables of `Compiled` (done once per standard)."""
    rules = standard.rules
    n = standard.n_grades
    inds = standard.indicators
    points = [b.points for b in standard.bonus]
    cap = [rules.bonus_cap] if rules.bonus_cap is not None else []
    scale = _lcm_of_denominators([ind.weight for ind in inds] + points + cap)
    unit = scale * n
    domain_index = {d.code: k for k, d in enumerate(standard.domains)}
    weights = tuple(int(ind.weight * scale) for ind in inds)
    scales = {ind.code: _indicator_scale(standard, ind) for ind in inds if ind.measured}
    return Compiled(
        n=n,
        codes=tuple(ind.code for ind in inds),
        domain_codes=tuple(d.code for d in standard.domains),
        kinds=tuple(_kind(ind) for ind in inds),
        weights=weights,
        domain_of=tuple(domain_index[ind.domain] for ind in inds),
        measured=tuple(_measured(i, ind, scales[ind.code]) for i, ind in enumerate(inds) if ind.measured),
        tiered=tuple(i for i, ind in enumerate(inds) if ind.method == "tiered"),
        booleans=tuple(i for i, ind in enumerate(inds) if ind.method == "boolean"),
        mandatory=tuple(i for i, ind in enumerate(inds) if ind.mandatory),
        domain_parts=_domain_parts(standard, weights),
        units_per_point=unit,
        weight_scale=scale,
        domain_weights=tuple(int(d.weight * scale) for d in standard.domains),
        band_units=(0, *(_ceil(band * unit) for band in rules.score_bands)),
        floor_units=_floor_units(standard, unit),
        floor_band=_floor_band(standard),
        mandatory_min=(0, *rules.mandatory_min),
        coverage_units=(0, *(_ceil(share * 100 * scale) for share in rules.coverage))
        if rules.coverage
        else None,
        gates=tuple(_gate(standard, gate, scales[gate.indicator]) for gate in rules.gates),
        bonus_units={b.code: int(b.points * unit) for b in standard.bonus},
        bonus_cap_units=int(rules.bonus_cap * unit) if rules.bonus_cap is not None else None,
        vetoes={v.code: (v.effect, v.cap if v.cap is not None else 0) for v in standard.vetoes},
        targets=(None, *(_target(standard, level, scales) for level in range(1, n + 1))),
    )


def _kind(ind: Indicator) -> int:
    if ind.measured:
        return THRESHOLD
    return TIERED if ind.method == "tiered" else BOOLEAN


def _indicator_scale(standard: Standard, ind: Indicator) -> int:
    """Q: the common denominator of an indicator's thresholds and gate values."""
    gate_values = [g.min_value for g in standard.rules.gates if g.indicator == ind.code]
    return _lcm_of_denominators(list(ind.thresholds) + gate_values)


def _sign(ind: Indicator) -> int:
    return -1 if ind.direction == "lower" else 1


def _measured(index: int, ind: Indicator, q: int) -> Measured:
    sign = _sign(ind)
    keys = tuple(sorted(int(sign * t * q) for t in ind.thresholds))
    return Measured(index, sign * q, keys)


def _domain_parts(
    standard: Standard, weights: tuple[int, ...]
) -> tuple[tuple[tuple[int, ...], Callable[[Sequence[int]], tuple[int, ...]]], ...]:
    """Per domain: its indicators' weights and an itemgetter of their grades, in the same order.

    A one-indicator domain gets its index twice (with weight 0 for the copy) so that the getter
    still returns a tuple; itemgetters keep the compiled standard picklable.
    """
    parts = []
    for domain in standard.domains:
        members = [i for i, ind in enumerate(standard.indicators) if ind.domain == domain.code]
        member_weights = [weights[i] for i in members]
        if len(members) == 1:
            members.append(members[0])
            member_weights.append(0)
        parts.append((tuple(member_weights), itemgetter(*members)))
    return tuple(parts)


def _floor_band(standard: Standard) -> tuple[int | None, ...]:
    """Per grade L: the 0-based band index j = L-1-k of the domain floor, or None (no floor)."""
    lag = standard.rules.domain_lag
    n = standard.n_grades
    if lag is None:
        return (None,) * (n + 1)
    return (None, *(level - 1 - lag if level - 1 - lag >= 0 else None for level in range(1, n + 1)))


def _floor_units(standard: Standard, unit: int) -> tuple[tuple[int, ...] | None, ...]:
    """Per grade L: each domain's minimum units (D_d ≥ band_j ⇔ Σ W_i·g_i ≥ band_j·w_d·S·N/100)."""
    bands = standard.rules.score_bands
    out: list[tuple[int, ...] | None] = []
    for j in _floor_band(standard):
        if j is None:
            out.append(None)
        else:
            out.append(tuple(_ceil(bands[j] * d.weight * unit / 100) for d in standard.domains))
    return tuple(out)


def _gate(standard: Standard, gate: Gate, q: int) -> tuple[int, int, int, int]:
    ind = standard.indicator(gate.indicator)
    index = standard.indicators.index(ind)
    sign = _sign(ind)
    return (index, sign * q, int(sign * gate.min_value * q), gate.from_grade)


def attained(ind: Indicator, value: Fraction) -> int:
    """The grade a measured indicator attains with `value` (count of thresholds met)."""
    if ind.direction == "lower":
        return sum(1 for t in ind.thresholds if value <= t)
    return sum(1 for t in ind.thresholds if value >= t)


def _target(standard: Standard, level: int, scales: dict[str, int]) -> TargetData:
    """Gates and step values for a plan whose target is `level`."""
    tightest: dict[str, Fraction] = {}
    for gate in standard.rules.gates:
        if gate.from_grade > level:
            continue
        ind = standard.indicator(gate.indicator)
        old = tightest.get(ind.code)
        stricter = min if ind.direction == "lower" else max
        tightest[ind.code] = gate.min_value if old is None else stricter(old, gate.min_value)
    gates = []
    step_values: list[tuple[Fraction | None, ...] | None] = []
    for index, ind in enumerate(standard.indicators):
        if not ind.measured:
            step_values.append(None)
            continue
        minimum = tightest.get(ind.code)
        if minimum is not None:
            sign, q = _sign(ind), scales[ind.code]
            gates.append((index, sign * q, int(sign * minimum * q), attained(ind, minimum)))
        step_values.append(_step_values(ind, minimum))
    return TargetData(tuple(gates), tuple(step_values))


def _step_values(ind: Indicator, gate: Fraction | None) -> tuple[Fraction | None, ...]:
    """Value of a step aiming at grade h: threshold h, tightened by the gate (h = 0: the gate)."""
    stricter = min if ind.direction == "lower" else max
    tightened = [threshold if gate is None else stricter(threshold, gate) for threshold in ind.thresholds]
    return (gate, *tightened)


def grade_key(signed_scale: int, numerator: int, denominator: int) -> int:
    """floor(±Q·v) for v = numerator/denominator: the key compared with threshold keys."""
    return (numerator * signed_scale) // denominator


def grade_of(measured: Measured, numerator: int, denominator: int) -> int:
    """Grade attained by value numerator/denominator (denominator > 0)."""
    return bisect_right(measured.keys, (numerator * measured.signed_scale) // denominator)
