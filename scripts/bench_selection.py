"""The selection-year part of `make bench`: a province-sized call, and ten of them.

Builds, in the benchmark's throw-away database: a submitted self-assessment for each of the 16
cities and 136 counties (through the real services), a pool of 300 experts spread over every
city and county (so each applicant has conflicted experts to exclude), then calls of 150 accepted
applications each (the province's 152 applicants less two). With one call (150 applications),
then with ten more (1,500; the database then holds 1,650) it times, on one core:
- the draw of 5 experts + 2 substitutes per application, conflict checks included (`call_draw`);
- aggregation of the 5 experts' scores per indicator and scoring by the engine
  (`panel_conclude_bulk`: reads the scores, aggregates, scores; no writes);
- the ranking with quotas and eligibility (`selection_list_form`, which writes the entries);
and counts the SQL queries of the province's application list, an expert's queue and the ranking
page (they must not grow with rows). Scores are written directly (bulk), as the expert-facing
pages are not what is measured.
"""

import random
import time
from typing import Any

TARGET_SECONDS = 5.0
PER_CALL = 150


def _member(username: str, role: str, code: str, kind: str) -> Any:
    from starcity.accounts.models import Membership, Organisation, User
    from starcity.regions.models import Region

    region = Region.objects.get(code=code)
    org, _ = Organisation.objects.get_or_create(name=f"bench {code} {kind}", kind=kind, region=region)
    user = User.objects.create_user(username=username, password="bench-password-1")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _assessments(users: dict[str, Any]) -> list[Any]:
    """One submitted self-assessment per city and county (but those with a draft), grade 3 or 4."""
    from starcity.accounts.choices import OrgKind, Role
    from starcity.calls.testing import submitted_assessment
    from starcity.regions.models import Region
    from starcity.standards.selectors import published_versions

    versions = {level: published_versions(level=level).first() for level in ("city", "county")}
    operators = {
        city.pk: _member(f"bench_city_{city.code}", Role.CITY_OPERATOR, city.code, OrgKind.CITY_BUREAU)
        for city in Region.objects.filter(level="city")
    }
    from starcity.assessments.models import SelfAssessment

    # the assessment benchmark leaves a draft for 淄博市: those regions keep theirs and sit out
    drafting = SelfAssessment.objects.filter(status="draft").values("region_id")
    regions = Region.objects.filter(level__in=["city", "county"]).exclude(pk__in=drafting).order_by("code")
    made = []
    for i, region in enumerate(regions):
        operator = operators[region.pk if region.level == "city" else region.parent_id]
        grade = 3 + (i % 3 == 0)
        made.append(
            submitted_assessment(by=operator, region=region, version=versions[region.level], grade=grade)
        )
    return made


def _experts(expert_user: Any) -> list[Any]:
    """300 experts with logins (the draw takes only experts who can sign in), living in every
    city and county in turn, employers all different; the first is `expert_user`."""
    from django.contrib.auth.hashers import make_password

    from starcity.accounts.models import User
    from starcity.regions.models import Region
    from starcity.reviews.models import Expert

    password = make_password(None)
    logins = [
        expert_user,
        *User.objects.bulk_create(
            [User(username=f"bench_expert_{i:03d}", password=password) for i in range(1, 300)]
        ),
    ]
    homes = list(Region.objects.filter(level__in=["city", "county"]).order_by("code"))
    domains = ["youzheng", "huimin", "xingye", "qiangji"]
    experts = [
        Expert(
            name=f"专家{i:03d}",
            employer=f"评审单位{i:03d}",
            home_region=homes[(i * 7) % len(homes)],
            fields=[domains[i % 4], domains[(i + 1) % 4]],
            user=logins[i],
        )
        for i in range(300)
    ]
    return Expert.objects.bulk_create(experts)


def _call(users: dict[str, Any], assessments: list[Any], year: int) -> Any:
    from starcity.calls.testing import make_accepted_application, make_call
    from starcity.standards.selectors import published_versions

    versions = {level: published_versions(level=level).first() for level in ("city", "county")}
    from datetime import timedelta

    from starcity.core import clock

    # a call whose deadline has passed: its list may be formed
    now = clock.now()
    call = make_call(
        by=users["province"],
        versions=versions,
        year=year,
        quotas={"city": (4, 4), "county": (20, 20)},
        opens_at=now - timedelta(days=60),
        deadline=now - timedelta(days=30),
    )
    for assessment in assessments[:PER_CALL]:
        make_accepted_application(call=call, assessment=assessment, by=users["province"])
    return call


def _scores(panels: list[Any], seed: int) -> None:
    """Every active member scores every indicator around the applicant's own values."""
    from starcity.calls.testing import values_at_grade
    from starcity.core import clock
    from starcity.reviews.choices import MemberRole, MemberStatus
    from starcity.reviews.models import PanelMember, Score
    from starcity.standards.selectors import scoring_standard_for

    rng = random.Random(seed)
    now = clock.now()
    members = list(
        PanelMember.objects.filter(panel__in=panels, role=MemberRole.MEMBER).select_related(
            "panel__application__call"
        )
    )
    standards: dict[tuple[int, str], Any] = {}
    rows = []
    for member in members:
        application = member.panel.application
        key = (application.call_id, application.level)
        if key not in standards:
            level = application.call.levels.get(level=application.level)
            standards[key] = scoring_standard_for(level.standard_version)
        grade = max(1, min(5, 3 + rng.choice([-1, 0, 0, 1])))
        for code, value in values_at_grade(standards[key], grade)["values"].items():
            rows.append(Score(member=member, indicator=code, value=value))
        member.status, member.submitted_at, member.declaration_signed_at = MemberStatus.SUBMITTED, now, now
    Score.objects.bulk_create(rows, batch_size=5000)
    PanelMember.objects.bulk_update(
        members, ["status", "submitted_at", "declaration_signed_at"], batch_size=2000
    )


def _conclude(results: dict[int, tuple[Any, dict[str, Any]]]) -> None:
    """Store the verified grades (what `panel_refresh` would, in bulk): not part of the timing."""
    from decimal import Decimal

    from starcity.core import clock
    from starcity.reviews.choices import PanelStatus
    from starcity.reviews.models import Panel

    panels = list(Panel.objects.filter(pk__in=results))
    for panel in panels:
        _aggregate, result = results[panel.pk]
        panel.status, panel.concluded_at = PanelStatus.CONCLUDED, clock.now()
        panel.verified_grade, panel.verified_score = int(result["grade"]), Decimal(result["score"])
        panel.result = result
    Panel.objects.bulk_update(
        panels, ["status", "concluded_at", "verified_grade", "verified_score", "result"], batch_size=500
    )


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _page_queries(users: dict[str, Any], selection_list: Any) -> tuple[int, int, int]:
    from django.test import Client
    from django.urls import reverse

    province, expert = Client(), Client()
    province.force_login(users["province"])
    expert.force_login(users["expert"])
    return (
        _queries(province, reverse("calls:application_list")),
        _queries(expert, reverse("reviews:home")),
        _queries(province, reverse("lists:level", args=[selection_list.pk, "county"])),
    )


def _stage(users: dict[str, Any], calls: list[Any]) -> dict[str, float]:
    """Draw, aggregate and score, and rank these calls; seconds per stage."""
    from starcity.lists.services import selection_list_form
    from starcity.reviews.conclusion import panel_conclude_bulk
    from starcity.reviews.models import Panel
    from starcity.reviews.services import call_draw

    start = time.perf_counter()
    for call in calls:
        call_draw(by=users["province"], call=call, seed="bench")
    draw = time.perf_counter() - start
    panels = list(Panel.objects.filter(call__in=calls))
    _scores(panels, seed=len(panels))
    start = time.perf_counter()
    results = panel_conclude_bulk(panels)
    aggregate = time.perf_counter() - start
    _conclude(results)
    start = time.perf_counter()
    lists = [selection_list_form(by=users["province"], call=call) for call in calls]
    rank = time.perf_counter() - start
    return {"draw": draw, "aggregate": aggregate, "rank": rank, "panels": len(panels), "list": lists[-1]}


def bench_selection() -> list[str]:
    from starcity.accounts.choices import OrgKind, Role

    users = {
        "province": _member("bench_officer", Role.PROVINCE_OFFICER, "370000", OrgKind.PROVINCIAL_OFFICE),
        "expert": _member("bench_expert", Role.EXPERT, "370100", OrgKind.EXPERT_AFFILIATION),
    }
    start = time.perf_counter()
    assessments = _assessments(users)
    _experts(users["expert"])
    built = time.perf_counter() - start
    lines = [f"selection: {len(assessments)} self-assessments and 300 experts built in {built:.1f} s"]
    calls: list[Any] = []
    for count in (1, 10):
        new = [_call(users, assessments, 2030 + len(calls) + i) for i in range(count)]
        calls.extend(new)
        figures = _stage(users, new)
        n = PER_CALL * len(new)
        whole = figures["draw"] + figures["aggregate"] + figures["rank"]
        queries = _page_queries(users, figures["list"])
        verdict = "ok" if whole < TARGET_SECONDS or n < 1500 else f"ABOVE target {TARGET_SECONDS:.0f} s"
        lines.append(
            f"selection with {n:>5,} applications ({len(new)} call(s), {figures['panels']:,} panels of 5 + 2 "
            f"substitutes, 300 experts): draw with conflict checks {figures['draw']:.2f} s, aggregation + "
            f"scoring {figures['aggregate']:.2f} s, ranking {figures['rank']:.2f} s; whole {whole:.2f} s "
            f"on one core ({verdict})"
        )
        total = PER_CALL * len(calls)
        lines.append(
            f"queries with {total:>5,} applications in the database: "
            f"application list (province) {queries[0]}, expert's queue {queries[1]}, "
            f"ranking page (county level) {queries[2]}"
        )
    return lines
