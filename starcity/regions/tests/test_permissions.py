"""get_region_for_user: 404 for regions out of sight, 403 for seen regions the user may not manage."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from starcity.regions.permissions import can_manage_communities, get_region_for_user
from starcity.regions.services import community_create

pytestmark = pytest.mark.django_db


def outcome(user, code, action="view") -> str:
    try:
        get_region_for_user(user, code, action=action)
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize(
    ("persona", "view", "manage"),
    [
        ("province_officer", "ok", "ok"),
        ("city_operator", "ok", "ok"),
        ("other_city_operator", "404", "404"),
        ("county_operator", "ok", "ok"),
        ("sibling_county_operator", "404", "404"),
        ("other_city_county_operator", "404", "404"),
        ("expert", "404", "404"),
        ("observer", "ok", "403"),
    ],
)
def test_county_370321(request, persona, view, manage):
    user = request.getfixturevalue(persona)
    assert (outcome(user, "370321"), outcome(user, "370321", "manage_communities")) == (view, manage)


def test_anonymous_sees_nothing():
    assert outcome(AnonymousUser(), "370321") == "404"


def test_unknown_code_is_404(province_officer):
    assert outcome(province_officer, "nope") == "404"


def test_communities_are_managed_only_under_counties(province_officer, county_operator, huantai):
    community = community_create(by=county_operator, county=huantai, name="东岳社区", street="索镇")
    assert outcome(province_officer, "370300", "manage_communities") == "403"
    assert outcome(county_operator, community.code) == "ok"
    assert not can_manage_communities(county_operator, community)


def test_community_operator_sees_their_community_but_not_the_county(make_member, county_operator, huantai):
    community = community_create(by=county_operator, county=huantai, name="东岳社区", street="索镇")
    member = make_member("community_operator", "community_operator", community.code)
    assert outcome(member, community.code) == "ok"
    assert outcome(member, "370321") == "404"
