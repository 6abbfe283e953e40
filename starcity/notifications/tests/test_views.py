"""The inbox pages: own notifications only, newest first, unread highlighted, 50 a page;
opening marks read and follows only links on this site; mark one or all read."""

import pytest
from django.urls import reverse

from starcity.notifications.models import Notification
from starcity.notifications.tests.conftest import note

POST_VIEWS = ["open", "read"]


def li(html: str, notification: Notification) -> str:
    """The list item of one notification in the page's HTML."""
    start = html.index(f'id="notification-{notification.pk}"')
    return html[start : html.index("</li>", start)]


class TestAnonymous:
    def test_list_redirects_to_login(self, client, db):
        response = client.get(reverse("notifications:list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize("name", POST_VIEWS)
    def test_actions_redirect_to_login_and_change_nothing(self, client, county_operator, name):
        notification = note(county_operator)
        response = client.post(reverse(f"notifications:{name}", args=[notification.pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_read_all_redirects_to_login(self, client, county_operator):
        note(county_operator)
        response = client.post(reverse("notifications:read_all"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        assert Notification.objects.filter(read_at__isnull=True).count() == 1


class TestMethods:
    @pytest.mark.parametrize("name", POST_VIEWS)
    def test_get_on_post_only_url_is_405(self, client, county_operator, name):
        notification = note(county_operator)
        client.force_login(county_operator)
        response = client.get(reverse(f"notifications:{name}", args=[notification.pk]))
        assert response.status_code == 405
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_get_on_read_all_is_405(self, client, county_operator):
        note(county_operator)
        client.force_login(county_operator)
        assert client.get(reverse("notifications:read_all")).status_code == 405
        assert Notification.objects.filter(read_at__isnull=True).count() == 1

    def test_post_on_list_is_405(self, client, county_operator):
        client.force_login(county_operator)
        assert client.post(reverse("notifications:list")).status_code == 405


class TestList:
    def test_only_own_newest_first_unread_highlighted(self, client, county_operator, city_operator):
        older = note(county_operator, title="较早的通知", minutes_ago=30, read=True)
        newer = note(county_operator, title="最新的通知", minutes_ago=1, body="第一行\n第二行")
        note(city_operator, title="发给市级的通知")
        client.force_login(county_operator)
        response = client.get(reverse("notifications:list"))
        html = response.content.decode()
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == [newer, older]
        assert "发给市级的通知" not in html
        assert html.index("最新的通知") < html.index("较早的通知")
        assert "unread" in li(html, newer) and "unread" not in li(html, older)
        assert "第一行<br>第二行" in li(html, newer)
        assert reverse("notifications:read", args=[newer.pk]) in html
        assert reverse("notifications:read", args=[older.pk]) not in html

    def test_unread_filter(self, client, county_operator):
        unread = note(county_operator, title="未读的")
        note(county_operator, title="已读的", read=True)
        client.force_login(county_operator)
        response = client.get(reverse("notifications:list"), {"show": "unread"})
        assert list(response.context["page"].object_list) == [unread]
        assert response.context["unread_only"] is True

    def test_unknown_filter_shows_everything(self, client, county_operator):
        note(county_operator)
        note(county_operator, read=True)
        client.force_login(county_operator)
        response = client.get(reverse("notifications:list"), {"show": "bogus"})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 2

    def test_empty_inbox(self, client, county_operator):
        client.force_login(county_operator)
        assert "还没有通知。" in client.get(reverse("notifications:list")).content.decode()
        response = client.get(reverse("notifications:list"), {"show": "unread"})
        assert "没有未读通知。" in response.content.decode()

    def test_fifty_a_page_and_the_filter_survives_paging(self, client, county_operator):
        rows = [note(county_operator, title=f"通知{i}", minutes_ago=i) for i in range(51)]
        client.force_login(county_operator)
        first = client.get(reverse("notifications:list"), {"show": "unread"})
        assert len(first.context["page"].object_list) == 50
        assert "?show=unread&amp;page=2" in first.content.decode()
        second = client.get(reverse("notifications:list"), {"show": "unread", "page": 2})
        assert list(second.context["page"].object_list) == [rows[-1]]

    def test_list_queries_do_not_grow_with_rows(self, client, county_operator, django_assert_max_num_queries):
        for i in range(60):
            note(county_operator, minutes_ago=i)
        client.force_login(county_operator)
        client.get(reverse("notifications:list"))  # warm the session and membership caches
        with django_assert_max_num_queries(8):
            assert client.get(reverse("notifications:list")).status_code == 200


class TestOpen:
    def test_marks_read_and_follows_the_link(self, client, county_operator):
        notification = note(county_operator, url="/assessments/?status=draft")
        client.force_login(county_operator)
        response = client.post(reverse("notifications:open", args=[notification.pk]))
        assert response.status_code == 302
        assert response["Location"] == "/assessments/?status=draft"
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_first_reading_time_is_kept(self, client, county_operator):
        notification = note(county_operator, read=True, minutes_ago=60)
        first_read = notification.read_at
        client.force_login(county_operator)
        client.post(reverse("notifications:open", args=[notification.pk]))
        notification.refresh_from_db()
        assert notification.read_at == first_read

    @pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", ""])
    def test_link_elsewhere_comes_back_to_the_page(self, client, county_operator, url):
        notification = note(county_operator, url=url)
        client.force_login(county_operator)
        back = reverse("notifications:list") + "?show=unread&page=2"
        response = client.post(reverse("notifications:open", args=[notification.pk]), {"next": back})
        assert response["Location"] == back
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_unsafe_next_falls_back_to_the_inbox(self, client, county_operator):
        notification = note(county_operator, url="https://evil.example/")
        client.force_login(county_operator)
        response = client.post(
            reverse("notifications:open", args=[notification.pk]), {"next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("notifications:list")

    def test_someone_elses_is_404_and_stays_unread(self, client, county_operator, county_operator_same_city):
        notification = note(county_operator)
        client.force_login(county_operator_same_city)
        response = client.post(reverse("notifications:open", args=[notification.pk]))
        assert response.status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_province_staff_cannot_open_others_either(self, client, county_operator, province_admin):
        notification = note(county_operator)
        client.force_login(province_admin)
        assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404

    def test_unknown_id_is_404(self, client, county_operator):
        client.force_login(county_operator)
        assert client.post(reverse("notifications:open", args=[999999])).status_code == 404


class TestMarkRead:
    def test_marks_one_and_comes_back(self, client, county_operator):
        one, other = note(county_operator), note(county_operator)
        client.force_login(county_operator)
        back = reverse("notifications:list") + "?show=unread"
        response = client.post(reverse("notifications:read", args=[one.pk]), {"next": back})
        assert response["Location"] == back
        one.refresh_from_db()
        other.refresh_from_db()
        assert one.read_at is not None and other.read_at is None

    def test_someone_elses_is_404(self, client, county_operator, city_operator):
        notification = note(county_operator)
        client.force_login(city_operator)
        assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_mark_all_touches_only_own_unread(self, client, county_operator, city_operator):
        earlier = note(county_operator, read=True, minutes_ago=60)
        first_read = earlier.read_at
        mine = [note(county_operator), note(county_operator)]
        theirs = note(city_operator)
        client.force_login(county_operator)
        response = client.post(reverse("notifications:read_all"), follow=True)
        assert response.redirect_chain == [(reverse("notifications:list"), 302)]
        assert "已将 2 条通知标为已读。" in response.content.decode()
        assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
        assert Notification.objects.get(pk=earlier.pk).read_at == first_read
        assert Notification.objects.get(pk=theirs.pk).read_at is None

    def test_mark_all_with_nothing_unread_says_so(self, client, county_operator):
        client.force_login(county_operator)
        response = client.post(reverse("notifications:read_all"), follow=True)
        assert "没有未读通知。" in response.content.decode()
