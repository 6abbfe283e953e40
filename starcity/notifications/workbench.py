"""The notifications section of the workbench (工作台): the newest unread ones."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.notifications import selectors
from starcity.notifications.models import Notification

LATEST = 5


def _item(notification: Notification) -> WorkItem:
    """A line pointing at the notification in the inbox, where opening it marks it read."""
    moment = formats.date_format(timezone.localtime(notification.created_at), "Y-m-d H:i")
    body = Truncator(" ".join(notification.body.split())).chars(60)
    return WorkItem(
        title=notification.title,
        url=f"{reverse('notifications:list')}?show=unread#notification-{notification.pk}",
        detail=f"{moment} · {body}" if body else moment,
    )


def notification_sections(user: Any) -> list[WorkSection]:
    """The five newest unread notifications, first on the page; no section when all are read
    (the top bar's badge already says so, and the workbench stays about what waits)."""
    if not getattr(user, "is_authenticated", False):
        return []
    latest = selectors.latest_unread(user, limit=LATEST)
    if not latest:
        return []
    inbox = reverse("notifications:list")
    return [
        WorkSection(
            title=_("未读通知"),
            items=[_item(n) for n in latest],
            actions=[(_("查看全部未读通知"), f"{inbox}?show=unread"), (_("查看全部通知"), inbox)],
            order=5,
        )
    ]
