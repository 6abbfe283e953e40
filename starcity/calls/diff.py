"""How two revisions of an application differ, field by field (pure: snapshots in, rows out).

Compared: the target grade, the attached self-assessment (which one, its grade and score), the
breakthrough direction, the tasks of the draft task book (matched by title: added, removed,
changed), the contacts, and the materials (by file: added, removed).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from starcity.calls.choices import Direction, MaterialKind

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class DiffRow:
    """One difference: what (`label`), how (`kind`: added, removed, changed) and the two sides."""

    label: str
    kind: str
    before: str = ""
    after: str = ""


def _grade(value: Any, grades: list[str]) -> str:
    if not value:
        return "—"
    number = int(value)
    return str(grades[number - 1]) if 0 < number <= len(grades) else str(number)


def _direction(value: str) -> str:
    return str(dict(Direction.choices).get(value, value)) if value else "—"


def _text(value: Any) -> str:
    return str(value) if value not in (None, "") else "—"


def _changed(label: str, before: str, after: str) -> list[DiffRow]:
    return [DiffRow(label, CHANGED, before, after)] if before != after else []


def _assessment(item: dict[str, Any], numbered: bool) -> str:
    """The attached self-assessment by its title (frozen since revisions record it), numbered
    only when two different ones share a title, or by number alone in older snapshots."""
    if not item.get("id"):
        return "—"
    title = item.get("title")
    if not title:
        return f"#{item['id']}"
    return f"{title}（#{item['id']}）" if numbered else str(title)


def _assessment_rows(
    old: dict[str, Any] | None, new: dict[str, Any] | None, grades: list[str]
) -> list[DiffRow]:
    old, new = old or {}, new or {}
    same_title = old.get("id") != new.get("id") and old.get("title") == new.get("title")
    rows = _changed(_("自评估"), _assessment(old, same_title), _assessment(new, same_title))
    rows += _changed(_("自评估星级"), _grade(old.get("grade"), grades), _grade(new.get("grade"), grades))
    rows += _changed(_("自评估总分"), _text(old.get("score")), _text(new.get("score")))
    return rows


def _task_text(task: dict[str, Any], domains: dict[str, str]) -> str:
    domain = domains.get(task.get("domain", ""), task.get("domain", ""))
    parts = [str(task.get("title", "")), f"[{domain}]" if domain else "", str(task.get("description", ""))]
    return " ".join(part for part in parts if part)


def _task_rows(
    old: list[dict[str, Any]], new: list[dict[str, Any]], domains: dict[str, str]
) -> list[DiffRow]:
    before = {str(t.get("title", "")): t for t in old}
    after = {str(t.get("title", "")): t for t in new}
    rows = []
    for title, task in after.items():
        if title not in before:
            rows.append(DiffRow(_("任务"), ADDED, after=_task_text(task, domains)))
        elif _task_text(before[title], domains) != _task_text(task, domains):
            rows.append(
                DiffRow(_("任务"), CHANGED, _task_text(before[title], domains), _task_text(task, domains))
            )
    rows += [
        DiffRow(_("任务"), REMOVED, before=_task_text(t, domains))
        for title, t in before.items()
        if title not in after
    ]
    return rows


def _material_text(item: dict[str, Any]) -> str:
    kind = dict(MaterialKind.choices).get(item.get("kind", ""), item.get("kind", ""))
    return f"{kind}：{item.get('name', '')}"


def _material_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[DiffRow]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    rows = [
        DiffRow(_("材料"), ADDED, after=_material_text(i)) for key, i in after.items() if key not in before
    ]
    rows += [
        DiffRow(_("材料"), REMOVED, before=_material_text(i)) for key, i in before.items() if key not in after
    ]
    return rows


def _contact_rows(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    labels = (("name", _("联系人")), ("phone", _("联系电话")), ("email", _("电子邮箱")))
    return [row for key, label in labels for row in _changed(label, _text(old.get(key)), _text(new.get(key)))]


def revision_diff(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    grades: list[str] | None = None,
    domains: dict[str, str] | None = None,
) -> list[DiffRow]:
    """Every difference from snapshot `old` to snapshot `new` (empty when they agree). `grades`
    names the grades of the pinned standard, `domains` its domain codes (for the tasks)."""
    grades, domains = grades or [], domains or {}
    rows = _changed(
        _("申报星级"), _grade(old.get("target_grade"), grades), _grade(new.get("target_grade"), grades)
    )
    rows += _assessment_rows(old.get("self_assessment"), new.get("self_assessment"), grades)
    rows += _changed(
        _("突破方向"),
        _direction(old.get("breakthrough_direction", "")),
        _direction(new.get("breakthrough_direction", "")),
    )
    rows += _task_rows(old.get("tasks") or [], new.get("tasks") or [], domains)
    rows += _contact_rows(old.get("contacts") or {}, new.get("contacts") or {})
    rows += _material_rows(old.get("materials") or [], new.get("materials") or [])
    return rows
