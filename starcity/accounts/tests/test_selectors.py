"""Region scoping: a membership reaches its organisation's region and everything below it."""

import pytest

from starcity.accounts import selectors
from starcity.regions.models import Region

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.mark.parametrize(
    ("persona", "code", "sees", "acts"),
    [
        ("province_officer", "370321", True, False),
        ("province_officer", "370114", True, False),
        ("city_operator", "370300", True, True),
        ("city_operator", "370321", True, True),
        ("city_operator", "370114", False, False),
        ("county_operator", "370321", True, True),
        ("county_operator", "370300", False, False),
        ("county_operator", "370303", False, False),
        ("county_operator_other_city", "370321", False, False),
        ("expert", "370102", False, False),
        ("observer", "370321", True, False),
    ],
)
def test_scope_of_each_role(request, persona, code, sees, acts):
    user = request.getfixturevalue(persona)
    target = region(code)
    assert selectors.can_see_region(user, target) is sees
    assert selectors.can_act_for_region(user, target) is acts
    assert selectors.regions_visible_to(user).filter(pk=target.pk).exists() is sees
    assert selectors.regions_actable_by(user).filter(pk=target.pk).exists() is acts


def test_city_operator_sees_exactly_its_city_subtree(city_operator):
    visible = set(selectors.regions_visible_to(city_operator).values_list("code", flat=True))
    assert visible == {
        "370300",
        "370302",
        "370303",
        "370304",
        "370305",
        "370306",
        "370321",
        "370322",
        "370323",
    }


def test_province_roles_see_every_region(province_officer):
    assert selectors.regions_visible_to(province_officer).count() == Region.objects.count()
    assert selectors.is_province_staff(province_officer)


def test_inactive_membership_reaches_nothing(county_operator):
    county_operator.memberships.update(is_active=False)
    county_operator.refresh_from_db()
    assert not selectors.can_see_region(county_operator, region("370321"))


def test_anonymous_user_reaches_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.memberships_of(AnonymousUser()) == []
    assert not selectors.regions_visible_to(AnonymousUser()).exists()


def test_a_role_must_sit_at_its_own_level(make_user):
    from django.core.exceptions import ValidationError

    from starcity.accounts.choices import Role
    from starcity.accounts.models import Membership

    user = make_user("misplaced", Role.CITY_OPERATOR, "370300")
    county_org = make_user("helper", Role.COUNTY_OPERATOR, "370321").memberships.get().organisation
    wrong = Membership(user=user, organisation=county_org, role=Role.CITY_OPERATOR)
    with pytest.raises(ValidationError) as caught:
        wrong.full_clean()
    assert "organisation" in caught.value.message_dict
    Membership(user=user, organisation=county_org, role=Role.COUNTY_OPERATOR).full_clean(
        validate_unique=False
    )
