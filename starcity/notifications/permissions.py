"""Who may touch a notification: its recipient, and nobody else."""

from typing import Any

from django.http import Http404

from starcity.notifications.models import Notification
from starcity.notifications.selectors import notifications_visible_to


def get_notification_for_user(user: Any, pk: int) -> Notification:
    """The user's own notification `pk`; 404 for anyone else's (its existence is not revealed)."""
    notification = notifications_visible_to(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("notification not found")
    return notification
