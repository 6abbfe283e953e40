"""Reading and validating a standard file (`starcity/standard@1`, section 1 of the format).

A file that breaks any rule is refused whole with every problem listed (`StandardInvalid`); each
problem names the path of the offending item and, when the text was parsed, its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from .fields import Checker, to_raw
from .load_items import read_indicators, read_rules
from .model import BonusItem, Domain, Standard, Veto
from .problems import Problem, StandardInvalid
from .yamlcore import child_path, read_yaml

T = TypeVar("T")

__all__ = ["load_standard", "load_standard_file", "standard_from_mapping"]

SCHEMA = "starcity/standard@1"
LEVELS = ("city", "county", "community")
TOP_REQUIRED = (
    "schema",
    "code",
    "version",
    "level",
    "title",
    "provenance",
    "grades",
    "domains",
    "indicators",
    "rules",
)
TOP_OPTIONAL = ("title_en", "bonus", "vetoes")
STANDARD_CODE = re.compile(r"[A-Z0-9-]+")
VERSION = re.compile(r"[A-Za-z0-9._-]+")


def load_standard(text: str, *, source: str | None = None) -> Standard:
    """Parse and validate a standard from YAML 1.2 (or JSON) text.

    Raises `StandardInvalid` listing every problem, each with its path and line; `source` (a file
    name) is kept on the exception for messages.
    """
    doc = read_yaml(text)
    if doc.data is None and not doc.problems:
        doc.problems.append(Problem("", None, "empty_document"))
    if doc.data is None:
        raise StandardInvalid(doc.problems, source)
    return _build(doc.data, doc.lines, list(doc.problems), source)


def load_standard_file(path: str | PathLike[str]) -> Standard:
    """Read a UTF-8 standard file from disk and validate it (see `load_standard`)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StandardInvalid([Problem("", None, "not_utf8")], str(path)) from exc
    return load_standard(text, source=str(path))


def standard_from_mapping(data: dict[str, Any]) -> Standard:
    """Validate already-parsed data (e.g. `Standard.raw` from a database); no line numbers.

    Numbers may be ints, decimal strings, `Decimal` or `Fraction`; binary floats are refused.
    """
    return _build(data, {}, [], None)


def _build(data: Any, lines: dict[str, int], problems: list[Problem], source: str | None) -> Standard:
    ck = Checker(lines, nulls_reported=True)
    ck.problems.extend(problems)
    ck.report_nulls(data)
    top = ck.mapping(data, "", TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        raise StandardInvalid(ck.problems, source)
    header = _header(ck, top)
    grades = _grades(ck, top.get("grades"))
    n = len(grades) if grades is not None else None
    codes: dict[str, str] = {}
    domains = _domains(ck, top.get("domains"), codes)
    known = {d.code for d in domains} if domains is not None else None
    read = read_indicators(ck, top.get("indicators"), n, codes, known)
    indicators = read.indicators
    bonus = _bonus(ck, top.get("bonus", []), codes)
    vetoes = _vetoes(ck, top.get("vetoes", []), n, codes)
    rules = read_rules(ck, top.get("rules"), n, read.methods)
    if domains is not None:
        _check_weights(ck, domains, read.weights)
    if ck.problems or grades is None or domains is None or indicators is None or rules is None:
        raise StandardInvalid(ck.problems, source)
    return Standard(
        grades=tuple(grades),
        domains=tuple(domains),
        indicators=tuple(indicators),
        bonus=tuple(bonus or ()),
        vetoes=tuple(vetoes or ()),
        rules=rules,
        raw=to_raw(data),
        **header,
    )


def _header(ck: Checker, top: dict[str, Any]) -> dict[str, Any]:
    schema = top.get("schema")
    if "schema" in top and schema != SCHEMA and schema is not None:
        ck.add("schema", "schema", expected=SCHEMA, got=str(schema))
    header = {
        "code": ck.text(top.get("code"), "code", pattern=STANDARD_CODE),
        "version": ck.text(top.get("version"), "version", pattern=VERSION),
        "level": ck.choice(top.get("level"), "level", LEVELS),
        "title": ck.text(top.get("title"), "title"),
        "provenance": ck.text(top.get("provenance"), "provenance"),
        "title_en": ck.text(top.get("title_en"), "title_en"),
    }
    return header


def _grades(ck: Checker, value: Any) -> list[str] | None:
    if value is None:
        return None
    names = ck.text_list(value, "grades")
    if names is not None and not 1 <= len(names) <= 9:
        ck.add("grades", "grades_count", got=len(names))
        return None
    return names


def _items(ck: Checker, value: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The (path, mapping) of each entry of a list of mappings; bad entries are reported."""
    items = ck.sequence(value, path)
    return [(child_path(path, i), item) for i, item in enumerate(items or [])]


def _domains(ck: Checker, value: Any, codes: dict[str, str]) -> list[Domain] | None:
    if value is None:
        return None
    return _named_items(ck, value, codes, section="domains", amount="weight", make=Domain)


def _bonus(ck: Checker, value: Any, codes: dict[str, str]) -> list[BonusItem] | None:
    return _named_items(ck, value, codes, section="bonus", amount="points", make=BonusItem)


def _named_items(
    ck: Checker, value: Any, codes: dict[str, str], *, section: str, amount: str, make: Callable[..., T]
) -> list[T] | None:
    """Items of `code`, `name`, optional `name_en` and one positive number (a domain's weight, a
    bonus item's points); None when any item is refused (every problem is recorded)."""
    out: list[T | None] = []
    for path, raw in _items(ck, value, section):
        entry = ck.mapping(raw, path, ("code", "name", amount), ("name_en",))
        if entry is None:
            out.append(None)
            continue
        code = ck.item_code(entry.get("code"), f"{path}.code", codes)
        name = ck.text(entry.get("name"), f"{path}.name")
        name_en = ck.text(entry.get("name_en"), f"{path}.name_en")
        number = _positive(ck, entry.get(amount), f"{path}.{amount}")
        ok = code is not None and name is not None and number is not None
        out.append(make(code, name, number, name_en) if ok else None)
    return None if any(item is None for item in out) else [item for item in out if item is not None]


def _positive(ck: Checker, value: Any, path: str) -> Fraction | None:
    number = ck.number(value, path)
    if number is not None and number <= 0:
        ck.add(path, "positive", value=number)
        return None
    return number


def _vetoes(ck: Checker, value: Any, n: int | None, codes: dict[str, str]) -> list[Veto] | None:
    out: list[Veto | None] = []
    for path, raw in _items(ck, value, "vetoes"):
        entry = ck.mapping(raw, path, ("code", "name", "effect"), ("name_en", "cap"))
        if entry is None:
            out.append(None)
            continue
        code = ck.item_code(entry.get("code"), f"{path}.code", codes)
        name = ck.text(entry.get("name"), f"{path}.name")
        name_en = ck.text(entry.get("name_en"), f"{path}.name_en")
        effect = ck.choice(entry.get("effect"), f"{path}.effect", ("zero", "cap"))
        cap = _veto_cap(ck, entry, path, effect, n)
        ok = (
            code is not None
            and name is not None
            and effect is not None
            and (effect == "zero" or cap is not None)
        )
        out.append(Veto(code, name, effect, cap, name_en) if ok else None)  # type: ignore[arg-type]
    return None if any(v is None for v in out) else [v for v in out if v is not None]


def _veto_cap(ck: Checker, entry: dict[str, Any], path: str, effect: str | None, n: int | None) -> int | None:
    if effect == "zero" and "cap" in entry:
        ck.add(f"{path}.cap", "cap_not_allowed")
        return None
    if effect != "cap":
        return None
    if "cap" not in entry:
        ck.add(f"{path}.cap", "cap_required")
        return None
    return ck.integer(entry["cap"], f"{path}.cap", 0, None if n is None else n - 1)


def _check_weights(
    ck: Checker, domains: list[Domain], weights: list[tuple[str | None, Fraction | None]]
) -> None:
    """Domain weights add up to 100; each domain's indicator weights add up to its weight.

    A domain is checked only when every indicator entry has a valid domain, and its own
    indicators all have valid weights: otherwise the sum would only repeat another problem.
    """
    total = sum((d.weight for d in domains), Fraction(0))
    if total != 100:
        ck.add("domains", "domain_weight_sum", sum=total)
    if any(domain is None for domain, _ in weights):
        return
    for index, domain in enumerate(domains):
        members = [weight for code, weight in weights if code == domain.code]
        path = f"domains[{index}]"
        if not members:
            ck.add(path, "domain_empty", domain=domain.code)
        elif all(weight is not None for weight in members):
            weight = sum((w for w in members if w is not None), Fraction(0))
            if weight != domain.weight:
                ck.add(path, "indicator_weight_sum", domain=domain.code, sum=weight, expected=domain.weight)
