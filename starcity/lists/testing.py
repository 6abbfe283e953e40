"""Builders of list data for tests, the benchmark and the browser test: accepted applications
whose panel has concluded, with the aggregate, result, grade and score filled consistently by
the scoring engine (the panel's own services are tested in the reviews app)."""

from decimal import Decimal
from fractions import Fraction
from typing import Any

from starcity.calls.choices import ApplicationStatus
from starcity.calls.models import Application, ApplicationRevision, Call, CallLevel
from starcity.calls.snapshots import application_snapshot
from starcity.calls.testing import city_of, values_at_grade
from starcity.core import clock
from starcity.regions.models import Region
from starcity.reviews.choices import PanelStatus
from starcity.reviews.models import Panel
from starcity.scoring import Standard, exact_text, result_to_dict, score, values_from_mapping
from starcity.standards.selectors import scoring_standard_for


def standard_of(call: Call, level: str) -> Standard:
    """The scoring model pinned by the call for `level`."""
    return scoring_standard_for(CallLevel.objects.get(call=call, level=level).standard_version)


def raised(standard: Standard, grade: int, count: int) -> dict[str, Any]:
    """A values@1 mapping at `grade`, with the first `count` indicators one grade higher (a
    higher score at the same overall grade when `count` is small)."""
    document = values_at_grade(standard, grade)
    higher = values_at_grade(standard, min(grade + 1, standard.n_grades))
    for indicator in standard.indicators[:count]:
        document["values"][indicator.code] = higher["values"][indicator.code]
    return document


def accepted_application(*, call: Call, region: Region | str, by: Any, target_grade: int = 4) -> Application:
    """An application of `region` that passed formal screening, with its revision 1 (no
    self-assessment: the list reads only the panel)."""
    if isinstance(region, str):
        region = Region.objects.select_related("parent__parent").get(code=region)
    now = clock.now()
    application = Application.objects.create(
        call=call,
        region=region,
        city=city_of(region),
        level=region.level,
        status=ApplicationStatus.ACCEPTED,
        target_grade=target_grade,
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


def concluded_panel(
    *,
    application: Application,
    by: Any,
    grade: int = 3,
    values: dict[str, Any] | None = None,
    flagged: tuple[str, ...] = (),
    status: str = PanelStatus.CONCLUDED,
) -> Panel:
    """The application's panel, concluded with every indicator at `grade` (or the values@1
    mapping `values`); `flagged` indicators are marked as disagreements the chair resolved."""
    standard = standard_of(application.call, application.level)
    document = values if values is not None else values_at_grade(standard, grade)
    document = {**document, "standard": standard.key}
    result = result_to_dict(score(standard, values_from_mapping(document, standard)), "zh")
    now = clock.now()
    indicators = []
    for indicator in standard.indicators:
        value = document["values"].get(indicator.code)
        shown = value
        if indicator.method == "ratio" and isinstance(value, dict):
            shown = exact_text(100 * Fraction(str(value["numerator"])) / Fraction(str(value["denominator"])))
        is_flagged = indicator.code in flagged
        indicators.append(
            {
                "code": indicator.code,
                "method": indicator.method,
                "value": shown,
                "grade": result["indicators"][indicator.code]["grade"],
                "flagged": is_flagged,
                "resolution": {"value": value, "reason": "组长裁定"} if is_flagged else None,
            }
        )
    concluded = status == PanelStatus.CONCLUDED
    return Panel.objects.create(
        application=application,
        call=application.call,
        status=status,
        seed="lists-test",
        drawn_by=by,
        aggregate={"rule": "trimmed_mean", "threshold": 2, "indicators": indicators, "values": document}
        if concluded
        else None,
        result=result if concluded else None,
        verified_grade=result["grade"] if concluded else None,
        verified_score=Decimal(result["score"]) if concluded else None,
        concluded_at=now if concluded else None,
    )


def ranked_application(
    *,
    call: Call,
    region: Region | str,
    by: Any,
    grade: int = 3,
    target_grade: int = 4,
    values: dict[str, Any] | None = None,
    flagged: tuple[str, ...] = (),
) -> Application:
    """An accepted application with a concluded panel at `grade` (or `values`)."""
    application = accepted_application(call=call, region=region, by=by, target_grade=target_grade)
    concluded_panel(application=application, by=by, grade=grade, values=values, flagged=flagged)
    return application
