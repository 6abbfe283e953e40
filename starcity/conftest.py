"""Shared test personas and data, built through the real models and services.

Personas: province officer and administrator, city operator of 淄博市, county operators of
桓台县 (淄博), 张店区 (淄博, same city) and 章丘区 (济南, another city), an expert, an observer and a
community operator. Regions come from the data migration, so every test database has them.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from starcity.accounts.choices import OrgKind, Role

STANDARDS_DIR = Path(__file__).resolve().parent.parent / "standards"
PASSWORD = "Starcity-test-2026"

ORG_KIND_FOR_ROLE = {
    Role.PROVINCE_OFFICER: OrgKind.PROVINCIAL_OFFICE,
    Role.PROVINCE_ADMIN: OrgKind.PROVINCIAL_BUREAU,
    Role.CITY_OPERATOR: OrgKind.CITY_BUREAU,
    Role.COUNTY_OPERATOR: OrgKind.COUNTY_BUREAU,
    Role.COMMUNITY_OPERATOR: OrgKind.COMMUNITY_COMMITTEE,
    Role.EXPERT: OrgKind.EXPERT_AFFILIATION,
    Role.OBSERVER: OrgKind.PROVINCIAL_OFFICE,
}


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    """make_user(username, role, region_code) → a user with one membership."""
    from starcity.accounts.models import Membership, Organisation, User
    from starcity.regions.models import Region

    def _make(username: str, role: str, region_code: str, org_name: str | None = None) -> User:
        region = Region.objects.get(code=region_code)
        kind = ORG_KIND_FOR_ROLE[Role(role)]
        name = org_name or f"{region.name}{OrgKind(kind).label}"
        org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "region": region})
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return _make


@pytest.fixture
def province_officer(make_user):
    return make_user("province_officer", Role.PROVINCE_OFFICER, "370000")


@pytest.fixture
def province_admin(make_user):
    return make_user("province_admin", Role.PROVINCE_ADMIN, "370000")


@pytest.fixture
def city_operator(make_user):
    return make_user("zibo_city", Role.CITY_OPERATOR, "370300")


@pytest.fixture
def county_operator(make_user):
    return make_user("huantai_county", Role.COUNTY_OPERATOR, "370321")


@pytest.fixture
def county_operator_same_city(make_user):
    return make_user("zhangdian_county", Role.COUNTY_OPERATOR, "370303")


@pytest.fixture
def county_operator_other_city(make_user):
    return make_user("zhangqiu_county", Role.COUNTY_OPERATOR, "370114")


@pytest.fixture
def expert(make_user):
    return make_user("expert_wang", Role.EXPERT, "370100", org_name="山东大学")


@pytest.fixture
def observer(make_user):
    return make_user("observer", Role.OBSERVER, "370000", org_name="省级观察员")


def _publish(by: object, filename: str):
    from starcity.standards.services import standard_version_publish

    path = STANDARDS_DIR / filename
    return standard_version_publish(by=by, content=path.read_text(encoding="utf-8"), source_name=path.name)


@pytest.fixture
def city_standard(province_admin):
    """The shipped city standard, published by the province administrator."""
    return _publish(province_admin, "sd-city.yaml")


@pytest.fixture
def county_standard(province_admin):
    """The shipped county standard, published by the province administrator."""
    return _publish(province_admin, "sd-county.yaml")


@pytest.fixture
def community_standard(province_admin):
    """The shipped smart-community standard, published by the province administrator."""
    return _publish(province_admin, "sd-community.yaml")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with the production hasher dominates test time; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language activates it for the thread: put the default back."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


def load_regions_again() -> None:
    """Load the regions of the data migration again (idempotent: creates only what is missing)."""
    from starcity.regions.loader import load_divisions
    from starcity.regions.models import Region, RegionAlias

    load_divisions(Region, RegionAlias)


@pytest.fixture
def regions_reloaded(transactional_db) -> None:
    """A transactional database with the regions present: Django flushes every table after a
    transactional test, which removes the regions the data migration loaded."""
    load_regions_again()


@pytest.fixture(scope="module")
def regions_restored_after(django_db_setup, django_db_blocker):
    """Put the regions back once a module of transactional tests is done, for whatever runs next."""
    yield
    with django_db_blocker.unblock():
        load_regions_again()
