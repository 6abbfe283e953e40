from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def visible_assessment_ids(user: Any) -> Any:
    """The primary keys, as text, of the assessments the user may see (for audit timelines)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from starcity.assessments.selectors import assessments_visible_to

    return assessments_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")


class AssessmentsConfig(AppConfig):
    name = "starcity.assessments"
    label = "assessments"
    verbose_name = _("自评估")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.assessments.workbench import assessment_sections
        from starcity.core.audit import register_action_labels, register_audit_visibility

        workbench.register(assessment_sections)
        register_audit_visibility("assessments.selfassessment", visible_assessment_ids)
        register_action_labels(
            {
                "assessment.create": _("创建自评估"),
                "assessment.rename": _("修改标题"),
                "assessment.save": _("保存填报"),
                "assessment.import": _("导入 Excel"),
                "assessment.submit": _("提交自评估"),
                "assessment.copy": _("复制为新的自评估"),
                "evidence.attach": _("上传佐证材料"),
                "evidence.remove": _("移除佐证材料"),
            }
        )
