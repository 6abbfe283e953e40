"""Django admin: for province administrators only (the admin site checks the role)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from starcity.accounts import selectors
from starcity.accounts.choices import Role
from starcity.accounts.models import Membership, Organisation, User


def _admin_has_permission(request: HttpRequest) -> bool:
    """Only active staff who hold the province administrator role reach the admin."""
    user = request.user
    return bool(user.is_active and user.is_staff and selectors.has_role(user, Role.PROVINCE_ADMIN))


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
admin.site.site_header = _("星级智慧城市 · 系统管理")
admin.site.site_title = _("系统管理")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "last_login"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("联系方式"), {"fields": ("display_name", "phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "region__name", "region__code"]
    raw_id_fields = ["region"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
