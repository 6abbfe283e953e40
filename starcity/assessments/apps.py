from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "starcity.assessments"
    label = "assessments"
    verbose_name = _("自评估")

    def ready(self) -> None:
        from starcity.accounts import workbench
        from starcity.assessments.workbench import assessment_sections

        workbench.register(assessment_sections)
