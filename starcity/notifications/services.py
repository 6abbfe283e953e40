"""Sending notifications: one in-app row per recipient, and an e-mail when they have an address.

Callers run inside their transition's transaction; rows are written there (they roll back with
it) and the e-mails go out only once the transaction has committed.

Reading a notification is the recipient's own bookkeeping, not a step of the programme: it
writes `read_at` and no audit row.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.core.errors import NotAllowed
from starcity.notifications.links import safe_local_path
from starcity.notifications.models import Notification

logger = logging.getLogger("starcity.notifications")

_TITLE_MAX = Notification._meta.get_field("title").max_length or 200
_KIND_MAX = Notification._meta.get_field("kind").max_length or 48
_URL_MAX = Notification._meta.get_field("url").max_length or 300


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
    language (Chinese, the programme's language, unless a caller knows better). `url` must be a
    path on this site (use `reverse`); anything else is dropped with a warning rather than
    failing the caller's transition. A title longer than the column is shortened with "…"."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    link = _checked_url(url, kind)
    short_title = _shorten(" ".join(title.split()), _TITLE_MAX)
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind[:_KIND_MAX], title=short_title, body=body, url=link)
            for user in users.values()
        ]
    )
    if email:
        pairs = zip(rows, users.values(), strict=True)
        addressed = [(row.pk, user.email) for row, user in pairs if user.email]
        if addressed:
            transaction.on_commit(lambda: _send_emails(addressed, short_title, body, link), robust=True)
    return rows


def _checked_url(url: str, kind: str) -> str:
    if not url:
        return ""
    if safe_local_path(url) is None or len(url) > _URL_MAX:
        logger.warning("notification %s: link %r is not a path on this site; dropped", kind, url)
        return ""
    return url


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _email_text(body: str, url: str) -> str:
    """The e-mail body: the notification's text, the absolute link, and a fixed footer in the
    programme's language (the recipient's, not that of whoever triggered the step)."""
    with translation.override(settings.LANGUAGE_CODE):
        link = _("查看详情：%(link)s") % {"link": f"{settings.SITE_URL}{url}"} if url else ""
        footer = _("此邮件由星级智慧城市系统自动发送，请勿直接回复。")
    return "\n\n".join(part for part in (body, link, "--\n" + footer) if part)


def _send_emails(addressed: list[tuple[int, str]], title: str, body: str, url: str) -> None:
    """One e-mail per recipient over one connection; a failing mail server never undoes the
    transition: failures are logged and those rows keep an empty `emailed_at`."""
    text = _email_text(body, url)
    sent: list[int] = []
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception:
        logger.exception("mail server unavailable: %d notification e-mail(s) not sent", len(addressed))
        return
    try:
        for pk, address in addressed:
            try:
                EmailMessage(title, text, None, [address], connection=connection).send()
            except Exception:
                logger.exception("notification e-mail to %s failed", address)
            else:
                sent.append(pk)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("closing the mail connection failed")
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=clock.now())


@transaction.atomic
def notification_mark_read(*, by: Any, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (the first reading time is kept)."""
    if notification.recipient_id != by.pk:
        raise NotAllowed(_("只能处理发给自己的通知。"))
    moment = clock.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=moment)
    if updated:
        notification.read_at = moment
    else:
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, by: Any) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=clock.now())
