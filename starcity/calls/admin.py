"""Read-only admin pages: calls and applications change only through their services."""

from django.contrib import admin

from starcity.calls.models import Application, ApplicationMaterial, ApplicationRevision, Call, Extension
from starcity.core.admin import ReadOnlyAdmin


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["id", "year", "title", "status", "opens_at", "deadline", "published_at"]
    list_filter = ["status", "year"]
    search_fields = ["title"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["id", "call", "region", "until", "granted_by", "granted_at"]
    list_select_related = ["call", "region", "granted_by"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "call",
        "region",
        "city",
        "level",
        "status",
        "target_grade",
        "revision",
        "submitted_at",
    ]
    list_filter = ["status", "level", "call"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["call", "region", "city"]


@admin.register(ApplicationRevision)
class ApplicationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "number", "created_by", "created_at"]
    list_select_related = ["application__region", "application__call", "created_by"]


@admin.register(ApplicationMaterial)
class ApplicationMaterialAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "kind", "original_name", "size", "uploaded_at", "removed_at"]
    list_select_related = ["application__region", "application__call"]
