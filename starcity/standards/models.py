"""Rating standards as versioned data: a line (code) and its immutable versions."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from starcity.standards.choices import StandardLevel, VersionStatus

# What a version says can never change once stored; only its standing (status) can.
FROZEN_FIELDS = (
    "line_id",
    "version",
    "level",
    "title",
    "title_en",
    "provenance",
    "grades",
    "content",
    "content_hash",
    "data",
    "indicator_count",
    "published_at",
    "published_by_id",
    "source_name",
)


class ImmutableVersion(ValueError):
    """Something tried to change the content of a stored standard version."""


class StandardLine(models.Model):
    """A line of standards named by its code (SD-CITY); each publication adds a version."""

    code = models.CharField(_("标准代码"), max_length=64, unique=True)
    level = models.CharField(_("适用层级"), max_length=16, choices=StandardLevel.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("标准系列")
        verbose_name_plural = _("标准系列")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The level says what kind of region a line rates; records rely on it never moving.
        if self.pk is not None:
            stored = StandardLine.objects.filter(pk=self.pk).values_list("code", "level").first()
            if stored is not None and stored != (self.code, self.level):
                raise ImmutableVersion("the code and level of a standard line never change")
        super().save(*args, **kwargs)


class StandardVersionQuerySet(models.QuerySet):
    """Bulk updates may move a version's standing, never its content."""

    def update(self, **kwargs: Any) -> int:
        frozen = {name.removesuffix("_id") for name in FROZEN_FIELDS} | set(FROZEN_FIELDS)
        touched = sorted(frozen & set(kwargs))
        if touched:
            raise ImmutableVersion(f"standard versions are immutable: {', '.join(touched)}")
        return super().update(**kwargs)


class StandardVersion(models.Model):
    """One published version of a standard file. Its content never changes once stored.

    `content` is the file exactly as published; `data` is its parsed form (numbers as strings)
    used to rebuild the scoring model; `content_hash` is the SHA-256 of `content`.
    """

    line = models.ForeignKey(
        StandardLine, verbose_name=_("标准系列"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(_("版本"), max_length=64)
    level = models.CharField(_("适用层级"), max_length=16, choices=StandardLevel.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=255)
    title_en = models.CharField(_("英文标题"), max_length=255, blank=True)
    provenance = models.TextField(_("来源说明"))
    grades = models.JSONField(_("等级"))
    content = models.TextField(_("文件内容"))
    content_hash = models.CharField(_("内容哈希(SHA-256)"), max_length=64, db_index=True)
    data = models.JSONField(_("解析内容"))
    indicator_count = models.PositiveIntegerField(_("指标数"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=VersionStatus.choices,
        default=VersionStatus.PUBLISHED,
        db_index=True,
    )
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT
    )
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True)
    source_name = models.CharField(_("来源文件名"), max_length=255, blank=True)

    objects = StandardVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["line__code", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "version"], name="standard_version_unique"),
            models.UniqueConstraint(
                fields=["line"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="standard_one_published_per_line",
            ),
            models.CheckConstraint(
                condition=(Q(status=VersionStatus.PUBLISHED) & Q(superseded_at__isnull=True))
                | (Q(status=VersionStatus.SUPERSEDED) & Q(superseded_at__isnull=False)),
                name="standard_version_superseded_at_iff_superseded",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_content_change()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("standards:detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersion("standard versions are never deleted: publish a new version")

    @property
    def label(self) -> str:
        return f"{self.line.code}@{self.version}"

    def title_for(self, language: str | None = None) -> str:
        """The title in `language` (the active language when not given): the English title in
        English when the file has one, the Chinese title otherwise."""
        language = (language or translation.get_language() or "").lower()
        if language.startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language (for templates: `{{ version.display_title }}`)."""
        return self.title_for()

    @property
    def hash_prefix(self) -> str:
        return self.content_hash[:12]

    @property
    def download_name(self) -> str:
        """The file name a download carries: code and version, with the extension it came with."""
        suffix = ".json" if self.source_name.lower().endswith(".json") else ".yaml"
        return f"{self.line.code}@{self.version}{suffix}"

    def _refuse_content_change(self) -> None:
        stored = StandardVersion.objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
        if stored is None:
            return
        changed = [name for name in FROZEN_FIELDS if stored[name] != getattr(self, name)]
        if changed:
            raise ImmutableVersion(f"standard versions are immutable: {', '.join(changed)}")
