from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardLevel(models.TextChoices):
    """The kind of region a standard rates (the `level` of the file)."""

    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    COMMUNITY = "community", _("智慧社区")


class VersionStatus(models.TextChoices):
    PUBLISHED = "published", _("现行")
    SUPERSEDED = "superseded", _("已被替代")


class IndicatorMethod(models.TextChoices):
    """How an indicator is rated (its `method` in the file)."""

    THRESHOLD = "threshold", _("数值达标")
    RATIO = "ratio", _("比率(分子/分母)")
    TIERED = "tiered", _("分档认定")
    BOOLEAN = "boolean", _("是否认定")


class Direction(models.TextChoices):
    """Which way a threshold or ratio indicator improves (its `direction`)."""

    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class VetoEffect(models.TextChoices):
    """What a veto does to the grade (its `effect`)."""

    ZERO = "zero", _("一票否决")
    CAP = "cap", _("限定最高等级")


def choice_label(choices: type[models.TextChoices], value: object) -> str:
    """The translated label of a file value ("threshold" → 数值达标), or the value as text when
    it is not one of the choices."""
    text = "" if value is None else str(value)
    try:
        return str(choices(text).label)
    except ValueError:
        return text
