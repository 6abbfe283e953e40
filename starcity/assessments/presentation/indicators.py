"""The indicator sections of the detail page, bonus items and vetoes, and the summary shown
before submitting."""

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from starcity.assessments.forms import field_names
from starcity.assessments.presentation.panel import grade_pill
from starcity.assessments.presentation.text import (
    clauses,
    enumeration,
    item_label,
    item_name,
    labelled,
    yes_no,
)
from starcity.scoring import Standard, exact_text, half_up


@dataclass
class IndicatorView:
    """One indicator on the detail page: its description, inputs or shown value, evidence."""

    code: str
    name: str
    method: str
    definition: str
    unit: str
    weight: str
    mandatory: bool
    rules: list[str]
    tiers: list[str]
    evidence_expected: list[str]
    grade: int | None
    pill: str = ""
    pill_missing: bool = False
    pill_invalid: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    shown_value: str = ""
    note: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rules_text(self) -> str:
        return clauses(self.rules)

    @property
    def evidence_expected_text(self) -> str:
        return enumeration(self.evidence_expected)


def indicator_rules(standard: Standard, indicator: Any) -> list[str]:
    """The thresholds per grade ("三星级 ≥ 80%") or, for a boolean, what yes attains."""
    if indicator.method == "boolean":
        return [_("是：%(grade)s；否：0 级") % {"grade": standard.grades[-1]}]
    if indicator.method == "tiered":
        return []
    sign = "≤" if indicator.direction == "lower" else "≥"
    unit = indicator.unit or ""
    rules = [
        f"{name} {sign} {exact_text(t)}{unit}"
        for name, t in zip(standard.grades, indicator.thresholds, strict=True)
    ]
    if indicator.method == "ratio":
        rules.insert(0, _("比值 = 100 × 分子 ÷ 分母"))
    return rules


def shown_value(indicator: Any, value: Any, lang: str) -> str:
    """A stored value as read on a frozen page."""
    if value is None:
        return _("未填")
    if indicator.method == "ratio" and isinstance(value, dict):
        numerator, denominator = Fraction(str(value["numerator"])), Fraction(str(value["denominator"]))
        percent = half_up(100 * numerator / denominator) if denominator else "—"
        return _("%(numerator)s / %(denominator)s（= %(percent)s%%）") % {
            "numerator": value["numerator"],
            "denominator": value["denominator"],
            "percent": percent,
        }
    if indicator.method == "tiered":
        grade = int(value)
        tier = indicator.tiers[grade - 1] if 0 < grade <= len(indicator.tiers) else _("未达到第 1 档")
        return f"{grade} · {tier}"
    if indicator.method == "boolean":
        return yes_no(value)
    return f"{value}{indicator.unit or ''}"


def indicator_sections(
    standard: Standard,
    *,
    lang: str,
    result: dict[str, Any],
    form: Any = None,
    values: dict[str, Any] | None = None,
    notes: dict[str, str] | None = None,
    evidence: dict[str, list[dict[str, Any]]] | None = None,
    checks: dict[str, dict[str, list[str]]] | None = None,
) -> list[dict[str, Any]]:
    """Domains in order, each with its indicators: inputs when `form` is given, else values;
    `checks` gives each indicator's errors and warnings (`indicator_checks`)."""
    domain_scores = result.get("domains") or {}
    sections = []
    for domain in standard.domains:
        items = [
            _indicator_view(standard, ind, lang, result, form, values or {}, notes or {}, evidence or {})
            for ind in standard.indicators
            if ind.domain == domain.code
        ]
        for item in items:
            _add_checks(item, (checks or {}).get(item.code) or {})
        sections.append(
            {
                "code": domain.code,
                "name": item_name(domain, lang),
                "weight": exact_text(domain.weight),
                "score": (domain_scores.get(domain.code) or {}).get("score"),
                "indicators": items,
            }
        )
    return sections


def _indicator_view(
    standard: Standard,
    indicator: Any,
    lang: str,
    result: dict[str, Any],
    form: Any,
    values: dict[str, Any],
    notes: dict[str, str],
    evidence: dict[str, list[dict[str, Any]]],
) -> IndicatorView:
    code = indicator.code
    grade = ((result.get("indicators") or {}).get(code) or {}).get("grade")
    missing = code in (result.get("missing") or [])
    view = IndicatorView(
        code=code,
        name=item_name(indicator, lang),
        method=indicator.method,
        definition=indicator.definition or "",
        unit=indicator.unit or "",
        weight=exact_text(indicator.weight),
        mandatory=indicator.mandatory,
        rules=indicator_rules(standard, indicator),
        tiers=list(indicator.tiers),
        evidence_expected=list(indicator.evidence),
        grade=grade,
        pill=grade_pill(grade, missing),
        pill_missing=missing or grade is None,
        note=notes.get(code, ""),
        evidence=evidence.get(code, []),
    )
    if form is not None:
        for key, name in field_names(code).items():
            if name in form.fields:
                view.fields[key] = form[name]
    else:
        view.shown_value = shown_value(indicator, values.get(code), lang)
    return view


def indicator_checks(
    standard: Standard, errors: dict[str, list[str]], warnings: dict[str, list[str]]
) -> dict[str, dict[str, list[str]]]:
    """Each indicator's errors and warnings, for the slot beside its inputs (every indicator has
    one, so that an update of the page can empty the slots of those that are now right)."""
    return {
        indicator.code: {
            "errors": errors.get(indicator.code, []),
            "warnings": warnings.get(indicator.code, []),
        }
        for indicator in standard.indicators
    }


def _add_checks(view: IndicatorView, checks: dict[str, list[str]]) -> None:
    view.errors = list(checks.get("errors") or [])
    view.warnings = list(checks.get("warnings") or [])
    if view.errors:
        view.pill, view.pill_missing, view.pill_invalid = grade_pill(None, True, True), False, True


def submission_summary(standard: Standard, check: Any, lang: str) -> dict[str, Any]:
    """The summary shown beside the submit button (and in its confirmation): how many indicators
    are empty, which core indicators are empty, which values lack evidence, a superseded version."""
    lines = []
    if check.empty:
        lines.append(
            ngettext(
                "%(count)d 项指标未填写（共 %(total)d 项）。",
                "%(count)d 项指标未填写（共 %(total)d 项）。",
                len(check.empty),
            )
            % {"count": len(check.empty), "total": check.total}
        )
    else:
        lines.append(_("全部 %(total)d 项指标均已填写。") % {"total": check.total})
    if check.empty_core:
        lines.append(
            _("未填写的核心指标：%(items)s。")
            % {"items": enumeration(item_label(standard, code, lang) for code in check.empty_core)}
        )
    if check.without_evidence:
        lines.append(
            ngettext(
                "%(count)d 项已填指标没有佐证材料：%(items)s。",
                "%(count)d 项已填指标没有佐证材料：%(items)s。",
                len(check.without_evidence),
            )
            % {"count": len(check.without_evidence), "items": enumeration(check.without_evidence)}
        )
    if check.superseded:
        lines.append(_superseded_line(check))
    return {"lines": lines, "complete": check.complete, "empty_core": bool(check.empty_core)}


def _superseded_line(check: Any) -> str:
    if check.superseded_by is not None:
        return _(
            "本草稿使用的标准版本已被 %(current)s 替代；仍可按原版本提交，或提交后复制为使用新版本的自评估。"
        ) % {"current": check.superseded_by.label}
    return _("本草稿使用的标准版本已被替代；仍可按原版本提交。")


def bonus_rule(points: Any) -> str:
    """ "加 2 分" / "+2 points", "+1 point" (the plural follows the number)."""
    count = 1 if Fraction(points) == 1 else 2
    return ngettext("加 %(points)s 分", "加 %(points)s 分", count) % {"points": exact_text(points)}


def flag_rows(
    standard: Standard, *, lang: str, bonus: dict[str, Any], vetoes: dict[str, Any], form: Any = None
) -> list[dict[str, Any]]:
    """Bonus items and vetoes: a checkbox each on a draft, the given answer on a frozen page."""
    rows = []
    for item in standard.bonus:
        rule = bonus_rule(item.points)
        rows.append(
            _flag(item, _("加分项"), rule, bool(bonus.get(item.code)), form, f"bonus__{item.code}", lang)
        )
    for veto in standard.vetoes:
        if veto.effect == "zero":
            rule = _("一票否决：评为 0 级")
        else:
            rule = _("最高评为 %(cap)s 级") % {"cap": veto.cap}
        rows.append(
            _flag(veto, _("否决项"), rule, bool(vetoes.get(veto.code)), form, f"veto__{veto.code}", lang)
        )
    return rows


def _flag(item: Any, kind: str, rule: str, on: bool, form: Any, name: str, lang: str) -> dict[str, Any]:
    field = form[name] if form is not None and name in form.fields else None
    label = f"{item.code} {item_name(item, lang)}"
    return {
        "kind": kind,
        "label": label,
        "rule": rule,
        "on": on,
        "field": field,
        "shown": labelled(label, yes_no(on)),
    }
