"""On-site values: what the team types for an indicator as a values@1 entry (read by the
scorecards' own parser, so the team enters values as the experts do), checked by the engine
against the pinned standard (errors name the indicator), and values as read."""

from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from starcity.assessments.presentation.indicators import shown_value
from starcity.assessments.services.values import answers_invalid, indicator_label, snapshot_language
from starcity.core.errors import ValidationFailed
from starcity.reviews.services import entry_from_text
from starcity.scoring import Standard, ValuesInvalid, exact_text, values_from_mapping
from starcity.scoring.numeric import half_up, is_decimal

VALUES_SCHEMA = "starcity/values@1"


def _refuse(standard: Standard, code: str, reason: str) -> ValidationFailed:
    message = _("%(indicator)s：%(message)s") % {
        "indicator": indicator_label(standard, code, snapshot_language()),
        "message": reason,
    }
    return ValidationFailed(message, field="value", errors=[message])


def entry_from_input(standard: Standard, code: str, text: Any) -> Any:
    """The values@1 entry of what the on-site team typed for indicator `code`, read exactly as
    the experts' scorecards read it (`starcity.reviews.services.entry_from_text`: a number, a
    percentage kept as percentage/100, a tier 0..N, or yes/no), then checked by the engine.
    ValidationFailed names the indicator when the text is empty, does not fit its method or
    the engine refuses it."""
    label = indicator_label(standard, code, snapshot_language())
    try:
        entry = entry_from_text(standard.indicator_map[code], None if text is None else str(text), label)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="value", errors=[str(exc)]) from None
    if entry is None:
        raise _refuse(standard, code, _("请填写调整后的值。"))
    check_entry(standard, code, entry)
    return entry


def check_entry(standard: Standard, code: str, entry: Any) -> None:
    """The engine's check of one entry (ValidationFailed naming the indicator)."""
    try:
        values_from_mapping({"schema": VALUES_SCHEMA, "values": {code: entry}}, standard)
    except ValuesInvalid as exc:
        invalid = answers_invalid(exc, standard)
        raise ValidationFailed(invalid.errors[0], field="value", errors=invalid.errors) from exc


def input_text(standard: Standard, code: str, entry: Any) -> str:
    """The text a form shows for a stored entry (a ratio as its percentage)."""
    if entry is None:
        return ""
    indicator = standard.indicator_map.get(code)
    if indicator is None:
        return str(entry)
    if indicator.method == "ratio" and isinstance(entry, dict):
        percent = percent_of(entry)
        return "" if percent is None else percent
    if indicator.method == "boolean":
        return "yes" if entry is True else "no"
    return str(entry)


def percent_of(entry: dict[str, Any]) -> str | None:
    """A ratio entry as its percentage (exact when decimal, else rounded to 2 places)."""
    try:
        numerator, denominator = Fraction(str(entry["numerator"])), Fraction(str(entry["denominator"]))
    except (KeyError, ValueError, ZeroDivisionError):
        return None
    if not denominator:
        return None
    percent = 100 * numerator / denominator
    text = exact_text(percent) if is_decimal(percent) else half_up(percent)
    return str(text)


def shown(standard: Standard, code: str, entry: Any) -> str:
    """A value as read on the page ("92%", "3 · 分档描述", "是")."""
    indicator = standard.indicator_map.get(code)
    if indicator is None:
        return "—" if entry is None else str(entry)
    if indicator.method == "ratio" and isinstance(entry, dict):
        percent = percent_of(entry)
        return f"{percent}%" if percent is not None else "—"
    return shown_value(indicator, entry, snapshot_language())
