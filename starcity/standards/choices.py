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
