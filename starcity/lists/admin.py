"""Admin: holidays are data the province administrator keeps (the notice period counts working
days); lists change only through their services and are read-only here."""

from django.contrib import admin

from starcity.core.admin import ReadOnlyAdmin
from starcity.lists.models import Holiday, ListEntry, Objection, SelectionList


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(SelectionList)
class SelectionListAdmin(ReadOnlyAdmin):
    list_display = ["id", "call", "status", "formed_at", "notice_ends_at", "final_published_at"]
    list_select_related = ["call"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "selection_list", "level", "rank", "verified_grade", "verified_score", "outcome"]
    list_filter = ["level", "outcome"]
    list_select_related = ["selection_list__call", "application__region__parent"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "selection_list", "name", "status", "lodged_at"]
    list_filter = ["status"]
    list_select_related = ["selection_list__call"]
