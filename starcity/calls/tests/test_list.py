"""The application list and its Excel export: who sees which applications, filters, and an
export that holds exactly the rows of the screen."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from starcity.calls import selectors, services
from starcity.calls.testing import make_accepted_application, submitted_assessment
from starcity.calls.tests.conftest import region
from starcity.core.audit import audit_timeline_for_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(
    submitted, call, province_officer, county_operator_same_city, county_operator_other_city, county_standard
):
    """桓台 submitted; 张店 (same city) a draft; 章丘 (济南) accepted."""
    zhangdian = services.application_create(by=county_operator_same_city, call=call, region=region("370303"))
    assessment = submitted_assessment(
        by=county_operator_other_city, region=region("370114"), version=county_standard, grade=3
    )
    zhangqiu = make_accepted_application(call=call, assessment=assessment, by=province_officer)
    return {"huantai": submitted, "zhangdian": zhangdian, "zhangqiu": zhangqiu}


def _ids(client, query=""):
    response = client.get(reverse("calls:application_list") + query)
    assert response.status_code == 200
    return {app.pk for app in response.context["page"].object_list}


def _export_ids(client, query=""):
    response = client.get(reverse("calls:application_export") + query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("province_officer", {"huantai", "zhangdian", "zhangqiu"}),
        ("city_operator", {"huantai", "zhangdian"}),
        ("county_operator", {"huantai"}),
        ("county_operator_other_city", {"zhangqiu"}),
        ("observer", {"huantai", "zhangqiu"}),
        ("expert", set()),
    ],
)
def test_visibility_and_export_equal_the_list(request, client, spread, user, expected):
    client.force_login(request.getfixturevalue(user))
    wanted = {spread[name].pk for name in expected}
    assert _ids(client) == wanted
    assert _export_ids(client) == wanted


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=draft", {"zhangdian"}),
        ("?city=370100", {"zhangqiu"}),
        ("?level=city", set()),
        ("?level=county&status=submitted", {"huantai"}),
    ],
)
def test_filters_apply_to_list_and_export(client, spread, province_officer, query, expected):
    client.force_login(province_officer)
    wanted = {spread[name].pk for name in expected}
    assert _ids(client, query) == wanted
    assert _export_ids(client, query) == wanted


def test_call_filter(client, spread, province_officer, call):
    client.force_login(province_officer)
    assert len(_ids(client, f"?call={call.pk}")) == 3


def test_export_row_reads_well(client, submitted, county_operator):
    client.force_login(county_operator)
    response = client.get(reverse("calls:application_export"))
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, row = rows
    assert header[:3] == ("编号", "批次", "申报地区")
    assert row[2] == "淄博市桓台县" and row[3] == "淄博市" and row[6] == "四星级" and row[7] == 1
    assert row[-1].endswith(reverse("calls:application_detail", args=[submitted.pk]))


def test_anonymous_list_goes_to_login(client):
    assert "/login/" in client.get(reverse("calls:application_list"))["Location"]
    assert "/login/" in client.get(reverse("calls:application_export"))["Location"]


def test_visible_to_is_the_selector(spread, city_operator):
    assert set(selectors.applications_visible_to(city_operator)) == {spread["huantai"], spread["zhangdian"]}


def test_timelines_hide_other_cities_applications(spread, county_operator_other_city, county_operator):
    rows = audit_timeline_for_scope("370000/", user=county_operator_other_city)
    assert not rows.filter(target_type="calls.application", target_id=str(spread["huantai"].pk)).exists()
    rows = audit_timeline_for_scope("370000/", user=county_operator)
    assert rows.filter(target_type="calls.application", target_id=str(spread["huantai"].pk)).exists()


def test_list_and_export_queries_do_not_grow_with_rows(
    client, spread, call, province_officer, county_standard, make_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province_officer)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("calls:application_list"), reverse("calls:application_export")]
    before = [count(url) for url in urls]
    for code in ("370202", "370203", "370211"):
        operator = make_user(f"op{code}", "county_operator", code)
        assessment = submitted_assessment(by=operator, region=region(code), version=county_standard, grade=3)
        make_accepted_application(call=call, assessment=assessment, by=province_officer)
    assert [count(url) for url in urls] == before
