"""Eligibility and completeness of an application, checked before any submission.

Eligibility follows the call's grade offers ([already met, target]: by default a place meeting
3 stars may apply for a 4-star pilot, one meeting 4 for 5): the attached self-assessment must be
a submitted one of the applicant on the call's pinned version, with a grade at least the "already
met" grade of the offer for the target grade. Completeness lists every missing item at once.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from starcity.assessments.choices import Status as AssessmentStatus
from starcity.calls.choices import Direction, MaterialKind
from starcity.calls.models import Application, Call
from starcity.calls.selectors import active_materials, call_level, grade_offer_for
from starcity.core.text import enumeration


def grade_name(version: Any, grade: int | None) -> str:
    """A grade as its standard names it ("四星级"); "未达星级" for 0."""
    if not grade:
        return _("未达星级")
    grades = list(getattr(version, "grades", None) or [])
    return str(grades[grade - 1]) if 0 < grade <= len(grades) else _("%(grade)d 星级") % {"grade": grade}


def offered_targets(call: Call) -> list[int]:
    """The target grades the call offers, in order."""
    return sorted({int(offer[1]) for offer in call.grade_offers or []})


def eligibility_problem(call: Call, level: str, target_grade: int | None, assessment: Any) -> str | None:
    """Why the assessment does not qualify the applicant for the target grade, or None."""
    pinned = call_level(call, level)
    version = pinned.standard_version if pinned else None
    offer = grade_offer_for(call, target_grade)
    if offer is None or assessment is None:
        return None  # reported as a missing or wrong target grade / assessment
    needed = int(offer[0])
    if assessment.grade >= needed:
        return None
    return _("申报%(target)s须自评估达到%(needed)s，所选自评估为%(actual)s。") % {
        "target": grade_name(version, target_grade),
        "needed": grade_name(version, needed),
        "actual": grade_name(version, assessment.grade),
    }


def assessment_problem(application: Application, assessment: Any) -> str | None:
    """Why the assessment cannot be attached to this application, or None: it must be a submitted
    self-assessment of the applicant on the call's pinned version for the level."""
    pinned = call_level(application.call, application.level)
    if assessment is None or pinned is None:
        return None
    if (
        assessment.region_id != application.region_id
        or assessment.standard_version_id != pinned.standard_version_id
        or assessment.status != AssessmentStatus.SUBMITTED
    ):
        return _("自评估须是%(region)s使用本批次指定标准 %(standard)s 并已提交的自评估。") % {
            "region": application.region.full_name,
            "standard": pinned.standard_version.label,
        }
    return None


@dataclass(frozen=True)
class CheckItem:
    """One line of the completeness checklist: what is checked, and the problem when not met."""

    key: str
    label: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _target_item(application: Application) -> CheckItem:
    call = application.call
    problems: list[str] = []
    pinned = call_level(call, application.level)
    if application.target_grade is None:
        problems.append(_("未选择申报星级。"))
    elif application.target_grade not in offered_targets(call):
        version = pinned.standard_version if pinned else None
        problems.append(
            _("申报星级%(grade)s不在本批次可申报的星级（%(offered)s）之中。")
            % {
                "grade": grade_name(version, application.target_grade),
                "offered": enumeration(grade_name(version, g) for g in offered_targets(call)),
            }
        )
    return CheckItem("target_grade", _("申报星级"), tuple(problems))


def _assessment_item(application: Application) -> CheckItem:
    assessment = application.self_assessment
    problems: list[str] = []
    if assessment is None:
        problems.append(_("未选择自评估（须为已提交的自评估）。"))
    else:
        wrong = assessment_problem(application, assessment)
        eligibility = eligibility_problem(
            application.call, application.level, application.target_grade, assessment
        )
        problems += [p for p in (wrong, eligibility) if p]
    return CheckItem("self_assessment", _("自评估与申报资格"), tuple(problems))


def _report_item(materials: list[Any]) -> CheckItem:
    has_report = any(m.kind == MaterialKind.REPORT for m in materials)
    return CheckItem("report", _("申请报告"), () if has_report else (_("未上传申请报告。"),))


def _direction_item(application: Application) -> CheckItem:
    if application.breakthrough_direction in Direction.values:
        return CheckItem("direction", _("突破方向"), ())
    choices = enumeration(label for _value, label in Direction.choices)
    return CheckItem(
        "direction", _("突破方向"), (_("未选择突破方向（%(choices)s）。") % {"choices": choices},)
    )


def _tasks_item(application: Application) -> CheckItem:
    tasks = list(application.tasks or [])
    problems: list[str] = []
    if not tasks:
        problems.append(_("任务书（草案）至少需要一项任务。"))
    for number, task in enumerate(tasks, start=1):
        if not str(task.get("title", "")).strip():
            problems.append(_("任务书第 %(row)d 项缺少任务名称。") % {"row": number})
        if not str(task.get("domain", "")).strip():
            problems.append(_("任务书第 %(row)d 项未选择所属领域。") % {"row": number})
    return CheckItem("tasks", _("任务书（草案）"), tuple(problems))


def _contacts_item(application: Application) -> CheckItem:
    problems = [
        message
        for value, message in (
            (application.contact_name, _("未填写联系人。")),
            (application.contact_phone, _("未填写联系电话。")),
            (application.contact_email, _("未填写联系人电子邮箱。")),
        )
        if not value.strip()
    ]
    return CheckItem("contacts", _("联系人"), tuple(problems))


def completeness_items(application: Application) -> list[CheckItem]:
    """Every item of the checklist, in the order of the page, each with its problems."""
    materials = list(active_materials(application))
    return [
        _target_item(application),
        _assessment_item(application),
        _report_item(materials),
        _direction_item(application),
        _tasks_item(application),
        _contacts_item(application),
    ]


def missing_items(application: Application) -> list[str]:
    """Every problem that keeps the application from being submitted, all at once."""
    return [problem for item in completeness_items(application) for problem in item.problems]
