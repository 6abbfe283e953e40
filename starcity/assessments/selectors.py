"""Reads of self-assessments: what a user may see, lists with filters, values and results.

Visibility: an operator sees every assessment (drafts and submitted) of the regions they may act
for; anyone else who sees a region (province staff, observers, operators above nothing) sees only
its submitted assessments. Nobody sees another region's drafts. Lists, exports and the workbench
all start from `assessments_visible_to`, so an export never shows more than the screen.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery

from starcity.accounts.selectors import (
    actable_path_filter,
    is_province_staff,
    region_paths_visible_to,
    regions_actable_by,
    visible_path_filter,
)
from starcity.assessments.choices import Status
from starcity.assessments.models import Answer, Evidence, SelfAssessment
from starcity.assessments.workflow import is_frozen
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.scoring import result_to_dict, score, values_from_mapping
from starcity.standards.choices import VersionStatus
from starcity.standards.models import StandardVersion
from starcity.standards.selectors import published_versions, scoring_standard_for
from starcity.standards.services import engine_language

VALUES_SCHEMA = "starcity/values@1"
RATED_LEVELS = (Level.CITY, Level.COUNTY, Level.COMMUNITY)
REGION_PATH = "region__path"


def assessments_visible_to(user: Any) -> QuerySet[SelfAssessment]:
    """Assessments the user may see: all of the regions they act for, and the submitted ones of
    the regions they see."""
    if not getattr(user, "is_authenticated", False):
        return SelfAssessment.objects.none()
    acting = actable_path_filter(user, field=REGION_PATH)
    seeing = visible_path_filter(user, field=REGION_PATH) & Q(status=Status.SUBMITTED)
    return SelfAssessment.objects.filter(acting | seeing).select_related(
        "region__parent__parent", "standard_version__line", "created_by", "submitted_by"
    )


def with_latest_flag(qs: QuerySet[SelfAssessment]) -> QuerySet[SelfAssessment]:
    """`qs` with `is_latest`: True on the newest submission of its region and standard line (one
    correlated subquery in the same SQL statement, no query per row). Drafts are never latest."""
    newest = (
        SelfAssessment.objects.filter(
            status=Status.SUBMITTED,
            region=OuterRef("region"),
            standard_version__line=OuterRef("standard_version__line"),
        )
        .order_by("-submitted_at", "-id")
        .values("pk")[:1]
    )
    latest = Q(status=Status.SUBMITTED) & Q(pk=Subquery(newest))
    return qs.annotate(is_latest=ExpressionWrapper(latest, output_field=BooleanField()))


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
    """The list page's rows: visible assessments with the filters applied, each flagged
    `is_latest` when it is the newest submission of its region and standard line."""
    rows = assessments_filtered(assessments_visible_to(user), filters)
    return with_latest_flag(rows).order_by("-updated_at", "-id")


@dataclass(frozen=True)
class ListOptions:
    """What the list page offers this user: the filters that can narrow what they see, and
    whether they look at the whole province's submissions."""

    cities: QuerySet[Region] | None
    levels: list[str]
    grade_max: int
    province_wide: bool
    can_start: bool
    statuses: list[str] = field(default_factory=list)


def list_options_for(user: Any) -> ListOptions:
    """The city filter only when the user sees more than one city, the level filter only when
    their regions span more than one rated level, grades 0..the most grades of the versions in
    use (an operator of one county sees neither a city nor a level filter), and the status
    filter only for those who may see drafts: operators of some region (province staff and
    observers see submitted ones only, so the filter could not narrow anything)."""
    cities = cities_for_filter(user)
    levels = _levels_within_reach(user)
    return ListOptions(
        cities=cities if cities.count() > 1 else None,
        levels=levels if len(levels) > 1 else [],
        grade_max=_grade_max(user),
        province_wide=is_province_staff(user),
        can_start=regions_startable_by(user).exists(),
        statuses=list(Status.values) if may_see_drafts(user) else [],
    )


def may_see_drafts(user: Any) -> bool:
    """Whether the user may see any draft: only operators see drafts, those of the regions they
    act for."""
    return regions_actable_by(user).exists()


def _levels_within_reach(user: Any) -> list[str]:
    found = set(
        Region.objects.filter(visible_path_filter(user), level__in=RATED_LEVELS, is_active=True)
        .order_by()
        .values_list("level", flat=True)
        .distinct()
    )
    return [level for level in RATED_LEVELS if level in found]


def _grade_max(user: Any) -> int:
    """The most grades any standard version in use (by the visible assessments) has; the versions
    in force when nothing is visible yet."""
    used = StandardVersion.objects.filter(pk__in=assessments_visible_to(user).values("standard_version"))
    grades = list(used.values_list("grades", flat=True)) or list(
        published_versions().values_list("grades", flat=True)
    )
    return max((len(item or []) for item in grades), default=0)


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
    if is_frozen(assessment.status) and assessment.snapshot_values is not None:
        return dict(assessment.snapshot_values)
    return values_mapping_of(assessment)


def shown_values(assessment: SelfAssessment) -> dict[str, Any] | None:
    """The values@1 mapping a frozen page shows (None for a draft, whose page shows its form)."""
    if not is_frozen(assessment.status):
        return None
    return dict(assessment.snapshot_values or {})


def notes_of(assessment: SelfAssessment) -> dict[str, str]:
    """Notes by indicator code: the frozen ones once submitted, else the draft's current notes."""
    if is_frozen(assessment.status):
        return dict(assessment.snapshot_notes or {})
    return {code: answer.note for code, answer in answers_of(assessment).items() if answer.note}


def is_superseded(assessment: SelfAssessment) -> bool:
    """True when the assessment's standard version is no longer the one in force."""
    return assessment.standard_version.status != VersionStatus.PUBLISHED


def current_version_of(version: StandardVersion) -> StandardVersion | None:
    """The version in force of the same line and level (itself when it is in force)."""
    if version.status == VersionStatus.PUBLISHED:
        return version
    return published_versions(level=version.level).filter(line=version.line).first()


@dataclass(frozen=True)
class SubmissionCheck:
    """How complete a draft is, shown before its operator confirms the submission (indicator
    codes in the standard's order). Incomplete submissions are allowed, but said out loud."""

    total: int
    empty: list[str]
    empty_core: list[str]
    without_evidence: list[str]
    superseded_by: StandardVersion | None
    superseded: bool

    @property
    def complete(self) -> bool:
        return not (self.empty or self.without_evidence or self.superseded)


def submission_check(assessment: SelfAssessment) -> SubmissionCheck:
    """What is missing from the saved draft: indicators without a value (and which of them are
    core indicators), indicators with a value but no evidence file, and whether the standard
    version was superseded since the draft was started (and by which version)."""
    standard = scoring_standard_for(assessment.standard_version)
    answers = answers_of(assessment)
    given = {code for code, answer in answers.items() if answer_value(answer) is not None}
    with_files = set(active_evidence(assessment).values_list("indicator_code", flat=True))
    codes = [indicator.code for indicator in standard.indicators]
    superseded = is_superseded(assessment)
    return SubmissionCheck(
        total=len(codes),
        empty=[code for code in codes if code not in given],
        empty_core=[ind.code for ind in standard.indicators if ind.mandatory and ind.code not in given],
        without_evidence=[code for code in codes if code in given and code not in with_files],
        superseded_by=current_version_of(assessment.standard_version) if superseded else None,
        superseded=superseded,
    )


def not_carried_over(source: SelfAssessment, copy: SelfAssessment) -> list[str]:
    """Indicators of the source whose value or evidence the copy could not take over (the new
    version dropped the indicator, changed its method or has fewer tiers), in the source's order."""
    old_values = (source.snapshot_values or values_mapping_of(source)).get("values") or {}
    new_values = values_mapping_of(copy)["values"]
    new_codes = set(scoring_standard_for(copy.standard_version).indicator_map)
    evidence_codes = list(evidence_by_indicator(source))
    lost = [code for code in old_values if code not in new_values]
    lost += [code for code in evidence_codes if code not in new_codes]
    return list(dict.fromkeys(lost))


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
    if is_frozen(assessment.status) and assessment.snapshot_result is not None:
        return dict(assessment.snapshot_result)
    return score_document(assessment.standard_version, values_mapping_of(assessment), lang)


def active_evidence(assessment: SelfAssessment) -> QuerySet[Evidence]:
    """Evidence files not removed, by indicator then upload time."""
    return assessment.evidence.filter(removed_at__isnull=True).select_related("uploaded_by")


def evidence_by_indicator(assessment: SelfAssessment) -> dict[str, list[Any]]:
    """Evidence to show per indicator: the frozen list once submitted, else the active files."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    if is_frozen(assessment.status) and assessment.snapshot_evidence is not None:
        for item in assessment.snapshot_evidence:
            grouped[item["indicator"]].append(item)
    else:
        for evidence in active_evidence(assessment):
            grouped[evidence.indicator_code].append(evidence.as_snapshot())
    return dict(grouped)


def drafts_for_operator(user: Any, limit: int = 10) -> QuerySet[SelfAssessment]:
    """Drafts in the regions the user acts for, most recently touched first (the only drafts a
    user sees are those of the regions they act for)."""
    qs = assessments_visible_to(user).filter(status=Status.DRAFT)
    return qs.order_by("-updated_at", "-id")[:limit]


def recently_submitted(user: Any, limit: int = 10) -> QuerySet[SelfAssessment]:
    """The latest submissions the user may see."""
    return submitted_assessments_for_province(user=user)[:limit]


def export_rows(
    qs: QuerySet[SelfAssessment], *, link: Callable[[SelfAssessment], str] | None = None
) -> list[dict[str, Any]]:
    """Rows for the Excel export, from cached grades and snapshots (no scoring per row); `link`
    gives each row's address (an absolute URL to its page). Grade 0 is named as on the screen
    (未达星级); `latest` says whether the row is the newest submission of its region and line
    (rows from `with_latest_flag`)."""
    rows = []
    for item in qs:
        region = item.region
        city = region.city
        result = item.snapshot_result or {}
        rows.append(
            {
                "id": item.pk,
                "title": item.title,
                "url": link(item) if link is not None else "",
                "region_code": region.code,
                "region_name": region.full_name,
                "city_name": city.name if city is not None else "",
                "level_label": str(region.get_level_display()),
                "standard_label": item.standard_version.label,
                "status_label": str(item.get_status_display()),
                "latest": bool(getattr(item, "is_latest", False)),
                "grade": item.grade,
                "grade_name": result.get("grade_name") or item.grade_label,
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
