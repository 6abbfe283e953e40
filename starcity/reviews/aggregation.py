"""A panel's value per indicator from its experts' values (pure: no Django).

Scores are `starcity/values@1` entries, as an expert's scorecard stores them: a threshold value is
a number (decimal text, int, `Decimal` or `Fraction`), a ratio a mapping
`{"numerator": ..., "denominator": ...}`, a tiered value a whole grade 0..N, a yes/no value a bool;
None means no value given. `parse_entry` checks one entry against its indicator.

Rules (the call's `AggregationRule`):
  auto          trimmed mean with at least 5 scores, otherwise the median;
  trimmed_mean  drop one highest and one lowest, then the mean (fewer than 3 scores: the mean,
                noted `fallback_mean`);
  median, mean.
Threshold values, and ratios as their percentage 100·n/d, are aggregated as they are; tiered
grades are aggregated and rounded DOWN to a whole grade; yes/no goes by majority, a tie counting
as no. Scores without a value take no part in the aggregate (their grade counts as 0 in the
spread). Arithmetic is exact (`Fraction`).

Each indicator records how its value was obtained: the rule used, the scores in member order,
the indexes dropped, the raw aggregate and the value used, each expert's attained grade, the
spread (max − min of those grades) and `flagged` when the spread reaches the call's threshold.
Yes/no indicators are decided by majority and never flagged by the spread rule (a split vote
would always spread 0 to N). A chair's resolution replaces the value of a flagged indicator.

The panel's values are a values@1 mapping the engine scores. A threshold mean that is not a
finite decimal (say 4/3) is written with enough decimals, rounded towards "not attained", to
meet exactly the thresholds and gates the exact value meets, so the engine's grade is that of the
exact value; a ratio is written exactly.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from starcity.scoring import Ratio, Result, Standard, Values, score, values_from_mapping
from starcity.scoring.numeric import exact_text, half_up, is_decimal, read_integer, read_number

__all__ = [
    "FALLBACK_MEAN",
    "IndicatorAggregate",
    "PanelAggregate",
    "aggregate_indicator",
    "aggregate_panel",
    "entry_problem",
    "parse_entry",
    "score_aggregate",
]

AUTO, TRIMMED_MEAN, MEDIAN, MEAN, MAJORITY = "auto", "trimmed_mean", "median", "mean", "majority"
RULES = (AUTO, TRIMMED_MEAN, MEDIAN, MEAN)
FALLBACK_MEAN = "fallback_mean"  # trimmed mean asked for with fewer than 3 scores
AUTO_TRIM_FROM = 5

Normal = Fraction | int | bool | None


# -- one entry --------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _number_text(text: str) -> tuple[Fraction | None, str | None]:
    return read_number(text)


def _number(raw: Any) -> tuple[Fraction | None, str | None]:
    if isinstance(raw, str):
        return _number_text(raw)
    return read_number(raw)


@lru_cache(maxsize=8192)
def _text(numerator: int, denominator: int) -> str:
    """`exact_text` of numerator/denominator, cached (the same values recur across panels)."""
    return exact_text(Fraction(numerator, denominator))


def _fraction_text(number: Fraction) -> str:
    return _text(number.numerator, number.denominator)


def entry_problem(method: str, raw: Any, n_grades: int) -> str | None:
    """None when `raw` is a valid values@1 entry (or None) for an indicator of `method`, else a
    problem code: not_a_number, binary_float, number_too_long, ratio_shape, ratio_negative,
    ratio_zero, not_integer, tier_range, not_boolean."""
    try:
        parse_entry(method, raw, n_grades)
    except ValueError as exc:
        return str(exc)
    return None


def parse_entry(method: str, raw: Any, n_grades: int) -> Normal:
    """The normalised value of one entry: a Fraction (threshold; ratio as its percentage), an int
    grade (tiered), a bool (boolean) or None. Raises ValueError(problem code) when invalid."""
    if raw is None:
        return None
    if method == "threshold":
        number, problem = _number(raw)
        if number is None:
            raise ValueError(problem or "not_a_number")
        return number
    if method == "ratio":
        if not isinstance(raw, Mapping) or set(raw) != {"numerator", "denominator"}:
            raise ValueError("ratio_shape")
        top, bottom = raw["numerator"], raw["denominator"]
        if type(top) in (str, int) and type(bottom) in (str, int):
            return _cached_percent(top, bottom)
        return _percent(top, bottom)
    if method == "tiered":
        grade, problem = read_integer(raw)
        if grade is None:
            raise ValueError(problem or "not_integer")
        if not 0 <= grade <= n_grades:
            raise ValueError("tier_range")
        return grade
    if not isinstance(raw, bool):
        raise ValueError("not_boolean")
    return raw


def _percent(raw_numerator: Any, raw_denominator: Any) -> Fraction:
    """100 · n / d of a ratio's parts; ValueError(problem code) when they are not valid."""
    numerator, problem = _number(raw_numerator)
    if numerator is None:
        raise ValueError(problem or "not_a_number")
    denominator, problem = _number(raw_denominator)
    if denominator is None:
        raise ValueError(problem or "not_a_number")
    if numerator < 0 or denominator < 0:
        raise ValueError("ratio_negative")
    if denominator == 0:
        raise ValueError("ratio_zero")
    return 100 * numerator / denominator


_cached_percent = lru_cache(maxsize=8192)(_percent)


# -- per standard tables ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Spec:
    """What aggregation needs of one indicator: thresholds as integer keys (as the engine's
    compiled form), and the decimals that keep its threshold and gate comparisons."""

    code: str
    method: str
    lower: bool
    signed_scale: int
    keys: tuple[int, ...]
    places: int


_SPECS: dict[int, tuple[Standard, tuple[_Spec, ...]]] = {}


def _decimals(number: Fraction) -> int:
    places = 0
    while (number * 10**places).denominator != 1 and places < 30:
        places += 1
    return places


def _spec_of(ind: Any, gate_values: Sequence[Fraction] = ()) -> _Spec:
    constants = (*ind.thresholds, *gate_values)
    q = math.lcm(1, *(c.denominator for c in constants))
    sign = -1 if ind.direction == "lower" else 1
    return _Spec(
        code=ind.code,
        method=ind.method,
        lower=sign < 0,
        signed_scale=sign * q,
        keys=tuple(sorted(int(sign * t * q) for t in ind.thresholds)),
        places=max([2, *(_decimals(c) for c in constants)]),
    )


def _specs(standard: Standard) -> tuple[_Spec, ...]:
    cached = _SPECS.get(id(standard))
    if cached is not None and cached[0] is standard:
        return cached[1]
    gates: dict[str, list[Fraction]] = {}
    for gate in standard.rules.gates:
        gates.setdefault(gate.indicator, []).append(gate.min_value)
    specs = tuple(_spec_of(ind, gates.get(ind.code, ())) for ind in standard.indicators)
    if len(_SPECS) > 256:
        _SPECS.clear()
    _SPECS[id(standard)] = (standard, specs)
    return specs


def _attained(spec: _Spec, value: Normal, n: int) -> int:
    """The grade an expert's value attains, as the engine grades it (None: 0)."""
    if value is None:
        return 0
    method = spec.method
    if method == "tiered":
        return value  # type: ignore[return-value]
    if method == "boolean":
        return n if value else 0
    number: Fraction = value  # type: ignore[assignment]
    return bisect_right(spec.keys, (number.numerator * spec.signed_scale) // number.denominator)


# -- one indicator ----------------------------------------------------------------------------


@dataclass(slots=True)
class IndicatorAggregate:
    """How one indicator's panel value was obtained (read-only by convention: not frozen, as a
    frozen dataclass costs several times more to build and a panel builds one per indicator)."""

    code: str
    method: str
    rule: str  # trimmed_mean, median, mean or majority: the rule actually applied
    scores: tuple[Normal, ...]  # in member order
    grades: tuple[int, ...]  # the grade each expert's value attains
    dropped: tuple[int, ...]  # indexes into `scores` left out of a trimmed mean
    raw: Fraction | None  # the aggregate before rounding (booleans: the share of yes)
    value: Normal  # the value used (after rounding down tiers, or the chair's resolution)
    aggregated: Normal  # the value the rule gave, before any resolution
    grade: int  # the grade of the value used
    spread: int
    flagged: bool
    note: str = ""  # FALLBACK_MEAN when a trimmed mean had too few scores
    resolution: Mapping[str, Any] | None = None  # {"value": entry, "reason": ..., ...}

    @property
    def resolved(self) -> bool:
        return self.resolution is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON form stored in `Panel.aggregate["indicators"]`: numbers (ratios: percentages) as
        exact text; `raw_text` shows a non-terminating raw aggregate to four decimals."""
        data: dict[str, Any] = {
            "code": self.code,
            "method": self.method,
            "rule": self.rule,
            "scores": [_shown(s) for s in self.scores],
            "grades": list(self.grades),
            "dropped": list(self.dropped),
            "raw": None if self.raw is None else _fraction_text(self.raw),
            "raw_text": _approx(self.raw),
            "aggregated": _shown(self.aggregated),
            "value": _shown(self.value),
            "grade": self.grade,
            "spread": self.spread,
            "flagged": self.flagged,
            "note": self.note,
            "resolution": dict(self.resolution) if self.resolution is not None else None,
        }
        if self.method == "boolean":
            data["yes"] = sum(1 for s in self.scores if s is True)
            data["no"] = sum(1 for s in self.scores if s is False)
        return data


def _shown(value: Normal) -> Any:
    """A normalised value as JSON: numbers (ratios: the percentage) as exact text."""
    if isinstance(value, Fraction):
        return _fraction_text(value)
    return value


def _approx(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return _fraction_text(value) if is_decimal(value) else "≈" + half_up(value, 4)


def _combine(rule: str, given: list[tuple[int, Any]]) -> tuple[str, Fraction, tuple[int, ...], str]:
    """(rule used, aggregate, dropped indexes, note) of (index, value) pairs (at least one), in
    integers over the values' common denominator."""
    k = len(given)
    if rule == AUTO:
        rule = TRIMMED_MEAN if k >= AUTO_TRIM_FROM else MEDIAN
    if type(given[0][1]) is int:
        common = 1
        scaled = given
    else:
        common = math.lcm(*(v.denominator for _, v in given))
        scaled = [(i, v.numerator * (common // v.denominator)) for i, v in given]
    if rule == MEAN or (rule == TRIMMED_MEAN and k < 3):
        note = FALLBACK_MEAN if rule == TRIMMED_MEAN else ""
        return MEAN, Fraction(sum(x for _, x in scaled), common * k), (), note
    ordered = sorted(scaled, key=lambda pair: (pair[1], pair[0]))
    if rule == MEDIAN:
        mid = k // 2
        if k % 2:
            return MEDIAN, Fraction(ordered[mid][1], common), (), ""
        return MEDIAN, Fraction(ordered[mid - 1][1] + ordered[mid][1], 2 * common), (), ""
    kept = ordered[1:-1]
    dropped = tuple(sorted((ordered[0][0], ordered[-1][0])))
    return TRIMMED_MEAN, Fraction(sum(x for _, x in kept), common * len(kept)), dropped, ""


def aggregate_indicator(
    indicator: Any,
    raw_scores: Sequence[Any],
    *,
    rule: str,
    n_grades: int,
    threshold: int = 2,
    resolution: Mapping[str, Any] | None = None,
) -> IndicatorAggregate:
    """Aggregate one indicator's scores (values@1 entries in member order).

    `indicator` is a `starcity.scoring.Indicator`; `resolution` ({"value": entry, "reason": ...})
    replaces the value when the indicator is flagged. Raises ValueError(problem code) when a score
    or the resolution's value is not valid for the indicator.
    """
    spec = indicator if isinstance(indicator, _Spec) else _spec_of(indicator)
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    method = spec.method
    scores = tuple([parse_entry(method, raw, n_grades) for raw in raw_scores])
    if method == "threshold" or method == "ratio":
        keys, scale = spec.keys, spec.signed_scale
        grades = tuple(
            [0 if s is None else bisect_right(keys, (s.numerator * scale) // s.denominator) for s in scores]
        )
    else:
        grades = tuple([_attained(spec, s, n_grades) for s in scores])
    given = [(i, s) for i, s in enumerate(scores) if s is not None]
    dropped: tuple[int, ...] = ()
    note = ""
    raw: Fraction | None
    aggregated: Normal
    if not given:
        used_rule, raw, aggregated = (MAJORITY if method == "boolean" else rule), None, None
    elif method == "boolean":
        yes = sum(1 for _, s in given if s)
        used_rule, raw, aggregated = MAJORITY, Fraction(yes, len(given)), 2 * yes > len(given)
    else:
        used_rule, raw, dropped, note = _combine(rule, given)
        aggregated = raw.numerator // raw.denominator if method == "tiered" else raw
    spread = max(grades) - min(grades) if grades else 0
    # A yes/no indicator is decided by majority: a split vote is the rule working, not a
    # disagreement to discuss (its grades are 0 or N, so any split would reach the threshold).
    flagged = spread >= threshold and method != "boolean"
    value = aggregated
    applied = None
    if flagged and resolution is not None:
        value = parse_entry(method, resolution.get("value"), n_grades)
        applied = resolution
    return IndicatorAggregate(
        code=spec.code,
        method=method,
        rule=used_rule,
        scores=scores,
        grades=grades,
        dropped=dropped,
        raw=raw,
        value=value,
        aggregated=aggregated,
        grade=_attained(spec, value, n_grades),
        spread=spread,
        flagged=flagged,
        note=note,
        resolution=applied,
    )


# -- the panel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelAggregate:
    """Every indicator's aggregate, in the standard's order, and the values@1 the engine scores."""

    rule: str
    threshold: int
    indicators: tuple[IndicatorAggregate, ...]
    values: dict[str, Any] = field(hash=False)
    engine_values: Values | None = field(default=None, compare=False, hash=False, repr=False)
    standard: Standard | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.indicators if a.flagged)

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Flagged indicators the chair has not resolved yet."""
        return tuple(a.code for a in self.indicators if a.flagged and a.resolution is None)

    def indicator(self, code: str) -> IndicatorAggregate:
        for aggregate in self.indicators:
            if aggregate.code == code:
                return aggregate
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in `Panel.aggregate`."""
        return {
            "rule": self.rule,
            "threshold": self.threshold,
            "indicators": [a.as_dict() for a in self.indicators],
            "values": self.values,
        }


def aggregate_panel(
    standard: Standard,
    member_scores: Sequence[Mapping[str, Any]],
    *,
    rule: str,
    threshold: int = 2,
    resolutions: Mapping[str, Mapping[str, Any]] | None = None,
    bonus: Mapping[str, Any] | None = None,
    vetoes: Mapping[str, Any] | None = None,
) -> PanelAggregate:
    """Aggregate a panel: `member_scores` holds, per member in member order, {indicator code:
    values@1 entry}; an indicator a member did not score counts as no value. `resolutions` maps
    a flagged indicator's code to {"value": entry, "reason": ...}. `bonus` and `vetoes` (values@1
    flags, the applicant's declaration) are carried into the values; unknown codes are dropped.
    Raises ValueError(problem code) when a score or a resolution is not valid."""
    n = standard.n_grades
    resolutions = resolutions or {}
    aggregates = []
    written: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    vector: list[Any] = []
    for spec in _specs(standard):
        agg = aggregate_indicator(
            spec,
            [scores.get(spec.code) for scores in member_scores],
            rule=rule,
            n_grades=n,
            threshold=threshold,
            resolution=resolutions.get(spec.code),
        )
        aggregates.append(agg)
        entry, engine_entry = _entry(spec, agg.value)
        written[spec.code] = entry
        if engine_entry is None:
            vector.append(None)
            continue
        entries[spec.code] = engine_entry
        if isinstance(engine_entry, Ratio):
            percent: Fraction = agg.value  # type: ignore[assignment]  # the ratio's exact percentage
            vector.append((percent.numerator, percent.denominator))
        elif isinstance(engine_entry, Fraction):
            vector.append((engine_entry.numerator, engine_entry.denominator))
        else:
            vector.append(engine_entry)
    bonus_codes = tuple(b.code for b in standard.bonus if (bonus or {}).get(b.code) is True)
    veto_codes = tuple(v.code for v in standard.vetoes if (vetoes or {}).get(v.code) is True)
    document = {
        "schema": "starcity/values@1",
        "standard": standard.key,
        "values": written,
        "bonus": dict.fromkeys(bonus_codes, True),
        "vetoes": dict.fromkeys(veto_codes, True),
    }
    engine_values = Values(
        standard_key=standard.key,
        entries=entries,
        missing=tuple(code for code, entry in written.items() if entry is None),
        bonus=bonus_codes,
        vetoes=veto_codes,
        raw=document,
        vector=tuple(vector),
    )
    return PanelAggregate(rule, threshold, tuple(aggregates), document, engine_values, standard)


def _entry(spec: _Spec, value: Normal) -> tuple[Any, Any]:
    """The values@1 entry of a panel value and the engine's input for it. A threshold value that
    is not a finite decimal is written with `spec.places` decimals, rounded towards "not
    attained", which meets exactly the thresholds and gates the exact value meets."""
    if value is None or spec.method in ("tiered", "boolean"):
        return value, value
    number: Fraction = value  # type: ignore[assignment]
    if spec.method == "ratio":
        if is_decimal(number):
            return {"numerator": _fraction_text(number), "denominator": "100"}, Ratio(number, Fraction(100))
        numerator, denominator = number.numerator, 100 * number.denominator
        return (
            {"numerator": str(numerator), "denominator": str(denominator)},
            Ratio(Fraction(numerator), Fraction(denominator)),
        )
    if not is_decimal(number):
        scale = 10**spec.places
        top = number.numerator * scale
        units = -((-top) // number.denominator) if spec.lower else top // number.denominator
        number = Fraction(units, scale)
    return _fraction_text(number), number


def score_aggregate(standard: Standard, aggregate: PanelAggregate | Mapping[str, Any]) -> Result:
    """The engine's result of a panel's values (an aggregate, or its stored dict)."""
    if isinstance(aggregate, PanelAggregate) and aggregate.engine_values is not None:
        return score(standard, aggregate.engine_values)
    values = aggregate.values if isinstance(aggregate, PanelAggregate) else aggregate["values"]
    return score(standard, values_from_mapping(values, standard))
