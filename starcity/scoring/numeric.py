"""Exact numbers: reading them from any accepted spelling, and showing them.

A number is a YAML integer, a YAML decimal float (kept as text), a string matching
`-?[0-9]+(\\.[0-9]+)?`, or (from Python callers) an int, `Decimal` or `Fraction`. It becomes a
`fractions.Fraction` built from its text, never through a binary float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = [
    "YamlFloat",
    "exact_text",
    "half_up",
    "half_up_ratio",
    "is_decimal",
    "read_integer",
    "read_number",
    "shown",
]

DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
INTEGER_TEXT = re.compile(r"-?[0-9]+")
# A YAML 1.2 core float without exponent, infinity or NaN: `12.5`, `+1.`, `.5`.
_YAML_DECIMAL = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)")
_MAX_DIGITS = 200


@dataclass(frozen=True)
class YamlFloat:
    """A plain YAML scalar that the core schema reads as a float, kept as its exact source text."""

    text: str


def read_number(value: Any) -> tuple[Fraction | None, str | None]:
    """`(number, None)` when `value` is a number, else `(None, problem code)`."""
    if isinstance(value, bool) or value is None:
        return None, "not_a_number"
    if isinstance(value, int):
        return Fraction(value), None
    if isinstance(value, YamlFloat):
        return _from_text(value.text, _YAML_DECIMAL)
    if isinstance(value, str):
        return _from_text(value, DECIMAL_TEXT)
    if isinstance(value, Fraction):
        return value, None
    if isinstance(value, Decimal):
        return (Fraction(value), None) if value.is_finite() else (None, "not_a_number")
    if isinstance(value, float):
        return None, "binary_float"
    return None, "not_a_number"


def read_integer(value: Any) -> tuple[int | None, str | None]:
    """`(integer, None)` for a number written without a fraction, else `(None, problem code)`."""
    if isinstance(value, bool) or value is None:
        return None, "not_integer"
    if isinstance(value, int):
        return value, None
    if isinstance(value, str):
        if len(value) > _MAX_DIGITS:
            return None, "number_too_long"
        return (int(value), None) if INTEGER_TEXT.fullmatch(value) else (None, "not_integer")
    if isinstance(value, Fraction | Decimal):
        number, code = read_number(value)
        if number is None:
            return None, code
        return (int(number), None) if number.denominator == 1 else (None, "not_integer")
    if isinstance(value, float):
        return None, "binary_float"
    return None, "not_integer"


def _from_text(text: str, pattern: re.Pattern[str]) -> tuple[Fraction | None, str | None]:
    if len(text) > _MAX_DIGITS:
        return None, "number_too_long"
    if not pattern.fullmatch(text):
        return None, "not_a_number"
    return Fraction(text), None


def is_decimal(number: Fraction) -> bool:
    """True when `number` has a finite decimal expansion (its denominator is 2^a·5^b)."""
    den = number.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def exact_text(number: Fraction) -> str:
    """The shortest exact decimal text ("90", "66.5", "-0.25"); `n/d` when it does not terminate."""
    if not is_decimal(number):
        return f"{number.numerator}/{number.denominator}"
    sign = "-" if number < 0 else ""
    number = abs(number)
    places = 0
    while (number * 10**places).denominator != 1:
        places += 1
    scaled = int(number * 10**places)
    if places == 0:
        return f"{sign}{scaled}"
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def half_up(number: Fraction, places: int = 2) -> str:
    """`number` rounded to `places` decimals, half away from zero, with exactly that many decimals.

    This is the only rounding in the engine, and it happens only for display: 2.345 → "2.35",
    2.344999 → "2.34", -2.345 → "-2.35".
    """
    return half_up_ratio(number.numerator, number.denominator, places)


def half_up_ratio(numerator: int, denominator: int, places: int = 2) -> str:
    """`half_up` of numerator/denominator (denominator > 0), in integers only."""
    scale = 10**places
    magnitude = abs(numerator) * scale
    units = (magnitude * 2 + denominator) // (denominator * 2)
    sign = "-" if numerator < 0 and units else ""
    if places == 0:
        return f"{sign}{units}"
    whole, frac = divmod(units, scale)
    return f"{sign}{whole}.{frac:0{places}d}"


def shown(value: Any) -> str:
    """How a raw input value is quoted in a message."""
    if isinstance(value, YamlFloat):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return str(value)
