"""Template context: the user's primary membership and roles, for the header and navigation."""

from typing import Any

from django.http import HttpRequest

from starcity.accounts import selectors
from starcity.accounts.choices import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = selectors.user_roles(user)
    return {
        "current_membership": selectors.primary_membership(user),
        "user_roles": held,
        "is_province_staff": selectors.is_province_staff(user),
        "is_province_admin": Role.PROVINCE_ADMIN in held,
    }
