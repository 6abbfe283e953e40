"""Sending notifications: one in-app row per recipient, and an e-mail when they have an address.

Callers run inside their transition's transaction; rows are written there (they roll back with
it) and the e-mails go out only once the transaction has committed.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from starcity.core import clock
from starcity.notifications.models import Notification

logger = logging.getLogger("starcity.notifications")


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each distinct active recipient in the app, and by e-mail after commit.

    `title` and `body` are stored as given: pass text already translated into the recipients'
    language (Chinese, the programme's language, unless a caller knows better)."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, title=title, body=body, url=url) for user in users.values()]
    )
    if email:
        addressed = [(row, user.email) for row, user in zip(rows, users.values(), strict=True) if user.email]
        if addressed:
            transaction.on_commit(lambda: _send_emails(addressed, title, body, url))
    return rows


def _send_emails(addressed: list[tuple[Notification, str]], title: str, body: str, url: str) -> None:
    """One e-mail per recipient; a failing mail server never undoes the transition."""
    link = f"{settings.SITE_URL}{url}" if url else ""
    text = "\n\n".join(part for part in (body, link) if part)
    sent = []
    for row, address in addressed:
        try:
            send_mail(title, text, None, [address], fail_silently=False)
        except Exception:
            logger.exception("e-mail to %s failed", address)
            continue
        sent.append(row.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=clock.now())


def notification_mark_read(*, by: Any, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all when pk is None) read; returns how many."""
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=clock.now())
