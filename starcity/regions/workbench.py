"""The regions section of the workbench (工作台): the user's own regions."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.selectors import can_see_region, memberships_of
from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.regions.permissions import can_manage_communities


def region_sections(user: Any) -> list[WorkSection]:
    """The regions of the user's memberships, with community management where they may."""
    regions = {
        m.organisation.region.pk: m.organisation.region
        for m in memberships_of(user)
        if can_see_region(user, m.organisation.region)
    }
    if not regions:
        return []
    items = [
        WorkItem(
            title=region.full_name,
            url=reverse("regions:detail", args=[region.code]),
            detail=region.code,
            badge=region.get_level_display(),
        )
        for region in regions.values()
    ]
    actions = [
        (
            _("为%(county)s添加社区") % {"county": region.name},
            reverse("regions:community_create", args=[region.code]),
        )
        for region in regions.values()
        if can_manage_communities(user, region)
    ]
    return [WorkSection(title=_("我的区域"), items=items, actions=actions, order=80)]
