"""Reading and validating a values file (`starcity/values@1`, section 2 of the format).

Values are read against one standard: a code the standard lacks, or a value of the wrong type,
is an error; every error is reported at once (`ValuesInvalid`). An indicator with no value, or
with `null`, is missing (grade 0) unless strict mode makes that an error too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import Any

from .fields import Checker, to_raw
from .model import Indicator, Standard
from .numeric import read_integer, read_number, shown
from .problems import Problem, ValuesInvalid
from .yamlcore import child_path, read_yaml

__all__ = ["Ratio", "Values", "load_values", "load_values_file", "values_from_mapping"]

SCHEMA = "starcity/values@1"
TOP_OPTIONAL = ("standard", "region", "values", "bonus", "vetoes")

Input = Fraction | int | bool
# What the engine reads per indicator: (numerator, denominator) of a measured value, a tier grade,
# a boolean, or None when missing.
EngineInput = tuple[int, int] | int | bool | None


@dataclass(frozen=True)
class Ratio:
    """A ratio input; its value is the percentage 100 · numerator / denominator."""

    numerator: Fraction
    denominator: Fraction

    @property
    def percent(self) -> Fraction:
        """100 · numerator / denominator."""
        return 100 * self.numerator / self.denominator


@dataclass(frozen=True)
class Values:
    """Validated inputs for one standard (`standard_key` is its `CODE@VERSION`).

    `entries` holds the given indicator inputs (a `Fraction` for threshold, a `Ratio` for ratio,
    an int for tiered, a bool for boolean); `missing` the indicators without one; `bonus` and
    `vetoes` the codes given as true. All are in the standard's order.
    """

    standard_key: str
    entries: Mapping[str, Fraction | Ratio | int | bool] = field(hash=False)
    missing: tuple[str, ...]
    bonus: tuple[str, ...]
    vetoes: tuple[str, ...]
    region: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    vector: tuple[EngineInput, ...] = field(default=(), compare=False, hash=False, repr=False)

    def value_of(self, code: str) -> Fraction | None:
        """The number an indicator's thresholds are compared with (a ratio's percentage)."""
        entry = self.entries.get(code)
        if isinstance(entry, Ratio):
            return entry.percent
        if isinstance(entry, Fraction):
            return entry
        return None


def load_values(text: str, standard: Standard, *, strict: bool = False, source: str | None = None) -> Values:
    """Parse values from YAML 1.2 (or JSON) text and check them against `standard`.

    Raises `ValuesInvalid` listing every problem (each names its code and reason).
    """
    doc = read_yaml(text)
    if doc.data is None and not doc.problems:
        doc.problems.append(Problem("", None, "empty_document"))
    if doc.data is None:
        raise ValuesInvalid(doc.problems, source)
    return _build(doc.data, standard, doc.lines, list(doc.problems), strict, source)


def load_values_file(path: str | PathLike[str], standard: Standard, *, strict: bool = False) -> Values:
    """Read a UTF-8 values file from disk (see `load_values`)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValuesInvalid([Problem("", None, "not_utf8")], str(path)) from exc
    return load_values(text, standard, strict=strict, source=str(path))


def values_from_mapping(data: Mapping[str, Any], standard: Standard, *, strict: bool = False) -> Values:
    """Check already-built values, e.g. from a form: `{"schema": "starcity/values@1", "values": {...}}`.

    Numbers may be int, `Decimal`, `Fraction` or decimal strings; a ratio is a mapping with
    `numerator` and `denominator`. Binary floats are refused.
    """
    return _build(dict(data), standard, {}, [], strict, None)


def _build(
    data: Any,
    standard: Standard,
    lines: dict[str, int],
    problems: list[Problem],
    strict: bool,
    source: str | None,
) -> Values:
    ck = Checker(lines)
    ck.problems.extend(problems)
    top = ck.mapping(data, "", ("schema",), TOP_OPTIONAL)
    if top is None:
        raise ValuesInvalid(ck.problems, source)
    _header(ck, top, standard)
    region = ck.text(top["region"], "region") if "region" in top else None
    entries = _indicators(ck, top.get("values", {}), standard)
    bonus = _flags(ck, top, "bonus", [b.code for b in standard.bonus])
    vetoes = _flags(ck, top, "vetoes", [v.code for v in standard.vetoes])
    missing = tuple(ind.code for ind in standard.indicators if entries.get(ind.code) is None)
    if strict:
        for code in missing:
            ck.add(child_path("values", code), "missing_value", subject=code)
    if ck.problems:
        raise ValuesInvalid(ck.problems, source)
    given = {ind.code: entries[ind.code] for ind in standard.indicators if entries.get(ind.code) is not None}
    return Values(
        standard_key=standard.key,
        entries=given,
        missing=missing,
        bonus=bonus,
        vetoes=vetoes,
        region=region,
        raw=to_raw(data),
        vector=tuple(_engine_input(given.get(ind.code)) for ind in standard.indicators),
    )


def _header(ck: Checker, top: dict[str, Any], standard: Standard) -> None:
    if "schema" in top:
        schema = top["schema"]
        if schema is None:
            ck.add("schema", "null_value")
        elif schema != SCHEMA:
            ck.add("schema", "schema", expected=SCHEMA, got=str(schema))
    if "standard" in top:
        key = ck.text(top["standard"], "standard")
        if key is not None and key != standard.key:
            ck.add("standard", "standard_mismatch", expected=standard.key, got=key)


def _indicators(ck: Checker, value: Any, standard: Standard) -> dict[str, Any]:
    """Each given indicator's input (None for null); problems for unknown codes and bad values."""
    given = ck.any_mapping(value, "values")
    if given is None:
        return {}
    out: dict[str, Any] = {}
    for code, raw in given.items():
        path = child_path("values", str(code))
        indicator = standard.indicator_map.get(code) if isinstance(code, str) else None
        if indicator is None:
            ck.add(path, "unknown_indicator", subject=str(code))
        elif raw is not None:
            out[code] = _input(ck, raw, path, indicator, standard.n_grades)
    return out


def _input(ck: Checker, raw: Any, path: str, indicator: Indicator, n: int) -> Any:
    code = indicator.code
    if indicator.method == "threshold":
        number, problem = read_number(raw)
        if number is None:
            ck.add(path, problem or "not_a_number", subject=code, value=shown(raw))
        return number
    if indicator.method == "ratio":
        return _ratio(ck, raw, path, code)
    if indicator.method == "tiered":
        grade, problem = read_integer(raw)
        if grade is None:
            ck.add(path, problem or "not_integer", subject=code, value=shown(raw))
        elif not 0 <= grade <= n:
            ck.add(path, "tier_range", subject=code, value=grade, high=n)
            return None
        return grade
    if not isinstance(raw, bool):
        ck.add(path, "not_boolean", subject=code, value=shown(raw))
        return None
    return raw


def _ratio(ck: Checker, raw: Any, path: str, code: str) -> Ratio | None:
    if not isinstance(raw, Mapping) or set(raw) != {"numerator", "denominator"}:
        ck.add(path, "ratio_shape", subject=code)
        return None
    parts: list[Fraction] = []
    for key in ("numerator", "denominator"):
        number, problem = read_number(raw[key])
        if number is None:
            ck.add(f"{path}.{key}", problem or "not_a_number", subject=code, value=shown(raw[key]))
        else:
            parts.append(number)
    if len(parts) < 2:
        return None
    if parts[0] < 0 or parts[1] < 0:
        ck.add(path, "ratio_negative", subject=code)
        return None
    if parts[1] == 0:
        ck.add(path, "ratio_zero", subject=code)
        return None
    return Ratio(parts[0], parts[1])


def _flags(ck: Checker, top: dict[str, Any], key: str, known: list[str]) -> tuple[str, ...]:
    """The codes given as true under `bonus` or `vetoes`, in the standard's order."""
    if key not in top:
        return ()
    given = ck.any_mapping(top[key], key)
    if given is None:
        return ()
    problem = "unknown_bonus" if key == "bonus" else "unknown_veto"
    for code, flag in given.items():
        path = child_path(key, str(code))
        if code not in known:
            ck.add(path, problem, subject=str(code))
        elif not isinstance(flag, bool):
            ck.add(path, "not_boolean", subject=code, value=shown(flag))
    return tuple(code for code in known if given.get(code) is True)


def _engine_input(entry: Any) -> EngineInput:
    if isinstance(entry, Ratio):
        percent = entry.percent
        return (percent.numerator, percent.denominator)
    if isinstance(entry, Fraction):
        return (entry.numerator, entry.denominator)
    return entry
