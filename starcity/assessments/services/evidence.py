"""Evidence files of a draft: attach (checked by content, stored privately) and remove (soft)."""

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.assessments import workflow
from starcity.assessments.models import Evidence, SelfAssessment
from starcity.assessments.services.guards import check_action, locked
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, ValidationFailed
from starcity.core.uploads import EVIDENCE_KINDS, CheckedUpload, validate_upload
from starcity.standards.selectors import scoring_standard_for

Action = workflow.Action


def evidence_attach(*, by: Any, assessment: SelfAssessment, indicator_code: str, file: Any) -> Evidence:
    """Attach an evidence file to one indicator of a draft. The file is checked by content (kind,
    size, name) and hashed, then stored privately under a random name, all before the database
    transaction (so reading up to the upload limit never holds the write lock); the checks of the
    user, the state and the indicator are repeated under the row lock, and the stored file is
    deleted again when the transaction does not commit."""
    _check_target(by, assessment, indicator_code)
    checked = validate_upload(file, allowed=EVIDENCE_KINDS)
    evidence = _stored(by, assessment, indicator_code, file, checked)
    try:
        with transaction.atomic():
            _record(by, evidence)
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def _check_target(by: Any, assessment: SelfAssessment, indicator_code: str) -> None:
    """May `by` attach a file to this indicator of this assessment now?"""
    check_action(Action.UPLOAD_EVIDENCE, assessment, by)
    standard = scoring_standard_for(assessment.standard_version)
    if indicator_code not in standard.indicator_map:
        raise ValidationFailed(
            _("标准 %(standard)s 中没有指标 %(code)s。") % {"standard": standard.key, "code": indicator_code},
            field="indicator_code",
        )


def _stored(by: Any, assessment: SelfAssessment, code: str, file: Any, checked: CheckedUpload) -> Evidence:
    """An unsaved Evidence row whose file is already written to private storage."""
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    evidence = Evidence(
        assessment=assessment,
        indicator_code=code,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    return evidence


def _record(by: Any, evidence: Evidence) -> None:
    """Under the row lock: check again, then write the row, touch the draft and audit."""
    assessment = locked(evidence.assessment)
    _check_target(by, assessment, evidence.indicator_code)
    evidence.assessment = assessment
    evidence.uploaded_at = clock.now()
    evidence.save()
    _touch(assessment)
    audit_record(
        actor=by,
        action="evidence.attach",
        target=assessment,
        scope=assessment.region.path,
        after={"evidence": evidence.as_snapshot()},
    )


@transaction.atomic
def evidence_remove(*, by: Any, evidence: Evidence) -> Evidence:
    """Remove an evidence file from a draft. The file and its row are kept (soft removal) so the
    audit trail stays complete; it no longer counts as evidence."""
    assessment = locked(evidence.assessment)
    check_action(Action.REMOVE_EVIDENCE, assessment, by)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk, assessment=assessment)
    if evidence.removed_at is not None:
        raise InvalidTransition(_("佐证材料“%(name)s”已经移除。") % {"name": evidence.original_name})
    evidence.removed_at = clock.now()
    evidence.removed_by = by
    evidence.save(update_fields=["removed_at", "removed_by"])
    _touch(assessment)
    audit_record(
        actor=by,
        action="evidence.remove",
        target=assessment,
        scope=assessment.region.path,
        before={"evidence": evidence.as_snapshot()},
    )
    return evidence


def _touch(assessment: SelfAssessment) -> None:
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=clock.now())
