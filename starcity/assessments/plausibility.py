"""Values the format accepts but that are probably typing mistakes: warnings, never refusals.

The values format does not bound percentages or counts (a coverage rate may be entered as 112.5,
a count as -3 or 2.5), and the standard may well contain an indicator for which such a value is
real. So nothing here refuses a value: each rule only asks the operator to check it ("请核对"),
next to the field and in the result panel. Pure: a standard and a values mapping in, warnings out.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from starcity.scoring import Indicator, Standard, exact_text, half_up

PERCENT_UNITS = frozenset({"%", "％"})
# Units that count whole things (个 datasets, 项 services, 家 firms, 人 people, 场 trainings, …).
COUNT_UNITS = frozenset(
    {
        "个",
        "项",
        "家",
        "人",
        "人次",
        "场",
        "次",
        "台",
        "座",
        "所",
        "户",
        "件",
        "条",
        "套",
        "处",
        "名",
        "辆",
        "部",
    }
)
SCORE_UNITS = frozenset({"分"})  # satisfaction scores and the like: 0..100
DURATION_UNITS = frozenset({"天", "日", "工作日", "小时", "分钟", "周", "月", "年"})
HUNDRED = Fraction(100)

RATIO_OVER = "ratio_over"
NEGATIVE = "negative"
OVER_MAXIMUM = "over_maximum"
FRACTIONAL = "fractional"


@dataclass(frozen=True)
class ValueWarning:
    """One value to check: the indicator, which rule it met, and the sentence saying so."""

    code: str
    kind: str
    message: str


def _number(raw: Any) -> Fraction | None:
    """The exact number of a decimal text or number; None when it is not one (the format's
    checks report that, not this module)."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        return Fraction(str(raw).strip())
    except (ValueError, ZeroDivisionError):
        return None


def _percent_text(value: Fraction) -> str:
    """A percentage with one decimal at most: "112.5", "150"."""
    text = half_up(value, 1)
    return text[:-2] if text.endswith(".0") else text


def _ratio_warnings(indicator: Indicator, raw: Any) -> list[ValueWarning]:
    """A ratio whose numerator is greater than its denominator is more than 100%."""
    if not isinstance(raw, Mapping):
        return []
    numerator, denominator = _number(raw.get("numerator")), _number(raw.get("denominator"))
    if numerator is None or denominator is None or numerator < 0 or denominator <= 0:
        return []
    if numerator <= denominator:
        return []
    percent = _percent_text(HUNDRED * numerator / denominator)
    message = _("分子大于分母（%(percent)s%%），请核对") % {"percent": percent}
    return [ValueWarning(indicator.code, RATIO_OVER, message)]


def _threshold_warnings(indicator: Indicator, raw: Any) -> list[ValueWarning]:
    """Negative percentages, counts, scores and durations; percentages and scores over 100;
    counts that are not whole numbers."""
    value = _number(raw)
    unit = (indicator.unit or "").strip()
    if value is None:
        return []
    shown = {"value": exact_text(value), "unit": unit}
    warnings = []
    if value < 0 and unit in PERCENT_UNITS | COUNT_UNITS | SCORE_UNITS | DURATION_UNITS:
        message = _("为负数（%(value)s%(unit)s），请核对") % shown
        warnings.append(ValueWarning(indicator.code, NEGATIVE, message))
    if value > HUNDRED and unit in PERCENT_UNITS | SCORE_UNITS:
        message = _("大于 %(maximum)s%(unit)s（%(value)s%(unit)s），请核对") % {**shown, "maximum": "100"}
        warnings.append(ValueWarning(indicator.code, OVER_MAXIMUM, message))
    if value.denominator != 1 and unit in COUNT_UNITS:
        message = _("应为整数（%(value)s%(unit)s），请核对") % shown
        warnings.append(ValueWarning(indicator.code, FRACTIONAL, message))
    return warnings


def value_warnings(standard: Standard, values: Mapping[str, Any]) -> list[ValueWarning]:
    """The values to check, in the standard's order: a ratio over 100% (numerator greater than
    denominator); for a threshold indicator measured in %, a count unit (个, 项, 家, 人, …), a
    score (分) or a duration (天, 工作日, 小时, …), a negative value; a percentage or a score over
    100; a count that is not a whole number. Values that are not numbers are left to the format's
    checks; tiered and yes/no indicators never warn."""
    warnings: list[ValueWarning] = []
    for indicator in standard.indicators:
        raw = values.get(indicator.code)
        if raw is None:
            continue
        if indicator.method == "ratio":
            warnings += _ratio_warnings(indicator, raw)
        elif indicator.method == "threshold":
            warnings += _threshold_warnings(indicator, raw)
    return warnings


def warnings_by_code(warnings: list[ValueWarning]) -> dict[str, list[str]]:
    """The warnings' sentences grouped by indicator code (in the order given)."""
    grouped: dict[str, list[str]] = {}
    for warning in warnings:
        grouped.setdefault(warning.code, []).append(warning.message)
    return grouped
