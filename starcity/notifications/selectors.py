"""Reads: a user sees only the notifications addressed to them."""

from typing import Any

from django.db.models import QuerySet

from starcity.notifications.models import Notification


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first. Nobody sees anyone else's, province staff
    included: they are personal (an expert's reveal which applications they review)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_list_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The inbox: all of the user's notifications, or only the unread ones."""
    rows = notifications_visible_to(user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread (one indexed COUNT)."""
    return notification_list_for(user, unread_only=True).count()


def latest_unread(user: Any, *, limit: int = 5) -> list[Notification]:
    """The user's `limit` newest unread notifications."""
    return list(notification_list_for(user, unread_only=True)[:limit])
