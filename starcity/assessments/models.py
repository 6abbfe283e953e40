"""Self-assessments (自评估) of a region against a standard version, their answers and evidence.

A draft keeps its answers in `Answer` rows and a cached grade and score for lists. Submitting
freezes it: the values, the notes, the evidence list and the result are copied into snapshot
fields, which never change again (the services refuse, `save()` refuses, and the answers and
evidence of a submitted assessment refuse `save()`, `delete()` and bulk `update()`/`delete()`).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from starcity.assessments.choices import Status
from starcity.core import clock
from starcity.core.uploads import private_storage
from starcity.regions.models import Region
from starcity.standards.models import StandardVersion


class FrozenAssessment(ValueError):
    """A submitted self-assessment was about to be changed in place."""


class SelfAssessment(models.Model):
    """One region's self-assessment against one standard version."""

    region = models.ForeignKey(
        Region, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    standard_version = models.ForeignKey(
        StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    bonus = models.JSONField(_("加分项"), default=dict, blank=True)
    vetoes = models.JSONField(_("否决项"), default=dict, blank=True)
    grade = models.PositiveSmallIntegerField(_("星级"), default=0)
    score = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, default=0)
    snapshot_values = models.JSONField(_("提交时的填报数据"), null=True, blank=True)
    snapshot_evidence = models.JSONField(_("提交时的佐证材料"), null=True, blank=True)
    snapshot_result = models.JSONField(_("提交时的评估结果"), null=True, blank=True)
    snapshot_notes = models.JSONField(_("提交时的说明"), null=True, blank=True)
    snapshot_standard_hash = models.CharField(_("提交时的标准哈希"), max_length=64, blank=True)

    FROZEN_FIELDS = (
        "region_id",
        "standard_version_id",
        "status",
        "title",
        "created_by_id",
        "created_at",
        "submitted_by_id",
        "submitted_at",
        "copied_from_id",
        "bonus",
        "vetoes",
        "grade",
        "score",
        "snapshot_values",
        "snapshot_evidence",
        "snapshot_result",
        "snapshot_notes",
        "snapshot_standard_hash",
    )

    class Meta:
        verbose_name = _("自评估")
        verbose_name_plural = _("自评估")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="assessment_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="assessment_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=Status.DRAFT,
                        submitted_at__isnull=True,
                        submitted_by__isnull=True,
                        snapshot_values__isnull=True,
                        snapshot_evidence__isnull=True,
                        snapshot_result__isnull=True,
                    )
                    | Q(
                        status=Status.SUBMITTED,
                        submitted_at__isnull=False,
                        submitted_by__isnull=False,
                        snapshot_values__isnull=False,
                        snapshot_evidence__isnull=False,
                        snapshot_result__isnull=False,
                    )
                ),
                name="assessment_snapshot_iff_submitted",
            ),
            models.CheckConstraint(condition=Q(grade__lte=9), name="assessment_grade_range"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_range"),
            models.UniqueConstraint(
                fields=["region", "standard_version"],
                condition=Q(status=Status.DRAFT),
                name="assessment_one_draft_per_region_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.region.name} · {self.standard_version.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a row that is already submitted: its content is frozen."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored is not None and stored["status"] == Status.SUBMITTED:
                changed = [name for name in self.FROZEN_FIELDS if stored[name] != getattr(self, name)]
                if changed:
                    raise FrozenAssessment(f"submitted self-assessment {self.pk} is frozen: {changed}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status=Status.SUBMITTED).exists():
            raise FrozenAssessment(f"submitted self-assessment {self.pk} cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def grade_name(self) -> str:
        """The name of the cached grade in its standard ("三星级"), "" for grade 0."""
        grades = self.standard_version.grades or []
        return str(grades[self.grade - 1]) if 0 < self.grade <= len(grades) else ""

    @property
    def grade_label(self) -> str:
        """The cached grade as read: its name in the standard, or "未达星级" for grade 0."""
        return self.grade_name or gettext("未达星级")

    @property
    def stars(self) -> str:
        """The cached grade as stars ("★★★☆☆")."""
        total = len(self.standard_version.grades or [])
        return "★" * self.grade + "☆" * max(0, total - self.grade)


def _frozen(assessment_id: Any) -> FrozenAssessment:
    return FrozenAssessment(f"self-assessment {assessment_id} is submitted: answers and evidence are frozen")


def refuse_if_submitted(assessment_ids: set[int] | list[int]) -> None:
    """FrozenAssessment when any of these self-assessments is submitted: what belongs to a
    submitted one (answers, evidence) never changes again."""
    frozen = SelfAssessment.objects.filter(pk__in=list(assessment_ids), status=Status.SUBMITTED)
    first = frozen.values_list("pk", flat=True).first()
    if first is not None:
        raise _frozen(first)


class PartOfAssessmentQuerySet(models.QuerySet):
    """Bulk writes of answers or evidence are refused when a row belongs to a submitted
    self-assessment (`bulk_update` goes through `update`, so it is refused too)."""

    def _refuse_if_submitted(self) -> None:
        frozen = self.filter(assessment__status=Status.SUBMITTED).values_list("assessment_id", flat=True)
        first = frozen.first()
        if first is not None:
            raise _frozen(first)

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_submitted()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_submitted()
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        refuse_if_submitted({obj.assessment_id for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)


class PartOfAssessment(models.Model):
    """A row that belongs to one self-assessment and is frozen with it."""

    objects = PartOfAssessmentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        refuse_if_submitted([self.assessment_id])  # type: ignore[attr-defined]
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        refuse_if_submitted([self.assessment_id])  # type: ignore[attr-defined]
        return super().delete(*args, **kwargs)


class Answer(PartOfAssessment):
    """The value given for one indicator: a number (as exact decimal text), a ratio, a tier grade
    or a yes/no flag, depending on the indicator's method; blank means not given yet."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    indicator_code = models.CharField(_("指标代码"), max_length=64)
    number = models.CharField(_("数值"), max_length=64, blank=True)
    numerator = models.CharField(_("分子"), max_length=64, blank=True)
    denominator = models.CharField(_("分母"), max_length=64, blank=True)
    grade = models.PositiveSmallIntegerField(_("达到的等级"), null=True, blank=True)
    flag = models.BooleanField(_("是否"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("指标填报")
        verbose_name_plural = _("指标填报")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator_code"], name="answer_unique_indicator"),
            models.CheckConstraint(
                condition=Q(numerator="", denominator="") | (~Q(numerator="") & ~Q(denominator="")),
                name="answer_ratio_parts_together",
            ),
            models.CheckConstraint(
                condition=(Q(number="") | Q(numerator="", grade__isnull=True, flag__isnull=True))
                & (Q(numerator="") | Q(grade__isnull=True, flag__isnull=True))
                & (Q(grade__isnull=True) | Q(flag__isnull=True)),
                name="answer_one_kind_of_value",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__lte=9), name="answer_grade_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.number:
            return self.number
        if self.numerator:
            return f"{self.numerator}/{self.denominator}"
        if self.grade is not None:
            return str(self.grade)
        if self.flag is not None:
            return "true" if self.flag else "false"
        return ""


class Evidence(PartOfAssessment):
    """A file offered as evidence for one indicator, kept privately under a random name."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.CharField(_("指标代码"), max_length=64)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=128)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["indicator_code", "uploaded_at", "id"]
        indexes = [models.Index(fields=["assessment", "indicator_code"], name="evidence_indicator_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="evidence_removed_by_and_at_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} · {self.original_name}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    def as_snapshot(self) -> dict[str, Any]:
        """The frozen description of this file kept in a submitted self-assessment."""
        return {
            "id": self.pk,
            "indicator": self.indicator_code,
            "name": self.original_name,
            "size": self.size,
            "sha256": self.sha256,
            "content_type": self.content_type,
        }
