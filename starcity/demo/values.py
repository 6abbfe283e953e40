"""Indicator values for the demo: self-assessments and expert scorecards that look like real
ones (numbers inside a grade's band, not on its threshold) and reach the grade the story needs.

A *profile* gives each indicator a grade: the place's overall grade, with some indicators one
grade higher (a higher score at the same overall grade). Values are drawn inside each grade's
band; every draw is seeded, so the demo is the same on every machine.
"""

import random
from fractions import Fraction
from typing import Any

from starcity.scoring import Standard, exact_text, score, values_from_mapping

SCHEMA = "starcity/values@1"
COMMENTS = (
    "佐证材料齐全，数据口径与统计年报一致。",
    "系统已上线运行，但覆盖范围仍以城区为主，建议向乡镇延伸。",
    "现场演示流畅，使用量统计可信。",
    "部分数据为抽样估算，建议补充近一年的运行日志。",
    "平台已与市级城市大脑对接，数据回流机制健全。",
    "建设成效明显，建议总结经验做法。",
)


def entry_at(indicator: Any, grade: int, share: Fraction = Fraction(0)) -> Any:
    """The values@1 entry of `indicator` at `grade` (1..N). A measured value lies `share`
    (0 ≤ share < 1) of the way from the grade's threshold to the next one, so it keeps the grade."""
    if indicator.method == "tiered":
        return grade
    if indicator.method == "boolean":
        return grade >= 1
    thresholds = indicator.thresholds
    low = thresholds[grade - 1]
    value = low + (thresholds[grade] - low) * share if grade < len(thresholds) else low
    text = exact_text(value)
    return {"numerator": text, "denominator": "100"} if indicator.method == "ratio" else text


def profile(standard: Standard, grade: int, *, seed: int, lift: float = 0.3) -> dict[str, int]:
    """Each indicator's grade: `grade`, or one higher for about `lift` of them."""
    rng = random.Random(seed)
    top = standard.n_grades
    return {ind.code: min(top, grade + 1) if rng.random() < lift else grade for ind in standard.indicators}


def values_of(standard: Standard, grades: dict[str, int], *, seed: int) -> dict[str, Any]:
    """The entries of a profile, each measured value at a seeded place inside its band."""
    rng = random.Random(seed)
    return {
        ind.code: entry_at(ind, grades[ind.code], Fraction(rng.randint(0, 5), 10))
        for ind in standard.indicators
    }


def expert_grades(grades: dict[str, int], base: int, *, seed: int) -> dict[str, int]:
    """An expert's reading of a profile: some indicators above `base` are judged one grade lower
    (never below `base`, so the panel's grade stays `base` and no two experts differ by 2)."""
    rng = random.Random(seed)
    return {code: g - 1 if g > base and rng.random() < 0.3 else g for code, g in grades.items()}


def comments_for(standard: Standard, *, seed: int, count: int = 4) -> dict[str, str]:
    """A few indicator comments of one expert."""
    rng = random.Random(seed)
    codes = rng.sample([ind.code for ind in standard.indicators], count)
    return {code: rng.choice(COMMENTS) for code in codes}


def document(values: dict[str, Any]) -> dict[str, Any]:
    return {"schema": SCHEMA, "values": values, "bonus": {}, "vetoes": {}}


def grade_of(standard: Standard, values: dict[str, Any]) -> int:
    """The grade the engine gives these values (used to check the demo's story)."""
    return int(score(standard, values_from_mapping(document(values), standard)).grade)
