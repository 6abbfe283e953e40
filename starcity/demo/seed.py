"""Demo data: one account per role, a community, and self-assessments in several states.

Idempotent: running it again finds what exists and creates nothing twice. The expert pool is
seeded by `starcity.demo.experts`, the selection years (calls, applications, panels, lists) by
`starcity.demo.year`.
"""

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from starcity.accounts.choices import OrgKind, Role
from starcity.accounts.models import Membership, Organisation, User
from starcity.demo import values as demo_grades
from starcity.demo.timeline import days_from, replayed_at
from starcity.regions.models import Region
from starcity.scoring import exact_text

DEMO_PASSWORD = "starcity-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    region_code: str
    org_name: str
    org_kind: str
    tries: str = ""  # what to try with it ({year}: the current call's year, {last}: the year before)


ACCOUNTS = [
    DemoAccount(
        "admin",
        "省级管理员",
        Role.PROVINCE_ADMIN,
        "370000",
        "山东省大数据局",
        OrgKind.PROVINCIAL_BUREAU,
        "everything province staff do, plus the Django admin (/admin/) and the expert pool",
    ),
    DemoAccount(
        "province",
        "省级工作人员",
        Role.PROVINCE_OFFICER,
        "370000",
        "数字山东建设专项小组办公室",
        OrgKind.PROVINCIAL_OFFICE,
        "screen 章丘区's application (accept or return), then draw its panel; follow the panels of "
        "青岛市 and 潍坊市; the {last} list is final",
    ),
    DemoAccount(
        "zibo",
        "淄博市操作员",
        Role.CITY_OPERATOR,
        "370300",
        "淄博市大数据局",
        OrgKind.CITY_BUREAU,
        "review 临淄区's application (approve or return) and submit it to the province; start "
        "淄博市's own; {last} letters of 淄博市, 张店区 and 桓台县",
    ),
    DemoAccount(
        "jinan",
        "济南市操作员",
        Role.CITY_OPERATOR,
        "370100",
        "济南市大数据局",
        OrgKind.CITY_BUREAU,
        "submitted 章丘区's application on its behalf; start 济南市's own; {last} pre-pilot letter",
    ),
    DemoAccount(
        "huantai",
        "桓台县操作员",
        Role.COUNTY_OPERATOR,
        "370321",
        "桓台县大数据局",
        OrgKind.COUNTY_BUREAU,
        "complete the draft {year} application (pick the submitted self-assessment, upload the "
        "report) and send it to 淄博市; {last}: not selected",
    ),
    DemoAccount(
        "zhangqiu",
        "章丘区操作员",
        Role.COUNTY_OPERATOR,
        "370114",
        "济南市章丘区大数据局",
        OrgKind.COUNTY_BUREAU,
        "its application, submitted by 济南市, waits for formal screening (revision, timeline)",
    ),
    DemoAccount(
        "linzi",
        "临淄区操作员",
        Role.COUNTY_OPERATOR,
        "370305",
        "淄博市临淄区大数据局",
        OrgKind.COUNTY_BUREAU,
        "its application waits for 淄博市's review",
    ),
    DemoAccount(
        "zhangdian",
        "张店区操作员",
        Role.COUNTY_OPERATOR,
        "370303",
        "淄博市张店区大数据局",
        OrgKind.COUNTY_BUREAU,
        "{last} pilot: decision letter; a self-assessment draft",
    ),
    DemoAccount(
        "qingdao",
        "青岛市操作员",
        Role.CITY_OPERATOR,
        "370200",
        "青岛市大数据局",
        OrgKind.CITY_BUREAU,
        "its application (5 stars) is under expert review",
    ),
    DemoAccount(
        "weifang",
        "潍坊市操作员",
        Role.CITY_OPERATOR,
        "370700",
        "潍坊市大数据局",
        OrgKind.CITY_BUREAU,
        "its application is under expert review",
    ),
    DemoAccount(
        "expert",
        "王立新",
        Role.EXPERT,
        "370102",
        "山东大学",
        OrgKind.EXPERT_AFFILIATION,
        "accept the invitation for 潍坊市 (sign the declaration), finish the scorecard of 青岛市",
    ),
    DemoAccount(
        "observer",
        "观察员",
        Role.OBSERVER,
        "370000",
        "山东省数字强省建设观察组",
        OrgKind.PROVINCIAL_OFFICE,
        "read-only: calls, applications that reached the province, lists",
    ),
]
COMMUNITY = {"county": "370321", "name": "东岳社区", "street": "索镇街道"}
COMMUNITY_TRIES = "self-assessment of 东岳社区 against the smart-community standard"


def password_hash() -> str:
    """The demo password hashed once per run: every demo account shares it (and hashing it for
    each account would dominate the seed's time)."""
    return make_password(DEMO_PASSWORD)


def demo_account(spec: DemoAccount, region: Region, password: str) -> User:
    """The account, its organisation (found by name) and its membership, created when missing."""
    org, _ = Organisation.objects.get_or_create(
        name=spec.org_name, defaults={"kind": spec.org_kind, "region": region}
    )
    user, created = User.objects.get_or_create(
        username=spec.username, defaults={"display_name": spec.display_name}
    )
    if created:
        user.password = password
        if spec.role == Role.PROVINCE_ADMIN:
            user.is_staff = True
            user.is_superuser = True
        user.save()
    Membership.objects.get_or_create(user=user, organisation=org, role=spec.role)
    return user


def _community(by: User) -> Region:
    from starcity.regions.services import community_create

    county = Region.objects.get(code=COMMUNITY["county"])
    existing = Region.objects.filter(parent=county, name=COMMUNITY["name"]).first()
    if existing is not None:
        return existing
    return community_create(by=by, county=county, name=COMMUNITY["name"], street=COMMUNITY["street"])


@transaction.atomic
def seed_accounts() -> list[tuple[DemoAccount, User]]:
    """Create (or find) one organisation and account per role, and a demo community with its operator."""
    password = password_hash()
    made = [
        (spec, demo_account(spec, Region.objects.get(code=spec.region_code), password)) for spec in ACCOUNTS
    ]
    users = {spec.username: user for spec, user in made}
    community = _community(users["huantai"])
    spec = DemoAccount(
        "community",
        "东岳社区操作员",
        Role.COMMUNITY_OPERATOR,
        community.code,
        f"{community.name}居民委员会",
        OrgKind.COMMUNITY_COMMITTEE,
        COMMUNITY_TRIES,
    )
    made.append((spec, demo_account(spec, community, password)))
    return made


def demo_values(standard: Any, target: int, seed: int) -> dict[str, Any]:
    """A values@1 mapping whose indicators sit around grade `target` (deterministic per seed);
    the overall grade may come out below `target` (the benchmark's varied input)."""
    rng = random.Random(seed)
    n = len(standard.grades)
    values: dict[str, Any] = {}
    for ind in standard.indicators:
        grade = max(0, min(n, target + rng.choice([-1, 0, 0, 0, 1])))
        if ind.method == "tiered":
            values[ind.code] = grade
        elif ind.method == "boolean":
            values[ind.code] = grade >= target
        elif grade == 0:
            values[ind.code] = None
        else:
            number = exact_text(ind.thresholds[grade - 1])
            values[ind.code] = (
                {"numerator": number, "denominator": "100"} if ind.method == "ratio" else number
            )
    return {"schema": "starcity/values@1", "values": values, "bonus": {}, "vetoes": {}}


DEMO_ASSESSMENTS = [
    # (region code, author username, grade, submit?): the current self-assessments; a submitted
    # one reaches its grade exactly, so 桓台县 and 章丘区 may apply for a 4-star pilot.
    ("370321", "huantai", 3, True),
    ("370114", "zhangqiu", 3, True),
    ("370300", "zibo", 4, False),
    ("370303", "zhangdian", 4, False),
]
ASSESSMENTS_DAYS_AGO = 30  # when the current self-assessments were made


def made_assessment(*, region: Region, author: User, grade: int, seed: int, submit: bool) -> Any:
    """A self-assessment of `region` at `grade` through the real services (submitted or not),
    on the published version of the region's level, titled with the year it is made in."""
    from starcity.assessments.services import assessment_create, assessment_save_answers, assessment_submit
    from starcity.core import clock
    from starcity.standards.selectors import published_versions, scoring_standard_for

    version = published_versions(level=region.level).first()
    if version is None:
        raise LookupError(f"no published standard for the level {region.level}: run load_standards")
    standard = scoring_standard_for(version)
    values = demo_grades.values_of(standard, demo_grades.profile(standard, grade, seed=seed), seed=seed)
    title = f"{region.full_name}{clock.local_now().year}年度自评估"
    assessment = assessment_create(by=author, region=region, standard_version=version, title=title)
    assessment = assessment_save_answers(by=author, assessment=assessment, values=values, bonus={}, vetoes={})
    return assessment_submit(by=author, assessment=assessment) if submit else assessment


def seed_assessments(today: date | None = None) -> int:
    """This year's self-assessments in several states, made a month before `today`; skipped for
    a region that already has one (those of last year, used by applications to a closed call,
    do not count)."""
    from starcity.assessments.models import SelfAssessment
    from starcity.calls.choices import CallStatus
    from starcity.core import clock

    today = today or clock.local_now().date()
    made = 0
    for index, (code, username, grade, submit) in enumerate(DEMO_ASSESSMENTS):
        region = Region.objects.get(code=code)
        current = SelfAssessment.objects.filter(region=region).exclude(
            applications__call__status=CallStatus.CLOSED
        )
        if current.exists():
            continue
        author = User.objects.get(username=username)
        with transaction.atomic(), replayed_at(days_from(today, index - ASSESSMENTS_DAYS_AGO, 10)):
            made_assessment(region=region, author=author, grade=grade, seed=index + 1, submit=submit)
        made += 1
    return made
