"""Regions in the admin: read-only. Divisions come from the data file (`load_regions`), communities
from the county pages, each through a service that writes the audit row."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from starcity.regions.models import Region, RegionAlias


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "short_name", "level", "kind", "parent", "street", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "short_name", "stat_code", "aliases__name"]
    ordering = ["path"]


@admin.register(RegionAlias)
class RegionAliasAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind", "old_code", "within_city_only"]
    list_filter = ["kind"]
    search_fields = ["name", "old_code", "region__name", "region__code"]
