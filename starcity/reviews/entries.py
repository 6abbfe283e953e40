"""Typed values as people enter them: THE one reader of an indicator's value typed as text.

Experts' scorecards, the chair's resolution of a flagged indicator and the on-site team's
adjustments all read what was typed with `entry_from_text`, so a value is written the same way
everywhere:

  threshold  a decimal number, at most 12 digits before and 6 after the point ("85", "92.5",
             "-3"); no exponent, no thousands separator;
  ratio      the verified percentage, a decimal number of 0 or more ("92.5" means 92.5 %),
             stored as {"numerator": "92.5", "denominator": "100"};
  tiered     a whole tier grade 0..N (N = the indicator's number of tiers);
  boolean    "yes" or "no" (what the forms' choices post).

Empty text means "no value" (None). A refused text raises ValueError whose message names the
indicator by the `label` given. `entry_text` is the inverse (what a form shows for a stored
entry); `entry_problem` checks an entry that is already a `starcity/values@1` entry by the same
rules; `entry_from_self` reads an applicant's self-assessed value as if the expert had typed it
(the scorecard's prefill). Pure: no database.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from starcity.scoring import Standard

__all__ = [
    "DECIMAL_TEXT",
    "NO",
    "YES",
    "entry_from_self",
    "entry_from_text",
    "entry_problem",
    "entry_text",
    "indicator_label",
]

DECIMAL_TEXT = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,6})?")
YES, NO = "yes", "no"


def indicator_label(standard: Standard, code: str, lang: str = "zh") -> str:
    """How messages name an indicator: its code and name ("H01 政务…")."""
    indicator = standard.indicator_map.get(code)
    if indicator is None:
        return code
    name = (indicator.name_en or indicator.name) if lang == "en" else indicator.name
    return f"{code} {name}"


def entry_from_text(indicator: Any, text: str | None, label: str) -> Any:
    """The values@1 entry the typed `text` means (None when empty); ValueError with a message
    naming the indicator (`label`) when it is not a valid value for the indicator's method."""
    text = (text or "").strip()
    if not text:
        return None
    method = indicator.method
    if method == "threshold":
        if not DECIMAL_TEXT.fullmatch(text):
            raise ValueError(_("%(label)s：请填写数字（如 85 或 92.5）。") % {"label": label})
        return _normal(text)
    if method == "ratio":
        if not DECIMAL_TEXT.fullmatch(text) or text.startswith("-"):
            raise ValueError(
                _("%(label)s：请填写核定的百分比（0 或以上的数字，如 92.5）。") % {"label": label}
            )
        return {"numerator": _normal(text), "denominator": "100"}
    if method == "tiered":
        top = len(indicator.tiers)
        if not text.isdigit() or not 0 <= int(text) <= top:
            raise ValueError(_("%(label)s：请选择 0 到 %(top)d 之间的档次。") % {"label": label, "top": top})
        return int(text)
    if text not in (YES, NO):
        raise ValueError(_("%(label)s：请选择“是”或“否”。") % {"label": label})
    return text == YES


def entry_from_self(indicator: Any, raw: Any, label: str) -> Any:
    """The scorecard entry of an applicant's self-assessed value (a values@1 entry as the
    self-assessment stores it; a ratio as its numerator and denominator), read as if the expert
    had typed it: the same number, the ratio as its percentage, the tier grade, yes or no. None
    when there is no value. ValueError naming the indicator (`label`) when the value cannot be
    written exactly as a verified value (no finite decimal expansion, more than six decimals or
    twelve digits): nothing is rounded, the expert types such a value."""
    from starcity.reviews.aggregation import parse_entry
    from starcity.scoring import exact_text
    from starcity.scoring.numeric import is_decimal

    try:
        value = parse_entry(indicator.method, raw, len(indicator.tiers) or 5)
    except (ValueError, TypeError) as exc:
        raise ValueError(_("%(label)s：自评值格式不正确。") % {"label": label}) from exc
    if value is None:
        return None
    if indicator.method == "boolean":
        return entry_from_text(indicator, YES if value else NO, label)
    if indicator.method == "tiered":
        return entry_from_text(indicator, str(value), label)
    number = Fraction(value)  # a threshold's number, a ratio's percentage
    text = exact_text(number) if is_decimal(number) else ""
    if not DECIMAL_TEXT.fullmatch(text):
        raise ValueError(
            _("%(label)s：自评值无法按核定值的格式（最多 12 位整数和 6 位小数）原样填入，请手工填写。")
            % {"label": label}
        )
    return entry_from_text(indicator, text, label)


def _normal(text: str) -> str:
    """A decimal text without superfluous signs ("-0" → "0", "085.50" kept exact as "85.50")."""
    number = Decimal(text)
    if number == 0:
        return "0"
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-").lstrip("0") or "0"
    if digits.startswith("."):
        digits = "0" + digits
    return sign + digits


def entry_text(indicator: Any, entry: Any) -> str:
    """What a form shows for a stored entry (the inverse of `entry_from_text`)."""
    if entry is None:
        return ""
    if indicator.method == "ratio" and isinstance(entry, Mapping):
        numerator, denominator = Decimal(str(entry["numerator"])), Decimal(str(entry["denominator"]))
        percent = numerator * 100 / denominator
        return format(percent.normalize(), "f")
    if indicator.method == "boolean":
        return YES if entry else NO
    return str(entry)


def entry_problem(indicator: Any, entry: Any, label: str) -> str | None:
    """None when `entry` (already a values@1 entry) is valid for the indicator by the rules of
    `entry_from_text`, else the message naming the indicator."""
    if entry is None:
        return None
    try:
        if indicator.method == "ratio":
            if not isinstance(entry, Mapping) or set(entry) != {"numerator", "denominator"}:
                raise ValueError(_("%(label)s：核定值格式不正确。") % {"label": label})
            if str(entry["denominator"]) != "100":
                raise ValueError(_("%(label)s：核定值格式不正确。") % {"label": label})
            entry_from_text(indicator, str(entry["numerator"]), label)
        elif indicator.method == "boolean":
            if not isinstance(entry, bool):
                raise ValueError(_("%(label)s：请选择“是”或“否”。") % {"label": label})
        elif indicator.method == "tiered":
            if isinstance(entry, bool) or not isinstance(entry, int):
                raise ValueError(
                    _("%(label)s：请选择 0 到 %(top)d 之间的档次。")
                    % {"label": label, "top": len(indicator.tiers)}
                )
            entry_from_text(indicator, str(entry), label)
        elif isinstance(entry, bool) or not isinstance(entry, (str, int)):
            raise ValueError(_("%(label)s：请填写数字（如 85 或 92.5）。") % {"label": label})
        else:
            entry_from_text(indicator, str(entry), label)
    except ValueError as exc:
        return str(exc)
    return None
