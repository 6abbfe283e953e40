"""Pages of the regions, persona by persona: who gets 200, 403, 404 or the login page."""

import pytest
from django.urls import reverse

from starcity.core.models import AuditEntry
from starcity.regions.models import Region
from starcity.regions.services import community_create

pytestmark = pytest.mark.django_db

PERSONAS = [
    "province_officer",
    "city_operator",
    "other_city_operator",
    "county_operator",
    "sibling_county_operator",
    "other_city_county_operator",
    "expert",
    "observer",
]


def client_for(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def assert_login_redirect(response):
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# List ------------------------------------------------------------------------------------------


def test_list_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(reverse("regions:list")))


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_open_to_every_signed_in_user(client, request, persona):
    assert client_for(client, request, persona).get(reverse("regions:list")).status_code == 200


def test_list_rejects_post(client, province_officer):
    client.force_login(province_officer)
    assert client.post(reverse("regions:list")).status_code == 405


def listed_codes(response) -> set[str]:
    return {region.code for region in response.context["rows"]}


def test_province_officer_sees_all_cities_and_counties_but_not_communities(client, province_officer, huantai):
    community = community_create(by=province_officer, county=huantai, name="东岳社区", street="索镇街道")
    client.force_login(province_officer)
    codes = listed_codes(client.get(reverse("regions:list")))
    assert len(codes) == 16 + 136 and "370000" not in codes and community.code not in codes
    [row] = [r for r in client.get(reverse("regions:list")).context["rows"] if r.code == "370321"]
    assert row.community_count == 1


def test_city_operator_sees_their_city_counties_and_communities(client, city_operator, huantai):
    community = community_create(by=city_operator, county=huantai, name="东岳社区", street="索镇街道")
    client.force_login(city_operator)
    codes = listed_codes(client.get(reverse("regions:list")))
    assert codes == {
        "370300",
        *Region.objects.filter(parent__code="370300").values_list("code", flat=True),
    } | {community.code}
    assert len(codes) == 1 + 8 + 1


def test_county_operator_sees_only_their_county(client, county_operator):
    client.force_login(county_operator)
    assert listed_codes(client.get(reverse("regions:list"))) == {"370321"}


def test_expert_sees_no_regions(client, expert):
    client.force_login(expert)
    response = client.get(reverse("regions:list"))
    assert listed_codes(response) == set()


def test_search_uses_the_resolver(client, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("regions:list"), {"q": "淄博桓台县、市中区，高新区"})
    content = response.content.decode()
    assert reverse("regions:detail", args=["370321"]) in content
    assert "济南市市中区" in content and "枣庄市市中区" in content and "有歧义" in content
    assert "未找到名为“高新区”的区域" in content
    assert [r.match.status for r in response.context["results"]] == ["resolved", "ambiguous", "not_found"]


def test_search_names_but_does_not_link_regions_out_of_reach(client, other_city_county_operator):
    client.force_login(other_city_county_operator)
    content = client.get(reverse("regions:list"), {"q": "淄博桓台县"}).content.decode()
    assert "淄博市桓台县" in content and "不在您的权限范围内" in content
    assert reverse("regions:detail", args=["370321"]) not in content


def test_search_with_htmx_returns_only_the_results(client, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("regions:list"), {"q": "章丘市"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "历史名称：章丘市" in content


def test_htmx_history_restore_gets_the_whole_page(client, province_officer):
    client.force_login(province_officer)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(reverse("regions:list"), {"q": "章丘市"}, headers=headers)
    assert "<html" in response.content.decode() and "历史名称：章丘市" in response.content.decode()


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_results_alone_are_never_stored_and_vary_on_hx_request(client, province_officer):
    """Back after a search must not replay the bare results table the browser stored for ?q=."""
    client.force_login(province_officer)
    partial = client.get(reverse("regions:list"), {"q": "章丘市"}, headers={"HX-Request": "true"})
    assert "hx-request" in vary(partial)
    assert "no-store" in partial["Cache-Control"]


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}])
def test_whole_page_varies_on_hx_request_too(client, province_officer, headers):
    client.force_login(province_officer)
    page = client.get(reverse("regions:list"), {"q": "章丘市"}, headers=headers)
    assert "<html" in page.content.decode()
    assert "hx-request" in vary(page)
    assert "no-store" not in page.get("Cache-Control", "")


def test_head_is_answered_like_get(client, county_operator):
    client.force_login(county_operator)
    for url in ("list", "detail", "community_create"):
        args = [] if url == "list" else ["370321"]
        assert client.head(reverse(f"regions:{url}", args=args)).status_code == 200, url
    assert not Region.objects.filter(parent__code="370321").exists()


# Detail ----------------------------------------------------------------------------------------

DETAIL_HUANTAI = {
    "province_officer": 200,
    "city_operator": 200,
    "other_city_operator": 404,
    "county_operator": 200,
    "sibling_county_operator": 404,
    "other_city_county_operator": 404,
    "expert": 404,
    "observer": 200,
}


@pytest.mark.parametrize(("persona", "status"), DETAIL_HUANTAI.items())
def test_detail_of_a_county(client, request, persona, status):
    response = client_for(client, request, persona).get(reverse("regions:detail", args=["370321"]))
    assert response.status_code == status


def test_detail_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(reverse("regions:detail", args=["370321"])))


@pytest.mark.parametrize(
    ("persona", "status"), [("province_officer", 200), ("city_operator", 200), ("county_operator", 404)]
)
def test_detail_of_a_city(client, request, persona, status):
    response = client_for(client, request, persona).get(reverse("regions:detail", args=["370300"]))
    assert response.status_code == status


def test_detail_of_unknown_code_is_404(client, province_officer):
    client.force_login(province_officer)
    assert client.get(reverse("regions:detail", args=["999999"])).status_code == 404


def test_county_detail_shows_chain_children_aliases_and_timeline(client, county_operator, huantai):
    community_create(by=county_operator, county=huantai, name="东岳社区", street="索镇街道")
    client.force_login(county_operator)
    response = client.get(reverse("regions:detail", args=["370321"]))
    content = response.content.decode()
    assert [(a.code, visible) for a, visible in response.context["breadcrumbs"]] == [
        ("370000", False),
        ("370300", False),
    ]
    assert [c.name for c in response.context["children"]] == ["东岳社区"]
    assert "索镇街道" in content and "新增社区" in content
    assert [e.action for e in response.context["timeline"]] == ["region.community_create"]
    assert reverse("regions:community_create", args=["370321"]) in content


def test_city_detail_timeline_includes_its_counties(client, city_operator, huantai):
    community_create(by=city_operator, county=huantai, name="东岳社区", street="索镇街道")
    client.force_login(city_operator)
    response = client.get(reverse("regions:detail", args=["370300"]))
    assert [e.target_label for e in response.context["timeline"]] == ["东岳社区"]
    assert len(response.context["children"]) == 8


def test_detail_shows_aliases(client, province_officer):
    client.force_login(province_officer)
    content = client.get(reverse("regions:detail", args=["370211"])).content.decode()
    assert "青岛西海岸新区" in content and "胶南市" in content and "370284" in content


def test_observer_sees_no_add_button(client, observer):
    client.force_login(observer)
    response = client.get(reverse("regions:detail", args=["370321"]))
    assert response.context["can_add_community"] is False
    assert reverse("regions:community_create", args=["370321"]) not in response.content.decode()


def test_community_detail(client, county_operator, huantai):
    community = community_create(by=county_operator, county=huantai, name="东岳社区", street="索镇街道")
    client.force_login(county_operator)
    response = client.get(reverse("regions:detail", args=[community.code]))
    assert response.status_code == 200 and "淄博市桓台县索镇街道东岳社区" in response.content.decode()


# Community create ------------------------------------------------------------------------------

CREATE_HUANTAI = {
    "province_officer": 200,
    "city_operator": 200,
    "other_city_operator": 404,
    "county_operator": 200,
    "sibling_county_operator": 404,
    "other_city_county_operator": 404,
    "expert": 404,
    "observer": 403,
}


def create_url(code: str = "370321") -> str:
    return reverse("regions:community_create", args=[code])


@pytest.mark.parametrize(("persona", "status"), CREATE_HUANTAI.items())
def test_create_form_get(client, request, persona, status):
    assert client_for(client, request, persona).get(create_url()).status_code == status


@pytest.mark.parametrize(("persona", "status"), CREATE_HUANTAI.items())
def test_create_post(client, request, persona, status):
    response = client_for(client, request, persona).post(
        create_url(), {"name": "东岳社区", "street": "索镇街道"}
    )
    created = Region.objects.filter(name="东岳社区").first()
    if status == 200:
        assert response.status_code == 302 and created is not None
        assert response["Location"] == reverse("regions:detail", args=[created.code])
        assert AuditEntry.objects.filter(action="region.community_create", scope=created.path).count() == 1
    else:
        assert response.status_code == status and created is None and not AuditEntry.objects.exists()


def test_create_anonymous_goes_to_login(client):
    assert_login_redirect(client.post(create_url(), {"name": "东岳社区", "street": "索镇街道"}))
    assert not Region.objects.filter(name="东岳社区").exists()


def test_create_under_a_city_is_refused(client, city_operator):
    client.force_login(city_operator)
    assert client.post(create_url("370300"), {"name": "东岳社区", "street": "索镇街道"}).status_code == 403
    assert not Region.objects.filter(name="东岳社区").exists()


def test_create_rejects_other_methods(client, county_operator):
    client.force_login(county_operator)
    assert client.put(create_url()).status_code == 405


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"name": "", "street": "索镇街道"}, "name", None),
        ({"name": "东岳社区", "street": ""}, "street", None),
        ({"name": "   ", "street": "索镇街道"}, "name", None),
        ({"name": "已有社区", "street": "索镇街道"}, "name", "桓台县已有名为“已有社区”的社区"),
        ({"name": "东岳社区", "street": "索镇街道", "code": "370303100001"}, "code", "370321"),
    ],
)
def test_create_bad_input_shows_field_errors_and_writes_nothing(
    client, county_operator, huantai, data, field, text
):
    community_create(by=county_operator, county=huantai, name="已有社区", street="索镇街道")
    before = (Region.objects.count(), AuditEntry.objects.count())
    client.force_login(county_operator)
    response = client.post(create_url(), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if text:
        assert text in response.content.decode()
    assert (Region.objects.count(), AuditEntry.objects.count()) == before
