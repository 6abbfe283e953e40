#!/usr/bin/env python
"""`make bench`: throughput of the scoring engine and SQL query counts of the assessment pages.

Prints, for the shipped city standard:
- the time to load and validate the standard file (mean of 20 loads);
- city assessments scored per second by the engine in one process (plan included), for 10,000
  and for 100,000 synthetic assessments;
- the number of SQL queries of the self-assessment list page and of an assessment page with 10
  and with 1,000 assessments in the database (they must not grow with rows).
The database is a throw-away SQLite file (or DATABASE_URL when BENCH_USE_DATABASE_URL=1).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CITY = ROOT / "standards" / "sd-city.yaml"
TARGET_PER_SECOND = 5000


def bench_engine() -> list[str]:
    from starcity.scoring import load_standard_file
    from starcity.scoring.bench import bench_engine as run

    start = time.perf_counter()
    for _ in range(20):
        standard = load_standard_file(CITY)
    load_ms = (time.perf_counter() - start) / 20 * 1000
    lines = [
        f"standard {standard.key}: {len(standard.indicators)} indicators, load + validate {load_ms:.1f} ms"
    ]
    for n in (10_000, 100_000):
        figures = run(standard, n, seed=7)
        verdict = (
            "ok" if figures["per_second"] >= TARGET_PER_SECOND else f"BELOW target {TARGET_PER_SECOND}/s"
        )
        lines.append(
            f"engine: {n:>7,} city assessments in {figures['seconds']:.2f} s = "
            f"{figures['per_second']:,.0f}/s on one core, plan included ({verdict})"
        )
    return lines


def _setup_django(tmp: str) -> None:
    if os.environ.get("BENCH_USE_DATABASE_URL") != "1":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["STARCITY_PRIVATE_MEDIA"] = f"{tmp}/private"
    os.makedirs(ROOT / "var" / "staticfiles", exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_standards", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _grow_to(total: int, users: dict) -> None:  # type: ignore[type-arg]
    """Create submitted county assessments through the real services until `total` exist."""
    from starcity.assessments.models import SelfAssessment
    from starcity.assessments.services import assessment_create, assessment_save_answers, assessment_submit
    from starcity.demo.seed import demo_values
    from starcity.regions.models import Region
    from starcity.standards.selectors import published_versions, scoring_standard_for

    version = published_versions(level="county").first()
    standard = scoring_standard_for(version)
    counties = list(Region.objects.filter(level="county", path__startswith="370000/370300/"))
    count = SelfAssessment.objects.count()
    while count < total:
        region = counties[count % len(counties)]
        doc = demo_values(standard, 1 + count % 5, seed=count)
        values = {k: v for k, v in doc["values"].items() if v is not None}
        item = assessment_create(by=users["city"], region=region, standard_version=version)
        item = assessment_save_answers(by=users["city"], assessment=item, values=values, bonus={}, vetoes={})
        assessment_submit(by=users["city"], assessment=item)
        count += 1


def _draft(user):  # type: ignore[no-untyped-def]
    """A city draft with every indicator filled, for the edit page."""
    from starcity.assessments.services import assessment_create, assessment_save_answers
    from starcity.demo.seed import demo_values
    from starcity.regions.models import Region
    from starcity.standards.selectors import published_versions, scoring_standard_for

    version = published_versions(level="city").first()
    item = assessment_create(by=user, region=Region.objects.get(code="370300"), standard_version=version)
    doc = demo_values(scoring_standard_for(version), 3, seed=1)
    values = {k: v for k, v in doc["values"].items() if v is not None}
    return assessment_save_answers(by=user, assessment=item, values=values, bonus={}, vetoes={})


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def bench_queries() -> list[str]:
    from django.test import Client
    from django.urls import reverse

    from starcity.accounts.choices import OrgKind, Role
    from starcity.accounts.models import Membership, Organisation, User
    from starcity.assessments.models import SelfAssessment
    from starcity.regions.models import Region

    def member(username: str, role: str, code: str, kind: str) -> User:
        region = Region.objects.get(code=code)
        org, _ = Organisation.objects.get_or_create(name=f"bench {code} {kind}", kind=kind, region=region)
        user = User.objects.create_user(username=username, password="bench-password-1")
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    users = {
        "province": member("bench_province", Role.PROVINCE_OFFICER, "370000", OrgKind.PROVINCIAL_OFFICE),
        "city": member("bench_city", Role.CITY_OPERATOR, "370300", OrgKind.CITY_BUREAU),
    }
    lines = []
    draft = None
    for total in (10, 1000):
        start = time.perf_counter()
        _grow_to(total, users)
        made = time.perf_counter() - start
        latest = SelfAssessment.objects.filter(status="submitted").order_by("-pk").first()
        draft = draft or _draft(users["city"])
        counts = []
        for who in ("province", "city"):
            client = Client()
            client.force_login(users[who])
            counts.append(_queries(client, reverse("assessments:list")))
            counts.append(_queries(client, reverse("assessments:detail", args=[latest.pk])))
        client = Client()
        client.force_login(users["city"])
        counts.append(_queries(client, reverse("assessments:detail", args=[draft.pk])))
        lines.append(
            f"queries with {total:>5} assessments (built in {made:.1f} s): list page province {counts[0]}, "
            f"city {counts[2]}; submitted assessment page province {counts[1]}, city {counts[3]}; "
            f"draft page (49-indicator form) {counts[4]}"
        )
    return lines


def main() -> int:
    for line in bench_engine():
        print(line, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(tmp)
        for line in bench_queries():
            print(line, flush=True)
        from bench_selection import bench_selection

        for line in bench_selection():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
