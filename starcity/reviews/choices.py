from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    """An expert's fields: the four domains of the standards."""

    YOUZHENG = "youzheng", _("优政")
    HUIMIN = "huimin", _("惠民")
    XINGYE = "xingye", _("兴业")
    QIANGJI = "qiangji", _("强基")


class PanelStatus(models.TextChoices):
    SCORING = "scoring", _("专家评分中")
    DISCUSSION = "discussion", _("分歧讨论中")
    CONCLUDED = "concluded", _("评审完成")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("评审专家")
    SUBSTITUTE = "substitute", _("候补专家")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    REPLACED = "replaced", _("已更换")
    WAITING = "waiting", _("候补")
    SUBMITTED = "submitted", _("已提交评分")


class ConflictReason(models.TextChoices):
    """Why an expert may not review an application."""

    HOME_REGION = "home_region", _("专家所在地区属于申报地区所在的设区市")
    EMPLOYER = "employer", _("专家所在单位隶属于申报地区所在的设区市")
    DECLARED = "declared", _("专家申报了利益冲突")
    PARTICIPATED = "participated", _("专家参与了申报材料的编制")
