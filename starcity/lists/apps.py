from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "starcity.lists"
    label = "lists"
    verbose_name = _("入选名单")
