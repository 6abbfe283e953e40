from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The level of a region, which decides the standards that rate it."""

    PROVINCE = "province", _("省")
    CITY = "city", _("设区市")
    COUNTY = "county", _("县(市、区)")
    COMMUNITY = "community", _("社区")


class Kind(models.TextChoices):
    """The administrative type within a level (GB/T 2260)."""

    PROVINCE = "province", _("省")
    PREFECTURE_CITY = "prefecture_city", _("地级市")
    DISTRICT = "district", _("市辖区")
    COUNTY_CITY = "county_city", _("县级市")
    COUNTY = "county", _("县")
    COMMUNITY = "community", _("社区")


class AliasKind(models.TextChoices):
    HISTORICAL = "historical", _("历史名称")
    FUNCTIONAL = "functional", _("功能区")
    OTHER = "other", _("其他写法")
