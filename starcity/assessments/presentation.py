"""What the pages show, built from the standard and a result dict (no rules, no database).

The result panel (grade, stars, domain scores, the radar chart's ECharts options, limits, plan,
missing indicators), the indicator sections of the detail page, and the timeline lines.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from starcity.assessments.choices import Status
from starcity.assessments.forms import field_names
from starcity.core.audit import action_label
from starcity.scoring import Standard, exact_text, half_up

STAR, EMPTY_STAR = "★", "☆"


def _name(item: Any, lang: str) -> str:
    return (getattr(item, "name_en", None) or item.name) if lang == "en" else item.name


def stars(grade: int, n_grades: int) -> str:
    """The grade as stars: "★★★☆☆" for grade 3 of 5."""
    return STAR * grade + EMPTY_STAR * max(0, n_grades - grade)


def rule_label(rule: str) -> str:
    labels = {
        "score_band": _("总分"),
        "domain_floor": _("领域短板"),
        "mandatory": _("核心指标"),
        "coverage": _("达标覆盖"),
        "gate": _("门槛"),
        "veto": _("否决项"),
    }
    return labels.get(rule, rule)


def _label(standard: Standard, code: str | None, lang: str) -> str:
    if not code:
        return ""
    items: dict[str, Any] = {**standard.indicator_map, **standard.domain_map}
    extras: tuple[Any, ...] = (*standard.bonus, *standard.vetoes)
    items.update({item.code: item for item in extras})
    return f"{code} {_name(items[code], lang)}" if code in items else code


def plan_step_text(standard: Standard, step: dict[str, Any], lang: str) -> str:
    """What to change to reach the next grade, as one line: "H01 政务服务…：3→4，达到 90%"."""
    code = step["indicator"]
    indicator = standard.indicator_map.get(code)
    label = _label(standard, code, lang)
    move = f"{step['from']}→{step['to']}"
    if indicator is None:
        return f"{label}：{move}"
    if step.get("value") is not None:
        return _("%(label)s：%(move)s，达到 %(value)s%(unit)s") % {
            "label": label,
            "move": move,
            "value": step["value"],
            "unit": indicator.unit or "",
        }
    if indicator.method == "tiered" and 0 < step["to"] <= len(indicator.tiers):
        return _("%(label)s：%(move)s，达到“%(tier)s”") % {
            "label": label,
            "move": move,
            "tier": indicator.tiers[step["to"] - 1],
        }
    if indicator.method == "boolean":
        return _("%(label)s：%(move)s，改为“是”") % {"label": label, "move": move}
    return f"{label}：{move}"


def radar_options(standard: Standard, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """ECharts options of the domain-score radar (scores as exact decimal strings)."""
    domains = result.get("domains") or {}
    names = [_name(domain, lang) for domain in standard.domains]
    scores = [(domains.get(domain.code) or {}).get("score", "0.00") for domain in standard.domains]
    return {
        "animation": False,
        "tooltip": {"trigger": "item"},
        "radar": {
            "indicator": [{"name": name, "max": 100, "min": 0} for name in names],
            "radius": "55%",
            "splitNumber": 5,
            "axisName": {"color": "#1f2933", "width": 90, "overflow": "break"},
        },
        "series": [
            {
                "type": "radar",
                "name": _("领域得分"),
                "data": [{"name": _("领域得分"), "value": scores, "areaStyle": {"opacity": 0.25}}],
            }
        ],
    }


def result_panel(standard: Standard, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The context of the result panel partial."""
    grade = int(result.get("grade") or 0)
    domains = result.get("domains") or {}
    plan = result.get("plan")
    return {
        "grade": grade,
        "grade_name": result.get("grade_name") or _("未达到一星级"),
        "stars": stars(grade, standard.n_grades),
        "score": result.get("score"),
        "bonus": result.get("bonus"),
        "domains": [
            {
                "code": domain.code,
                "name": _name(domain, lang),
                "weight": exact_text(domain.weight),
                "score": (domains.get(domain.code) or {}).get("score"),
                "points": (domains.get(domain.code) or {}).get("points"),
            }
            for domain in standard.domains
        ],
        "chart": radar_options(standard, result, lang),
        "limits": [
            {
                "grade": item["grade"],
                "rule": rule_label(item["rule"]),
                "label": _label(standard, item.get("code"), lang),
                "detail": item.get("detail") or "",
            }
            for item in result.get("limits") or []
        ],
        "plan": _plan(standard, plan, lang) if plan else None,
        "missing": [_label(standard, code, lang) for code in result.get("missing") or []],
        "vetoed": [_label(standard, code, lang) for code in result.get("vetoed") or []],
        "top_grade": grade >= standard.n_grades,
    }


def _plan(standard: Standard, plan: dict[str, Any], lang: str) -> dict[str, Any]:
    target = int(plan["target"])
    return {
        "target": target,
        "target_name": standard.grades[target - 1] if 0 < target <= standard.n_grades else "",
        "reachable": bool(plan.get("reachable")),
        "steps": [plan_step_text(standard, step, lang) for step in plan.get("steps") or []],
    }


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
    fields: dict[str, Any] = field(default_factory=dict)
    shown_value: str = ""
    note: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)


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
        return f"{value['numerator']} / {value['denominator']}（= {percent}%）"
    if indicator.method == "tiered":
        grade = int(value)
        tier = indicator.tiers[grade - 1] if 0 < grade <= len(indicator.tiers) else _("未达到第 1 档")
        return f"{grade} · {tier}"
    if indicator.method == "boolean":
        return _("是") if value is True else _("否")
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
) -> list[dict[str, Any]]:
    """Domains in order, each with its indicators: inputs when `form` is given, else values."""
    graded = result.get("indicators") or {}
    domain_scores = result.get("domains") or {}
    sections = []
    for domain in standard.domains:
        items = [
            _indicator_view(standard, ind, lang, graded, form, values or {}, notes or {}, evidence or {})
            for ind in standard.indicators
            if ind.domain == domain.code
        ]
        sections.append(
            {
                "code": domain.code,
                "name": _name(domain, lang),
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
    graded: dict[str, Any],
    form: Any,
    values: dict[str, Any],
    notes: dict[str, str],
    evidence: dict[str, list[dict[str, Any]]],
) -> IndicatorView:
    code = indicator.code
    view = IndicatorView(
        code=code,
        name=_name(indicator, lang),
        method=indicator.method,
        definition=indicator.definition or "",
        unit=indicator.unit or "",
        weight=exact_text(indicator.weight),
        mandatory=indicator.mandatory,
        rules=indicator_rules(standard, indicator),
        tiers=list(indicator.tiers),
        evidence_expected=list(indicator.evidence),
        grade=(graded.get(code) or {}).get("grade"),
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


def audit_label(action: str) -> str:
    return action_label(action)


def _brief(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and "value" in value:
        inner = value["value"]
        if isinstance(inner, dict):
            return f"{inner.get('numerator')}/{inner.get('denominator')}"
        if inner is None:
            return "—"
        return str(inner).lower() if isinstance(inner, bool) else str(inner)
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    return str(value)


def _states(from_state: str, to_state: str) -> str:
    labels = dict(Status.choices)
    if not to_state:
        return ""
    target = str(labels.get(to_state, to_state))
    return f"{labels.get(from_state, from_state)} → {target}" if from_state else target


def _changes(entry: Any) -> list[str]:
    """Each changed key as "key: before → after"; an evidence file as "indicator: name"."""
    evidence = entry.after.get("evidence") or entry.before.get("evidence")
    keys = dict.fromkeys([*entry.before.keys(), *entry.after.keys()])
    if isinstance(evidence, dict):
        keys.pop("evidence", None)
    changes = [f"{key}: {_brief(entry.before.get(key))} → {_brief(entry.after.get(key))}" for key in keys]
    if isinstance(evidence, dict):
        changes.append(f"{evidence.get('indicator')}: {evidence.get('name')}")
    return changes


def timeline_entries(entries: Any) -> list[dict[str, Any]]:
    """Audit rows as timeline lines: when, who, what, and each change as "before → after"."""
    return [
        {
            "at": entry.created_at,
            "actor": entry.actor,
            "label": audit_label(entry.action),
            "states": _states(entry.from_state, entry.to_state),
            "changes": _changes(entry),
        }
        for entry in entries
    ]


def flag_rows(
    standard: Standard, *, lang: str, bonus: dict[str, Any], vetoes: dict[str, Any], form: Any = None
) -> list[dict[str, Any]]:
    """Bonus items and vetoes: a checkbox each on a draft, the given answer on a frozen page."""
    rows = []
    for item in standard.bonus:
        rule = _("加 %(points)s 分") % {"points": exact_text(item.points)}
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
    return {"kind": kind, "label": f"{item.code} {_name(item, lang)}", "rule": rule, "on": on, "field": field}
