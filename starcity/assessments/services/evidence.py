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
from starcity.core.uploads import EVIDENCE_KINDS, private_storage, validate_upload
from starcity.standards.selectors import scoring_standard_for

Action = workflow.Action


@transaction.atomic
def evidence_attach(*, by: Any, assessment: SelfAssessment, indicator_code: str, file: Any) -> Evidence:
    """Attach an evidence file to one indicator of a draft. The file is checked by content (kind,
    size, name) and stored privately under a random name."""
    assessment = locked(assessment)
    check_action(Action.UPLOAD_EVIDENCE, assessment, by)
    standard = scoring_standard_for(assessment.standard_version)
    if indicator_code not in standard.indicator_map:
        raise ValidationFailed(
            _("标准 %(standard)s 中没有指标 %(code)s。") % {"standard": standard.key, "code": indicator_code},
            field="indicator_code",
        )
    checked = validate_upload(file, allowed=EVIDENCE_KINDS)
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    evidence = Evidence(
        assessment=assessment,
        indicator_code=indicator_code,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=clock.now(),
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    try:
        evidence.save()
        _touch(assessment)
        audit_record(
            actor=by,
            action="evidence.attach",
            target=assessment,
            scope=assessment.region.path,
            after={"evidence": evidence.as_snapshot()},
        )
    except Exception:
        private_storage.delete(evidence.file.name)
        raise
    return evidence


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
