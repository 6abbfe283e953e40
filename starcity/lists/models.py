"""The selection list of a call: preliminary ranking with quotas, on-site review of proposed
pilots, public notice with objections, and the final list of pilots, pre-pilots and places not
selected."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from starcity.calls.models import Application, Call
from starcity.core import clock
from starcity.core.uploads import private_storage
from starcity.lists.choices import ItemReason, ListStatus, ObjectionStatus, OnsiteStatus, Outcome

DEFAULT_ISSUING_OFFICE = "数字山东建设专项小组办公室"


class SelectionList(models.Model):
    """One call's list, from preliminary to final."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="selection_list")
    status = models.CharField(
        _("状态"), max_length=16, choices=ListStatus.choices, default=ListStatus.PRELIMINARY
    )
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = models.DateTimeField(_("形成时间"), default=clock.now)
    notice_published_at = models.DateTimeField(_("公示发布时间"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("公示截止时间"), null=True, blank=True)
    notice_round = models.PositiveSmallIntegerField(_("公示次数"), default=0)
    # what the public saw: the entries as published (region, level, grade, target grade,
    # outcome, re-check date), written at each publication and read by the portal and the list
    # notice
    published_entries = models.JSONField(_("公示名单"), null=True, blank=True, editable=False)
    final_published_at = models.DateTimeField(_("最终名单发布时间"), null=True, blank=True)
    onsite_started_at = models.DateTimeField(_("现场复核开始时间"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    issuing_office = models.CharField(_("发文机关"), max_length=128, default=DEFAULT_ISSUING_OFFICE)

    class Meta:
        verbose_name = _("入选名单")
        verbose_name_plural = _("入选名单")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ListStatus.values), name="list_status_valid")
        ]

    def __str__(self) -> str:
        return _("%(call)s · 入选名单") % {"call": self.call.title}


class ListEntry(models.Model):
    """An application's place on the list: rank, proposed and decided outcome."""

    selection_list = models.ForeignKey(SelectionList, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="list_entry")
    level = models.CharField(_("层级"), max_length=16)
    rank = models.PositiveIntegerField(_("排名"))
    verified_grade = models.PositiveSmallIntegerField(_("评定星级"))
    verified_score = models.DecimalField(_("评定总分"), max_digits=5, decimal_places=2)
    eligible = models.BooleanField(_("符合申报条件"), default=True)
    proposed_outcome = models.CharField(_("建议结果"), max_length=16, choices=Outcome.choices)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    override_reason = models.TextField(_("调整理由"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    override_objection = models.ForeignKey(
        "Objection",
        verbose_name=_("依据的异议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overrides",
    )
    recheck_by = models.DateField(_("预试点复核截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        ordering = ["selection_list", "level", "rank"]
        indexes = [models.Index(fields=["selection_list", "level", "rank"], name="list_entry_rank_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="entry_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome=models.F("proposed_outcome")) | ~Q(override_reason=""),
                name="entry_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.application.region.full_name

    @property
    def overridden(self) -> bool:
        """True when the office decided this entry's outcome itself (with a reason)."""
        return bool(self.override_reason)

    @property
    def outcome_badge(self) -> str:
        """The badge style of the outcome on pages."""
        badges: dict[str, str] = {Outcome.PILOT: "badge-ok", Outcome.PRE_PILOT: "badge-warn"}
        return badges.get(self.outcome, "")


class OnsiteReview(models.Model):
    """The on-site review (现场复核) of a proposed pilot."""

    entry = models.OneToOneField(ListEntry, on_delete=models.CASCADE, related_name="onsite")
    status = models.CharField(
        _("状态"), max_length=16, choices=OnsiteStatus.choices, default=OnsiteStatus.OPEN
    )
    team = models.CharField(_("复核组成员"), max_length=255, blank=True)
    visited_on = models.DateField(_("复核日期"), null=True, blank=True)
    summary = models.TextField(_("复核结论"), blank=True)
    grade_before = models.PositiveSmallIntegerField(_("复核前星级"))
    grade_after = models.PositiveSmallIntegerField(_("复核后星级"), null=True, blank=True)
    result = models.JSONField(_("复核后评定结果"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("现场复核")
        verbose_name_plural = _("现场复核")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OnsiteStatus.values), name="onsite_status_valid")
        ]

    def __str__(self) -> str:
        return _("%(region)s现场复核") % {"region": self.entry.application.region.full_name}


class OnsiteItem(models.Model):
    """One checklist item: an indicator with the most weight or flagged by the panel."""

    review = models.ForeignKey(OnsiteReview, on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(_("指标"), max_length=32)
    why = models.CharField(_("列入原因"), max_length=16, choices=ItemReason.choices)
    panel_value = models.JSONField(_("专家组核定值"), null=True)
    confirmed = models.BooleanField(_("确认"), null=True)
    adjusted_value = models.JSONField(_("调整后的值"), null=True, blank=True)
    finding = models.TextField(_("现场发现"), blank=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("现场复核清单项")
        verbose_name_plural = _("现场复核清单项")
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "indicator"], name="onsite_item_unique")]

    def __str__(self) -> str:
        return self.indicator

    @property
    def answered(self) -> bool:
        """True when the team confirmed the panel's value or gave an adjusted one."""
        return self.confirmed is True or (self.confirmed is False and self.adjusted_value is not None)


class OnsitePhoto(models.Model):
    """A photo taken on site for one checklist item; removed ones stay on record."""

    item = models.ForeignKey(OnsiteItem, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to="onsite/%Y/%m/", max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    """An objection (异议) lodged by anyone during the notice period, and how it was handled."""

    selection_list = models.ForeignKey(SelectionList, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(
        ListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField(_("姓名或单位"), max_length=128)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    text = models.TextField(_("异议内容"))
    lodged_at = models.DateTimeField(_("提出时间"), default=clock.now)
    status = models.CharField(
        _("状态"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_reason = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="objection_has_contact"),
            models.CheckConstraint(
                condition=Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.RECEIVED) | ~Q(handling_reason=""),
                name="objection_handled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("异议 #%(number)s") % {"number": self.pk}


class Holiday(models.Model):
    """A public holiday (or, with is_workday, a weekend made a working day: 调休) for counting
    the working days of a notice period."""

    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=64)
    is_workday = models.BooleanField(_("调休上班"), default=False)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
