"""Validation of a standard's indicators and rules (section 1.1 of the format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .fields import Checker
from .model import MEASURED, METHODS, Gate, Indicator, Rules
from .yamlcore import child_path

__all__ = ["IndicatorsRead", "read_indicators", "read_rules"]

INDICATOR_REQUIRED = ("code", "domain", "name", "method", "weight")
INDICATOR_OPTIONAL = (
    "name_en",
    "definition",
    "unit",
    "direction",
    "thresholds",
    "tiers",
    "mandatory",
    "evidence",
)
RULES_OPTIONAL = ("bonus_cap", "domain_lag", "mandatory_min", "coverage", "gates")


@dataclass
class IndicatorsRead:
    """The indicators when all are valid, each entry's (domain, weight) for the sum checks,
    and the method of every entry whose code and method are valid (for checking gates)."""

    indicators: list[Indicator] | None
    weights: list[tuple[str | None, Fraction | None]] = field(default_factory=list)
    methods: dict[str, str] = field(default_factory=dict)


def read_indicators(
    ck: Checker, value: Any, n: int | None, codes: dict[str, str], domains: set[str] | None
) -> IndicatorsRead:
    """Validate every indicator; see `IndicatorsRead`."""
    read = IndicatorsRead(None)
    items = ck.sequence(value, "indicators") if value is not None else None
    out: list[Indicator | None] = []
    for index, raw in enumerate(items or []):
        path = child_path("indicators", index)
        entry = ck.mapping(raw, path, INDICATOR_REQUIRED, INDICATOR_OPTIONAL)
        if entry is None:
            out.append(None)
            read.weights.append((None, None))
            continue
        code = ck.item_code(entry.get("code"), f"{path}.code", codes)
        fields = _indicator_fields(ck, entry, path, n, domains)
        bad = fields.pop("_bad")
        read.weights.append((fields["domain"], fields["weight"]))
        if code is not None:
            read.methods[code] = fields["method"] or ""
        complete = code is not None and all(fields[key] is not None for key in INDICATOR_REQUIRED[1:])
        out.append(Indicator(code=code, **fields) if complete and not bad else None)  # type: ignore[arg-type]
    if items is not None and all(ind is not None for ind in out):
        read.indicators = [ind for ind in out if ind is not None]
    return read


def _indicator_fields(
    ck: Checker, entry: dict[str, Any], path: str, n: int | None, domains: set[str] | None
) -> dict[str, Any]:
    method = ck.choice(entry.get("method"), f"{path}.method", METHODS)
    fields: dict[str, Any] = {
        "domain": _domain_ref(ck, entry.get("domain"), f"{path}.domain", domains),
        "name": ck.text(entry.get("name"), f"{path}.name"),
        "method": method,
        "weight": _positive(ck, entry.get("weight"), f"{path}.weight"),
        "name_en": ck.text(entry.get("name_en"), f"{path}.name_en"),
        "definition": ck.text(entry.get("definition"), f"{path}.definition"),
        "unit": ck.text(entry.get("unit"), f"{path}.unit"),
    }
    mandatory = ck.boolean(entry.get("mandatory"), f"{path}.mandatory") if "mandatory" in entry else False
    evidence = ck.text_list(entry.get("evidence"), f"{path}.evidence") if "evidence" in entry else []
    fields["mandatory"] = bool(mandatory)
    fields["evidence"] = tuple(evidence or ())
    bad = mandatory is None or evidence is None
    if method is not None:
        bad = _method_fields(ck, entry, path, n, method, fields) or bad
    fields["_bad"] = bad
    return fields


def _domain_ref(ck: Checker, value: Any, path: str, domains: set[str] | None) -> str | None:
    code = ck.text(value, path)
    if code is not None and domains is not None and code not in domains:
        ck.add(path, "unknown_domain", value=code)
        return None
    return code


def _positive(ck: Checker, value: Any, path: str) -> Fraction | None:
    number = ck.number(value, path)
    if number is not None and number <= 0:
        ck.add(path, "positive", value=number)
        return None
    return number


def _method_fields(
    ck: Checker, entry: dict[str, Any], path: str, n: int | None, method: str, fields: dict[str, Any]
) -> bool:
    """Fill direction, thresholds and tiers as the method allows; True when something is wrong."""
    bad = False
    for key in ("direction", "thresholds", "tiers"):
        allowed = key == "tiers" if method == "tiered" else method in MEASURED and key != "tiers"
        if key in entry and not allowed:
            code = "direction_not_allowed" if key == "direction" else "not_allowed"
            ck.add(f"{path}.{key}", code, method=method, key=key)
            bad = True
    if method in MEASURED:
        direction = "higher"
        if "direction" in entry:
            direction = ck.choice(entry["direction"], f"{path}.direction", ("higher", "lower")) or ""
        fields["direction"] = direction or "higher"
        _require(ck, entry, path, "thresholds")
        fields["thresholds"] = _thresholds(ck, entry.get("thresholds"), f"{path}.thresholds", n, direction)
        bad = bad or not direction or fields["thresholds"] is None
    elif method == "tiered":
        _require(ck, entry, path, "tiers")
        tiers = ck.text_list(entry.get("tiers"), f"{path}.tiers") if "tiers" in entry else None
        if tiers is not None and not ck.count(tiers, f"{path}.tiers", n, "tiers"):
            tiers = None
        fields["tiers"] = tuple(tiers) if tiers is not None else None
        bad = bad or tiers is None
    return bad


def _require(ck: Checker, entry: dict[str, Any], path: str, key: str) -> None:
    if key not in entry:
        ck.add(f"{path}.{key}", "missing", key=key)


def _thresholds(
    ck: Checker, value: Any, path: str, n: int | None, direction: str
) -> tuple[Fraction, ...] | None:
    if value is None:
        return None
    numbers = ck.number_list(value, path)
    if numbers is None or not ck.count(numbers, path, n, "thresholds"):
        return None
    if direction and not ck.ordered(
        numbers, path, "descending" if direction == "lower" else "ascending", "thresholds"
    ):
        return None
    return tuple(numbers)


def read_rules(ck: Checker, value: Any, n: int | None, methods: dict[str, str]) -> Rules | None:
    """Validate `rules`: score bands, bonus cap, domain lag, mandatory minimums, coverage, gates."""
    rules = ck.mapping(value, "rules", ("score_bands",), RULES_OPTIONAL) if value is not None else None
    if rules is None:
        return None
    bands = _score_bands(ck, rules.get("score_bands"), n)
    cap = ck.number(rules["bonus_cap"], "rules.bonus_cap") if "bonus_cap" in rules else None
    if cap is not None and cap < 0:
        ck.add("rules.bonus_cap", "not_negative", value=cap)
    lag = ck.integer(rules["domain_lag"], "rules.domain_lag", 0) if "domain_lag" in rules else None
    minimums = _mandatory_min(ck, rules, n)
    coverage = _coverage(ck, rules.get("coverage"), n) if "coverage" in rules else None
    gates = _gates(ck, rules.get("gates"), n, methods) if "gates" in rules else ()
    if bands is None or minimums is None or gates is None or n is None:
        return None
    return Rules(tuple(bands), tuple(minimums), cap, lag, coverage, tuple(gates))


def _score_bands(ck: Checker, value: Any, n: int | None) -> list[Fraction] | None:
    path = "rules.score_bands"
    numbers = ck.number_list(value, path) if value is not None else None
    if numbers is None or not ck.count(numbers, path, n, "score_bands"):
        return None
    for index, band in enumerate(numbers):
        if not 0 < band <= 100:
            ck.add(child_path(path, index), "band_range", value=band)
            return None
    return numbers if ck.ordered(numbers, path, "ascending", "score_bands") else None


def _mandatory_min(ck: Checker, rules: dict[str, Any], n: int | None) -> list[int] | None:
    if "mandatory_min" not in rules:
        return list(range(1, n + 1)) if n is not None else None
    path = "rules.mandatory_min"
    numbers = ck.integer_list(rules["mandatory_min"], path, 0, n if n is not None else 9)
    if numbers is None or not ck.count(numbers, path, n, "mandatory_min"):
        return None
    return numbers if ck.ordered(numbers, path, "non_decreasing", "mandatory_min") else None


def _coverage(ck: Checker, value: Any, n: int | None) -> tuple[Fraction, ...] | None:
    path = "rules.coverage"
    numbers = ck.number_list(value, path)
    if numbers is None or not ck.count(numbers, path, n, "coverage"):
        return None
    for index, share in enumerate(numbers):
        if not 0 <= share <= 1:
            ck.add(child_path(path, index), "range", value=share, low=0, high=1)
            return None
    return tuple(numbers) if ck.ordered(numbers, path, "non_decreasing", "coverage") else None


def _gates(ck: Checker, value: Any, n: int | None, methods: dict[str, str]) -> list[Gate] | None:
    items = ck.sequence(value, "rules.gates")
    if items is None:
        return None
    out: list[Gate | None] = []
    for index, raw in enumerate(items):
        path = child_path("rules.gates", index)
        entry = ck.mapping(raw, path, ("indicator", "min_value", "from_grade"))
        if entry is None:
            out.append(None)
            continue
        code = _gate_indicator(ck, entry.get("indicator"), f"{path}.indicator", methods)
        minimum = ck.number(entry.get("min_value"), f"{path}.min_value")
        high = n if n is not None else 9
        start = ck.integer(entry.get("from_grade"), f"{path}.from_grade", 1, high)
        ok = code is not None and minimum is not None and start is not None
        out.append(Gate(code, minimum, start) if ok else None)  # type: ignore[arg-type]
    return None if any(g is None for g in out) else [g for g in out if g is not None]


def _gate_indicator(ck: Checker, value: Any, path: str, methods: dict[str, str]) -> str | None:
    code = ck.text(value, path)
    if code is None:
        return None
    if code not in methods:
        ck.add(path, "gate_unknown", value=code)
        return None
    if not methods[code]:  # the indicator's method is itself wrong, and reported there
        return None
    if methods[code] not in MEASURED:
        ck.add(path, "gate_method", value=code, method=methods[code])
        return None
    return code
