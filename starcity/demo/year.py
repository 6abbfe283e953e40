"""The demo's selection years: last year's call taken through to its final list, and this year's
call in progress, all built through the real services at their own dates.

They are built once, on a database without any call (one transaction: all or nothing); a
database that already holds calls, demo or real, is left as it is. Last year is replayed only
when its applicants hold no self-assessment draft of the pinned versions (a database seeded by
an older demo does), as a new self-assessment of theirs could not be started meanwhile.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from starcity.accounts.models import User
from starcity.assessments.choices import Status as AssessmentStatus
from starcity.assessments.models import SelfAssessment
from starcity.calls.models import Call
from starcity.core import clock
from starcity.demo import current_year, past_year
from starcity.demo.experts import seed_experts
from starcity.demo.seed import seed_assessments
from starcity.demo.timeline import local


@dataclass(frozen=True)
class YearsSeeded:
    """The demo's calls (None when absent), whether this run built them, and why a year was
    skipped."""

    past: Call | None
    current: Call | None
    built: bool
    skipped: str = ""


def _past_blocked() -> str:
    """Why last year cannot be replayed here ("" when it can)."""
    codes = [applicant.region_code for applicant, *_rest in past_year.APPLICANTS]
    drafts = SelfAssessment.objects.filter(region__code__in=codes, status=AssessmentStatus.DRAFT)
    names = sorted({draft.region.name for draft in drafts.select_related("region")})
    return f"last year's call skipped: self-assessment drafts of {', '.join(names)} exist" if names else ""


@transaction.atomic
def seed_selection_years(today: date | None = None) -> YearsSeeded:
    """The expert pool, last year's call and this year's, on a database without calls."""
    today = today or clock.local_now().date()
    office = User.objects.get(username="province")
    seed_experts(by=office, at=local(date(today.year - 1, 2, 20), 10))
    if Call.objects.exists():
        return YearsSeeded(_demo_call(today.year - 1), _demo_call(today.year), built=False)
    blocked = _past_blocked()
    past = None if blocked else past_year.seed_past_year(year=today.year - 1, office=office)
    seed_assessments(today)
    current = current_year.seed_current_year(year=today.year, today=today, office=office)
    return YearsSeeded(past, current, built=True, skipped=blocked)


def _demo_call(year: int) -> Call | None:
    """The demo's call of `year`, if the database has it."""
    return Call.objects.filter(year=year, title=past_year.call_values(year)["title"]).first()
