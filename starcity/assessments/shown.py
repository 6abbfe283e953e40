"""What the result panel, the grade pills and each indicator's error and warning slot show: the
saved result, or the result of a checked form (its valid part scored, its errors by indicator),
with the plausibility warnings of the values shown."""

from dataclasses import dataclass, replace
from typing import Any

from starcity.assessments import selectors
from starcity.assessments.forms import AnswersForm
from starcity.assessments.models import SelfAssessment
from starcity.assessments.plausibility import value_warnings, warnings_by_code
from starcity.assessments.presentation import indicator_checks, result_panel


@dataclass(frozen=True)
class Shown:
    """What the result panel, the grade pills and the indicators' error and warning slots show:
    a result, the values it was computed from, and the form's errors by indicator. `preview`:
    the result is the form's, not saved yet; `saved_only`: the form could not be scored, and the
    result is the saved one (the panel says so)."""

    result: dict[str, Any] | None
    values: dict[str, Any]
    errors: dict[str, list[str]]
    preview: bool = False
    saved_only: bool = False


def saved_shown(assessment: SelfAssessment, lang: str) -> Shown:
    """What is saved (the frozen snapshot once submitted): its result and values, no errors."""
    values = (selectors.shown_values(assessment) or selectors.values_mapping_of(assessment))["values"]
    return Shown(selectors.assessment_result(assessment, lang), values or {}, {})


def checked_shown(assessment: SelfAssessment, form: AnswersForm, preview: Any, lang: str) -> Shown:
    """The result of a checked form: its valid part scored, its errors by indicator."""
    if preview.result is None:
        return replace(saved_shown(assessment, lang), errors=form.errors_by_code(), saved_only=True)
    return Shown(preview.result, form.input()["values"], form.errors_by_code(), preview=True)


def result_context(standard: Any, shown: Shown, lang: str) -> dict[str, Any]:
    """The panel (with its warnings and pills) and every indicator's errors and warnings."""
    warnings = value_warnings(standard, shown.values)
    panel = None
    if shown.result is not None:
        panel = result_panel(standard, shown.result, lang, invalid=set(shown.errors), warnings=warnings)
    return {
        "panel": panel,
        "checks": indicator_checks(standard, shown.errors, warnings_by_code(warnings)),
        "preview": shown.preview,
        "saved_only": shown.saved_only,
    }
