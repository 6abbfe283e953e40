"""A readable text report of a result, and the one-line summary of a standard, in zh or en."""

from __future__ import annotations

from .model import Standard
from .numeric import exact_text, half_up
from .result import Result

__all__ = ["render_report", "standard_summary"]

_WORDS: dict[str, tuple[str, str]] = {
    "grade": ("等级", "Grade"),
    "none": ("无", "none"),
    "score": ("总分", "Total score"),
    "bonus": ("加分", "bonus"),
    "domains": ("领域", "Domains"),
    "indicators": ("指标", "Indicators"),
    "points": ("得分", "points"),
    "rate": ("得分率", "score"),
    "missing": ("未填报", "Missing"),
    "missing_mark": ("未填报", "missing"),
    "vetoed": ("否决项", "Vetoes"),
    "limits": ("达到 {grade} 级还差", "What stops grade {grade}"),
    "plan": ("提升路径 (目标 {grade} 级)", "Plan (target grade {grade})"),
    "blocked": ("目标 {grade} 级因否决项无法达到", "Grade {grade} cannot be reached because of vetoes"),
    "top": ("已是最高等级", "Already at the top grade"),
    "value": ("取值", "value"),
    "valid": (
        "{key} ({level}) 有效: {grades} 个等级, {domains} 个领域, {indicators} 个指标, "
        "{bonus} 个加分项, {vetoes} 个否决项, {gates} 个门槛",
        "{key} ({level}) is valid: {grades} grades, {domains} domains, {indicators} indicators, "
        "{bonus} bonus items, {vetoes} vetoes, {gates} gates",
    ),
}


def _w(word: str, lang: str, **params: object) -> str:
    zh, en = _WORDS[word]
    return (en if lang == "en" else zh).format(**params)


def standard_summary(standard: Standard, lang: str = "zh") -> str:
    """One line: the standard's key and level and how many grades, domains, indicators… it has."""
    return _w(
        "valid",
        lang,
        key=standard.key,
        level=standard.level,
        grades=standard.n_grades,
        domains=len(standard.domains),
        indicators=len(standard.indicators),
        bonus=len(standard.bonus),
        vetoes=len(standard.vetoes),
        gates=len(standard.rules.gates),
    )


def _name(item: object, lang: str) -> str:
    name_en = getattr(item, "name_en", None)
    return str(name_en) if lang == "en" and name_en else str(getattr(item, "name", ""))


def render_report(standard: Standard, result: Result, lang: str = "zh") -> str:
    """The result as readable text: grade, scores, domains, indicators, limits and the plan."""
    title = standard.title_en if lang == "en" and standard.title_en else standard.title
    grade_name = result.grade_name or _w("none", lang)
    lines = [
        f"{standard.key} {title}",
        f"{_w('grade', lang)}: {result.grade}/{standard.n_grades} {grade_name}",
        f"{_w('score', lang)}: {half_up(result.score)} ({_w('bonus', lang)} {half_up(result.bonus)})",
        f"{_w('domains', lang)}:",
    ]
    for domain in standard.domains:
        part = result.domains[domain.code]
        lines.append(
            f"  {domain.code} {_name(domain, lang)}  {_w('points', lang)} {half_up(part.points)}"
            f"  {_w('rate', lang)} {half_up(part.score)}"
        )
    lines.append(f"{_w('indicators', lang)}:")
    for indicator in standard.indicators:
        item = result.indicators[indicator.code]
        mark = f"  ({_w('missing_mark', lang)})" if item.missing else ""
        lines.append(
            f"  {indicator.code} {_name(indicator, lang)}  {_w('grade', lang)} {item.grade}"
            f"  {_w('points', lang)} {half_up(item.points)}{mark}"
        )
    if result.missing:
        lines.append(f"{_w('missing', lang)}: {', '.join(result.missing)}")
    if result.vetoed:
        lines.append(f"{_w('vetoed', lang)}: {', '.join(result.vetoed)}")
    lines.extend(_outlook(standard, result, lang))
    return "\n".join(lines)


def _outlook(standard: Standard, result: Result, lang: str) -> list[str]:
    plan = result.plan
    if plan is None:
        return [_w("top", lang)]
    lines = [f"{_w('limits', lang, grade=plan.target)}:"]
    lines.extend(f"  - {limit.detail(lang)}" for limit in result.limits)
    if not plan.reachable:
        lines.append(_w("blocked", lang, grade=plan.target))
        return lines
    lines.append(f"{_w('plan', lang, grade=plan.target)}:")
    for step in plan.steps:
        name = _name(standard.indicator(step.indicator), lang)
        value = f", {_w('value', lang)} {exact_text(step.value)}" if step.value is not None else ""
        lines.append(f"  - {step.indicator} {name}: {step.from_grade} → {step.to_grade}{value}")
    return lines
