"""community_create: codes and paths, audit, and refusals that write nothing."""

import pytest

from starcity.core.errors import ValidationFailed
from starcity.core.models import AuditEntry
from starcity.regions.choices import Kind, Level
from starcity.regions.models import Region
from starcity.regions.services import community_create

pytestmark = pytest.mark.django_db


def test_creates_community_with_derived_code_path_and_audit(county_operator, huantai):
    community = community_create(by=county_operator, county=huantai, name="  东岳 社区 ", street="索镇街道")
    assert (community.code, community.path) == ("370321-0001", "370000/370300/370321/370321-0001/")
    assert (community.name, community.street, community.level, community.kind) == (
        "东岳 社区",
        "索镇街道",
        Level.COMMUNITY,
        Kind.COMMUNITY,
    )
    assert community.parent == huantai and community.city.code == "370300"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.scope, entry.target_id) == (
        "region.community_create",
        county_operator,
        community.path,
        str(community.pk),
    )
    assert entry.after["county"] == "370321"


def test_codes_count_up_per_county(county_operator, huantai):
    first = community_create(by=county_operator, county=huantai, name="甲社区", street="索镇街道")
    second = community_create(by=county_operator, county=huantai, name="乙社区", street="索镇街道", code="")
    other = community_create(
        by=county_operator, county=Region.objects.get(code="370303"), name="甲社区", street="x"
    )
    assert (first.code, second.code, other.code) == ("370321-0001", "370321-0002", "370303-0001")


def test_optional_statistical_code(county_operator, huantai):
    community = community_create(
        by=county_operator, county=huantai, name="甲社区", street="索镇", code="370321100001"
    )
    assert community.stat_code == "370321100001" and community.code == "370321-0001"


def test_same_name_in_another_county_is_fine(county_operator, huantai):
    community_create(by=county_operator, county=huantai, name="新村社区", street="索镇")
    community_create(
        by=county_operator, county=Region.objects.get(code="370322"), name="新村社区", street="田镇"
    )
    assert Region.objects.filter(name="新村社区").count() == 2


def refused(**kwargs) -> ValidationFailed:
    before = (Region.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        community_create(**kwargs)
    assert (Region.objects.count(), AuditEntry.objects.count()) == before
    return caught.value


def test_empty_name_and_street_are_refused_naming_both_fields(county_operator, huantai):
    error = refused(by=county_operator, county=huantai, name="  ", street="")
    assert [field for field, _ in error.errors] == ["name", "street"]
    assert error.field == "name" and "社区名称" in str(error.message)


def test_duplicate_name_in_the_county_is_refused(county_operator, huantai):
    community_create(by=county_operator, county=huantai, name="东岳社区", street="索镇街道")
    error = refused(by=county_operator, county=huantai, name="东岳社区", street="果里镇")
    assert error.field == "name" and "东岳社区" in str(error.message) and "桓台县" in str(error.message)


@pytest.mark.parametrize("code", ["37032110000", "3703211000011", "370303100001", "37032110000x"])
def test_bad_statistical_code_is_refused(county_operator, huantai, code):
    error = refused(by=county_operator, county=huantai, name="甲社区", street="索镇", code=code)
    assert error.field == "code" and "370321" in str(error.message)


def test_taken_statistical_code_is_refused(county_operator, huantai):
    community_create(by=county_operator, county=huantai, name="甲社区", street="索镇", code="370321100001")
    error = refused(by=county_operator, county=huantai, name="乙社区", street="索镇", code="370321100001")
    assert error.field == "code"


def test_too_long_name_is_refused(county_operator, huantai):
    error = refused(by=county_operator, county=huantai, name="长" * 65, street="索镇")
    assert error.field == "name"


@pytest.mark.parametrize("code", ["370000", "370300"])
def test_wrong_level_is_refused(province_officer, code):
    error = refused(by=province_officer, county=Region.objects.get(code=code), name="甲社区", street="索镇")
    assert error.field == "county"


def test_community_under_community_is_refused(county_operator, huantai):
    community = community_create(by=county_operator, county=huantai, name="甲社区", street="索镇")
    error = refused(by=county_operator, county=community, name="乙社区", street="索镇")
    assert error.field == "county"


def test_inactive_county_is_refused(county_operator, huantai):
    Region.objects.filter(pk=huantai.pk).update(is_active=False)
    assert refused(by=county_operator, county=huantai, name="甲社区", street="索镇").field == "county"
