"""Who may see and who may publish rating standards.

Standards are the programme's public yardstick: every logged-in user may read every version.
Only province administrators publish new versions.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.accounts.choices import Role
from starcity.accounts.selectors import has_role
from starcity.standards.models import StandardVersion


def can_view(user: object) -> bool:
    """Every logged-in user may read the standards."""
    return bool(getattr(user, "is_authenticated", False))


def can_publish(user: object) -> bool:
    """Only province administrators publish standard versions."""
    return can_view(user) and has_role(user, Role.PROVINCE_ADMIN)


def get_version_for_user(user: object, pk: int) -> StandardVersion:
    """The version `pk` for reading: 404 when it does not exist, 403 for anonymous callers."""
    if not can_view(user):
        raise PermissionDenied(_("请先登录。"))
    try:
        return StandardVersion.objects.select_related("line", "published_by").get(pk=pk)
    except StandardVersion.DoesNotExist as exc:
        raise Http404(_("没有这个标准版本。")) from exc


def require_publisher(user: object) -> None:
    """403 unless the user may publish standard versions."""
    if not can_publish(user):
        raise PermissionDenied(_("只有省级管理员可以发布建设标准。"))
