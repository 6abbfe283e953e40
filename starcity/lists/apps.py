from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _visible_ids(model_name: str) -> Callable[[Any], Any]:
    """Audit rows about lists, their reviews and objections are for the office pages' readers
    (province staff and observers of the province: `workflow.role_of`)."""

    def visible(user: Any) -> Any:
        from django.apps import apps
        from django.db.models import CharField
        from django.db.models.functions import Cast

        from starcity.lists import workflow

        model = apps.get_model("lists", model_name)
        rows = model.objects.all() if workflow.role_of(user) != workflow.PUBLIC else model.objects.none()
        return rows.annotate(key=Cast("pk", CharField())).values("key")

    return visible


class ListsConfig(AppConfig):
    name = "starcity.lists"
    label = "lists"
    verbose_name = _("入选名单")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.core.audit import register_action_labels, register_audit_visibility
        from starcity.lists.workbench import list_sections

        workbench.register(list_sections)
        for model_name in ("selectionlist", "onsitereview", "objection"):
            register_audit_visibility(f"lists.{model_name}", _visible_ids(model_name))
        register_action_labels(
            {
                "list.form": _("形成初步名单"),
                "list.reform": _("重新形成初步名单"),
                "list.override": _("调整名单结果"),
                "list.restore": _("恢复按排名规则确定结果"),
                "list.document": _("修改文号和发文机关"),
                "list.onsite_start": _("开始现场复核"),
                "list.notice_publish": _("发布名单公示"),
                "list.notice_restart": _("名单调整后重新公示"),
                "list.final_publish": _("发布最终名单"),
                "onsite.save": _("保存现场复核信息"),
                "onsite.item_save": _("保存现场复核项"),
                "onsite.items_confirm_rest": _("确认其余现场复核项"),
                "onsite.photo_add": _("上传现场照片"),
                "onsite.photo_remove": _("移除现场照片"),
                "onsite.complete": _("完成现场复核"),
                "objection.lodge": _("收到异议"),
                "objection.uphold": _("认定异议成立"),
                "objection.reject": _("认定异议不成立"),
            }
        )
