"""Audit rows as timeline lines: translated states, field names and values."""

from typing import Any

from django.utils.translation import gettext as _

from starcity.assessments.choices import Status
from starcity.assessments.presentation.text import enumeration, item_label, labelled, yes_no
from starcity.core.audit import action_label
from starcity.scoring import Standard


# Audit keys as the timeline names them; an indicator code stands for itself (with its name).
def _field_labels() -> dict[str, str]:
    return {
        "region": _("区域"),
        "standard": _("标准版本"),
        "title": _("标题"),
        "grade": _("星级"),
        "score": _("总分"),
        "evidence": _("佐证材料"),
        "bonus": _("加分项"),
        "vetoes": _("否决项"),
        "answers": _("沿用的填报"),
        "copied_from": _("复制自"),
        "bytes": _("文件大小(字节)"),
    }


def audit_label(action: str) -> str:
    return action_label(action)


def _brief(value: Any) -> str:
    """One audit value as read: yes/no for flags, "a/b" for a ratio, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dict) and "value" in value:
        return _brief(value["value"])
    if isinstance(value, dict) and {"numerator", "denominator"} <= set(value):
        return f"{value['numerator']}/{value['denominator']}"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, dict):
        return enumeration(f"{code} {_brief(flag)}" for code, flag in value.items()) or "—"
    return str(value)


def _states(from_state: str, to_state: str) -> str:
    labels = dict(Status.choices)
    if not to_state:
        return ""
    target = str(labels.get(to_state, to_state))
    return f"{labels.get(from_state, from_state)} → {target}" if from_state else target


def _change(name: str, before: Any, after: Any) -> list[str]:
    """The lines of one changed key: "字段：旧 → 新" (or "字段：新" when it is new), plus a
    line when only an indicator's note changed."""
    lines = []
    old, new = _brief(before), _brief(after)
    if old != new:
        if before is None:
            lines.append(labelled(name, new))
        else:
            lines.append(
                _("%(field)s：%(before)s → %(after)s") % {"field": name, "before": old, "after": new}
            )
    notes = [(item or {}).get("note", "") if isinstance(item, dict) else "" for item in (before, after)]
    if isinstance(after, dict) and "note" in after and notes[0] != notes[1]:
        lines.append(_("%(field)s：说明已修改") % {"field": name})
    return lines


def _changes(entry: Any, standard: Standard | None, lang: str) -> list[str]:
    """Each changed key as "名称：旧 → 新" with translated names and values; an evidence file as
    "指标：文件名"."""
    evidence = entry.after.get("evidence") or entry.before.get("evidence")
    keys = list(dict.fromkeys([*entry.before.keys(), *entry.after.keys()]))
    names = _field_labels()
    changes: list[str] = []
    for key in keys:
        if key == "evidence" and isinstance(evidence, dict):
            continue
        name = names.get(key) or (item_label(standard, key, lang) if standard is not None else key)
        before, after = entry.before.get(key), entry.after.get(key)
        if key == "copied_from" and after is not None:
            after = f"#{after}"
        changes += _change(name, before, after)
    if isinstance(evidence, dict):
        code = str(evidence.get("indicator") or "")
        changes.append(
            labelled(item_label(standard, code, lang) if standard else code, str(evidence.get("name")))
        )
    return changes


def timeline_entries(
    entries: Any, *, standard: Standard | None = None, lang: str = "zh"
) -> list[dict[str, Any]]:
    """Audit rows as timeline lines: when, who, what, the states as their labels and each change
    as "名称：旧 → 新" (field names, statuses and yes/no translated; indicators by code and name
    when the standard is given)."""
    return [
        {
            "at": entry.created_at,
            "actor": entry.actor,
            "label": audit_label(entry.action),
            "states": _states(entry.from_state, entry.to_state),
            "changes": _changes(entry, standard, lang),
        }
        for entry in entries
    ]
