"""Numbers: accepted spellings, exact conversion, display rounding (half up, 2 decimals)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from starcity.scoring.numeric import YamlFloat, exact_text, half_up, read_integer, read_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Fraction(12)),
        ("12.5", Fraction(25, 2)),
        ("-3", Fraction(-3)),
        ("0.1", Fraction(1, 10)),
        (YamlFloat("0.1"), Fraction(1, 10)),
        (YamlFloat("+1.5"), Fraction(3, 2)),
        (YamlFloat(".5"), Fraction(1, 2)),
        (YamlFloat("2."), Fraction(2)),
        (Decimal("66.5"), Fraction(133, 2)),
        (Fraction(1, 3), Fraction(1, 3)),
    ],
)
def test_numbers_are_exact(value, expected):
    assert read_number(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("abc", "not_a_number"),
        ("1e3", "not_a_number"),
        (" 12", "not_a_number"),
        ("12.", "not_a_number"),
        ("+5", "not_a_number"),
        ("NaN", "not_a_number"),
        (YamlFloat("1e3"), "not_a_number"),
        (YamlFloat(".inf"), "not_a_number"),
        (YamlFloat(".nan"), "not_a_number"),
        (Decimal("NaN"), "not_a_number"),
        (Decimal("Infinity"), "not_a_number"),
        (True, "not_a_number"),
        (None, "not_a_number"),
        (0.1, "binary_float"),
        ("9" * 500, "number_too_long"),
        ([1], "not_a_number"),
    ],
)
def test_not_numbers(value, code):
    assert read_number(value) == (None, code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, (3, None)), ("010", (10, None)), ("-2", (-2, None)), (Decimal("4"), (4, None))],
)
def test_integers(value, expected):
    assert read_integer(value) == expected


@pytest.mark.parametrize("value", [YamlFloat("3.0"), "3.0", "3.5", True, Fraction(7, 2)])
def test_not_integers(value):
    assert read_integer(value)[0] is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction("2.345"), "2.35"),
        (Fraction("2.344999"), "2.34"),
        (Fraction("2.3449999999999999999"), "2.34"),
        (Fraction("2.335"), "2.34"),
        (Fraction("0.005"), "0.01"),
        (Fraction("0.004999"), "0.00"),
        (Fraction(-2345, 1000), "-2.35"),
        (Fraction(-1, 1000), "0.00"),
        (Fraction(100), "100.00"),
        (Fraction(200, 3), "66.67"),
        (Fraction(100, 3), "33.33"),
        (Fraction(0), "0.00"),
    ],
)
def test_half_up_two_decimals(value, shown):
    assert half_up(value) == shown


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(90), "90"), (Fraction(133, 2), "66.5"), (Fraction(-1, 4), "-0.25"), (Fraction(1, 3), "1/3")],
)
def test_exact_text(value, text):
    assert exact_text(value) == text
