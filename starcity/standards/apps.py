from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "starcity.standards"
    label = "standards"
    verbose_name = _("建设标准")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.core.audit import register_action_labels
        from starcity.standards.workbench import standard_sections

        workbench.register(standard_sections)
        register_action_labels(
            {
                "standard.publish": _("发布"),
                "standard.supersede": _("被新版本替代"),
            }
        )
