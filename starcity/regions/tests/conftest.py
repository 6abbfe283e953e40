"""Personas for the regions tests: users with one membership each, built from real rows.

Regions come from the data migration (every test database has Shandong's divisions). 淄博市
(370300) and its 桓台县 (370321) are "our" city and county; 张店区 (370303) is another county of
the same city; 济南市 (370100) and its 章丘区 (370114) are another city.
"""

from collections.abc import Callable

import pytest

from starcity.accounts.choices import OrgKind, Role
from starcity.accounts.models import Membership, Organisation, User
from starcity.regions.models import Region

ORG_KINDS = {
    Role.PROVINCE_OFFICER: OrgKind.PROVINCIAL_OFFICE,
    Role.PROVINCE_ADMIN: OrgKind.PROVINCIAL_BUREAU,
    Role.CITY_OPERATOR: OrgKind.CITY_BUREAU,
    Role.COUNTY_OPERATOR: OrgKind.COUNTY_BUREAU,
    Role.COMMUNITY_OPERATOR: OrgKind.COMMUNITY_COMMITTEE,
    Role.EXPERT: OrgKind.EXPERT_AFFILIATION,
    Role.OBSERVER: OrgKind.PROVINCIAL_OFFICE,
}

MakeMember = Callable[[str, str, str], User]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Personas get passwords; the slow production hasher adds nothing to these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_member(db: None) -> MakeMember:
    """A user holding `role` in an organisation attached to the region with `code`."""

    def make(username: str, role: str, code: str) -> User:
        region = Region.objects.get(code=code)
        organisation, _ = Organisation.objects.get_or_create(
            name=f"{region.name}{code}·{role}", defaults={"kind": ORG_KINDS[role], "region": region}
        )
        user = User.objects.create_user(
            username=username, password="pw-for-tests-only", display_name=username
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def province_officer(make_member: MakeMember) -> User:
    return make_member("province_officer", Role.PROVINCE_OFFICER, "370000")


@pytest.fixture
def city_operator(make_member: MakeMember) -> User:
    return make_member("zibo_city_operator", Role.CITY_OPERATOR, "370300")


@pytest.fixture
def other_city_operator(make_member: MakeMember) -> User:
    return make_member("jinan_city_operator", Role.CITY_OPERATOR, "370100")


@pytest.fixture
def county_operator(make_member: MakeMember) -> User:
    return make_member("huantai_operator", Role.COUNTY_OPERATOR, "370321")


@pytest.fixture
def sibling_county_operator(make_member: MakeMember) -> User:
    return make_member("zhangdian_operator", Role.COUNTY_OPERATOR, "370303")


@pytest.fixture
def other_city_county_operator(make_member: MakeMember) -> User:
    return make_member("zhangqiu_operator", Role.COUNTY_OPERATOR, "370114")


@pytest.fixture
def expert(make_member: MakeMember) -> User:
    return make_member("expert", Role.EXPERT, "370000")


@pytest.fixture
def observer(make_member: MakeMember) -> User:
    return make_member("zibo_observer", Role.OBSERVER, "370300")


@pytest.fixture
def huantai(db: None) -> Region:
    return Region.objects.get(code="370321")


@pytest.fixture
def zibo(db: None) -> Region:
    return Region.objects.get(code="370300")
