"""Create, rename, save, import, preview, submit and copy self-assessments."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from starcity.accounts.selectors import can_act_for_region
from starcity.assessments import workflow
from starcity.assessments.choices import Status
from starcity.assessments.excel import ExcelImportError, read_template
from starcity.assessments.models import Evidence, SelfAssessment
from starcity.assessments.selectors import (
    active_evidence,
    notes_of,
    submission_check,
    values_for_template,
    values_mapping_of,
)
from starcity.assessments.services.guards import (
    check_action,
    locked,
    open_draft,
    refuse_second_draft,
    second_draft,
)
from starcity.assessments.services.values import (
    Preview,
    checked_result,
    input_document,
    snapshot_language,
    store_input,
    validated_result,
)
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.uploads import validate_upload
from starcity.regions.models import Region
from starcity.scoring import Standard
from starcity.standards.choices import VersionStatus
from starcity.standards.models import StandardVersion
from starcity.standards.selectors import published_versions, scoring_standard_for
from starcity.standards.services import engine_language

Action = workflow.Action


@transaction.atomic
def assessment_create(
    *, by: Any, region: Region, standard_version: StandardVersion, title: str = ""
) -> SelfAssessment:
    """Start a draft self-assessment of `region` against a published version of the matching
    level. Only operators who may act for the region start one; one draft per region and version."""
    if not can_act_for_region(by, region):
        raise NotAllowed(_("您无权为%(region)s开展自评估。") % {"region": region.full_name})
    if region.level != standard_version.level:
        raise ValidationFailed(
            _("%(region)s是%(region_level)s，不能使用%(standard_level)s标准 %(standard)s。")
            % {
                "region": region.full_name,
                "region_level": region.get_level_display(),
                "standard_level": standard_version.get_level_display(),
                "standard": standard_version.label,
            },
            field="standard_version",
        )
    version = StandardVersion.objects.select_for_update().get(pk=standard_version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationFailed(
            _("标准版本 %(standard)s 已被替代，请选择现行版本。") % {"standard": version.label},
            field="standard_version",
        )
    refuse_second_draft(region, version)
    now = clock.now()
    title = title.strip() or default_title(region, version)
    assessment = _create_draft(by=by, region=region, version=version, title=title, now=now)
    audit_record(
        actor=by,
        action="assessment.create",
        target=assessment,
        scope=region.path,
        to_state=Status.DRAFT,
        after={"region": region.code, "standard": version.label, "title": title},
    )
    return assessment


TITLE_MAX = 200


def default_title(region: Region, version: StandardVersion) -> str:
    """The title of a new draft when none is given: the region and the standard version."""
    return _("%(region)s自评估（%(standard)s）") % {"region": region.full_name, "standard": version.label}


@transaction.atomic
def assessment_rename(*, by: Any, assessment: SelfAssessment, title: str) -> SelfAssessment:
    """Give a draft a new title (its operators only; a submitted one keeps its title for good).
    A blank title is refused; an unchanged one changes nothing and writes no audit row."""
    assessment = locked(assessment)
    check_action(Action.RENAME, assessment, by)
    title = " ".join(title.split())
    if not title:
        raise ValidationFailed(_("标题不能为空。"), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("标题最多 %(limit_value)d 个字。") % {"limit_value": TITLE_MAX}, field="title"
        )
    if title == assessment.title:
        return assessment
    before = assessment.title
    assessment.title = title
    assessment.updated_at = clock.now()
    assessment.save(update_fields=["title", "updated_at"])
    audit_record(
        actor=by,
        action="assessment.rename",
        target=assessment,
        scope=assessment.region.path,
        before={"title": before},
        after={"title": title},
    )
    return assessment


def _create_draft(
    *, by: Any, region: Region, version: StandardVersion, title: str, now: Any, **extra: Any
) -> SelfAssessment:
    try:
        with transaction.atomic():
            return SelfAssessment.objects.create(
                region=region,
                standard_version=version,
                title=title[:TITLE_MAX],
                created_by=by,
                created_at=now,
                updated_at=now,
                **extra,
            )
    except IntegrityError as exc:
        # Another draft for the same region and version was created after our check.
        existing = open_draft(region, version)
        if existing is not None:
            raise second_draft(region, version, existing) from exc
        raise InvalidTransition(
            _("%(region)s刚刚已创建了一份草稿，请刷新后继续。") % {"region": region.full_name}
        ) from exc


@transaction.atomic
def assessment_save_answers(
    *,
    by: Any,
    assessment: SelfAssessment,
    values: Mapping[str, Any],
    bonus: Mapping[str, Any],
    vetoes: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
) -> SelfAssessment:
    """Replace the draft's input with `values` (indicator code → value; absent means not given),
    `bonus` and `vetoes` (code → bool) and, when given, `notes`. The engine checks everything
    first; one bad value refuses the whole save."""
    assessment = locked(assessment)
    check_action(Action.SAVE, assessment, by)
    before, after = store_input(assessment=assessment, values=values, bonus=bonus, vetoes=vetoes, notes=notes)
    audit_record(
        actor=by,
        action="assessment.save",
        target=assessment,
        scope=assessment.region.path,
        before=before,
        after=after,
        extra={"grade": assessment.grade, "score": str(assessment.score)},
    )
    return assessment


def assessment_import_excel(
    *, by: Any, assessment: SelfAssessment, data: bytes, filename: str = "import.xlsx"
) -> SelfAssessment:
    """Import a filled Excel template: the file must be an .xlsx by content and within the upload
    limit; every bad cell is reported (sheet, row, column) and nothing is imported unless the
    whole workbook is valid. The notes (说明/备注) are imported with the values: a template that
    carried the notes already written replaces them (a blank note clears one); an older template
    that did not only adds or changes the notes written in it. The workbook is read before the
    transaction, so reading it never holds the write lock; the checks are repeated under the lock."""
    check_action(Action.IMPORT_EXCEL, assessment, by)
    validate_upload(ContentFile(data, name=filename or "import.xlsx"), allowed={"xlsx"})
    version = assessment.standard_version  # a version in use never changes: no lock needed
    standard = scoring_standard_for(version)
    try:
        reading = read_template(
            data, standard, version_label=version.label, content_hash=version.content_hash
        )
    except ExcelImportError as exc:
        errors = [str(error) for error in exc.errors] or [str(exc)]
        raise ValidationFailed(
            _("Excel 文件有 %(count)d 处错误，未导入任何内容。") % {"count": len(errors)},
            field="file",
            errors=errors,
        ) from exc
    with transaction.atomic():
        assessment = locked(assessment)
        check_action(Action.IMPORT_EXCEL, assessment, by)
        document = reading.values
        notes = reading.notes if reading.notes_complete else {**notes_of(assessment), **reading.notes}
        before, after = store_input(
            assessment=assessment,
            values=document.get("values") or {},
            bonus=document.get("bonus") or {},
            vetoes=document.get("vetoes") or {},
            notes=notes,
        )
        audit_record(
            actor=by,
            action="assessment.import",
            target=assessment,
            scope=assessment.region.path,
            before=before,
            after=after,
            extra={"grade": assessment.grade, "score": str(assessment.score), "bytes": len(data)},
        )
    return assessment


def assessment_preview(
    *,
    by: Any,
    assessment: SelfAssessment,
    values: Mapping[str, Any],
    bonus: Mapping[str, Any],
    vetoes: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
) -> Preview:
    """The result the draft would have with this input, for the live panel, and what the engine
    refuses in it (every refusal at once; the refused indicators count as not filled in the
    result). Writes nothing; only an operator of a draft previews, as only they may save."""
    check_action(Action.SAVE, assessment, by)
    standard = scoring_standard_for(assessment.standard_version)
    return checked_result(
        standard, input_document(assessment, standard, values, bonus, vetoes), engine_language()
    )


@transaction.atomic
def assessment_submit(*, by: Any, assessment: SelfAssessment) -> SelfAssessment:
    """Submit a draft: its values, notes, evidence list and result (with the standard version)
    are frozen into snapshots, and it becomes read-only for good. An incomplete draft may be
    submitted; what was missing (empty indicators, core ones among them, values without evidence,
    a superseded version) is recorded with the audit row."""
    assessment = locked(assessment)
    check_action(Action.SUBMIT, assessment, by)
    from_state, to_state = workflow.TRANSITIONS[Action.SUBMIT]
    document = values_mapping_of(assessment)
    standard = scoring_standard_for(assessment.standard_version)
    result = validated_result(standard, document, snapshot_language())
    check = submission_check(assessment)
    now = clock.now()
    assessment.snapshot_values = document
    assessment.snapshot_notes = notes_of(assessment)
    assessment.snapshot_evidence = [item.as_snapshot() for item in active_evidence(assessment)]
    assessment.snapshot_result = result
    assessment.snapshot_standard_hash = assessment.standard_version.content_hash
    assessment.grade = int(result["grade"])
    assessment.score = Decimal(result["score"])
    assessment.status = to_state
    assessment.submitted_at = now
    assessment.submitted_by = by
    assessment.updated_at = now
    assessment.save()
    audit_record(
        actor=by,
        action="assessment.submit",
        target=assessment,
        scope=assessment.region.path,
        from_state=from_state,
        to_state=to_state,
        after={
            "grade": assessment.grade,
            "score": str(assessment.score),
            "evidence": len(assessment.snapshot_evidence),
        },
        extra={
            "empty": len(check.empty),
            "empty_core": check.empty_core,
            "without_evidence": len(check.without_evidence),
            "superseded": check.superseded,
        },
    )
    return assessment


def _version_for_copy(source: SelfAssessment) -> StandardVersion:
    version = source.standard_version
    if version.status == VersionStatus.PUBLISHED:
        return version
    current = published_versions(level=version.level).filter(line=version.line).first()
    if current is None:
        raise InvalidTransition(
            _("标准系列 %(code)s 目前没有现行版本，无法复制。") % {"code": version.line.code}
        )
    return current


def _carried_values(source: SelfAssessment, old: Standard, new: Standard) -> dict[str, Any]:
    """Values of indicators that keep their code and method in the new version (a tier grade
    only while the new version still has it)."""
    carried: dict[str, Any] = {}
    for code, value in (values_for_template(source).get("values") or {}).items():
        target = new.indicator_map.get(code)
        origin = old.indicator_map.get(code)
        if value is None or target is None or origin is None or target.method != origin.method:
            continue
        if target.method == "tiered" and int(value) > new.n_grades:
            continue
        carried[code] = value
    return carried


@transaction.atomic
def assessment_copy(*, by: Any, source: SelfAssessment) -> SelfAssessment:
    """Start a new draft from a submitted self-assessment: same region, same version (or the
    version now in force of the same line when it was superseded); answers, notes, bonus, vetoes
    and evidence are carried over by indicator code."""
    source = locked(source)
    check_action(Action.COPY, source, by)
    version = _version_for_copy(source)
    refuse_second_draft(source.region, version)
    old, new = scoring_standard_for(source.standard_version), scoring_standard_for(version)
    now = clock.now()
    copy = _create_draft(
        by=by,
        region=source.region,
        version=version,
        title=_copy_title(source, version),
        now=now,
        copied_from=source,
    )
    values = _carried_values(source, old, new)
    notes = {code: note for code, note in notes_of(source).items() if code in new.indicator_map}
    store_input(
        assessment=copy,
        values=values,
        bonus={code: flag for code, flag in source.bonus.items() if any(b.code == code for b in new.bonus)},
        vetoes={
            code: flag for code, flag in source.vetoes.items() if any(v.code == code for v in new.vetoes)
        },
        notes=notes,
    )
    copied = _copy_evidence(source, copy, new)
    audit_record(
        actor=by,
        action="assessment.copy",
        target=copy,
        scope=copy.region.path,
        to_state=Status.DRAFT,
        after={
            "copied_from": source.pk,
            "standard": version.label,
            "title": copy.title,
            "answers": len(values),
            "evidence": copied,
        },
    )
    return copy


def _copy_suffixes() -> list[str]:
    """The copy suffix as every language of the site writes it ("（副本）", " (copy)")."""
    suffixes = {_("%(title)s（副本）") % {"title": ""}}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            suffixes.add(_("%(title)s（副本）") % {"title": ""})
    return sorted((suffix for suffix in suffixes if suffix.strip()), key=len, reverse=True)


def without_copy_suffix(title: str) -> str:
    """The title without the copy suffixes at its end, in any of the site's languages
    ("X（副本） (copy)" → "X")."""
    suffixes = _copy_suffixes()
    stripped = True
    while stripped:
        stripped = False
        for suffix in suffixes:
            if title.endswith(suffix) and len(title) > len(suffix):
                title, stripped = title[: -len(suffix)].rstrip(), True
    return title


def copy_title(title: str, old: StandardVersion, new: StandardVersion) -> str:
    """The title of a copy: the user's own title, with the old version's label (or, failing
    that, its version) replaced by the new one's when the copy moves to a newer version; else
    the title with one copy suffix ("（副本）"), never a second one."""
    title = without_copy_suffix(title)
    if new.pk != old.pk:
        for before, after in ((old.label, new.label), (old.version, new.version)):
            if before and before in title:
                return title.replace(before, after)
    return _("%(title)s（副本）") % {"title": title}


def _copy_title(source: SelfAssessment, version: StandardVersion) -> str:
    return copy_title(source.title, source.standard_version, version)


def _copy_evidence(source: SelfAssessment, copy: SelfAssessment, standard: Standard) -> int:
    """The new draft refers to the same stored files (files are never changed or deleted)."""
    items = [
        Evidence(
            assessment=copy,
            indicator_code=item.indicator_code,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=item.uploaded_by,
            uploaded_at=item.uploaded_at,
        )
        for item in active_evidence(source)
        if item.indicator_code in standard.indicator_map
    ]
    Evidence.objects.bulk_create(items)
    return len(items)
