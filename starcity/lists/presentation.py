"""List pages as read: timeline lines, grades by name, values of checklist items."""

from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.core.audit import action_label
from starcity.core.text import enumeration
from starcity.lists.choices import ListStatus, ObjectionStatus, OnsiteStatus, Outcome
from starcity.lists.values import shown
from starcity.scoring import Standard


def _state_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for choices in (ListStatus, Outcome, OnsiteStatus, ObjectionStatus):
        labels.update({value: str(label) for value, label in choices.choices})
    return labels


def _states(from_state: str, to_state: str) -> str:
    labels = _state_labels()
    if not to_state:
        return ""
    target = labels.get(to_state, to_state)
    return f"{labels.get(from_state, from_state)} → {target}" if from_state else target


def _changes(entry: Any) -> list[str]:
    labels = _state_labels()
    lines = []
    extra = entry.extra or {}
    for move in extra.get("moved") or []:
        line = _("%(region)s：%(before)s → %(after)s") % {
            "region": move.get("region", ""),
            "before": labels.get(move.get("from", ""), move.get("from", "")) or "—",
            "after": labels.get(move.get("to", ""), move.get("to", "")),
        }
        grades = move.get("grade") or []
        if len(grades) == 2 and grades[0] != grades[1]:
            line += _("（评定星级 %(before)s → %(after)s）") % {"before": grades[0], "after": grades[1]}
        lines.append(line)
    created = extra.get("onsite_created") or extra.get("reviews") or []
    if created:
        lines.append(_("生成现场复核清单：%(names)s") % {"names": "、".join(created)})
    before, after = entry.before or {}, entry.after or {}
    if "grade" in after and before.get("grade") != after.get("grade"):
        lines.append(
            _("评定星级：%(before)s → %(after)s") % {"before": before.get("grade"), "after": after["grade"]}
        )
    if "score" in after and before.get("score") != after.get("score"):
        lines.append(
            _("评定总分：%(before)s → %(after)s") % {"before": before.get("score"), "after": after["score"]}
        )
    if "document_number" in after:
        lines.append(
            _("文号：%(before)s → %(after)s")
            % {"before": before.get("document_number") or "—", "after": after.get("document_number") or "—"}
        )
    if "notice_ends_at" in after and before.get("notice_ends_at") != after.get("notice_ends_at"):
        lines.append(_("公示期重新计算，至 %(end)s") % {"end": _moment(after["notice_ends_at"])})
    if extra.get("confirmed"):
        lines.append(_("确认为专家组核定值：%(codes)s") % {"codes": enumeration(extra["confirmed"])})
    if extra.get("about"):
        lines.append(_("涉及：%(about)s") % {"about": extra["about"]})
    return lines


def _moment(text: str) -> str:
    """An ISO moment from an audit row as read ("2026-12-14 23:59:59", Beijing time)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s")


def timeline_entries(rows: Any) -> list[dict[str, Any]]:
    """Audit rows as timeline lines: when, who, what, the states and what moved."""
    return [
        {
            "at": row.created_at,
            "actor": row.actor,
            "label": action_label(row.action),
            "target": row.target_label,
            "states": _states(row.from_state, row.to_state),
            "reason": row.reason,
            "changes": _changes(row),
        }
        for row in rows
    ]


def grade_label(standard: Standard | None, grade: int | None) -> str:
    """A grade as the standard names it (三星级), 未达星级 for 0."""
    if not grade:
        return _("未达星级")
    if standard is not None and 0 < grade <= standard.n_grades:
        return standard.grades[grade - 1]
    return str(grade)


def item_rows(standard: Standard, items: list[Any]) -> list[dict[str, Any]]:
    """Checklist items as read: the indicator's name and method, the panel's value, the
    on-site value and the photos not removed."""
    rows = []
    for item in items:
        indicator = standard.indicator_map.get(item.indicator)
        rows.append(
            {
                "item": item,
                "name": indicator.name if indicator is not None else item.indicator,
                "definition": indicator.definition if indicator is not None else "",
                "panel_value": shown(standard, item.indicator, item.panel_value),
                "adjusted_value": shown(standard, item.indicator, item.adjusted_value)
                if item.adjusted_value is not None
                else "",
                "photos": [photo for photo in item.photos.all() if photo.removed_at is None],
            }
        )
    return rows
