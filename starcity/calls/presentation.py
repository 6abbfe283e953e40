"""What the pages show: timelines with translated states and fields, snapshots as read, diffs."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from starcity.calls.choices import ApplicationStatus, CallStatus, Direction, MaterialKind
from starcity.calls.diff import DiffRow, revision_diff
from starcity.calls.models import Application, ApplicationRevision
from starcity.calls.rules import CALL_FIELDS, field_label
from starcity.core.audit import action_label
from starcity.core.text import clauses, enumeration
from starcity.standards.selectors import scoring_standard_for


def _field_labels() -> dict[str, str]:
    labels = {name: field_label(name) for name in CALL_FIELDS}
    labels |= {
        "target_grade": _("申报星级"),
        "self_assessment": _("自评估"),
        "breakthrough_direction": _("突破方向"),
        "contact_name": _("联系人"),
        "contact_phone": _("联系电话"),
        "contact_email": _("电子邮箱"),
        "tasks": _("任务数"),
        "material": _("材料"),
        "levels": _("申报层级"),
        "region": _("申报地区"),
        "until": _("延期至"),
        "reason": _("理由"),
        "call": _("批次"),
    }
    return labels


def assessment_label(assessment: Any) -> str:
    """A self-assessment as people name it: its title (or region · standard version) and its
    grade, e.g. "淄博市桓台县自评估（SD-COUNTY@2019） · 三星级"; what the audit of an application's
    content stores, so its timeline never shows an internal id."""
    return f"{assessment} · {assessment.grade_label}"


def _assessment_ids(entries: list[Any]) -> set[int]:
    """The self-assessments that older audit rows name by id only (before labels were stored)."""
    return {
        value
        for entry in entries
        for value in ((entry.before or {}).get("self_assessment"), (entry.after or {}).get("self_assessment"))
        if isinstance(value, int) and not isinstance(value, bool)
    }


def _assessment_labels(ids: set[int]) -> dict[int, str]:
    from starcity.assessments.models import SelfAssessment  # calls builds on assessments

    if not ids:
        return {}
    found = SelfAssessment.objects.filter(pk__in=ids).select_related("region", "standard_version")
    return {assessment.pk: assessment_label(assessment) for assessment in found}


def _brief(key: str, value: Any, grades: list[str], assessments: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "target_grade" and isinstance(value, int) and 0 < value <= len(grades):
        return grades[value - 1]
    if key == "breakthrough_direction":
        return str(dict(Direction.choices).get(value, value))
    if key == "self_assessment":
        if isinstance(value, dict):
            number = value.get("id")
            return str(value.get("label") or assessments.get(number or 0) or f"#{number}")
        return assessments.get(value, f"#{value}")
    if key == "material" and isinstance(value, dict):
        kind = dict(MaterialKind.choices).get(value.get("kind", ""), "")
        return f"{kind}：{value.get('name', '')}"
    if key == "levels" and isinstance(value, dict):
        return clauses(f"{level} {item.get('standard', '')}" for level, item in value.items()) or "—"
    if isinstance(value, list):
        return enumeration(
            "→".join(str(x) for x in item) if isinstance(item, list) else item for item in value
        )
    return str(value)


def _changes(entry: Any, grades: list[str], assessments: dict[int, str]) -> list[str]:
    labels = _field_labels()
    lines = []
    for key in dict.fromkeys([*entry.before.keys(), *entry.after.keys()]):
        before, after = entry.before.get(key), entry.after.get(key)
        name = labels.get(key, key)
        if key in entry.before and key in entry.after:
            lines.append(
                _("%(field)s：%(before)s → %(after)s")
                % {
                    "field": name,
                    "before": _brief(key, before, grades, assessments),
                    "after": _brief(key, after, grades, assessments),
                }
            )
        else:
            lines.append(
                _("%(field)s：%(value)s")
                % {
                    "field": name,
                    "value": _brief(key, after if key in entry.after else before, grades, assessments),
                }
            )
    return lines


def _state_labels(entry: Any) -> dict[str, Any]:
    """The labels of the states an audit row moves between: a call's, an application's, or for
    the rows other apps write about an application (the province reads them) the list outcome
    (试点, 预试点, 未入选) or the on-site review's state."""
    if entry.target_type == "calls.call":
        return dict(CallStatus.choices)
    if entry.action.startswith("application."):
        return dict(ApplicationStatus.choices)
    from starcity.lists.choices import OnsiteStatus, Outcome  # lists builds on calls

    if entry.action.startswith("onsite."):
        return dict(OnsiteStatus.choices)
    return dict(Outcome.choices) | dict(ApplicationStatus.choices)


def _states(entry: Any) -> str:
    labels = _state_labels(entry)
    if not entry.to_state:
        return ""
    target = str(labels.get(entry.to_state, entry.to_state))
    return f"{labels.get(entry.from_state, entry.from_state)} → {target}" if entry.from_state else target


def attribution(extra: dict[str, Any]) -> str:
    """ "由淄博市代桓台县提交" for a county's application, "由淄博市提交" for the city's own."""
    city, region = extra.get("submitted_by_region", ""), extra.get("on_behalf_of", "")
    if not city:
        return ""
    if region:
        return _("由%(city)s代%(region)s提交") % {"city": city, "region": region}
    return _("由%(city)s提交") % {"city": city}


def timeline(entries: Any, *, details: bool = True, grades: list[str] | None = None) -> list[dict[str, Any]]:
    """Audit rows as timeline lines: when, who, what, states, reason, attribution and, with
    `details`, each change ("字段：旧 → 新"). Those who read only what was submitted (the
    province) get no details, so the timeline never shows a draft's content."""
    entries = list(entries)
    assessments = _assessment_labels(_assessment_ids(entries)) if details else {}
    rows = []
    for entry in entries:
        extra = entry.extra or {}
        note = attribution(extra) if entry.action == "application.submit" else ""
        if extra.get("revision"):
            note = _("%(note)s（第 %(revision)d 版）") % {"note": note, "revision": extra["revision"]}
        rows.append(
            {
                "at": entry.created_at,
                "actor": entry.actor,
                "label": action_label(entry.action),
                "states": _states(entry),
                "reason": entry.reason,
                "note": note,
                "changes": _changes(entry, grades or [], assessments) if details else [],
            }
        )
    return rows


# ---------------------------------------------------------------- content as read


def _standard_of(application: Application) -> Any:
    from starcity.calls.selectors import call_level

    pinned = call_level(application.call, application.level)
    return pinned.standard_version if pinned else None


def domains_of(application: Application) -> dict[str, str]:
    """The pinned standard's domains (code → name), for the task book."""
    version = _standard_of(application)
    if version is None:
        return {}
    return {domain.code: domain.name for domain in scoring_standard_for(version).domains}


def grades_of(application: Application) -> list[str]:
    version = _standard_of(application)
    return [str(g) for g in (version.grades or [])] if version else []


@dataclass(frozen=True)
class Content:
    """An application's content as shown: live (what its operators edit) or frozen (a revision)."""

    target_grade: int | None
    target_label: str
    assessment: dict[str, Any] | None
    direction: str
    tasks: list[dict[str, str]]
    contacts: dict[str, str]
    materials: list[dict[str, Any]]
    frozen: bool


def _grade_label(grades: list[str], grade: Any) -> str:
    if not grade:
        return _("未达星级") if grade == 0 else "—"
    return grades[grade - 1] if 0 < grade <= len(grades) else str(grade)


def _tasks(tasks: list[dict[str, Any]], domains: dict[str, str]) -> list[dict[str, str]]:
    return [
        {**task, "domain_name": domains.get(task.get("domain", ""), task.get("domain", ""))} for task in tasks
    ]


def live_content(application: Application, materials: Any) -> Content:
    grades, domains = grades_of(application), domains_of(application)
    assessment = application.self_assessment
    return Content(
        target_grade=application.target_grade,
        target_label=_grade_label(grades, application.target_grade),
        assessment=None
        if assessment is None
        else {
            "id": assessment.pk,
            "title": assessment.title,
            "grade": _grade_label(grades, assessment.grade),
            "score": str(assessment.score),
        },
        direction=str(dict(Direction.choices).get(application.breakthrough_direction, "")),
        tasks=_tasks(list(application.tasks or []), domains),
        contacts={
            "name": application.contact_name,
            "phone": application.contact_phone,
            "email": application.contact_email,
        },
        materials=[
            {
                "id": m.pk,
                "kind": m.kind,
                "kind_label": m.get_kind_display(),
                "name": m.original_name,
                "size": m.size,
            }
            for m in materials
        ],
        frozen=False,
    )


def revision_content(application: Application, revision: ApplicationRevision) -> Content:
    grades, domains = grades_of(application), domains_of(application)
    snap = revision.snapshot
    assessment = snap.get("self_assessment")
    kinds = dict(MaterialKind.choices)
    return Content(
        target_grade=snap.get("target_grade"),
        target_label=_grade_label(grades, snap.get("target_grade")),
        assessment=None
        if not assessment
        else {
            "id": assessment["id"],
            "title": assessment.get("title", ""),
            "grade": _grade_label(grades, assessment.get("grade")),
            "score": assessment.get("score", ""),
        },
        direction=str(dict(Direction.choices).get(snap.get("breakthrough_direction", ""), "")),
        tasks=_tasks(list(snap.get("tasks") or []), domains),
        contacts=dict(snap.get("contacts") or {}),
        materials=[
            {**m, "kind_label": kinds.get(m.get("kind", ""), "")} for m in snap.get("materials") or []
        ],
        frozen=True,
    )


def diff_rows(application: Application, old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    return revision_diff(old, new, grades=grades_of(application), domains=domains_of(application))
