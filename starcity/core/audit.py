"""Writing and reading the audit log (every state change writes one row, in its transaction)."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

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


def audit_timeline_for_scope(scope: str, *, user: Any) -> QuerySet[AuditEntry]:
    """The audit rows within a region path (the region and everything below it) that `user` may
    see, newest first: rows about an object of a registered kind only when that object is visible
    to the user (a province officer never learns of another region's drafts from a timeline)."""
    rows = AuditEntry.objects.filter(scope__startswith=scope).select_related("actor")
    for target_type, visible_ids in _VISIBILITY.items():
        rows = rows.exclude(Q(target_type=target_type) & ~Q(target_id__in=visible_ids(user)))
    return rows


VisibleIds = Callable[[Any], QuerySet[Any]]
_VISIBILITY: dict[str, VisibleIds] = {}


def register_audit_visibility(target_type: str, visible_ids: VisibleIds) -> None:
    """An app that holds objects not everyone may see names them: `visible_ids(user)` returns a
    queryset of the visible objects' primary keys as text (for `target_id__in`)."""
    _VISIBILITY[target_type] = visible_ids


_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Apps name their audit actions once (lazy translated labels), in AppConfig.ready()."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The translated label of an audit action; the code itself when no app named it."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action
