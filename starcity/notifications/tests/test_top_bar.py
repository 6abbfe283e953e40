"""The top bar: the "通知" link with the unread badge (one cheap query), and links to the new
areas shown only when their pages exist."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from starcity.notifications.context_processors import unread_notifications
from starcity.notifications.tests.conftest import note

STUBS = "starcity.notifications.tests.urls_nav"
BARE = "starcity.notifications.tests.urls_bare"


def topbar(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index('<header class="topbar">') : html.index("</header>")]


class TestBadge:
    def test_counts_own_unread_only(self, client, county_operator, city_operator):
        for _ in range(3):
            note(county_operator)
        note(county_operator, read=True)
        note(city_operator)
        client.force_login(county_operator)
        bar = topbar(client.get(reverse("accounts:workbench")))
        assert f'href="{reverse("notifications:list")}"' in bar
        assert '<span class="badge badge-count" aria-hidden="true">3</span>' in bar
        assert "（3 条未读）" in bar

    def test_no_badge_when_everything_is_read(self, client, county_operator):
        note(county_operator, read=True)
        client.force_login(county_operator)
        bar = topbar(client.get(reverse("accounts:workbench")))
        assert "通知" in bar and "badge-count" not in bar

    def test_large_counts_are_capped(self, client, county_operator):
        from starcity.notifications.models import Notification

        Notification.objects.bulk_create(
            [Notification(recipient=county_operator, kind="k", title=f"t{i}") for i in range(120)]
        )
        client.force_login(county_operator)
        bar = topbar(client.get(reverse("accounts:workbench")))
        assert ">99+</span>" in bar and "（120 条未读）" in bar

    def test_reading_updates_the_badge(self, client, county_operator):
        first = note(county_operator)
        note(county_operator)
        client.force_login(county_operator)
        client.post(reverse("notifications:read", args=[first.pk]))
        bar = topbar(client.get(reverse("accounts:workbench")))
        assert 'aria-hidden="true">1</span>' in bar

    def test_anonymous_has_no_inbox_link(self, client, db):
        bar = topbar(client.get(reverse("accounts:login")))
        assert reverse("notifications:list") not in bar

    def test_one_query_and_only_when_shown(self, county_operator, django_assert_num_queries):
        note(county_operator)
        request = RequestFactory().get("/")
        request.user = county_operator
        with django_assert_num_queries(0):
            badge = unread_notifications(request)["unread_notifications"]
        with django_assert_num_queries(1):
            assert badge.count == 1
            assert badge.label == "1"
            assert badge.count == 1

    def test_nothing_for_anonymous(self, db):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        assert unread_notifications(request) == {}


class TestAreaLinks:
    @pytest.mark.urls(STUBS)
    def test_logged_in_user_sees_every_area_that_exists(self, client, county_operator):
        client.force_login(county_operator)
        bar = topbar(client.get(reverse("notifications:list")))
        for label, name in [
            ("申报", "calls:list"),
            ("专家评审", "reviews:home"),
            ("入选名单", "lists:index"),
            ("公开信息", "portal:index"),
        ]:
            assert f'<a href="{reverse(name)}">{label}</a>' in bar

    @pytest.mark.urls(STUBS)
    def test_anonymous_sees_only_the_public_pages(self, client, db):
        bar = topbar(client.get(reverse("accounts:login")))
        assert f'<a href="{reverse("portal:index")}">公开信息</a>' in bar
        for label in ["申报", "专家评审", "入选名单", "工作台"]:
            assert label not in bar

    @pytest.mark.urls(BARE)
    def test_missing_areas_leave_no_link_and_break_nothing(self, client, county_operator):
        client.force_login(county_operator)
        response = client.get(reverse("notifications:list"))
        assert response.status_code == 200
        bar = topbar(response)
        assert "工作台" in bar
        for label in ["申报", "专家评审", "入选名单", "公开信息"]:
            assert label not in bar
        client.logout()
        assert 'class="mainnav"' not in topbar(client.get(reverse("accounts:login")))
