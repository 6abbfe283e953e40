"""Input of a self-assessment: engine validation with messages naming the indicator, and the
all-or-nothing write of answers, bonus, vetoes and the cached grade and score."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from starcity.assessments.models import Answer, SelfAssessment
from starcity.assessments.selectors import answer_value, values_document
from starcity.core import clock
from starcity.core.errors import ValidationFailed
from starcity.scoring import Standard, ValuesInvalid, exact_text, result_to_dict, score, values_from_mapping
from starcity.scoring.messages import format_message
from starcity.standards.selectors import scoring_standard_for
from starcity.standards.services import engine_language


class AnswersInvalid(ValidationFailed):
    """Values refused by the standard; `by_code` maps indicator, bonus or veto codes to messages."""

    def __init__(self, message: Any, *, errors: list[str], by_code: dict[str, list[str]]):
        super().__init__(message, errors=errors)
        self.by_code = by_code


def snapshot_language() -> str:
    """The engine language of frozen results: the programme's default language."""
    return "en" if settings.LANGUAGE_CODE.lower().startswith("en") else "zh"


def indicator_label(standard: Standard, code: str, lang: str) -> str:
    """How a message names an indicator, bonus item or veto: its code and name ("H01 政务…")."""
    everything: tuple[Any, ...] = (*standard.indicators, *standard.bonus, *standard.vetoes)
    items: dict[str, Any] = {item.code: item for item in everything}
    item = items.get(code)
    if item is None:
        return code
    name = (item.name_en or item.name) if lang == "en" else item.name
    return f"{code} {name}"


def _problem_code(problem: Any) -> str:
    if getattr(problem, "subject", None):
        return str(problem.subject)
    parts = [part for part in str(problem.path).replace("[", ".").split(".") if part]
    return parts[1] if len(parts) > 1 and parts[0] in {"values", "bonus", "vetoes"} else ""


def _problem_text(problem: Any, lang: str) -> str:
    """The reason alone: the engine prefixes it with its subject's code ("H01: …"), and the
    message built here names the indicator already."""
    return format_message(problem.code, problem.params, lang)


def answers_invalid(exc: ValuesInvalid, standard: Standard) -> AnswersInvalid:
    """The engine's refusal as one message per problem, each naming its indicator, in the
    user's language."""
    lang = engine_language()
    errors: list[str] = []
    by_code: dict[str, list[str]] = {}
    for problem in exc.errors:
        code = _problem_code(problem)
        text = _problem_text(problem, lang)
        message = _("%(indicator)s：%(message)s") % {
            "indicator": indicator_label(standard, code, lang),
            "message": text,
        }
        errors.append(message if code else text)
        by_code.setdefault(code, []).append(text)
    return AnswersInvalid(
        _("填报内容有 %(count)d 处错误，未保存任何内容：%(first)s")
        % {"count": len(errors), "first": errors[0]},
        errors=errors,
        by_code=by_code,
    )


def validated_result(standard: Standard, document: dict[str, Any], lang: str) -> dict[str, Any]:
    """The result dict of a values@1 mapping, or AnswersInvalid naming every bad indicator."""
    try:
        values = values_from_mapping(document, standard, strict=False)
    except ValuesInvalid as exc:
        raise answers_invalid(exc, standard) from exc
    return result_to_dict(score(standard, values), lang)


@dataclass(frozen=True)
class Preview:
    """The result of the valid part of an input (None when not even that can be scored), and the
    engine's refusal of the rest (None when it refused nothing)."""

    result: dict[str, Any] | None
    invalid: AnswersInvalid | None = None

    @property
    def by_code(self) -> dict[str, list[str]]:
        return self.invalid.by_code if self.invalid is not None else {}


def _without(document: dict[str, Any], codes: set[str]) -> dict[str, Any]:
    """The values@1 mapping without the values, bonus items and vetoes of `codes`."""
    kept = dict(document)
    for key in ("values", "bonus", "vetoes"):
        kept[key] = {code: value for code, value in (document.get(key) or {}).items() if code not in codes}
    return kept


def checked_result(standard: Standard, document: dict[str, Any], lang: str) -> Preview:
    """Score the input, leaving out what the engine refuses: every refusal is reported at once,
    and the rest is scored as if the refused indicators were not filled."""
    try:
        return Preview(validated_result(standard, document, lang))
    except AnswersInvalid as invalid:
        try:
            return Preview(
                validated_result(standard, _without(document, set(invalid.by_code)), lang), invalid
            )
        except AnswersInvalid:
            return Preview(None, invalid)


def _text(value: Any) -> str:
    """Exact decimal text of an accepted number, keeping the spelling the user wrote."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _answer_fields(value: Any) -> dict[str, Any]:
    """The Answer columns for one accepted value (all blank when it is not given)."""
    fields: dict[str, Any] = {"number": "", "numerator": "", "denominator": "", "grade": None, "flag": None}
    if value is None:
        return fields
    if isinstance(value, bool):
        fields["flag"] = value
    elif isinstance(value, Mapping):
        fields["numerator"] = _text(value["numerator"])
        fields["denominator"] = _text(value["denominator"])
    elif isinstance(value, int):
        fields["grade"] = value
    else:
        fields["number"] = _text(value)
    return fields


def typed_values(standard: Standard, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the indicator's method wants them: a tiered grade written "3" becomes 3, a
    threshold number stays exact text."""
    typed: dict[str, Any] = {}
    for code, value in values.items():
        indicator = standard.indicator_map.get(code)
        if (
            indicator is not None
            and indicator.method == "tiered"
            and isinstance(value, str)
            and value.isdigit()
        ):
            typed[code] = int(value)
        elif indicator is not None and indicator.method == "threshold" and isinstance(value, int | Decimal):
            typed[code] = _text(value) if not isinstance(value, bool) else value
        else:
            typed[code] = value
    return typed


def input_document(
    assessment: SelfAssessment,
    standard: Standard,
    values: Mapping[str, Any],
    bonus: Mapping[str, Any],
    vetoes: Mapping[str, Any],
) -> dict[str, Any]:
    """The values@1 mapping of an input (values not given and flags given as false left out)."""
    return values_document(
        standard_label=assessment.standard_version.label,
        region_code=assessment.region.code,
        values={code: value for code, value in typed_values(standard, values).items() if value is not None},
        bonus={code: flag for code, flag in bonus.items() if flag is not False},
        vetoes={code: flag for code, flag in vetoes.items() if flag is not False},
    )


def store_input(
    *,
    assessment: SelfAssessment,
    values: Mapping[str, Any],
    bonus: Mapping[str, Any],
    vetoes: Mapping[str, Any],
    notes: Mapping[str, str] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate the whole input with the engine, then write the answers, bonus, vetoes and the
    cached grade and score. Returns the (before, after) of what changed."""
    standard = scoring_standard_for(assessment.standard_version)
    document = input_document(assessment, standard, values, bonus, vetoes)
    result = validated_result(standard, document, engine_language())
    before, after = _write_answers(assessment, standard, document["values"], notes)
    for key in ("bonus", "vetoes"):
        old, new = getattr(assessment, key) or {}, document[key]
        if old != new:
            before[key], after[key] = old, new
            setattr(assessment, key, new)
    assessment.grade = int(result["grade"])
    assessment.score = Decimal(result["score"])
    assessment.updated_at = clock.now()
    assessment.save()
    return before, after


def _write_answers(
    assessment: SelfAssessment, standard: Standard, values: dict[str, Any], notes: Mapping[str, str] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    existing = {answer.indicator_code: answer for answer in assessment.answers.all()}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    to_create, to_update = [], []
    for indicator in standard.indicators:
        code = indicator.code
        fields = _answer_fields(values.get(code))
        old = existing.get(code)
        fields["note"] = (notes.get(code, "") if notes is not None else (old.note if old else "")).strip()
        current = {name: getattr(old, name) for name in fields} if old else None
        if current == fields or (old is None and not any(v not in ("", None) for v in fields.values())):
            continue
        before[code] = _shown(current)
        after[code] = _shown(fields)
        if old is None:
            to_create.append(Answer(assessment=assessment, indicator_code=code, **fields))
        else:
            for name, value in fields.items():
                setattr(old, name, value)
            to_update.append(old)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["number", "numerator", "denominator", "grade", "flag", "note"])
    return before, after


def _shown(fields: dict[str, Any] | None) -> dict[str, Any] | None:
    if fields is None:
        return None
    answer = Answer(**{k: v for k, v in fields.items() if k != "note"})
    return {"value": answer_value(answer), "note": fields.get("note", "")}
