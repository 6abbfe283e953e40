from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a self-assessment is in its life: a draft is edited; a submitted one is frozen."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
