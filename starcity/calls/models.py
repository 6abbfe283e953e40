"""Annual calls (年度批次) and the applications cities submit to them.

A call pins one published standard version per level; versions are immutable, and a version
pinned by a call can never be withdrawn. An application is edited while it is a draft or returned;
every submission to the province freezes a revision (`ApplicationRevision`), whose snapshot is
what the province, the experts and the lists read. Differences between revisions are shown.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from starcity.assessments.models import SelfAssessment
from starcity.calls.choices import AggregationRule, ApplicationStatus, CallStatus, MaterialKind
from starcity.core import clock
from starcity.core.uploads import private_storage
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.standards.models import StandardVersion


def default_grade_offers() -> list[list[int]]:
    """[already met, target]: a place meeting 3 stars may apply for a 4-star pilot, 4 for 5."""
    return [[3, 4], [4, 5]]


def default_reminder_days() -> list[int]:
    return [7, 3, 1]


class Call(models.Model):
    """One year's call for applications and the rules of its selection."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    grade_offers = models.JSONField(_("可申报星级"), default=default_grade_offers)
    opens_at = models.DateTimeField(_("开始申报时间"))
    deadline = models.DateTimeField(_("申报截止时间"))
    grace_minutes = models.PositiveIntegerField(_("宽限时间（分钟）"), default=0)
    resubmission_until = models.DateTimeField(_("退回后重新提交截止时间"), null=True, blank=True)
    reminder_days = models.JSONField(_("截止前提醒（天）"), default=default_reminder_days)
    # expert review
    panel_size = models.PositiveSmallIntegerField(_("每个申报的专家人数"), default=5)
    substitutes = models.PositiveSmallIntegerField(_("候补专家人数"), default=2)
    expert_load_cap = models.PositiveSmallIntegerField(_("每位专家最多评审份数"), default=10)
    aggregation_rule = models.CharField(
        _("评分汇总规则"), max_length=16, choices=AggregationRule.choices, default=AggregationRule.AUTO
    )
    disagreement_threshold = models.PositiveSmallIntegerField(_("需讨论的评级分歧"), default=2)
    onsite_items = models.PositiveSmallIntegerField(_("现场复核清单的权重最高指标数"), default=8)
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    # calendar: planned dates, shown to everyone concerned and editable (dates slip)
    review_starts = models.DateField(_("专家评审开始"), null=True, blank=True)
    review_ends = models.DateField(_("专家评审结束"), null=True, blank=True)
    onsite_starts = models.DateField(_("现场复核开始"), null=True, blank=True)
    onsite_ends = models.DateField(_("现场复核结束"), null=True, blank=True)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    publication_date = models.DateField(_("名单发布"), null=True, blank=True)
    pre_pilot_recheck_by = models.DateField(_("预试点复核截止"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CallStatus.values), name="call_status_valid"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="call_deadline_after_open"
            ),
            models.CheckConstraint(condition=Q(panel_size__gte=1), name="call_panel_size_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class CallLevel(models.Model):
    """A level that may apply to a call, its pinned standard version and its quotas."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    standard_version = models.ForeignKey(
        StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="call_levels"
    )
    pilot_quota = models.PositiveSmallIntegerField(_("试点名额"), default=0)
    pre_pilot_quota = models.PositiveSmallIntegerField(_("预试点名额"), default=0)

    class Meta:
        verbose_name = _("申报层级")
        verbose_name_plural = _("申报层级")
        ordering = ["call", "level"]
        constraints = [
            models.UniqueConstraint(fields=["call", "level"], name="call_level_unique"),
            models.CheckConstraint(
                condition=Q(level__in=[Level.CITY, Level.COUNTY]), name="call_level_city_county"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_level_display()}"


class Extension(models.Model):
    """A later deadline granted to one applicant, with the reason."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions")
    region = models.ForeignKey(Region, verbose_name=_("申报地区"), on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField(_("延期至"))
    reason = models.TextField(_("理由"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("批准时间"), default=clock.now)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        constraints = [models.UniqueConstraint(fields=["call", "region"], name="extension_one_per_region")]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.call}"


class ReminderSent(models.Model):
    """A deadline reminder already sent (the sweep is idempotent)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "region", "days_before"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} · {self.region_id} · {self.days_before}"


class Application(models.Model):
    """A region's application to a call: prepared by its operator, reviewed by its city, submitted
    by the city government to the province, screened by the province."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    region = models.ForeignKey(
        Region, verbose_name=_("申报地区"), on_delete=models.PROTECT, related_name="applications"
    )
    city = models.ForeignKey(
        Region, verbose_name=_("所属设区市"), on_delete=models.PROTECT, related_name="bundled_applications"
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    target_grade = models.PositiveSmallIntegerField(_("申报星级"), null=True, blank=True)
    self_assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("自评估"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    breakthrough_direction = models.CharField(_("突破方向"), max_length=16, blank=True)
    tasks = models.JSONField(_("任务书（草案）"), default=list, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    revision = models.PositiveIntegerField(_("修订版本"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)
    sent_to_city_at = models.DateTimeField(_("报送市级时间"), null=True, blank=True)
    city_reviewed_at = models.DateTimeField(_("市级审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交省级时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(_("形式审查时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["call", "city__code", "region__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.UniqueConstraint(
                fields=["call", "region"],
                condition=~Q(status=ApplicationStatus.WITHDRAWN),
                name="application_one_active_per_region",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status_idx")]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.call.title}"


class ApplicationRevision(models.Model):
    """A frozen copy of an application as it was submitted to the province; never changes."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("修订版本"))
    snapshot = models.JSONField(_("提交内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), default=clock.now)

    class Meta:
        verbose_name = _("申报修订版本")
        verbose_name_plural = _("申报修订版本")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} · #{self.number}"


class ApplicationMaterial(models.Model):
    """The application report and supporting materials; removed ones stay (removed_at set)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("类型"), max_length=16, choices=MaterialKind.choices)
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to="applications/%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    content_kind = models.CharField(_("文件类型"), max_length=16)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["application", "kind", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
