"""Conflicts of interest: each rule, its explanation, declared conflicts, participation, and the
bulk map equal to the single check with a constant number of queries."""

import pytest

from starcity.accounts.choices import Role
from starcity.calls.testing import make_accepted_application, make_call, submitted_assessment
from starcity.core.audit import audit_record
from starcity.regions.models import Region
from starcity.reviews.choices import ConflictReason
from starcity.reviews.conflicts import Conflict, conflict_map, conflicts_between, is_conflicted
from starcity.reviews.models import DeclaredConflict
from starcity.reviews.testing import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(province_officer, county_standard, city_standard):
    return make_call(by=province_officer, versions={"county": county_standard, "city": city_standard})


@pytest.fixture
def huantai(call, county_operator, city_operator, county_standard):
    """桓台县 (淄博市) applies."""
    assessment = submitted_assessment(
        by=county_operator, region=Region.objects.get(code="370321"), version=county_standard
    )
    return make_accepted_application(call=call, assessment=assessment, by=city_operator)


@pytest.fixture
def zhangqiu(call, county_operator_other_city, county_standard, make_user):
    """章丘区 (济南市) applies."""
    jinan = make_user("jinan_city", Role.CITY_OPERATOR, "370100")
    assessment = submitted_assessment(
        by=county_operator_other_city, region=Region.objects.get(code="370114"), version=county_standard
    )
    return make_accepted_application(call=call, assessment=assessment, by=jinan)


def reasons(conflicts: list[Conflict]) -> list[str]:
    return [c.reason for c in conflicts]


def test_home_region_in_the_applicants_city(huantai, zhangqiu):
    zhangdian = make_expert("张专家", "370303")  # 淄博市张店区
    conflicts = conflicts_between(zhangdian, huantai)
    assert conflicts == [
        Conflict(ConflictReason.HOME_REGION, "专家所在地区淄博市张店区属于申报地区所在的淄博市。")
    ]
    assert not is_conflicted(zhangdian, zhangqiu)


def test_home_region_the_city_itself_and_the_province(huantai):
    assert reasons(conflicts_between(make_expert("市专家", "370300"), huantai)) == [
        ConflictReason.HOME_REGION
    ]
    assert conflicts_between(make_expert("省专家", "370000"), huantai) == []


def test_city_application_conflicts_with_its_counties_experts(call, city_operator, city_standard):
    assessment = submitted_assessment(
        by=city_operator, region=Region.objects.get(code="370300"), version=city_standard
    )
    zibo = make_accepted_application(call=call, assessment=assessment, by=city_operator)
    assert reasons(conflicts_between(make_expert("桓台专家", "370321"), zibo)) == [ConflictReason.HOME_REGION]


def test_employer_attached_to_the_city(huantai):
    expert = make_expert("李专家", "370202", employer="淄博职业学院", employer_code="370303")
    conflicts = conflicts_between(expert, huantai)
    assert reasons(conflicts) == [ConflictReason.EMPLOYER]
    assert "淄博职业学院" in conflicts[0].detail and "淄博市张店区" in conflicts[0].detail
    assert conflicts[0].detail.endswith("属于申报地区所在的淄博市。")


def test_declared_on_the_application(huantai, zhangqiu, province_officer):
    expert = make_expert("王专家", "370202")
    DeclaredConflict.objects.create(
        expert=expert, application=huantai, reason="曾参与该县规划编制", declared_by=province_officer
    )
    conflicts = conflicts_between(expert, huantai)
    assert reasons(conflicts) == [ConflictReason.DECLARED]
    assert "曾参与该县规划编制" in conflicts[0].detail
    assert not is_conflicted(expert, zhangqiu)


@pytest.mark.parametrize(
    ("region_code", "conflicted"),
    [
        ("370321", True),  # the applicant itself
        ("370303", True),  # another county of the applicant's city
        ("370300", True),  # the city, which contains the applicant
        ("370000", True),  # the province contains every applicant
        ("370114", False),  # a county of another city
    ],
)
def test_declared_on_a_region(huantai, province_officer, region_code, conflicted):
    expert = make_expert("赵专家", "370202")
    DeclaredConflict.objects.create(
        expert=expert,
        region=Region.objects.get(code=region_code),
        reason="亲属任职",
        declared_by=province_officer,
    )
    conflicts = conflicts_between(expert, huantai)
    assert bool(conflicts) is conflicted
    if conflicted:
        assert reasons(conflicts) == [ConflictReason.DECLARED] and "亲属任职" in conflicts[0].detail


def test_created_the_application(huantai, city_operator):
    expert = make_expert("操作员专家", "370202", user=city_operator)
    conflicts = conflicts_between(expert, huantai)
    assert ConflictReason.PARTICIPATED in reasons(conflicts)
    assert any(c.detail == "专家的账号创建了本申报。" for c in conflicts)


def test_acted_in_the_audit_rows_of_the_self_assessment(huantai, make_user, zhangqiu):
    user = make_user("reviewer_acted", Role.EXPERT, "370202")
    expert = make_expert("审计专家", "370202", user=user)
    assert conflicts_between(expert, huantai) == []
    audit_record(actor=user, action="assessment.save", target=huantai.self_assessment)
    conflicts = conflicts_between(expert, huantai)
    assert reasons(conflicts) == [ConflictReason.PARTICIPATED]
    assert "自评估" in conflicts[0].detail
    assert not is_conflicted(expert, zhangqiu)


def test_acted_in_the_audit_rows_of_the_application(huantai, make_user):
    user = make_user("reviewer_app", Role.EXPERT, "370202")
    expert = make_expert("申报专家", "370202", user=user)
    audit_record(actor=user, action="application.edit", target=huantai)
    audit_record(actor=user, action="application.edit", target=huantai)
    assert reasons(conflicts_between(expert, huantai)) == [ConflictReason.PARTICIPATED]


def test_membership_in_an_organisation_of_the_city(huantai, make_user, zhangqiu):
    operator = make_user("former_operator", Role.COUNTY_OPERATOR, "370303")  # 张店区, 淄博
    expert = make_expert("前操作员", "370202", user=operator)
    conflicts = conflicts_between(expert, huantai)
    assert reasons(conflicts) == [ConflictReason.PARTICIPATED]
    assert "淄博市" in conflicts[0].detail
    assert not is_conflicted(expert, zhangqiu)


def test_expert_affiliation_of_the_account_counts_as_employer(huantai, make_user):
    user = make_user("affiliated", Role.EXPERT, "370321", org_name="桓台县研究院")
    expert = make_expert("单位专家", "370202", user=user)
    conflicts = conflicts_between(expert, huantai)
    assert reasons(conflicts) == [ConflictReason.EMPLOYER]
    assert "桓台县研究院" in conflicts[0].detail


def test_several_reasons_are_all_listed_in_order(huantai, province_officer, city_operator):
    expert = make_expert("多重", "370321", employer_code="370300", user=city_operator)
    DeclaredConflict.objects.create(
        expert=expert, application=huantai, reason="x", declared_by=province_officer
    )
    assert reasons(conflicts_between(expert, huantai))[:3] == [
        ConflictReason.HOME_REGION,
        ConflictReason.EMPLOYER,
        ConflictReason.DECLARED,
    ]


def test_bulk_map_equals_single_checks_with_constant_queries(
    huantai, zhangqiu, province_officer, city_operator, make_user, django_assert_max_num_queries
):
    experts = [
        make_expert("甲", "370303"),
        make_expert("乙", "370202", employer_code="370114"),
        make_expert("丙", "370202", user=city_operator),
        make_expert("丁", "370000"),
        make_expert("戊", "370202", user=make_user("e5", Role.EXPERT, "370202")),
    ]
    DeclaredConflict.objects.create(
        expert=experts[3], region=Region.objects.get(code="370100"), reason="r", declared_by=province_officer
    )
    audit_record(actor=experts[4].user, action="x", target=zhangqiu)
    applications = [huantai, zhangqiu]
    with django_assert_max_num_queries(7):
        found = conflict_map(experts, applications)
    for expert in experts:
        for application in applications:
            assert found.get((expert.pk, application.pk), []) == conflicts_between(expert, application)
    assert set(found) == {
        (experts[0].pk, huantai.pk),
        (experts[1].pk, zhangqiu.pk),
        (experts[2].pk, huantai.pk),
        (experts[3].pk, zhangqiu.pk),
        (experts[4].pk, zhangqiu.pk),
    }
    # the same number of queries for one pair as for many
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        conflict_map(experts[:1], applications[:1])
    with CaptureQueriesContext(connection) as large:
        conflict_map(experts, applications)
    assert len(small.captured_queries) <= len(large.captured_queries) <= 7


def test_empty_inputs_cost_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert conflict_map([], []) == {}
