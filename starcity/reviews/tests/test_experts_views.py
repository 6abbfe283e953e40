"""Expert pool pages: province staff only (others 403/404), list filters and search, create, edit,
availability, declared conflicts (office and the expert's own page), conflicts explained."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from starcity.accounts.choices import Role
from starcity.calls.testing import make_accepted_application, make_call, submitted_assessment
from starcity.core.models import AuditEntry
from starcity.regions.models import Region
from starcity.reviews.models import DeclaredConflict, Expert
from starcity.reviews.testing import make_expert, make_panel

pytestmark = pytest.mark.django_db

PASSWORD = "Starcity-test-2026"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def pool():
    return [
        make_expert(
            "张三", "370303", employer="淄博职业学院", fields=["youzheng", "huimin"], phone="13800000001"
        ),
        make_expert("李四", "370202", employer="青岛大学", fields=["xingye"], email="lisi@example.com"),
        make_expert("王五", "370114", employer="山东大学", fields=["qiangji"], available=False),
    ]


@pytest.fixture
def application(province_officer, county_operator, city_operator, county_standard, city_standard):
    call = make_call(by=province_officer, versions={"county": county_standard, "city": city_standard})
    assessment = submitted_assessment(
        by=county_operator, region=Region.objects.get(code="370321"), version=county_standard
    )
    return make_accepted_application(call=call, assessment=assessment, by=city_operator)


def form_data(**overrides):
    data = {
        "name": "赵六",
        "employer": "山东省信息中心",
        "employer_region": "",
        "home_region": str(Region.objects.get(code="370102").pk),
        "domains": ["youzheng", "qiangji"],
        "available": "on",
        "phone": "0531-88888888",
        "email": "zhaoliu@example.com",
        "notes": "",
        "user": "",
    }
    data.update(overrides)
    return data


# -- permissions ------------------------------------------------------------------------------


def page_urls(expert, application):
    return {
        "get": [
            reverse("reviews:expert_list"),
            reverse("reviews:expert_create"),
            reverse("reviews:expert_export"),
            reverse("reviews:expert_template"),
            reverse("reviews:expert_detail", args=[expert.pk]),
            reverse("reviews:expert_edit", args=[expert.pk]),
            reverse("reviews:application_conflicts", args=[application.pk]),
            reverse("reviews:my_conflicts"),
        ],
        "post": [
            reverse("reviews:expert_import"),
            reverse("reviews:expert_available", args=[expert.pk]),
            reverse("reviews:expert_unavailable", args=[expert.pk]),
            reverse("reviews:expert_conflict_declare", args=[expert.pk]),
            reverse("reviews:my_conflict_declare"),
        ],
    }


def test_anonymous_is_sent_to_login(client, pool, application):
    urls = page_urls(pool[0], application)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for url in urls["post"]:
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


@pytest.mark.parametrize("persona", ["city_operator", "county_operator", "expert", "observer"])
def test_only_province_staff_reach_the_pool(client, request, persona, pool, application):
    user = request.getfixturevalue(persona)
    login(client, user)
    expert = pool[0]
    for name in ("expert_list", "expert_create", "expert_export", "expert_template"):
        assert client.get(reverse(f"reviews:{name}")).status_code == 403, name
    assert client.post(reverse("reviews:expert_import")).status_code == 403
    for name in ("expert_detail", "expert_edit"):
        assert client.get(reverse(f"reviews:{name}", args=[expert.pk])).status_code == 404, name
    for name in ("expert_available", "expert_unavailable", "expert_conflict_declare"):
        assert client.post(reverse(f"reviews:{name}", args=[expert.pk])).status_code == 404, name
    assert client.get(reverse("reviews:application_conflicts", args=[application.pk])).status_code == 404
    assert not AuditEntry.objects.filter(target_type="reviews.expert").exists()


def test_post_only_urls_refuse_get(client, province_officer, pool):
    login(client, province_officer)
    for name in ("expert_available", "expert_unavailable", "expert_conflict_declare"):
        assert client.get(reverse(f"reviews:{name}", args=[pool[0].pk])).status_code == 405
    assert client.get(reverse("reviews:expert_import")).status_code == 405
    assert client.get(reverse("reviews:my_conflict_declare")).status_code == 405


# -- list, filters, export ----------------------------------------------------------------------


def names_in(response):
    return [expert.name for expert in response.context["page"].object_list]


def test_list_filters_and_search(client, province_officer, pool):
    login(client, province_officer)
    url = reverse("reviews:expert_list")
    assert names_in(client.get(url)) == ["张三", "李四", "王五"]
    assert names_in(client.get(url, {"field": "xingye"})) == ["李四"]
    zibo = Region.objects.get(code="370300")
    assert names_in(client.get(url, {"city": zibo.pk})) == ["张三"]
    assert names_in(client.get(url, {"available": "no"})) == ["王五"]
    assert names_in(client.get(url, {"available": "yes"})) == ["张三", "李四"]
    assert names_in(client.get(url, {"q": "青岛"})) == ["李四"]
    assert names_in(client.get(url, {"q": "13800000001"})) == ["张三"]


def test_export_follows_the_filters(client, province_officer, pool):
    login(client, province_officer)
    response = client.get(reverse("reviews:expert_export"), {"available": "yes"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "姓名", "工作单位")
    assert [row[1] for row in rows[1:]] == ["张三", "李四"]
    assert rows[1][4] == "淄博市张店区" and rows[1][5] == "优政、惠民" and rows[1][7] == "13800000001"


def test_template_download(client, province_officer):
    login(client, province_officer)
    response = client.get(reverse("reviews:expert_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["专家名单", "填写说明"]
    assert next(workbook["专家名单"].iter_rows(values_only=True))[:4] == (
        "姓名",
        "工作单位",
        "单位所属区域",
        "所在地区",
    )


# -- create and edit ------------------------------------------------------------------------------


def test_create(client, province_officer):
    login(client, province_officer)
    response = client.post(reverse("reviews:expert_create"), form_data())
    expert = Expert.objects.get(name="赵六")
    assert response.status_code == 302 and response["Location"] == reverse(
        "reviews:expert_detail", args=[expert.pk]
    )
    assert expert.fields == ["youzheng", "qiangji"] and expert.home_region.code == "370102"
    entry = AuditEntry.objects.get(action="expert.create")
    assert entry.actor == province_officer and entry.after["phone"] == "0531-88888888"
    assert client.get(reverse("reviews:expert_detail", args=[expert.pk])).status_code == 200


def test_create_refused_with_errors_on_fields(client, province_officer, pool):
    login(client, province_officer)
    response = client.post(
        reverse("reviews:expert_create"), form_data(email="not-an-email", phone="13800000001", domains=[])
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "domains" in form.errors
    response = client.post(reverse("reviews:expert_create"), form_data(email="bad@", phone="13800000001"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "格式不正确" in str(form.errors["email"])
    assert "张三" in str(form.errors["phone"])
    assert not Expert.objects.filter(name="赵六").exists()
    assert not AuditEntry.objects.filter(action="expert.create").exists()


def test_link_account_requires_the_expert_role(client, province_officer, expert, county_operator):
    login(client, province_officer)
    response = client.post(reverse("reviews:expert_create"), form_data(user=str(county_operator.pk)))
    assert response.status_code == 400  # not offered: the form refuses it
    response = client.post(reverse("reviews:expert_create"), form_data(user=str(expert.pk)))
    assert response.status_code == 302
    assert Expert.objects.get(name="赵六").user == expert


def test_edit_records_what_changed(client, province_officer, pool):
    login(client, province_officer)
    target = pool[1]
    data = form_data(
        name="李四",
        employer="青岛大学",
        home_region=str(target.home_region_id),
        domains=["xingye", "huimin"],
        phone="",
        email="lisi@example.com",
    )
    response = client.post(reverse("reviews:expert_edit", args=[target.pk]), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.fields == ["huimin", "xingye"]
    entry = AuditEntry.objects.get(action="expert.update")
    assert entry.before == {"fields": ["xingye"]} and entry.after == {"fields": ["huimin", "xingye"]}


# -- availability ---------------------------------------------------------------------------------


def test_mark_unavailable_then_available(client, province_officer, pool):
    login(client, province_officer)
    expert = pool[0]
    response = client.post(reverse("reviews:expert_unavailable", args=[expert.pk]))
    assert response.status_code == 302
    expert.refresh_from_db()
    assert not expert.available
    assert AuditEntry.objects.filter(action="expert.unavailable", target_id=str(expert.pk)).count() == 1
    # wrong state: nothing changes, no audit row
    response = client.post(reverse("reviews:expert_unavailable", args=[expert.pk]))
    assert response.status_code == 409
    assert AuditEntry.objects.filter(action="expert.unavailable").count() == 1
    assert client.post(reverse("reviews:expert_available", args=[expert.pk])).status_code == 302
    expert.refresh_from_db()
    assert expert.available


# -- declared conflicts -----------------------------------------------------------------------------


def test_office_records_a_declared_conflict(client, province_officer, pool, application):
    login(client, province_officer)
    expert = pool[1]
    url = reverse("reviews:expert_conflict_declare", args=[expert.pk])
    response = client.post(
        url, {"region": "", "application": str(application.pk), "reason": "曾为该县提供咨询"}
    )
    assert response.status_code == 302
    declared = DeclaredConflict.objects.get(expert=expert)
    assert declared.application == application and declared.declared_by == province_officer
    assert AuditEntry.objects.get(action="conflict.declare").reason == "曾为该县提供咨询"
    # both targets, or none: refused
    both = client.post(
        url,
        {
            "region": str(Region.objects.get(code="370100").pk),
            "application": str(application.pk),
            "reason": "x",
        },
    )
    assert both.status_code == 400
    assert client.post(url, {"reason": "x"}).status_code == 400
    # the same declaration twice: 409, nothing added
    again = client.post(url, {"application": str(application.pk), "reason": "再次"})
    assert again.status_code == 409
    assert DeclaredConflict.objects.filter(expert=expert).count() == 1


def test_expert_declares_their_own_conflict(client, make_user, province_officer, application):
    user = make_user("expert_self", Role.EXPERT, "370202")
    mine = make_expert("自己", "370202", user=user)
    login(client, user)
    page = client.get(reverse("reviews:my_conflicts"))
    assert page.status_code == 200 and "我的利益冲突申报" in page.content.decode()
    # an application not offered to them cannot be named
    response = client.post(
        reverse("reviews:my_conflict_declare"), {"application": str(application.pk), "reason": "亲属"}
    )
    assert response.status_code == 400
    make_panel(application=application, experts=[mine], by=province_officer)
    response = client.post(
        reverse("reviews:my_conflict_declare"),
        {"application": str(application.pk), "reason": "亲属在该县任职"},
    )
    assert response.status_code == 302
    region = Region.objects.get(code="370600")
    assert (
        client.post(
            reverse("reviews:my_conflict_declare"), {"region": str(region.pk), "reason": "曾任职"}
        ).status_code
        == 302
    )
    assert [
        (d.application_id, d.region_id, d.declared_by_id) for d in DeclaredConflict.objects.order_by("pk")
    ] == [
        (application.pk, None, user.pk),
        (None, region.pk, user.pk),
    ]


def test_my_conflicts_for_others(client, county_operator, expert):
    login(client, county_operator)
    assert client.get(reverse("reviews:my_conflicts")).status_code == 403
    assert client.post(reverse("reviews:my_conflict_declare"), {"reason": "x"}).status_code == 403
    client.force_login(expert)  # an expert account not linked to the pool yet
    page = client.get(reverse("reviews:my_conflicts"))
    assert page.status_code == 200 and "尚未关联" in page.content.decode()
    response = client.post(
        reverse("reviews:my_conflict_declare"),
        {"region": str(Region.objects.get(code="370100").pk), "reason": "x"},
    )
    assert response.status_code == 409
    assert not DeclaredConflict.objects.exists()


# -- conflicts of an application explained ----------------------------------------------------------


def test_application_conflicts_page(client, province_officer, pool, application):
    login(client, province_officer)
    response = client.get(reverse("reviews:application_conflicts", args=[application.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [expert.name for expert, _c in rows] == ["张三"]
    html = response.content.decode()
    assert "专家所在地区淄博市张店区属于申报地区所在的淄博市" in html
    assert response.context["eligible"] == 1  # 李四 (王五 is unavailable)


def test_detail_lists_declarations_panels_and_changes(client, province_officer, pool, application):
    expert = pool[1]
    panel = make_panel(application=application, experts=[expert], by=province_officer)
    login(client, province_officer)
    client.post(reverse("reviews:expert_unavailable", args=[expert.pk]))
    client.post(
        reverse("reviews:expert_conflict_declare", args=[expert.pk]),
        {"region": str(Region.objects.get(code="370600").pk), "reason": "曾在烟台任职"},
    )
    response = client.get(reverse("reviews:expert_detail", args=[expert.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("reviews:panel_detail", args=[panel.pk]) in html
    assert "曾在烟台任职" in html and "烟台市" in html
    assert "设为暂不参加评审" in html  # the audit row, by its label
    assert [entry.action for entry in response.context["timeline"]] == ["expert.unavailable"]
