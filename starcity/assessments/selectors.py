"""Reads of self-assessments: what a user may see, lists with filters, values and results.

Visibility: an operator sees every assessment (drafts and submitted) of the regions they may act
for; anyone else who sees a region (province staff, observers, operators above nothing) sees only
its submitted assessments. Nobody sees another region's drafts. Lists, exports and the workbench
all start from `assessments_visible_to`, so an export never shows more than the screen.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from starcity.accounts.selectors import (
    region_paths_actable_by,
    region_paths_visible_to,
    regions_actable_by,
)
from starcity.assessments.choices import Status
from starcity.assessments.models import Answer, Evidence, SelfAssessment
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.scoring import result_to_dict, score, values_from_mapping
from starcity.standards.models import StandardVersion
from starcity.standards.selectors import scoring_standard_for
from starcity.standards.services import engine_language

VALUES_SCHEMA = "starcity/values@1"
RATED_LEVELS = (Level.CITY, Level.COUNTY, Level.COMMUNITY)


def _prefix_q(paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(region__path__startswith=path)
    return query


def assessments_visible_to(user: Any) -> QuerySet[SelfAssessment]:
    """Assessments the user may see: all of the regions they act for, and the submitted ones of
    the regions they see."""
    if not getattr(user, "is_authenticated", False):
        return SelfAssessment.objects.none()
    acting = _prefix_q(region_paths_actable_by(user))
    seeing = _prefix_q(region_paths_visible_to(user)) & Q(status=Status.SUBMITTED)
    return SelfAssessment.objects.filter(acting | seeing).select_related(
        "region__parent__parent", "standard_version__line", "created_by", "submitted_by"
    )


@dataclass(frozen=True)
class AssessmentFilters:
    """List filters; empty values mean "any"."""

    city: Region | None = None
    level: str = ""
    grade: int | None = None
    standard_version: StandardVersion | None = None
    status: str = ""


def assessments_filtered(
    qs: QuerySet[SelfAssessment], filters: AssessmentFilters
) -> QuerySet[SelfAssessment]:
    """`qs` narrowed by the filters: city (its subtree), region level, grade, version, status."""
    if filters.city is not None:
        qs = qs.filter(region__path__startswith=filters.city.path)
    if filters.level:
        qs = qs.filter(region__level=filters.level)
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.standard_version is not None:
        qs = qs.filter(standard_version=filters.standard_version)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def submitted_assessments_for_province(
    *, user: Any, filters: AssessmentFilters | None = None
) -> QuerySet[SelfAssessment]:
    """The submitted self-assessments of the province the user may see, newest submission first."""
    qs = assessments_visible_to(user).filter(status=Status.SUBMITTED)
    return assessments_filtered(qs, filters or AssessmentFilters()).order_by("-submitted_at", "-id")


def assessment_list_for(user: Any, filters: AssessmentFilters) -> QuerySet[SelfAssessment]:
    """The list page's rows: visible assessments with the filters applied."""
    return assessments_filtered(assessments_visible_to(user), filters).order_by("-updated_at", "-id")


def regions_startable_by(user: Any) -> QuerySet[Region]:
    """Regions the user may start a self-assessment for: rated levels within their reach."""
    return regions_actable_by(user).filter(level__in=RATED_LEVELS, is_active=True).order_by("path")


def cities_for_filter(user: Any) -> QuerySet[Region]:
    """The cities offered in the list filter: those within or above the regions the user sees."""
    query = Q(pk__in=[])
    for path in region_paths_visible_to(user):
        parts = path.strip("/").split("/")
        ancestors = ["".join(f"{part}/" for part in parts[:n]) for n in range(1, len(parts))]
        query |= Q(path__startswith=path) | Q(path__in=ancestors)
    return Region.objects.filter(query, level=Level.CITY).order_by("path")


def answers_of(assessment: SelfAssessment) -> dict[str, Answer]:
    """The assessment's answers by indicator code (one query, cached on the object)."""
    cached = getattr(assessment, "_answers_by_code", None)
    if cached is None:
        cached = {answer.indicator_code: answer for answer in assessment.answers.all()}
        assessment._answers_by_code = cached  # type: ignore[attr-defined]
    return cached


def answer_value(answer: Answer) -> Any:
    """The value of one answer as a values@1 item (None when not given)."""
    if answer.number:
        return answer.number
    if answer.numerator:
        return {"numerator": answer.numerator, "denominator": answer.denominator}
    if answer.grade is not None:
        return answer.grade
    if answer.flag is not None:
        return answer.flag
    return None


def values_mapping_of(assessment: SelfAssessment) -> dict[str, Any]:
    """The assessment's current input as a `starcity/values@1` mapping (exact texts kept)."""
    values = {
        code: value
        for code, answer in answers_of(assessment).items()
        if (value := answer_value(answer)) is not None
    }
    return values_document(
        standard_label=assessment.standard_version.label,
        region_code=assessment.region.code,
        values=values,
        bonus=assessment.bonus,
        vetoes=assessment.vetoes,
    )


def values_for_template(assessment: SelfAssessment) -> dict[str, Any]:
    """The values to prefill an Excel template with: the frozen ones once submitted."""
    if assessment.status == Status.SUBMITTED and assessment.snapshot_values is not None:
        return dict(assessment.snapshot_values)
    return values_mapping_of(assessment)


def values_document(
    *,
    standard_label: str,
    region_code: str,
    values: dict[str, Any],
    bonus: dict[str, bool],
    vetoes: dict[str, bool],
) -> dict[str, Any]:
    """A `starcity/values@1` mapping naming its standard and region."""
    return {
        "schema": VALUES_SCHEMA,
        "standard": standard_label,
        "region": region_code,
        "values": dict(values),
        "bonus": dict(bonus),
        "vetoes": dict(vetoes),
    }


def score_document(
    version: StandardVersion, document: dict[str, Any], lang: str | None = None
) -> dict[str, Any]:
    """Score a values@1 mapping against a stored version (raises the engine's ValuesInvalid)."""
    standard = scoring_standard_for(version)
    values = values_from_mapping(document, standard, strict=False)
    return result_to_dict(score(standard, values), lang or engine_language())


def assessment_result(assessment: SelfAssessment, lang: str | None = None) -> dict[str, Any]:
    """The result of the assessment: the frozen snapshot once submitted, else a fresh scoring of
    the current answers."""
    if assessment.status == Status.SUBMITTED and assessment.snapshot_result is not None:
        return dict(assessment.snapshot_result)
    return score_document(assessment.standard_version, values_mapping_of(assessment), lang)


def active_evidence(assessment: SelfAssessment) -> QuerySet[Evidence]:
    """Evidence files not removed, by indicator then upload time."""
    return assessment.evidence.filter(removed_at__isnull=True).select_related("uploaded_by")


def evidence_by_indicator(assessment: SelfAssessment) -> dict[str, list[Any]]:
    """Evidence to show per indicator: the frozen list once submitted, else the active files."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    if assessment.status == Status.SUBMITTED and assessment.snapshot_evidence is not None:
        for item in assessment.snapshot_evidence:
            grouped[item["indicator"]].append(item)
    else:
        for evidence in active_evidence(assessment):
            grouped[evidence.indicator_code].append(evidence.as_snapshot())
    return dict(grouped)


def drafts_for_operator(user: Any, limit: int = 10) -> QuerySet[SelfAssessment]:
    """Drafts in the regions the user acts for, most recently touched first."""
    qs = assessments_visible_to(user).filter(_prefix_q(region_paths_actable_by(user)), status=Status.DRAFT)
    return qs.order_by("-updated_at", "-id")[:limit]


def recently_submitted(user: Any, limit: int = 10) -> QuerySet[SelfAssessment]:
    """The latest submissions the user may see."""
    return submitted_assessments_for_province(user=user)[:limit]


def export_rows(qs: QuerySet[SelfAssessment]) -> list[dict[str, Any]]:
    """Rows for the Excel export, from cached grades and snapshots (no scoring per row)."""
    rows = []
    for item in qs:
        region = item.region
        city = region.city
        result = item.snapshot_result or {}
        rows.append(
            {
                "region_code": region.code,
                "region_name": region.full_name,
                "city_name": city.name if city is not None else "",
                "level_label": str(region.get_level_display()),
                "standard_label": item.standard_version.label,
                "status_label": str(item.get_status_display()),
                "grade": item.grade,
                "grade_name": result.get("grade_name") or item.grade_name,
                "score": item.score,
                "submitted_at": item.submitted_at,
                "submitted_by": str(item.submitted_by) if item.submitted_by else "",
                "domain_scores": _domain_scores(item, result),
            }
        )
    return rows


def _domain_scores(item: SelfAssessment, result: dict[str, Any]) -> dict[str, Any]:
    """Frozen domain scores keyed by domain name (the export's column titles)."""
    names = {d.get("code"): d.get("name") for d in (item.standard_version.data or {}).get("domains", [])}
    return {names.get(code) or code: d.get("score") for code, d in (result.get("domains") or {}).items()}
