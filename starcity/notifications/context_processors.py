"""Template context: the unread-notification badge of the top bar."""

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from starcity.notifications import selectors

BADGE_CAP = 99


class UnreadNotifications:
    """The logged-in user's unread count, queried once and only when a template shows it
    (htmx partials that do not render the top bar cost nothing)."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self._user)

    @property
    def label(self) -> str:
        """The badge text: the count, or "99+" beyond that."""
        return f"{BADGE_CAP}+" if self.count > BADGE_CAP else str(self.count)


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadNotifications(user)}
