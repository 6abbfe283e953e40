from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def visible_panel_ids(user: Any) -> Any:
    """Audit rows about panels name experts and their answers: only the province office reads
    them in region timelines (applicants never learn who reviewed them)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from starcity.accounts.selectors import is_province_staff
    from starcity.reviews.models import Panel

    rows = Panel.objects.all() if is_province_staff(user) else Panel.objects.none()
    return rows.annotate(key=Cast("pk", CharField())).values("key")


class ReviewsConfig(AppConfig):
    name = "starcity.reviews"
    label = "reviews"
    verbose_name = _("专家评审")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.core.audit import register_action_labels, register_audit_visibility
        from starcity.reviews.workbench import review_sections

        workbench.register(review_sections)
        register_audit_visibility("reviews.panel", visible_panel_ids)
        register_action_labels(
            {
                "panel.draw": _("抽取评审专家"),
                "panel.draw_call": _("批量抽取评审专家"),
                "panel.member_accept": _("专家签署声明并接受邀请"),
                "panel.member_decline": _("专家谢绝邀请"),
                "panel.member_replace": _("更换评审专家"),
                "panel.set_chair": _("指定评审组长"),
                "panel.chair_handover": _("组长退出，组长职责移交"),
                "panel.member_conflict": _("发现利益冲突，专家退出评审"),
                "panel.conflict_after_conclusion": _("评审完成后发现专家利益冲突"),
                "panel.reopen": _("专家退出，专家组回到评分阶段"),
                "scorecard.save": _("保存评分"),
                "scorecard.prefill": _("以自评值预填评分"),
                "scorecard.submit": _("提交评分"),
                "panel.note": _("发表讨论意见"),
            }
        )
        try:
            from starcity.reviews.conclusion import register_pool_labels
        except ImportError:  # pragma: no cover - the pool's labels ship with conclusion.py
            return
        register_pool_labels()
