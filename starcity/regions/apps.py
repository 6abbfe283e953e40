from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "starcity.regions"
    label = "regions"
    verbose_name = _("行政区域")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.core.audit import register_action_labels
        from starcity.regions.workbench import region_sections

        workbench.register(region_sections)
        register_action_labels(
            {
                "region.community_create": _("新增社区"),
                "region.load": _("区划数据更新"),
            }
        )
