"""Expert review: the pool, declared conflicts, panels drawn per application, scorecards,
discussion of disagreements and the panel's verified result.

Blindness: applicants see only the panel's aggregate; an expert sees other experts' scores only
after submitting their own; a conflicted expert never sees anything of the application.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from starcity.calls.models import Application, Call
from starcity.core import clock
from starcity.regions.models import Region
from starcity.reviews.choices import MemberRole, MemberStatus, PanelStatus


class Expert(models.Model):
    """A member of the province's expert pool (专家库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="expert"
    )
    name = models.CharField(_("姓名"), max_length=64)
    employer = models.CharField(_("工作单位"), max_length=128)
    employer_region = models.ForeignKey(
        Region,
        verbose_name=_("单位所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    fields = models.JSONField(_("专业领域"), default=list)
    available = models.BooleanField(_("可参加评审"), default=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def field_labels(self) -> list[str]:
        """The expert's fields as read (优政、惠民…), in the domains' order."""
        from starcity.reviews.choices import Field

        return [str(Field(code).label) for code in Field.values if code in (self.fields or [])]


class DeclaredConflict(models.Model):
    """A conflict an expert (or the office for them) declared: a region or one application."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declared_conflicts")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("说明"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        ordering = ["expert", "-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(application__isnull=False), name="conflict_has_target"
            )
        ]

    def __str__(self) -> str:
        # Names the expert and the target: audit rows about it are visible to province staff only.
        target = self.region.full_name if self.region is not None else str(self.application)
        return _("%(expert)s的利益冲突申报（%(target)s）") % {"expert": self.expert.name, "target": target}


class Panel(models.Model):
    """The expert panel of one application, drawn with a recorded seed."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="panel")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="panels")
    status = models.CharField(
        _("状态"), max_length=16, choices=PanelStatus.choices, default=PanelStatus.SCORING
    )
    seed = models.CharField(_("抽取种子"), max_length=64)
    draw_record = models.JSONField(_("抽取记录"), default=dict)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), default=clock.now)
    aggregate = models.JSONField(_("汇总结果"), null=True, blank=True)
    result = models.JSONField(_("评定结果"), null=True, blank=True)
    verified_grade = models.PositiveSmallIntegerField(_("专家评定星级"), null=True, blank=True)
    verified_score = models.DecimalField(
        _("专家评定总分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    concluded_at = models.DateTimeField(_("评审完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")
        ordering = ["call", "application__city__code", "application__region__code"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PanelStatus.values), name="panel_status_valid")
        ]
        indexes = [models.Index(fields=["call", "status"], name="panel_call_status_idx")]

    def __str__(self) -> str:
        # No expert names: the label ends up in audit rows and notifications.
        return _("%(region)s的评审专家组") % {"region": self.application.region.full_name}


class PanelMember(models.Model):
    """An expert on a panel (or waiting as a substitute), in draw order."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    position = models.PositiveSmallIntegerField(_("抽取顺序"))
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices)
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices)
    is_chair = models.BooleanField(_("组长"), default=False)
    declaration_signed_at = models.DateTimeField(_("签署无利益冲突声明时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交评分时间"), null=True, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("接替"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="panel_member_unique"),
            models.UniqueConstraint(fields=["panel"], condition=Q(is_chair=True), name="panel_one_chair"),
            models.UniqueConstraint(fields=["panel", "position"], name="panel_member_position_unique"),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="panel_member_status_valid"
            ),
            models.CheckConstraint(condition=Q(role__in=MemberRole.values), name="panel_member_role_valid"),
        ]
        indexes = [models.Index(fields=["expert", "status"], name="panel_member_expert_idx")]

    def __str__(self) -> str:
        return _("%(panel)s · 第 %(position)s 位") % {"panel": self.panel, "position": self.position}


class Score(models.Model):
    """One expert's verified value of one indicator, with a comment.

    `value` is a `starcity/values@1` entry of the indicator (None while not entered): a decimal
    text for a threshold indicator ("85.5"); for a ratio indicator the percentage the expert
    verified, as {"numerator": "92.5", "denominator": "100"}; a tier grade 0..N (int) for a
    tiered indicator; true/false for a boolean indicator.
    """

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    indicator = models.CharField(_("指标"), max_length=32)
    value = models.JSONField(_("核定值"), null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["member", "indicator"], name="score_one_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.indicator}"


class DiscussionNote(models.Model):
    """A panel's discussion of a flagged indicator (visible to members who submitted)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="notes")
    indicator = models.CharField(_("指标"), max_length=32)
    author = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("讨论意见")
        verbose_name_plural = _("讨论意见")
        ordering = ["panel", "indicator", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.panel} · {self.indicator}"


class Resolution(models.Model):
    """The chair's resolution of a flagged indicator: the value the panel settles on, and why."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="resolutions")
    indicator = models.CharField(_("指标"), max_length=32)
    value = models.JSONField(_("确定值"), null=True)
    reason = models.TextField(_("理由"))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("分歧处理")
        verbose_name_plural = _("分歧处理")
        constraints = [
            models.UniqueConstraint(fields=["panel", "indicator"], name="resolution_one_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.indicator}"
