"""Read-only admin pages: self-assessments change only through their services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from starcity.assessments.models import Answer, Evidence, SelfAssessment
from starcity.core.admin import ReadOnlyAdmin


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("indicator_code", "number", "numerator", "denominator", "grade", "flag", "note")
    readonly_fields = ("indicator_code", "number", "numerator", "denominator", "grade", "flag", "note")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "region", "standard_version", "status", "grade", "score", "updated_at"]
    list_filter = ["status", "region__level", "grade"]
    search_fields = ["title", "region__name", "region__code"]
    list_select_related = ["region", "standard_version__line"]
    inlines = [AnswerInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "assessment",
        "indicator_code",
        "original_name",
        "size",
        "uploaded_at",
        "removed_at",
    ]
    list_select_related = ["assessment__region", "assessment__standard_version__line"]
    search_fields = ["original_name", "sha256", "indicator_code"]
