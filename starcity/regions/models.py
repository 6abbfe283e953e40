"""Administrative divisions: province, prefecture-level cities, county-level divisions, communities."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.regions.choices import AliasKind, Kind, Level


class Region(models.Model):
    """A place that can be rated. `path` ("370000/370300/370321/") makes subtree queries a prefix test."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True)
    street = models.CharField(_("所属街道/镇"), max_length=64, blank=True)
    stat_code = models.CharField(
        _("统计用区划代码"), max_length=12, blank=True, help_text=_("社区的 12 位统计用区划代码（可选）")
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province") | models.Q(parent__isnull=False),
                name="region_parent_required_below_province",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=models.Q(is_active=True),
                name="region_active_name_unique_within_parent",
            ),
            models.UniqueConstraint(
                fields=["stat_code"],
                condition=~models.Q(stat_code=""),
                name="region_stat_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def city(self) -> "Region | None":
        """The prefecture-level city this region lies in (itself for a city)."""
        node: Region | None = self
        while node is not None and node.level not in (Level.CITY, Level.PROVINCE):
            node = node.parent
        return node if node is not None and node.level == Level.CITY else None

    @property
    def full_name(self) -> str:
        """Name as written in lists: "淄博市桓台县" for a county, "济南市市中区" etc."""
        if self.level == Level.COUNTY and self.parent is not None:
            return f"{self.parent.name}{self.name}"
        if self.level == Level.COMMUNITY and self.parent is not None:
            return f"{self.parent.full_name}{self.street}{self.name}"
        return self.name


class RegionAlias(models.Model):
    """Another name people still write for a region: historical names, functional zones."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=64, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=AliasKind.choices)
    old_code = models.CharField(_("原代码"), max_length=12, blank=True)
    within_city_only = models.BooleanField(
        _("仅在所属市内匹配"),
        default=False,
        help_text=_("名称与其他区域重名时（如济宁原市中区），只在写明所属市时才按此别名匹配"),
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("区域别名")
        verbose_name_plural = _("区域别名")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="region_alias_unique")]

    def __str__(self) -> str:
        return f"{self.name} → {self.region.name}"
