"""Reads over regions for pages: the tree a user sees, a region's ancestors and children."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from starcity.accounts.selectors import can_see_region, region_paths_visible_to, regions_visible_to
from starcity.core.audit import audit_timeline_for_scope
from starcity.core.models import AuditEntry
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.regions.resolver import RegionMatch, regions_resolve

TIMELINE_LIMIT = 50
SEARCH_LIMIT = 50
NAME_SEPARATORS = re.compile(r"[,，、;；\n\r]+")


@dataclass(frozen=True)
class SearchResult:
    """A resolved name and whether the user may open the region(s) it points to."""

    match: RegionMatch
    visible: tuple[tuple[Region, bool], ...]


def _with_community_count(regions: QuerySet[Region]) -> QuerySet[Region]:
    active = Q(children__level=Level.COMMUNITY, children__is_active=True)
    return regions.annotate(community_count=Count("children", filter=active))


def region_tree_visible_to(user: object) -> QuerySet[Region]:
    """The regions listed for the user, in tree order (by path), with their community counts.

    Someone who sees the whole province gets its cities and counties (communities are counted,
    not listed); anyone else gets their cities, counties and communities. The province row itself
    is left out: the cities are the roots of the list.
    """
    sees_province = any(path.count("/") == 1 for path in region_paths_visible_to(user))
    regions = regions_visible_to(user).filter(is_active=True).exclude(level=Level.PROVINCE)
    if sees_province:
        regions = regions.exclude(level=Level.COMMUNITY)
    return _with_community_count(regions).order_by("path")


def region_ancestors(region: Region) -> list[Region]:
    """The regions above `region`, from the province down to its parent."""
    codes = [part for part in region.path.split("/") if part][:-1]
    return list(Region.objects.filter(code__in=codes).order_by("path"))


def region_children(region: Region) -> QuerySet[Region]:
    """The active regions directly below `region` (cities, counties or communities)."""
    return _with_community_count(region.children.filter(is_active=True)).order_by("path")


def region_timeline(region: Region, user: object, limit: int = TIMELINE_LIMIT) -> list[AuditEntry]:
    """The newest audit rows within the region and everything below it that the user may see."""
    return list(audit_timeline_for_scope(region.path, user=user)[:limit])


def region_breadcrumbs(region: Region, user: object) -> list[tuple[Region, bool]]:
    """The ancestors of `region`, each with whether the user may open it."""
    return [(ancestor, can_see_region(user, ancestor)) for ancestor in region_ancestors(region)]


def split_names(text: str) -> list[str]:
    """The names in a pasted list: separated by commas, 顿号, semicolons or line breaks."""
    return [name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()][:SEARCH_LIMIT]


def region_search_for(user: object, text: str) -> list[SearchResult]:
    """Resolve each name in `text`; regions outside the user's reach are named but not linked."""
    return [
        SearchResult(match, tuple((region, can_see_region(user, region)) for region in match.candidates))
        for match in regions_resolve(names=split_names(text))
    ]
