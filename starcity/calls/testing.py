"""Builders of call data for tests of later stages (reviews, lists, portal, benchmark).

They go through the real self-assessment services; the application chain is written directly to
the state a later stage needs (accepted, with its frozen revision), as the chain's own tests
cover the chain itself.
"""

from datetime import timedelta
from typing import Any

from starcity.assessments.models import SelfAssessment
from starcity.assessments.services import assessment_create, assessment_save_answers, assessment_submit
from starcity.calls.choices import ApplicationStatus, CallStatus
from starcity.calls.models import Application, ApplicationRevision, Call, CallLevel
from starcity.calls.snapshots import application_snapshot
from starcity.core import clock
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.scoring import exact_text
from starcity.standards.models import StandardVersion
from starcity.standards.selectors import scoring_standard_for


def values_at_grade(standard: Any, grade: int) -> dict[str, Any]:
    """A values@1 mapping with every indicator exactly at `grade` (0 leaves numbers empty)."""
    values: dict[str, Any] = {}
    for ind in standard.indicators:
        if ind.method == "tiered":
            values[ind.code] = grade
        elif ind.method == "boolean":
            values[ind.code] = grade >= 1
        elif grade == 0:
            values[ind.code] = None
        else:
            number = exact_text(ind.thresholds[grade - 1])
            values[ind.code] = (
                {"numerator": number, "denominator": "100"} if ind.method == "ratio" else number
            )
    return {"schema": "starcity/values@1", "values": values, "bonus": {}, "vetoes": {}}


def submitted_assessment(
    *, by: Any, region: Region, version: StandardVersion, grade: int = 3
) -> SelfAssessment:
    """A submitted self-assessment of `region` with every indicator at `grade`."""
    standard = scoring_standard_for(version)
    document = values_at_grade(standard, grade)
    assessment = assessment_create(by=by, region=region, standard_version=version)
    assessment_save_answers(
        by=by,
        assessment=assessment,
        values=document["values"],
        bonus=document["bonus"],
        vetoes=document["vetoes"],
    )
    return assessment_submit(by=by, assessment=assessment)


def make_call(
    *,
    by: Any,
    versions: dict[str, StandardVersion],
    year: int = 2026,
    status: str = CallStatus.PUBLISHED,
    quotas: dict[str, tuple[int, int]] | None = None,
    **fields: Any,
) -> Call:
    """A call open now (for 30 days unless `opens_at`/`deadline` are given) with one pinned
    version per level in `versions` ({"city": v, "county": v}); quotas {level: (pilots, pre)}."""
    now = clock.now()
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("deadline", now + timedelta(days=30))
    call = Call.objects.create(
        year=year,
        title=f"{year}年山东省新型智慧城市试点申报",
        status=status,
        created_by=by,
        published_at=now if status != CallStatus.DRAFT else None,
        **fields,
    )
    for level, version in versions.items():
        pilots, pre = (quotas or {}).get(level, (2, 2))
        CallLevel.objects.create(
            call=call, level=level, standard_version=version, pilot_quota=pilots, pre_pilot_quota=pre
        )
    return call


def city_of(region: Region) -> Region:
    """The prefecture-level city of a city or county region."""
    if region.level == Level.CITY:
        return region
    city = region.city
    if city is None:
        raise ValueError(f"{region.code} lies in no prefecture-level city")
    return city


def make_accepted_application(
    *, call: Call, assessment: SelfAssessment, by: Any, target_grade: int | None = None
) -> Application:
    """An application of the assessment's region that passed formal screening, with revision 1."""
    now = clock.now()
    region = assessment.region
    application = Application.objects.create(
        call=call,
        region=region,
        city=city_of(region),
        level=region.level,
        status=ApplicationStatus.ACCEPTED,
        target_grade=target_grade or min(assessment.grade + 1, 5),
        self_assessment=assessment,
        breakthrough_direction="huimin",
        tasks=[{"title": "一网通办提质", "description": "", "domain": "huimin"}],
        contact_name="联系人",
        contact_phone="0533-0000000",
        revision=1,
        created_by=by,
        sent_to_city_at=now,
        city_reviewed_at=now,
        submitted_at=now,
        submitted_by=by,
        screened_at=now,
    )
    ApplicationRevision.objects.create(
        application=application,
        number=1,
        snapshot=application_snapshot(application, number=1, submitted_at=now),
        created_by=by,
        created_at=now,
    )
    return application
