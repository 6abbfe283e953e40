"""Reads of standard versions, and the scoring model of a stored version."""

from functools import lru_cache

from django.db.models import Prefetch, Q, QuerySet

from starcity.scoring import Standard, standard_from_mapping
from starcity.standards.choices import VersionStatus
from starcity.standards.models import StandardLine, StandardVersion


def published_versions(*, level: str | None = None) -> QuerySet[StandardVersion]:
    """Versions in force (not superseded), optionally of one level; newest first."""
    qs = StandardVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("line")
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("line__code", "-published_at")


@lru_cache(maxsize=64)
def _compiled(content_hash: str, version_id: int) -> Standard:
    version = StandardVersion.objects.get(pk=version_id)
    return standard_from_mapping(version.data)


def scoring_standard_for(version: StandardVersion) -> Standard:
    """The scoring engine's model of a stored version (cached: versions are immutable)."""
    return _compiled(version.content_hash, version.pk)


def lines_with_versions() -> QuerySet[StandardLine]:
    """Every line of standards with its versions (newest first) and their publishers."""
    versions = StandardVersion.objects.select_related("published_by").order_by("-published_at", "-id")
    return StandardLine.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "level", "code"
    )


def all_versions() -> QuerySet[StandardVersion]:
    """Every stored version of every line, for pickers (line, then newest first)."""
    return StandardVersion.objects.select_related("line").order_by("line__code", "-published_at", "-id")


def previous_version(version: StandardVersion) -> StandardVersion | None:
    """The version of the same line published just before `version`, if any."""
    return (
        StandardVersion.objects.filter(line_id=version.line_id, published_at__lte=version.published_at)
        .exclude(pk=version.pk)
        .filter(Q(published_at__lt=version.published_at) | Q(pk__lt=version.pk))
        .order_by("-published_at", "-id")
        .first()
    )
