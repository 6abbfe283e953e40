"""Demo data: one account per role, a community, and self-assessments in several states.

Idempotent: running it again finds what exists and creates nothing twice.
"""

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from starcity.accounts.choices import OrgKind, Role
from starcity.accounts.models import Membership, Organisation, User
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


ACCOUNTS = [
    DemoAccount(
        "admin", "省级管理员", Role.PROVINCE_ADMIN, "370000", "山东省大数据局", OrgKind.PROVINCIAL_BUREAU
    ),
    DemoAccount(
        "province",
        "省级工作人员",
        Role.PROVINCE_OFFICER,
        "370000",
        "数字山东建设专项小组办公室",
        OrgKind.PROVINCIAL_OFFICE,
    ),
    DemoAccount("zibo", "淄博市操作员", Role.CITY_OPERATOR, "370300", "淄博市大数据局", OrgKind.CITY_BUREAU),
    DemoAccount(
        "huantai", "桓台县操作员", Role.COUNTY_OPERATOR, "370321", "桓台县大数据局", OrgKind.COUNTY_BUREAU
    ),
    DemoAccount(
        "zhangqiu",
        "章丘区操作员",
        Role.COUNTY_OPERATOR,
        "370114",
        "济南市章丘区大数据局",
        OrgKind.COUNTY_BUREAU,
    ),
    DemoAccount("expert", "王专家", Role.EXPERT, "370102", "山东大学", OrgKind.EXPERT_AFFILIATION),
    DemoAccount(
        "observer", "观察员", Role.OBSERVER, "370000", "山东省数字强省建设观察组", OrgKind.PROVINCIAL_OFFICE
    ),
]
COMMUNITY = {"county": "370321", "name": "东岳社区", "street": "索镇街道"}


def _account(spec: DemoAccount, region: Region) -> User:
    org, _ = Organisation.objects.get_or_create(
        name=spec.org_name, defaults={"kind": spec.org_kind, "region": region}
    )
    user, created = User.objects.get_or_create(
        username=spec.username, defaults={"display_name": spec.display_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
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
    made = [(spec, _account(spec, Region.objects.get(code=spec.region_code))) for spec in ACCOUNTS]
    users = {spec.username: user for spec, user in made}
    community = _community(users["huantai"])
    spec = DemoAccount(
        "community",
        "东岳社区操作员",
        Role.COMMUNITY_OPERATOR,
        community.code,
        f"{community.name}居民委员会",
        OrgKind.COMMUNITY_COMMITTEE,
    )
    made.append((spec, _account(spec, community)))
    return made


def demo_values(standard: Any, target: int, seed: int) -> dict[str, Any]:
    """A values@1 mapping whose indicators sit around grade `target` (deterministic per seed)."""
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
    # (region code, author username, target grade, submit?)
    ("370321", "huantai", 3, True),
    ("370114", "zhangqiu", 4, True),
    ("370300", "zibo", 3, False),
    ("370303", "zibo", 2, False),
]


def seed_assessments() -> int:
    """Self-assessments in several states (skipped for a region that already has one)."""
    from starcity.assessments.models import SelfAssessment
    from starcity.assessments.services import assessment_create, assessment_save_answers, assessment_submit
    from starcity.standards.selectors import published_versions, scoring_standard_for

    made = 0
    for index, (code, username, target, submit) in enumerate(DEMO_ASSESSMENTS):
        region = Region.objects.get(code=code)
        if SelfAssessment.objects.filter(region=region).exists():
            continue
        version = published_versions(level=region.level).first()
        if version is None:
            continue
        author = User.objects.get(username=username)
        with transaction.atomic():
            assessment = assessment_create(by=author, region=region, standard_version=version)
            doc = demo_values(scoring_standard_for(version), target, seed=index + 1)
            values = {k: v for k, v in doc["values"].items() if v is not None}
            assessment = assessment_save_answers(
                by=author, assessment=assessment, values=values, bonus={}, vetoes={}
            )
            if submit:
                assessment_submit(by=author, assessment=assessment)
        made += 1
    return made
