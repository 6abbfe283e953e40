"""Read-only admin pages: panels, members and scores change only through their services (the
pool's experts and declared conflicts through the pool pages)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from starcity.core.admin import ReadOnlyAdmin
from starcity.reviews.models import DeclaredConflict, Expert, Panel, PanelMember, Resolution, Score


class MemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = (
        "position",
        "expert",
        "role",
        "status",
        "is_chair",
        "declaration_signed_at",
        "submitted_at",
        "reason",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "application",
        "call",
        "status",
        "seed",
        "verified_grade",
        "verified_score",
        "drawn_at",
    ]
    list_filter = ["status", "call"]
    search_fields = ["application__region__name", "application__region__code", "seed"]
    list_select_related = ["application__region", "call"]
    inlines = [MemberInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["id", "member", "indicator", "value", "updated_at"]
    list_select_related = ["member__panel__application__region"]
    search_fields = ["indicator"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["id", "panel", "indicator", "value", "resolved_by", "resolved_at"]
    list_select_related = ["panel__application__region", "resolved_by"]


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "employer", "home_region", "available", "user"]
    list_filter = ["available"]
    search_fields = ["name", "employer", "phone", "email"]
    list_select_related = ["home_region", "user"]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(ReadOnlyAdmin):
    list_display = ["id", "expert", "region", "application", "declared_by", "declared_at"]
    list_select_related = ["expert", "region", "application__region", "declared_by"]
