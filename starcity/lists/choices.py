from django.db import models
from django.utils.translation import gettext_lazy as _


class ListStatus(models.TextChoices):
    """The selection list of a call: formed (preliminary), reviewed on site, in public notice
    (公示), then published as final."""

    PRELIMINARY = "preliminary", _("初步名单")
    ONSITE = "onsite", _("现场复核中")
    NOTICE = "notice", _("公示中")
    FINAL = "final", _("已发布最终名单")


class Outcome(models.TextChoices):
    PILOT = "pilot", _("试点")
    PRE_PILOT = "pre_pilot", _("预试点")
    NOT_SELECTED = "not_selected", _("未入选")


class OnsiteStatus(models.TextChoices):
    OPEN = "open", _("待复核")
    COMPLETED = "completed", _("已完成")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("待处理")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class ItemReason(models.TextChoices):
    """Why an indicator is on an on-site checklist."""

    WEIGHT = "weight", _("权重最高")
    FLAGGED = "flagged", _("专家评分分歧")
    BOTH = "both", _("权重最高且专家评分分歧")
