"""The interface language: Chinese by default whatever the browser asks for; English only after
the user picks it with the language switch (the language cookie)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def test_an_english_browser_without_the_cookie_gets_chinese(client, county_operator):
    client.force_login(county_operator)
    response, page = _page(client, reverse("accounts:workbench"), **{"Accept-Language": "en"})
    assert 'lang="zh-hans"' in page and "工作台" in page and "Workbench" not in page
    assert response["Content-Language"] == "zh-hans"
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"


def test_the_login_page_is_chinese_for_an_english_browser_too(client):
    _response, page = _page(client, reverse("accounts:login"), **{"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="zh-hans"' in page


def test_switching_to_english_with_the_switch(client, county_operator):
    client.force_login(county_operator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response, page = _page(client, reverse("accounts:workbench"), **{"Accept-Language": "zh-CN"})
    assert 'lang="en"' in page and "Workbench" in page
    assert response["Content-Language"] == "en"
    assert "cookie" in response["Vary"].lower()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in _page(client, reverse("accounts:workbench"))[1]


@pytest.mark.parametrize("cookie", ["fr", "xx-invalid", ""])
def test_an_unknown_language_in_the_cookie_falls_back_to_chinese(client, county_operator, cookie):
    client.force_login(county_operator)
    client.cookies["django_language"] = cookie
    response, page = _page(client, reverse("accounts:workbench"))
    assert 'lang="zh-hans"' in page and response["Content-Language"] == "zh-hans"


def test_a_regional_variant_of_english_gets_english(client, county_operator):
    client.force_login(county_operator)
    client.cookies["django_language"] = "en-gb"
    assert 'lang="en"' in _page(client, reverse("accounts:workbench"))[1]
