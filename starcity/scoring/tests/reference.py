"""A direct, slow reading of section 3 with Fractions: the oracle for the integer engine."""

from __future__ import annotations

from fractions import Fraction

from starcity.scoring import Standard, Values


def indicator_grade(standard: Standard, values: Values, code: str) -> int:
    """g_i as section 3 step 1 defines it."""
    ind = standard.indicator(code)
    entry = values.entries.get(code)
    if entry is None:
        return 0
    if ind.method == "tiered":
        return int(entry)
    if ind.method == "boolean":
        return standard.n_grades if entry else 0
    value = values.value_of(code)
    assert value is not None
    if ind.direction == "lower":
        return sum(1 for t in ind.thresholds if value <= t)
    return sum(1 for t in ind.thresholds if value >= t)


def reference(standard: Standard, values: Values) -> dict:
    """grade, natural grade, T, B, domain points and scores, and the (rule, code) limits at G+1."""
    n = standard.n_grades
    rules = standard.rules
    g = {ind.code: indicator_grade(standard, values, ind.code) for ind in standard.indicators}
    p = {ind.code: ind.weight * g[ind.code] / n for ind in standard.indicators}
    dom_p = {
        d.code: sum((p[i.code] for i in standard.indicators if i.domain == d.code), Fraction(0))
        for d in standard.domains
    }
    dom_s = {d.code: 100 * dom_p[d.code] / d.weight for d in standard.domains}
    bonus = sum((b.points for b in standard.bonus if b.code in values.bonus), Fraction(0))
    if rules.bonus_cap is not None:
        bonus = min(bonus, rules.bonus_cap)
    total = min(Fraction(100), sum(dom_p.values(), Fraction(0)) + bonus)

    def failing(level: int) -> set[tuple[str, str | None]]:
        out: set[tuple[str, str | None]] = set()
        if total < rules.score_bands[level - 1]:
            out.add(("score_band", None))
        if rules.domain_lag is not None and level - 1 - rules.domain_lag >= 0:
            band = rules.score_bands[level - 1 - rules.domain_lag]
            out |= {("domain_floor", d) for d, s in dom_s.items() if s < band}
        out |= {
            ("mandatory", i.code)
            for i in standard.indicators
            if i.mandatory and g[i.code] < rules.mandatory_min[level - 1]
        }
        if rules.coverage is not None:
            covered = sum((i.weight for i in standard.indicators if g[i.code] >= level), Fraction(0))
            if covered < rules.coverage[level - 1] * 100:
                out.add(("coverage", None))
        for gate in rules.gates:
            if gate.from_grade <= level and not _gate_met(standard, values, gate):
                out.add(("gate", gate.indicator))
        return out

    natural = 0
    while natural < n and not failing(natural + 1):
        natural += 1
    grade = natural
    for veto in standard.vetoes:
        if veto.code in values.vetoes:
            grade = 0 if veto.effect == "zero" else min(grade, veto.cap or 0)
    limits: set[tuple[str, str | None]] = set()
    if grade < n:
        limits = failing(grade + 1)
        for veto in standard.vetoes:
            if veto.code in values.vetoes and (veto.effect == "zero" or (veto.cap or 0) < grade + 1):
                limits.add(("veto", veto.code))
    return {
        "grade": grade,
        "natural": natural,
        "score": total,
        "bonus": bonus,
        "domain_points": dom_p,
        "domain_scores": dom_s,
        "limits": limits,
        "grades": g,
    }


def _gate_met(standard: Standard, values: Values, gate) -> bool:
    value = values.value_of(gate.indicator)
    if value is None:
        return False
    if standard.indicator(gate.indicator).direction == "lower":
        return value <= gate.min_value
    return value >= gate.min_value
