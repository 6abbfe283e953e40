"""Values the format accepts but that are probably mistakes are warned about, never refused
(pure: no database)."""

from fractions import Fraction
from types import SimpleNamespace

import pytest

from starcity.assessments.plausibility import (
    FRACTIONAL,
    NEGATIVE,
    OVER_MAXIMUM,
    RATIO_OVER,
    value_warnings,
    warnings_by_code,
)
from starcity.scoring import Indicator


def indicator(method: str, unit: str | None = None, code: str = "X01") -> Indicator:
    thresholds = tuple(Fraction(n) for n in (1, 2, 3)) if method in ("threshold", "ratio") else ()
    tiers = ("a", "b", "c") if method == "tiered" else ()
    return Indicator(
        code=code,
        domain="D",
        name="指标",
        method=method,
        weight=Fraction(1),
        thresholds=thresholds,
        tiers=tiers,
        unit=unit,
    )


def kinds(ind: Indicator, value: object) -> list[str]:
    standard = SimpleNamespace(indicators=(ind,))
    return [warning.kind for warning in value_warnings(standard, {ind.code: value})]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "unit", "value", "expected"),
    [
        # a ratio over 100%: the numerator is greater than the denominator
        ("ratio", "%", {"numerator": "9", "denominator": "8"}, [RATIO_OVER]),
        ("ratio", "%", {"numerator": 9, "denominator": 8}, [RATIO_OVER]),
        ("ratio", "%", {"numerator": "8", "denominator": "8"}, []),
        ("ratio", "%", {"numerator": "0", "denominator": "8"}, []),
        ("ratio", None, {"numerator": "12.5", "denominator": "10"}, [RATIO_OVER]),
        # refused by the format (negative, zero denominator, not a number): not this module's to say
        ("ratio", "%", {"numerator": "-1", "denominator": "4"}, []),
        ("ratio", "%", {"numerator": "5", "denominator": "0"}, []),
        ("ratio", "%", {"numerator": "abc", "denominator": "4"}, []),
        # percentages: negative, over 100
        ("threshold", "%", "-5", [NEGATIVE]),
        ("threshold", "%", "100", []),
        ("threshold", "%", "100.01", [OVER_MAXIMUM]),
        ("threshold", "%", "0", []),
        # counts: negative, not whole
        ("threshold", "个", "-3", [NEGATIVE]),
        ("threshold", "个", "2.5", [FRACTIONAL]),
        ("threshold", "个", "2.0", []),
        ("threshold", "项", "-0.5", [NEGATIVE, FRACTIONAL]),
        ("threshold", "家", "1500", []),
        ("threshold", "场", "3.5", [FRACTIONAL]),
        # satisfaction scores: 0..100
        ("threshold", "分", "120", [OVER_MAXIMUM]),
        ("threshold", "分", "85.5", []),
        ("threshold", "分", "-1", [NEGATIVE]),
        # durations may be fractional, never negative
        ("threshold", "天", "0.5", []),
        ("threshold", "工作日", "-2", [NEGATIVE]),
        ("threshold", "小时", "-1", [NEGATIVE]),
        # units with no known bounds, and methods without numbers: nothing to say
        ("threshold", "级", "-1", []),
        ("threshold", None, "250", []),
        ("threshold", "%", "abc", []),
        ("tiered", None, 9, []),
        ("boolean", None, True, []),
    ],
)
def test_warnings(method, unit, value, expected):
    assert kinds(indicator(method, unit), value) == expected


@pytest.mark.parametrize(
    ("method", "unit", "value", "message"),
    [
        ("ratio", "%", {"numerator": "9", "denominator": "8"}, "分子大于分母（112.5%），请核对"),
        ("ratio", "%", {"numerator": "3", "denominator": "2"}, "分子大于分母（150%），请核对"),
        ("ratio", "%", {"numerator": "4", "denominator": "3"}, "分子大于分母（133.3%），请核对"),
        ("threshold", "%", "-5", "为负数（-5%），请核对"),
        ("threshold", "分", "120", "大于 100分（120分），请核对"),
        ("threshold", "个", "2.5", "应为整数（2.5个），请核对"),
    ],
)
def test_messages_show_the_value(method, unit, value, message):
    ind = indicator(method, unit)
    standard = SimpleNamespace(indicators=(ind,))
    assert [w.message for w in value_warnings(standard, {ind.code: value})] == [message]  # type: ignore[arg-type]


def test_warnings_follow_the_standard_order_and_group_by_code():
    first, second = indicator("threshold", "个", "A01"), indicator("ratio", "%", "A02")
    standard = SimpleNamespace(indicators=(first, second))
    values = {"A02": {"numerator": "9", "denominator": "8"}, "A01": "-2.5"}
    warnings = value_warnings(standard, values)  # type: ignore[arg-type]
    assert [(w.code, w.kind) for w in warnings] == [
        ("A01", NEGATIVE),
        ("A01", FRACTIONAL),
        ("A02", RATIO_OVER),
    ]
    assert list(warnings_by_code(warnings)) == ["A01", "A02"]
    assert len(warnings_by_code(warnings)["A01"]) == 2


def test_shipped_county_standard_units_are_all_known(county_std):
    """Every unit of the shipped county standard is one the rules know (or deliberately has none)."""
    from starcity.assessments import plausibility

    known = (
        plausibility.PERCENT_UNITS
        | plausibility.COUNT_UNITS
        | plausibility.SCORE_UNITS
        | plausibility.DURATION_UNITS
    )
    units = {i.unit for i in county_std.indicators if i.method == "threshold"}
    assert units - known == {"级"}  # a graded level (1..4, 3.5 allowed): no bounds to check
