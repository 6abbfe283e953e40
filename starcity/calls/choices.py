from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    """A call is drafted, then published (applications open at `opens_at` and close at the
    deadline); the selection that follows lives in the reviews and lists apps."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class AggregationRule(models.TextChoices):
    """How a panel's scores of one indicator become the panel's value."""

    AUTO = "auto", _("自动（至少 5 份评分时去掉最高最低取平均，否则取中位数）")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后取平均")
    MEDIAN = "median", _("中位数")
    MEAN = "mean", _("平均数")


class ApplicationStatus(models.TextChoices):
    """The application chain county → city → province (formal screening)."""

    DRAFT = "draft", _("草稿")
    WITH_CITY = "with_city", _("待市级审核")
    CITY_RETURNED = "city_returned", _("市级退回修改")
    CITY_APPROVED = "city_approved", _("市级已审核，待统一提交")
    SUBMITTED = "submitted", _("已提交，待形式审查")
    PROVINCE_RETURNED = "province_returned", _("形式审查退回")
    ACCEPTED = "accepted", _("形式审查通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class MaterialKind(models.TextChoices):
    REPORT = "report", _("申请报告")
    MATERIAL = "material", _("证明材料")


class Direction(models.TextChoices):
    """The breakthrough direction a pilot chooses (突破方向)."""

    YOUZHENG = "youzheng", _("优政")
    HUIMIN = "huimin", _("惠民")
    XINGYE = "xingye", _("兴业")
