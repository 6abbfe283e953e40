"""In-app notifications (站内通知); each may also go out by e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.core import clock


class Notification(models.Model):
    """One message to one user: what happened and, usually, a link to where they act on it.

    Rows are written by `services.notify` inside the transition that asks someone to act; they
    are never edited afterwards except to record when they were read and e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=48)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread badge on every page counts these.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # A user's list, newest first, one page at a time.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
