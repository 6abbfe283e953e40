"""Writing and reading the audit log (every state change writes one row, in its transaction)."""

from typing import Any

from django.db import models
from django.db.models import QuerySet

from starcity.core import clock
from starcity.core.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    scope: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row for `target`; call inside the transaction of the change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        created_at=clock.now(),
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        scope=scope,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        before=before or {},
        after=after or {},
        extra=extra or {},
    )


def audit_timeline_for(target: models.Model) -> QuerySet[AuditEntry]:
    """Every audit row about one object, newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


def audit_timeline_for_scope(scope: str) -> QuerySet[AuditEntry]:
    """Every audit row within a region path (the region and everything below it), newest first."""
    return AuditEntry.objects.filter(scope__startswith=scope).select_related("actor")


_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Apps name their audit actions once (lazy translated labels), in AppConfig.ready()."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The translated label of an audit action; the code itself when no app named it."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action
