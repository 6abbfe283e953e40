"""Typed readers for the fields of a parsed document, collecting every problem they find."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .numeric import DECIMAL_TEXT, YamlFloat, exact_text, is_decimal, read_integer, read_number, shown
from .problems import Problem
from .yamlcore import child_path, line_of

__all__ = ["Checker", "kind_of", "to_raw"]

CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
RESERVED_CODES = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def kind_of(value: Any) -> str:
    """The type word used in messages for a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, str):
        return "text"
    return "number"


class Checker:
    """Reads fields of one document and collects problems with their paths and lines.

    With `nulls_reported` the caller has already reported every null, so readers skip nulls
    silently instead of reporting them again.
    """

    def __init__(self, lines: dict[str, int] | None, *, nulls_reported: bool = False) -> None:
        self.lines = lines or {}
        self.problems: list[Problem] = []
        self.nulls_reported = nulls_reported

    def add(self, path: str, code: str, subject: str | None = None, **params: Any) -> None:
        """Record a problem at `path`."""
        self.problems.append(Problem(path, line_of(self.lines, path), code, params, subject))

    def _null(self, value: Any, path: str) -> bool:
        if value is not None:
            return False
        if not self.nulls_reported:
            self.add(path, "null_value")
        return True

    def report_nulls(self, value: Any, path: str = "") -> None:
        """Report every null in a tree (a standard file allows none)."""
        if value is None:
            self.add(path, "null_value")
        elif isinstance(value, dict):
            for key, item in value.items():
                self.report_nulls(item, child_path(path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.report_nulls(item, child_path(path, index))

    def mapping(
        self, value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        """`value` as a mapping with exactly the allowed keys; unknown and missing keys reported."""
        if self._null(value, path):
            return None
        if not isinstance(value, Mapping):
            self.add(path, "wrong_type", expected="mapping", got=kind_of(value))
            return None
        value = dict(value)
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.add(child_path(path, key), "unknown_key", key=key)
        for key in required:
            if key not in value:
                self.add(child_path(path, key), "missing", key=key)
        return value

    def any_mapping(self, value: Any, path: str) -> dict[Any, Any] | None:
        """`value` as a mapping with any keys, or None with a problem."""
        if self._null(value, path):
            return None
        if not isinstance(value, Mapping):
            self.add(path, "wrong_type", expected="mapping", got=kind_of(value))
            return None
        return dict(value)

    def sequence(self, value: Any, path: str) -> list[Any] | None:
        """`value` as a list, or None with a problem."""
        if self._null(value, path):
            return None
        if not isinstance(value, list):
            self.add(path, "wrong_type", expected="list", got=kind_of(value))
            return None
        return value

    def text(self, value: Any, path: str, *, pattern: re.Pattern[str] | None = None) -> str | None:
        """A non-empty string, optionally matching `pattern` in full."""
        if self._null(value, path):
            return None
        if not isinstance(value, str):
            self.add(path, "wrong_type", expected="text", got=kind_of(value))
            return None
        if not value.strip():
            self.add(path, "empty_text")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.add(path, "pattern", value=value, pattern=pattern.pattern)
            return None
        return value

    def item_code(self, value: Any, path: str, codes: dict[str, str]) -> str | None:
        """An item code: its pattern, not a YAML 1.1 word, unique across the file (`codes`)."""
        code = self.text(value, path, pattern=CODE_PATTERN)
        if code is None:
            return None
        if code.lower() in RESERVED_CODES:
            self.add(path, "reserved_code", value=code)
            return None
        if code in codes:
            self.add(path, "duplicate_code", value=code, first=codes[code])
            return None
        codes[code] = path.rsplit(".", 1)[0]
        return code

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str | None:
        """One of `choices`."""
        word = self.text(value, path)
        if word is not None and word not in choices:
            self.add(path, "choice", value=word, choices=list(choices))
            return None
        return word

    def boolean(self, value: Any, path: str) -> bool | None:
        """true or false (YAML 1.2: `yes` and `on` are strings)."""
        if self._null(value, path):
            return None
        if not isinstance(value, bool):
            self.add(path, "wrong_type", expected="boolean", got=shown(value))
            return None
        return value

    def number(self, value: Any, path: str, *, decimal: bool = True) -> Fraction | None:
        """An exact number; with `decimal`, one with a finite decimal expansion."""
        if self._null(value, path):
            return None
        number, code = read_number(value)
        if number is None:
            self.add(path, code or "not_a_number", value=shown(value))
            return None
        if decimal and not is_decimal(number):
            self.add(path, "not_decimal", value=shown(value))
            return None
        return number

    def integer(self, value: Any, path: str, low: int | None = None, high: int | None = None) -> int | None:
        """An integer written without a fraction, within `low..high` when given."""
        if self._null(value, path):
            return None
        number, code = read_integer(value)
        if number is None:
            self.add(path, code or "not_integer", value=shown(value))
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(path, "range", value=number, low=low, high="∞" if high is None else high)
            return None
        return number

    def text_list(self, value: Any, path: str) -> list[str] | None:
        """A list of non-empty strings."""
        items = self.sequence(value, path)
        if items is None:
            return None
        texts = [self.text(item, child_path(path, i)) for i, item in enumerate(items)]
        return None if any(text is None for text in texts) else [t for t in texts if t is not None]

    def number_list(self, value: Any, path: str) -> list[Fraction] | None:
        """A list of numbers; None when the list or any item is not valid."""
        items = self.sequence(value, path)
        if items is None:
            return None
        numbers = [self.number(item, child_path(path, i)) for i, item in enumerate(items)]
        return None if any(n is None for n in numbers) else [n for n in numbers if n is not None]

    def integer_list(self, value: Any, path: str, low: int, high: int) -> list[int] | None:
        """A list of integers in `low..high`."""
        items = self.sequence(value, path)
        if items is None:
            return None
        numbers = [self.integer(item, child_path(path, i), low, high) for i, item in enumerate(items)]
        return None if any(n is None for n in numbers) else [n for n in numbers if n is not None]

    def count(self, items: list[Any], path: str, expected: int | None, what: str) -> bool:
        """True when `items` has `expected` entries (or `expected` is unknown)."""
        if expected is None or len(items) == expected:
            return True
        self.add(path, "count", expected=expected, got=len(items), what=what)
        return False

    def ordered(self, numbers: list[Any], path: str, order: str, what: str) -> bool:
        """True when `numbers` are in `order`: ascending, descending (both strict), non_decreasing."""
        pairs = list(itertools.pairwise(numbers))
        if order == "ascending":
            good = all(a < b for a, b in pairs)
        elif order == "descending":
            good = all(a > b for a, b in pairs)
        else:
            good = all(a <= b for a, b in pairs)
        if not good:
            self.add(path, "order", what=what, order=order)
        return good


def to_raw(value: Any) -> Any:
    """Plain JSON-able data: numbers become ints or decimal strings, tuples become lists."""
    if isinstance(value, Mapping):
        return {str(key): to_raw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_raw(item) for item in value]
    if isinstance(value, YamlFloat):
        if DECIMAL_TEXT.fullmatch(value.text):
            return value.text
        number, _ = read_number(value)
        return exact_text(number) if number is not None else value.text
    if isinstance(value, Fraction | Decimal):
        return exact_text(Fraction(value))
    return value
