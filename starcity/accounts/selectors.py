"""Who a user is in the programme and which regions they reach.

A membership's role reaches the region of its organisation and everything below it (a city
operator: the city, its counties and communities). Province roles sit at the province, so they
reach everything. Every app asks these functions; none re-derives the rule.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from starcity.accounts.choices import OPERATOR_ROLES, PROVINCE_ROLES, Role
from starcity.accounts.models import Membership, User
from starcity.regions.models import Region

SEEING_ROLES = frozenset(PROVINCE_ROLES | OPERATOR_ROLES | {Role.OBSERVER})

_CACHE_ATTR = "_starcity_memberships"


def memberships_of(user: User | object) -> list[Membership]:
    """The user's active memberships with organisation and region (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=getattr(user, "pk", 0), is_active=True)
            .select_related("organisation__region")
            .order_by("organisation__region__path")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_roles(user: User | object) -> set[str]:
    """The set of role codes the user holds."""
    return {m.role for m in memberships_of(user)}


def has_role(user: User | object, *roles: str) -> bool:
    """True when the user holds any of `roles`."""
    return bool(user_roles(user) & set(roles))


def is_province_staff(user: User | object) -> bool:
    """Province officers and administrators see and act across the whole province."""
    return has_role(user, *PROVINCE_ROLES)


def _paths(user: User | object, roles: Iterable[str]) -> list[str]:
    wanted = set(roles)
    return sorted({m.organisation.region.path for m in memberships_of(user) if m.role in wanted})


def _path_filter(paths: list[str], field: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def region_paths_visible_to(user: User | object) -> list[str]:
    """Path prefixes of the subtrees the user may see."""
    return _paths(user, SEEING_ROLES)


def region_paths_actable_by(user: User | object) -> list[str]:
    """Path prefixes of the subtrees the user may act for as an operator."""
    return _paths(user, OPERATOR_ROLES)


def visible_path_filter(user: User | object, field: str = "path") -> Q:
    """A Q over a region-path field that keeps only what the user may see."""
    return _path_filter(region_paths_visible_to(user), field)


def actable_path_filter(user: User | object, field: str = "path") -> Q:
    """A Q over a region-path field that keeps only what the user may act for as an operator."""
    return _path_filter(region_paths_actable_by(user), field)


def regions_visible_to(user: User | object) -> QuerySet[Region]:
    """Regions the user may see: their memberships' subtrees."""
    return Region.objects.filter(visible_path_filter(user)).select_related("parent")


def regions_actable_by(user: User | object) -> QuerySet[Region]:
    """Regions the user may act for (start self-assessments, manage communities)."""
    return Region.objects.filter(actable_path_filter(user)).select_related("parent")


def can_see_region(user: User | object, region: Region) -> bool:
    return any(region.path.startswith(p) for p in region_paths_visible_to(user))


def can_act_for_region(user: User | object, region: Region) -> bool:
    return any(region.path.startswith(p) for p in region_paths_actable_by(user))


def primary_membership(user: User | object) -> Membership | None:
    """The membership shown in the header: the highest-reaching one."""
    items = memberships_of(user)
    return min(items, key=lambda m: m.organisation.region.path.count("/")) if items else None
