from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def visible_application_ids(user: Any) -> Any:
    """The primary keys, as text, of the applications the user may see (for audit timelines)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from starcity.calls.selectors import applications_visible_to

    return applications_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")


def visible_call_ids(user: Any) -> Any:
    """The primary keys, as text, of the calls the user may see (drafts: province staff only)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from starcity.calls.selectors import calls_visible_to

    return calls_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")


class CallsConfig(AppConfig):
    name = "starcity.calls"
    label = "calls"
    verbose_name = _("申报")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.calls.workbench import application_sections
        from starcity.core.audit import register_action_labels, register_audit_visibility

        workbench.register(application_sections)
        register_audit_visibility("calls.application", visible_application_ids)
        register_audit_visibility("calls.call", visible_call_ids)
        register_action_labels(
            {
                "call.create": _("创建申报批次"),
                "call.update": _("修改申报批次"),
                "call.publish": _("发布申报批次"),
                "call.calendar": _("调整批次日程"),
                "call.close": _("结束申报批次"),
                "call.extension": _("批准延期"),
                "application.create": _("发起申报"),
                "application.update": _("修改申报信息"),
                "application.tasks": _("修改任务书（草案）"),
                "application.material_attach": _("上传申报材料"),
                "application.material_remove": _("移除申报材料"),
                "application.send_to_city": _("报送市级审核"),
                "application.city_approve": _("市级审核通过"),
                "application.city_return": _("市级退回修改"),
                "application.submit": _("统一提交省级"),
                "application.accept": _("形式审查通过"),
                "application.province_return": _("形式审查退回"),
                "application.withdraw": _("撤回申报"),
            }
        )
