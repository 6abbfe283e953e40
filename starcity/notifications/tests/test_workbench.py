"""The workbench's "未读通知" section: the five newest unread of the user's own."""

from django.urls import reverse

from starcity.notifications.tests.conftest import note
from starcity.notifications.workbench import notification_sections


def test_five_newest_unread_link_into_the_inbox(county_operator, city_operator):
    rows = [note(county_operator, title=f"通知{i}", minutes_ago=i, body="请尽快处理。") for i in range(7)]
    note(county_operator, title="已读", read=True)
    note(city_operator, title="别人的")
    (section,) = notification_sections(county_operator)
    assert section.title == "未读通知"
    assert [item.title for item in section.items] == [f"通知{i}" for i in range(5)]
    inbox = reverse("notifications:list")
    assert section.items[0].url == f"{inbox}?show=unread#notification-{rows[0].pk}"
    assert "请尽快处理。" in section.items[0].detail
    assert (  # the action links: all unread, and everything
        [url for _, url in section.actions] == [f"{inbox}?show=unread", inbox]
    )


def test_no_section_when_nothing_is_unread(county_operator):
    note(county_operator, read=True)
    assert notification_sections(county_operator) == []


def test_shown_on_the_workbench_page(client, county_operator):
    note(county_operator, title="申报已退回，请修改")
    client.force_login(county_operator)
    html = client.get(reverse("accounts:workbench")).content.decode()
    assert "未读通知" in html and "申报已退回，请修改" in html
