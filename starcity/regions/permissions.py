"""Who may see a region and who may manage its communities: the one place regions asks.

Seeing follows `accounts.selectors` (a membership reaches its organisation's region and everything
below it). Managing communities belongs to the operators of the county or of its city, and to
province staff. A region the user may not see is answered with 404, so its existence is not
disclosed; a region they may see but not manage is answered with 403.
"""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.accounts.selectors import can_act_for_region, can_see_region, is_province_staff
from starcity.regions.choices import Level
from starcity.regions.models import Region

Action = Literal["view", "manage_communities"]


def can_manage_communities(user: object, region: Region) -> bool:
    """Operators of the county or its city, and province staff, may add communities to a county."""
    if region.level != Level.COUNTY or not region.is_active:
        return False
    return is_province_staff(user) or can_act_for_region(user, region)


def get_region_for_user(user: object, code: str, action: Action = "view") -> Region:
    """The region with `code` if the user may perform `action` on it; 404 if unseen, 403 if not allowed."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or not can_see_region(user, region):
        raise Http404(_("没有找到该区域。"))
    if action == "manage_communities" and not can_manage_communities(user, region):
        raise PermissionDenied(_("您无权管理该区域的社区。"))
    return region
