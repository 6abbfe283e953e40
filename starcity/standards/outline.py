"""A stored standard laid out for reading: rules in words, indicators with a grade per column.

Works on the raw mapping of a version (`StandardVersion.data`), so a page shows exactly what was
published. Fields left out take the format's defaults (`direction: higher`, `mandatory: false`,
`mandatory_min: [1..N]`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.core.text import clauses, enumeration
from starcity.standards.choices import (
    Direction,
    IndicatorMethod,
    StandardLevel,
    VetoEffect,
    choice_label,
)

# Fields whose values are codes of the format, shown by their translated labels.
CHOICE_FIELDS: dict[str, type[Any]] = {
    "level": StandardLevel,
    "method": IndicatorMethod,
    "direction": Direction,
    "effect": VetoEffect,
}


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    method: str
    method_label: str
    unit: str
    definition: str
    weight: str
    mandatory: bool
    direction: str
    cells: tuple[str, ...]
    span_text: str
    evidence: tuple[str, ...]

    @property
    def evidence_text(self) -> str:
        return enumeration(self.evidence)


@dataclass(frozen=True)
class DomainBlock:
    code: str
    name: str
    weight: str
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass(frozen=True)
class Outline:
    grades: tuple[str, ...]
    rules: tuple[tuple[str, tuple[str, ...]], ...]
    domains: tuple[DomainBlock, ...]
    bonus: tuple[dict[str, str], ...]
    vetoes: tuple[dict[str, str], ...]


def number_text(value: Any) -> str:
    """A number as plain decimal text, without exponent or trailing zeros ("12.5", "100")."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except ArithmeticError:
        return str(value)


def _name(item: Mapping[str, Any], lang: str) -> str:
    if lang == "en" and item.get("name_en"):
        return str(item["name_en"])
    return str(item.get("name", ""))


def _grade(grades: tuple[str, ...], number: int) -> str:
    return grades[number - 1] if 1 <= number <= len(grades) else _("0 级(无等级)")


def _cells(item: Mapping[str, Any]) -> tuple[tuple[str, ...], str]:
    """Per-grade texts of an indicator, or one text spanning every grade column."""
    method = item.get("method")
    if method == "tiered":
        return tuple(str(t) for t in item.get("tiers") or ()), ""
    if method == "boolean":
        return (), _("是/否：是 → 最高等级，否 → 不得分")
    sign = "≤" if item.get("direction") == "lower" else "≥"
    unit = "%" if method == "ratio" else str(item.get("unit") or "")
    return tuple(f"{sign} {number_text(t)}{unit}" for t in item.get("thresholds") or ()), ""


def _indicator_row(item: Mapping[str, Any], lang: str) -> IndicatorRow:
    cells, span_text = _cells(item)
    method = str(item.get("method", ""))
    direction = str(item.get("direction") or ("higher" if method in ("threshold", "ratio") else ""))
    return IndicatorRow(
        code=str(item["code"]),
        name=_name(item, lang),
        method=method,
        method_label=choice_label(IndicatorMethod, method),
        unit=str(item.get("unit") or ("%" if method == "ratio" else "")),
        definition=str(item.get("definition") or ""),
        weight=number_text(item.get("weight")),
        mandatory=bool(item.get("mandatory", False)),
        direction=direction,
        cells=cells,
        span_text=span_text,
        evidence=tuple(str(e) for e in item.get("evidence") or ()),
    )


def _band_rules(rules: Mapping[str, Any], grades: tuple[str, ...]) -> tuple[str, ...]:
    bands = rules.get("score_bands") or ()
    return tuple(
        _("%(grade)s：总分不低于 %(band)s 分") % {"grade": grades[i], "band": number_text(b)}
        for i, b in enumerate(bands)
    )


def _floor_rules(rules: Mapping[str, Any], grades: tuple[str, ...]) -> tuple[str, ...]:
    lag = rules.get("domain_lag")
    if lag is None:
        return (_("不设领域得分下限。"),)
    lag, bands = int(lag), rules.get("score_bands") or ()
    lines = []
    for level in range(1, len(grades) + 1):
        j = level - 1 - lag
        if j >= 0:
            lines.append(
                _("评为%(grade)s时，每个领域得分不低于 %(band)s 分(%(lower)s的分数线)")
                % {"grade": grades[level - 1], "band": number_text(bands[j]), "lower": grades[j]}
            )
    return tuple(lines) or (_("等级差 %(lag)d 超过等级数，领域下限不起作用。") % {"lag": lag},)


def _mandatory_rules(rules: Mapping[str, Any], grades: tuple[str, ...]) -> tuple[str, ...]:
    minimums = rules.get("mandatory_min") or list(range(1, len(grades) + 1))
    lines = []
    for level, minimum in enumerate(minimums, start=1):
        m = int(minimum)
        need = _("不作要求") if m == 0 else _("至少达到%(grade)s") % {"grade": grades[m - 1]}
        lines.append(_("评为%(grade)s时，每项核心指标%(need)s") % {"grade": grades[level - 1], "need": need})
    return tuple(lines)


def _coverage_rules(rules: Mapping[str, Any], grades: tuple[str, ...]) -> tuple[str, ...]:
    coverage = rules.get("coverage")
    if not coverage:
        return (_("不设覆盖面要求。"),)
    return tuple(
        _("评为%(grade)s时，达到该等级的指标权重合计不低于 %(share)s%%")
        % {"grade": grades[i], "share": number_text(Decimal(str(c)) * 100)}
        for i, c in enumerate(coverage)
        if Decimal(str(c)) > 0
    ) or (_("覆盖面要求均为 0。"),)


def _gate_rules(
    rules: Mapping[str, Any], grades: tuple[str, ...], indicators: dict[str, Mapping[str, Any]], lang: str
) -> tuple[str, ...]:
    gates = rules.get("gates") or ()
    if not gates:
        return (_("不设门槛指标。"),)
    lines = []
    for gate in gates:
        indicator = indicators.get(str(gate["indicator"]), {})
        lower = indicator.get("direction") == "lower"
        lines.append(
            _("自%(grade)s起，指标 %(code)s %(name)s 的数值须%(sign)s %(value)s")
            % {
                "grade": _grade(grades, int(gate["from_grade"])),
                "code": gate["indicator"],
                "name": _name(indicator, lang),
                "sign": _("不高于") if lower else _("不低于"),
                "value": number_text(gate["min_value"]),
            }
        )
    return tuple(lines)


def _bonus_rules(rules: Mapping[str, Any]) -> tuple[str, ...]:
    cap = rules.get("bonus_cap")
    if cap is None:
        return (_("加分不设上限(总分最高 100 分)。"),)
    return (_("加分合计最多 %(cap)s 分(总分最高 100 分)。") % {"cap": number_text(cap)},)


def _rules(
    data: Mapping[str, Any], grades: tuple[str, ...], lang: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    rules = data.get("rules") or {}
    indicators = {str(i["code"]): i for i in data.get("indicators") or ()}
    return (
        (_("分数线"), _band_rules(rules, grades)),
        (_("领域下限"), _floor_rules(rules, grades)),
        (_("核心指标"), _mandatory_rules(rules, grades)),
        (_("覆盖面"), _coverage_rules(rules, grades)),
        (_("门槛指标"), _gate_rules(rules, grades, indicators, lang)),
        (_("加分上限"), _bonus_rules(rules)),
    )


def _veto_text(veto: Mapping[str, Any], grades: tuple[str, ...]) -> str:
    if veto.get("effect") == "cap":
        cap = int(veto.get("cap", 0))
        if cap == 0:
            return _("等级降为 0")
        return _("等级最高为%(grade)s") % {"grade": grades[cap - 1]}
    return _("一票否决：等级为 0")


def version_outline(data: Mapping[str, Any], lang: str = "zh") -> Outline:
    """The reading layout of a standard's raw mapping, names in `lang` ("zh" or "en")."""
    grades = tuple(str(g) for g in data.get("grades") or ())
    blocks = {
        str(d["code"]): DomainBlock(
            code=str(d["code"]), name=_name(d, lang), weight=number_text(d.get("weight"))
        )
        for d in data.get("domains") or ()
    }
    for item in data.get("indicators") or ():
        block = blocks.get(str(item.get("domain")))
        if block is not None:
            block.indicators.append(_indicator_row(item, lang))
    return Outline(
        grades=grades,
        rules=_rules(data, grades, lang),
        domains=tuple(blocks.values()),
        bonus=tuple(
            {"code": str(b["code"]), "name": _name(b, lang), "points": number_text(b.get("points"))}
            for b in data.get("bonus") or ()
        ),
        vetoes=tuple(
            {"code": str(v["code"]), "name": _name(v, lang), "effect": _veto_text(v, grades)}
            for v in data.get("vetoes") or ()
        ),
    )


FIELD_LABELS = {
    "code": gettext_lazy("代码"),
    "version": gettext_lazy("版本"),
    "level": gettext_lazy("适用层级"),
    "title": gettext_lazy("标题"),
    "title_en": gettext_lazy("英文标题"),
    "provenance": gettext_lazy("来源说明"),
    "grades": gettext_lazy("等级"),
    "domain": gettext_lazy("所属领域"),
    "name": gettext_lazy("名称"),
    "name_en": gettext_lazy("英文名称"),
    "definition": gettext_lazy("定义"),
    "unit": gettext_lazy("单位"),
    "method": gettext_lazy("评价方法"),
    "direction": gettext_lazy("方向"),
    "thresholds": gettext_lazy("各等级阈值"),
    "tiers": gettext_lazy("各等级档次"),
    "weight": gettext_lazy("权重"),
    "mandatory": gettext_lazy("核心指标"),
    "evidence": gettext_lazy("佐证材料"),
    "points": gettext_lazy("加分"),
    "effect": gettext_lazy("否决效果"),
    "cap": gettext_lazy("等级上限"),
    "score_bands": gettext_lazy("分数线"),
    "bonus_cap": gettext_lazy("加分上限"),
    "domain_lag": gettext_lazy("领域下限等级差"),
    "mandatory_min": gettext_lazy("核心指标最低等级"),
    "coverage": gettext_lazy("覆盖面"),
    "gates": gettext_lazy("门槛指标"),
}

SECTION_LABELS = {
    "header": gettext_lazy("基本信息"),
    "grades": gettext_lazy("等级"),
    "domains": gettext_lazy("领域"),
    "indicators": gettext_lazy("指标"),
    "bonus": gettext_lazy("加分项"),
    "vetoes": gettext_lazy("否决项"),
    "rules": gettext_lazy("评定规则"),
}

KIND_LABELS = {
    "added": gettext_lazy("新增"),
    "removed": gettext_lazy("删除"),
    "changed": gettext_lazy("修改"),
}


@dataclass(frozen=True)
class DiffRow:
    section: str
    kind: str
    kind_label: str
    code: str
    name: str
    field: str
    before: str
    after: str


def value_text(value: Any, field: str = "") -> str:
    """A value of `field` of a standard as short text for the comparison table, in the active
    language: codes of the format by their labels (city → 市级, threshold → 数值达标), lists
    as an enumeration ("50、70、90"), gates as clauses, nothing as "—"."""
    if value is None or value == [] or value == ():
        return "—"
    if field in CHOICE_FIELDS and isinstance(value, str):
        return choice_label(CHOICE_FIELDS[field], value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Mapping):
        if "indicator" in value:
            return _("%(code)s 须达 %(value)s(自第 %(grade)s 级)") % {
                "code": value.get("indicator"),
                "value": number_text(value.get("min_value")),
                "grade": value.get("from_grade"),
            }
        return clauses(
            _("%(indicator)s：%(message)s") % {"indicator": k, "message": value_text(v)}
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        texts = [value_text(v, field) for v in value]
        return clauses(texts) if any(isinstance(v, Mapping) for v in value) else enumeration(texts)
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    return str(value)


def item_name(item: Any, lang: str) -> str:
    """An added, removed or changed item's name in `lang`: its English name in English when the
    file gives one."""
    return (getattr(item, "name_en", "") or item.name) if lang == "en" else item.name


def diff_rows(diff: Any, lang: str = "zh") -> list[DiffRow]:
    """The rows of a comparison table, one per changed field or added/removed item; values and
    names in the active language (`lang` is the engine's: "zh" or "en")."""
    rows: list[DiffRow] = []

    def field_rows(section: str, code: str, name: str, changes: Any) -> None:
        for change in changes:
            rows.append(
                DiffRow(
                    section=str(SECTION_LABELS[section]),
                    kind="changed",
                    kind_label=str(KIND_LABELS["changed"]),
                    code=code,
                    name=name,
                    field=str(FIELD_LABELS.get(change.field, change.field)),
                    before=value_text(change.before, change.field),
                    after=value_text(change.after, change.field),
                )
            )

    field_rows("header", "", "", diff.header)
    if diff.grades:
        field_rows("grades", "", "", (diff.grades,))
    for section in ("domains", "indicators", "bonus", "vetoes"):
        for item in getattr(diff, section):
            name = item_name(item, lang)
            if item.kind == "changed":
                field_rows(section, item.code, name, item.fields)
                continue
            rows.append(
                DiffRow(
                    section=str(SECTION_LABELS[section]),
                    kind=item.kind,
                    kind_label=str(KIND_LABELS[item.kind]),
                    code=item.code,
                    name=name,
                    field="",
                    before="" if item.kind == "added" else name,
                    after=name if item.kind == "added" else "",
                )
            )
    field_rows("rules", "", "", diff.rules)
    return rows
