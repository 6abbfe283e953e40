"""What changed between two versions of a standard, item by item and field by field.

Pure: it reads two standards (scoring models carrying `.raw`, or their raw mappings as stored in
`StandardVersion.data`) and returns plain data. Numbers compare by value ("12.5" equals 12.50),
and fields left out take the format's defaults (`direction: higher`, `mandatory: false`), so a
file that only spells a default out differs from nothing.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

HEADER_FIELDS = ("code", "version", "level", "title", "title_en", "provenance")
DOMAIN_FIELDS = ("name", "name_en", "weight")
INDICATOR_FIELDS = (
    "domain",
    "name",
    "name_en",
    "definition",
    "unit",
    "method",
    "direction",
    "thresholds",
    "tiers",
    "weight",
    "mandatory",
    "evidence",
)
BONUS_FIELDS = ("name", "name_en", "points")
VETO_FIELDS = ("name", "name_en", "effect", "cap")
RULE_FIELDS = ("score_bands", "bonus_cap", "domain_lag", "mandatory_min", "coverage", "gates")

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; `before`/`after` are None when the field is absent."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    """A domain, indicator, bonus item or veto that was added, removed or changed."""

    kind: str
    code: str
    name: str
    fields: tuple[FieldChange, ...] = ()
    name_en: str = ""


@dataclass(frozen=True)
class StandardDiff:
    """Every difference from standard `a` (before) to standard `b` (after)."""

    header: tuple[FieldChange, ...]
    grades: FieldChange | None
    domains: tuple[ItemChange, ...]
    indicators: tuple[ItemChange, ...]
    bonus: tuple[ItemChange, ...]
    vetoes: tuple[ItemChange, ...]
    rules: tuple[FieldChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when the two standards say the same (their header aside)."""
        return not (self.grades or self.domains or self.indicators or self.bonus or self.vetoes or self.rules)

    @property
    def change_count(self) -> int:
        items = len(self.domains) + len(self.indicators) + len(self.bonus) + len(self.vetoes)
        return items + len(self.rules) + (1 if self.grades else 0)


def normalise(value: Any) -> Any:
    """A value in a form where equal meanings compare equal (numbers as normalised Decimals)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        number = Decimal(str(value)).normalize()
        return number if number != 0 else Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value)).normalize()
    if isinstance(value, Mapping):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    return value


def raw_of(standard: Any) -> Mapping[str, Any]:
    """The raw mapping of a scoring model (its `.raw`) or the mapping itself."""
    raw = getattr(standard, "raw", standard)
    if not isinstance(raw, Mapping):
        raise TypeError("expected a standard model with .raw or a mapping")
    return raw


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any], fields: tuple[str, ...]) -> tuple:
    changes = []
    for field in fields:
        old, new = normalise(before.get(field)), normalise(after.get(field))
        if old != new:
            changes.append(FieldChange(field, before.get(field), after.get(field)))
    return tuple(changes)


def _with_indicator_defaults(item: Mapping[str, Any]) -> dict[str, Any]:
    filled = dict(item)
    if filled.get("method") in ("threshold", "ratio"):
        filled.setdefault("direction", "higher")
    filled.setdefault("mandatory", False)
    if not filled.get("evidence"):
        filled["evidence"] = None
    return filled


def _item_changes(
    before: list[Mapping[str, Any]], after: list[Mapping[str, Any]], fields: tuple[str, ...], fill=dict
) -> tuple[ItemChange, ...]:
    """Items matched by code: those only in `after` are added, only in `before` removed."""
    old = {item["code"]: fill(item) for item in before}
    new = {item["code"]: fill(item) for item in after}
    changes: list[ItemChange] = []
    for code, item in old.items():
        if code not in new:
            changes.append(_item_change(REMOVED, code, item))
            continue
        fields_changed = _field_changes(item, new[code], fields)
        if fields_changed:
            changes.append(_item_change(CHANGED, code, new[code], fields_changed))
    changes.extend(_item_change(ADDED, code, item) for code, item in new.items() if code not in old)
    return tuple(changes)


def _item_change(kind: str, code: str, item: Mapping[str, Any], fields: tuple = ()) -> ItemChange:
    return ItemChange(kind, code, str(item.get("name", "")), fields, str(item.get("name_en") or ""))


def standard_diff(a: Any, b: Any) -> StandardDiff:
    """Compare standard `a` (before) with standard `b` (after)."""
    raw_a, raw_b = raw_of(a), raw_of(b)
    grades_a, grades_b = raw_a.get("grades"), raw_b.get("grades")
    rules_a, rules_b = raw_a.get("rules") or {}, raw_b.get("rules") or {}
    return StandardDiff(
        header=_field_changes(raw_a, raw_b, HEADER_FIELDS),
        grades=FieldChange("grades", grades_a, grades_b)
        if normalise(grades_a) != normalise(grades_b)
        else None,
        domains=_item_changes(raw_a.get("domains") or [], raw_b.get("domains") or [], DOMAIN_FIELDS),
        indicators=_item_changes(
            raw_a.get("indicators") or [],
            raw_b.get("indicators") or [],
            INDICATOR_FIELDS,
            fill=_with_indicator_defaults,
        ),
        bonus=_item_changes(raw_a.get("bonus") or [], raw_b.get("bonus") or [], BONUS_FIELDS),
        vetoes=_item_changes(raw_a.get("vetoes") or [], raw_b.get("vetoes") or [], VETO_FIELDS),
        rules=_field_changes(rules_a, rules_b, RULE_FIELDS),
    )
