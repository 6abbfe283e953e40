"""Regions in the admin: read-only. Divisions come from the data file (`load_regions`), communities
from the county pages, each through a service that writes the audit row."""

from django.contrib import admin

from starcity.core.admin import ReadOnlyAdmin
from starcity.regions.models import Region, RegionAlias


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
