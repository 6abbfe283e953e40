"""Login, logout, password change, the workbench of every role, and the admin gate."""

import pytest
from django.test import override_settings
from django.urls import reverse

from starcity.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_and_successful_login_lands_on_workbench(client, county_operator):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "huantai_county", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:workbench")


def test_wrong_password_is_refused_with_a_clear_message(client, county_operator):
    response = client.post(reverse("accounts:login"), {"username": "huantai_county", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_to_another_site(client, county_operator):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "huantai_county", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_logout_needs_post_and_ends_the_session(client, county_operator):
    client.force_login(county_operator)
    confirm = client.get(reverse("accounts:logout"))
    assert confirm.status_code == 200
    assert "确定要退出" in confirm.content.decode()
    assert client.get(reverse("accounts:workbench")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:workbench")).status_code == 302


def test_anonymous_workbench_redirects_to_login(client):
    response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change(client, county_operator):
    client.force_login(county_operator)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    county_operator.refresh_from_db()
    assert county_operator.check_password("Another-pass-2026")


def test_password_change_with_wrong_old_password_changes_nothing(client, county_operator):
    client.force_login(county_operator)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Another-pass-2026", "new_password2": "Another-pass-2026"},
    )
    assert response.status_code == 200
    county_operator.refresh_from_db()
    assert county_operator.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("county_operator", ["待完成的自评估", "开展自评估", "现行建设标准", "我的区域", "为桓台县添加社区"]),
        ("city_operator", ["待完成的自评估", "开展自评估", "我的区域"]),
        ("province_officer", ["最近提交的自评估", "现行建设标准"]),
        ("province_admin", ["最近提交的自评估", "发布新版本"]),
        ("expert", ["现行建设标准"]),
    ],
)
def test_workbench_of_each_role_lists_what_waits_and_what_may_start(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("accounts:workbench")).content.decode()
    for text in expected:
        assert text in page, text


def test_workbench_hides_what_a_role_may_not_do(client, expert, county_operator):
    client.force_login(expert)
    page = client.get(reverse("accounts:workbench")).content.decode()
    assert "开展自评估" not in page
    assert "发布新版本" not in page
    client.force_login(county_operator)
    assert "发布新版本" not in client.get(reverse("accounts:workbench")).content.decode()


def test_workbench_lists_a_draft_to_finish(client, county_operator, county_standard):
    from starcity.assessments.services import assessment_create
    from starcity.regions.models import Region

    draft = assessment_create(
        by=county_operator, region=Region.objects.get(code="370321"), standard_version=county_standard
    )
    client.force_login(county_operator)
    page = client.get(reverse("accounts:workbench")).content.decode()
    assert reverse("assessments:detail", args=[draft.pk]) in page


def test_admin_only_for_province_administrators(client, province_admin, province_officer, county_operator):
    for user in (province_officer, county_operator):
        user.is_staff = True
        user.save()
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == 302
    province_admin.is_staff = True
    province_admin.save()
    client.force_login(province_admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_language_switch_to_english(client, county_operator):
    client.force_login(county_operator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:workbench")).content.decode()
    assert "Workbench" in page
    assert 'lang="en"' in page


def test_expert_workbench_links_no_region_it_cannot_open(client, expert):
    client.force_login(expert)
    page = client.get(reverse("accounts:workbench")).content.decode()
    assert reverse("regions:detail", args=["370100"]) not in page


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_pages_keep_the_layout_and_say_why(
    client, county_operator_other_city, expert
):
    client.force_login(county_operator_other_city)
    missing = client.get("/assessments/999999/")
    assert missing.status_code == 404
    assert "返回工作台" in missing.content.decode()
    client.force_login(expert)
    forbidden = client.get(reverse("assessments:create"))
    assert forbidden.status_code == 403
    assert "返回工作台" in forbidden.content.decode()


def test_head_is_answered_like_get(client, county_operator):
    assert client.head("/").status_code == 302  # to the login page
    client.force_login(county_operator)
    for url in ("/", reverse("accounts:logout"), reverse("accounts:password_change")):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url
    assert client.get(reverse("accounts:workbench")).wsgi_request.user == county_operator  # still signed in
