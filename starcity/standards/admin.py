"""Standards in the admin: read-only. Versions are published through the upload page or the
`load_standards` command, which validate them and write the audit row."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from starcity.core.admin import ReadOnlyAdmin
from starcity.standards.models import StandardLine, StandardVersion


class VersionInline(admin.TabularInline):
    model = StandardVersion
    fields = ("version", "status", "published_at", "superseded_at", "indicator_count", "content_hash")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StandardLine)
class StandardLineAdmin(ReadOnlyAdmin):
    list_display = ("code", "level", "created_at")
    list_filter = ("level",)
    search_fields = ("code",)
    inlines = [VersionInline]


@admin.register(StandardVersion)
class StandardVersionAdmin(ReadOnlyAdmin):
    list_display = ("line", "version", "level", "status", "indicator_count", "published_at", "published_by")
    list_filter = ("level", "status")
    search_fields = ("line__code", "version", "title", "content_hash")
    list_select_related = ("line", "published_by")
    date_hierarchy = "published_at"
    exclude = ("data",)
