"""Personas for the regions tests: users with one membership each, built from real rows.

Regions come from the data migration (every test database has Shandong's divisions). 淄博市
(370300) and its 桓台县 (370321) are "our" city and county; 张店区 (370303) is another county of
the same city; 济南市 (370100) and its 章丘区 (370114) are another city.
"""

from collections.abc import Callable

import pytest

from starcity.accounts.choices import Role
from starcity.accounts.models import User
from starcity.regions.models import Region

MakeMember = Callable[[str, str, str], User]


@pytest.fixture
def make_member(make_user: Callable[..., User]) -> MakeMember:
    """A user holding `role` in an organisation attached to the region with `code` (one
    organisation per region and role, built by the shared `make_user` fixture)."""

    def make(username: str, role: str, code: str) -> User:
        return make_user(username, role, code, org_name=f"{code}·{role}")

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
