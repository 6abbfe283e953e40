"""The result panel: grade, stars, domain scores, the radar chart's ECharts options, limits
without repetition, the plan to the next grade, and the grade pills the live preview updates."""

from collections.abc import Collection, Iterable
from typing import Any

from django.utils.translation import gettext as _

from starcity.assessments.presentation.text import (
    clauses,
    enumeration,
    item_label,
    item_name,
    labelled,
    no_grade,
    stars,
)
from starcity.scoring import Standard, exact_text

# Radar axis names are wrapped to lines of about this many characters (Latin, CJK).
RADAR_LINE_LATIN = 16
RADAR_LINE_CJK = 6


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


# The words the engine's limit sentences start with, which the rule's label already says
# ("总分 11.50 < 20.00" under the label 总分; "否决项 V01 一票否决" under 否决项).
_LIMIT_LEADS = {
    "score_band": ("总分 ", "total score "),
    "veto": ("否决项 ", "veto "),
}


def limit_detail(rule: str, code: str | None, detail: str) -> str:
    """The engine's sentence without what the line already shows: the rule's word and the
    subject's code ("H18 等级 0 < 1" under "核心指标 H18 …" becomes "等级 0 < 1")."""
    text = detail.strip()
    for lead in _LIMIT_LEADS.get(rule, ()):
        if text.lower().startswith(lead):
            text = text[len(lead) :]
    if code and text.startswith(f"{code} "):
        text = text[len(code) + 1 :]
    return text


def plan_step_text(standard: Standard, step: dict[str, Any], lang: str) -> str:
    """What to change to reach the next grade, as one line: "H01 政务服务…：3→4，达到 90%"."""
    code = step["indicator"]
    indicator = standard.indicator_map.get(code)
    label = item_label(standard, code, lang)
    move = f"{step['from']}→{step['to']}"
    if indicator is None:
        return labelled(label, move)
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
    return labelled(label, move)


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def wrap_axis_name(text: str) -> str:
    """A radar axis name broken into short lines ("\\n"), so long English names are not cut off
    at the chart's edge: at spaces for Latin text, every few characters for Chinese."""
    if any(_is_cjk(char) for char in text):
        width = RADAR_LINE_CJK
        return "\n".join(text[i : i + width] for i in range(0, len(text), width))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= RADAR_LINE_LATIN:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def radar_options(standard: Standard, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """ECharts options of the domain-score radar (scores as exact decimal strings). The axis
    names are wrapped here, in Python (ECharts' `formatter` keeps the given line breaks), and the
    radius leaves room for them beside the chart."""
    domains = result.get("domains") or {}
    names = [wrap_axis_name(item_name(domain, lang)) for domain in standard.domains]
    scores = [(domains.get(domain.code) or {}).get("score", "0.00") for domain in standard.domains]
    return {
        "animation": False,
        "tooltip": {"trigger": "item"},
        "radar": {
            "indicator": [{"name": name, "max": 100, "min": 0} for name in names],
            "center": ["50%", "52%"],
            "radius": "48%",
            "splitNumber": 5,
            "axisNameGap": 6,
            "axisName": {"color": "#1f2933", "fontSize": 11, "lineHeight": 14, "formatter": "{value}"},
        },
        "series": [
            {
                "type": "radar",
                "name": _("领域得分"),
                "data": [{"name": _("领域得分"), "value": scores, "areaStyle": {"opacity": 0.25}}],
            }
        ],
    }


def grade_pill(grade: int | None, missing: bool, invalid: bool = False) -> str:
    """The pill beside an indicator: "有误" when its input was refused (the result leaves it out),
    "未填" when it has no value, else its current grade."""
    if invalid:
        return _("有误")
    if missing or grade is None:
        return _("未填")
    return _("当前等级 %(grade)s") % {"grade": grade}


def warning_lines(warnings: Iterable[Any]) -> list[dict[str, str]]:
    """Values to check as the panel lists them: "H05：分子大于分母（112.5%），请核对"."""
    return [{"code": warning.code, "text": labelled(warning.code, warning.message)} for warning in warnings]


def result_panel(
    standard: Standard,
    result: dict[str, Any],
    lang: str,
    *,
    invalid: Collection[str] = (),
    warnings: Iterable[Any] = (),
) -> dict[str, Any]:
    """The context of the result panel partial (with what the live preview updates elsewhere on
    the page: each indicator's grade pill and each domain's score). `invalid`: indicators whose
    input was refused (their pill says so; the result counts them as not filled); `warnings`:
    plausibility warnings of the values shown, listed to be checked."""
    grade = int(result.get("grade") or 0)
    domains = result.get("domains") or {}
    plan = result.get("plan")
    missing = set(result.get("missing") or [])
    graded = result.get("indicators") or {}
    return {
        "grade": grade,
        "grade_name": result.get("grade_name") or no_grade(),
        "stars": stars(grade, standard.n_grades),
        "score": result.get("score"),
        "bonus": result.get("bonus"),
        "domains": [
            {
                "code": domain.code,
                "name": item_name(domain, lang),
                "weight": exact_text(domain.weight),
                "score": (domains.get(domain.code) or {}).get("score"),
                "points": (domains.get(domain.code) or {}).get("points"),
            }
            for domain in standard.domains
        ],
        "chart": radar_options(standard, result, lang),
        "limits": [_limit(standard, item, lang) for item in result.get("limits") or []],
        "plan": _plan(standard, plan, lang) if plan else None,
        "missing": [item_label(standard, code, lang) for code in result.get("missing") or []],
        "missing_text": clauses(item_label(standard, code, lang) for code in result.get("missing") or []),
        "vetoed_text": enumeration(item_label(standard, code, lang) for code in result.get("vetoed") or []),
        "top_grade": grade >= standard.n_grades,
        "pills": [
            {
                "code": ind.code,
                "text": grade_pill(
                    (graded.get(ind.code) or {}).get("grade"), ind.code in missing, ind.code in invalid
                ),
                "missing": ind.code in missing and ind.code not in invalid,
                "invalid": ind.code in invalid,
            }
            for ind in standard.indicators
        ],
        "warnings": warning_lines(warnings),
    }


def _limit(standard: Standard, item: dict[str, Any], lang: str) -> dict[str, Any]:
    code = item.get("code")
    label = item_label(standard, code, lang)
    detail = limit_detail(item["rule"], code, item.get("detail") or "")
    return {
        "grade": item["grade"],
        "rule": rule_label(item["rule"]),
        "label": label,
        "detail": detail,
        "text": labelled(label, detail) if label else detail,
    }


def _plan(standard: Standard, plan: dict[str, Any], lang: str) -> dict[str, Any]:
    target = int(plan["target"])
    return {
        "target": target,
        "target_name": standard.grades[target - 1] if 0 < target <= standard.n_grades else "",
        "reachable": bool(plan.get("reachable")),
        "steps": [plan_step_text(standard, step, lang) for step in plan.get("steps") or []],
    }
