"""Writes of an application's content: start it, fill it (target grade, self-assessment, task
book, contacts), attach and remove materials. Content changes only while the application is a
draft or returned; each write locks the row, checks the edge and leaves an audit row."""

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from starcity.calls import selectors, workflow
from starcity.calls.choices import ApplicationStatus, CallStatus, Direction, MaterialKind
from starcity.calls.completeness import assessment_problem, eligibility_problem, grade_name, offered_targets
from starcity.calls.deadlines import format_deadline, may_submit
from starcity.calls.models import Application, ApplicationMaterial, Call
from starcity.calls.presentation import assessment_label
from starcity.calls.services.guards import DeadlinePassed, check_action, locked, refuse
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.core.uploads import EVIDENCE_KINDS, CheckedUpload, validate_upload
from starcity.regions.models import Region
from starcity.standards.selectors import scoring_standard_for

Action = workflow.Action
MAX_TASKS = 50
TITLE_MAX, DESCRIPTION_MAX = 200, 2000
PHONE = re.compile(r"^[0-9+()\- ]{5,32}$")


class ApplicationExists(InvalidTransition):
    """A second active application of a region to a call was refused; `existing` is the first."""

    def __init__(self, message: Any, *, existing: Application):
        super().__init__(message)
        self.existing = existing


def _exists(region: Region, existing: Application) -> ApplicationExists:
    return ApplicationExists(
        _("%(region)s已有一份本批次的申报（%(status)s），请继续办理那一份。")
        % {"region": region.full_name, "status": existing.get_status_display()},
        existing=existing,
    )


@transaction.atomic
def application_create(*, by: Any, call: Call, region: Region) -> Application:
    """Start the application of `region` (the operator's own county, or own city) to a published
    call open to its level, before the region's deadline; one active application per region."""
    call = Call.objects.prefetch_related("levels").get(pk=call.pk)
    if call.status != CallStatus.PUBLISHED:
        raise InvalidTransition(_("批次“%(call)s”不在申报阶段，不能发起申报。") % {"call": call.title})
    if region not in selectors.applicant_regions_for(by, call):
        raise NotAllowed(_("您不能为%(region)s发起本批次的申报。") % {"region": region.full_name})
    closes = selectors.effective_deadline(call, region)
    if not may_submit(now=clock.now(), closes_at=closes):
        extension = selectors.extension_for(call, region)
        told = extension.until if extension and extension.until > call.deadline else call.deadline
        raise DeadlinePassed(
            _("%(region)s的申报截止时间为 %(deadline)s，已过截止时间，不能再发起申报。")
            % {"region": region.full_name, "deadline": format_deadline(told)}
        )
    existing = selectors.application_of(call, region)
    if existing is not None:
        raise _exists(region, existing)
    application = _insert(by=by, call=call, region=region)
    audit_record(
        actor=by,
        action="application.create",
        target=application,
        scope=region.path,
        to_state=ApplicationStatus.DRAFT,
        after={"call": call.title, "region": region.full_name},
    )
    return application


def _insert(*, by: Any, call: Call, region: Region) -> Application:
    now = clock.now()
    try:
        with transaction.atomic():
            return Application.objects.create(
                call=call,
                region=region,
                city=region.city or region,
                level=region.level,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:  # another operator started it after our check
        existing = selectors.application_of(call, region)
        if existing is None:
            raise
        raise _exists(region, existing) from exc


def _content_problems(
    application: Application,
    target_grade: int | None,
    assessment: Any,
    direction: str,
    email: str,
    phone: str,
) -> list[tuple[str, str]]:
    call, problems = application.call, []
    pinned = selectors.call_level(call, application.level)
    version = pinned.standard_version if pinned else None
    if target_grade is not None and target_grade not in offered_targets(call):
        offered = enumeration(grade_name(version, grade) for grade in offered_targets(call))
        problems.append(("target_grade", _("本批次可申报的星级为%(offered)s。") % {"offered": offered}))
    wrong = assessment_problem(application, assessment)
    if wrong:
        problems.append(("self_assessment", wrong))
    elif assessment is not None:
        ineligible = eligibility_problem(call, application.level, target_grade, assessment)
        if ineligible:
            problems.append(("self_assessment", ineligible))
    if direction and direction not in Direction.values:
        problems.append(("breakthrough_direction", _("突破方向须为优政、惠民、兴业之一。")))
    if phone and not PHONE.match(phone):
        problems.append(("contact_phone", _("联系电话只能包含数字、空格、括号、“+”和“-”，5 至 32 位。")))
    if email and "@" not in email:
        problems.append(("contact_email", _("电子邮箱格式不正确。")))
    return problems


def _audited(values: dict[str, Any], changed: list[str], assessment: Any) -> dict[str, Any]:
    """The changed content as the audit keeps it: the self-assessment by id and by name, so the
    timeline reads "淄博市桓台县自评估（…） · 三星级", not an internal number."""
    kept = {key: values[key] for key in changed}
    if "self_assessment" in kept and assessment is not None:
        kept["self_assessment"] = {"id": assessment.pk, "label": assessment_label(assessment)}
    return kept


def _content(application: Application) -> dict[str, Any]:
    return {
        "target_grade": application.target_grade,
        "self_assessment": application.self_assessment_id,
        "breakthrough_direction": application.breakthrough_direction,
        "contact_name": application.contact_name,
        "contact_phone": application.contact_phone,
        "contact_email": application.contact_email,
    }


@transaction.atomic
def application_update(
    *,
    by: Any,
    application: Application,
    target_grade: int | None,
    self_assessment: Any,
    breakthrough_direction: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
) -> Application:
    """Save the application's target grade, self-assessment, breakthrough direction and contacts.
    Empty values are allowed while preparing (the completeness check lists them); given values
    must be right: a grade the call offers, a submitted self-assessment of the applicant on the
    pinned version whose grade qualifies for the target, a direction among 优政/惠民/兴业."""
    application = locked(application)
    check_action(Action.EDIT, application, by)
    phone, email = contact_phone.strip(), contact_email.strip()
    problems = _content_problems(
        application, target_grade, self_assessment, breakthrough_direction, email, phone
    )
    if problems:
        refuse(problems)
    before, attached = _content(application), application.self_assessment
    application.target_grade = target_grade
    application.self_assessment = self_assessment
    application.breakthrough_direction = breakthrough_direction
    application.contact_name = contact_name.strip()[:64]
    application.contact_phone = phone
    application.contact_email = email
    after = _content(application)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return application
    application.updated_at = clock.now()
    application.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=by,
        action="application.update",
        target=application,
        scope=application.region.path,
        before=_audited(before, changed, attached),
        after=_audited(after, changed, self_assessment),
    )
    return application


def _clean_tasks(application: Application, tasks: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The task rows trimmed; every problem (row named) refused at once."""
    pinned = selectors.call_level(application.call, application.level)
    domains = {d.code for d in scoring_standard_for(pinned.standard_version).domains} if pinned else set()
    rows = [
        {k: str(task.get(k, "") or "").strip() for k in ("title", "description", "domain")} for task in tasks
    ]
    problems: list[tuple[str, str]] = []
    if len(rows) > MAX_TASKS:
        problems.append(("tasks", _("任务书最多 %(limit)d 项任务。") % {"limit": MAX_TASKS}))
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        problems += [("tasks", message) for message in _task_problems(number, row, domains, seen)]
    if problems:
        refuse(problems)
    return rows


def _task_problems(number: int, row: dict[str, str], domains: set[str], seen: dict[str, int]) -> list[str]:
    problems = []
    if not row["title"]:
        problems.append(_("任务书第 %(row)d 项缺少任务名称。") % {"row": number})
    elif len(row["title"]) > TITLE_MAX:
        problems.append(
            _("任务书第 %(row)d 项的名称最多 %(limit)d 个字。") % {"row": number, "limit": TITLE_MAX}
        )
    elif row["title"] in seen:
        problems.append(
            _("任务书第 %(row)d 项的名称与第 %(other)d 项重复。")
            % {"row": number, "other": seen[row["title"]]}
        )
    else:
        seen[row["title"]] = number
    if len(row["description"]) > DESCRIPTION_MAX:
        problems.append(
            _("任务书第 %(row)d 项的说明最多 %(limit)d 个字。") % {"row": number, "limit": DESCRIPTION_MAX}
        )
    if row["domain"] not in domains:
        problems.append(_("任务书第 %(row)d 项未选择所属领域。") % {"row": number})
    return problems


@transaction.atomic
def application_save_tasks(
    *, by: Any, application: Application, tasks: Sequence[Mapping[str, Any]]
) -> Application:
    """Replace the draft task book's tasks (title, description, domain of the pinned standard),
    in the order given. All rows are checked; one bad row refuses the whole save."""
    application = locked(application)
    check_action(Action.EDIT, application, by)
    rows = _clean_tasks(application, tasks)
    before = list(application.tasks or [])
    if rows == before:
        return application
    application.tasks = rows
    application.updated_at = clock.now()
    application.save(update_fields=["tasks", "updated_at"])
    audit_record(
        actor=by,
        action="application.tasks",
        target=application,
        scope=application.region.path,
        before={"tasks": len(before)},
        after={"tasks": len(rows)},
    )
    return application


# ---------------------------------------------------------------- materials


def material_attach(*, by: Any, application: Application, kind: str, file: Any) -> ApplicationMaterial:
    """Attach the application report or a supporting material. The file is checked by content
    (kind, size, name: pdf, Word, Excel, images), hashed and stored privately before the database
    transaction; the checks of the user and the state are repeated under the row lock, and the
    stored file is deleted again when the transaction does not commit."""
    check_action(Action.EDIT, application, by)
    if kind not in MaterialKind.values:
        raise ValidationFailed(_("请选择材料类型（申请报告或证明材料）。"), field="kind")
    checked = validate_upload(file, allowed=EVIDENCE_KINDS)
    material = _stored(by, application, kind, file, checked)
    try:
        with transaction.atomic():
            _record(by, material)
    except BaseException:
        material.file.storage.delete(material.file.name)
        raise
    return material


def _stored(
    by: Any, application: Application, kind: str, file: Any, checked: CheckedUpload
) -> ApplicationMaterial:
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    material = ApplicationMaterial(
        application=application,
        kind=kind,
        original_name=checked.name,
        content_kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    material.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    return material


def _material_snapshot(material: ApplicationMaterial) -> dict[str, Any]:
    return {
        "name": material.original_name,
        "kind": material.kind,
        "size": material.size,
        "sha256": material.sha256,
    }


def _record(by: Any, material: ApplicationMaterial) -> None:
    application = locked(material.application)
    check_action(Action.EDIT, application, by)
    now = clock.now()
    material.application = application
    material.uploaded_at = now
    material.save()
    Application.objects.filter(pk=application.pk).update(updated_at=now)
    audit_record(
        actor=by,
        action="application.material_attach",
        target=application,
        scope=application.region.path,
        after={"material": _material_snapshot(material)},
    )


@transaction.atomic
def material_remove(*, by: Any, material: ApplicationMaterial) -> ApplicationMaterial:
    """Remove a material from the application being prepared. The file and its row are kept
    (revisions that froze it still list it); it no longer belongs to the application."""
    application = locked(material.application)
    check_action(Action.EDIT, application, by)
    material = ApplicationMaterial.objects.select_for_update().get(pk=material.pk, application=application)
    if material.removed_at is not None:
        raise InvalidTransition(_("材料“%(name)s”已经移除。") % {"name": material.original_name})
    now = clock.now()
    material.removed_at, material.removed_by = now, by
    material.save(update_fields=["removed_at", "removed_by"])
    Application.objects.filter(pk=application.pk).update(updated_at=now)
    audit_record(
        actor=by,
        action="application.material_remove",
        target=application,
        scope=application.region.path,
        before={"material": _material_snapshot(material)},
    )
    return material
