"""The standards section of the workbench (工作台)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.workbench import WorkItem, WorkSection
from starcity.standards.permissions import can_publish
from starcity.standards.selectors import published_versions


def standard_sections(user: Any) -> list[WorkSection]:
    """Everyone: the standards in force. Province administrators: publish a new version."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [
        WorkItem(
            title=version.display_title,
            url=reverse("standards:detail", args=[version.pk]),
            detail=version.label,
            badge=_("%(count)d 项指标") % {"count": version.indicator_count},
        )
        for version in published_versions()
    ]
    actions = [(_("浏览全部标准"), reverse("standards:list"))]
    if can_publish(user):
        actions.insert(0, (_("发布新版本"), reverse("standards:upload")))
    return [
        WorkSection(
            title=_("现行建设标准"),
            items=items,
            empty_text=_("尚未发布任何标准。"),
            actions=actions,
            order=60,
        )
    ]
