from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "starcity.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.notifications.workbench import notification_sections

        workbench.register(notification_sections)
