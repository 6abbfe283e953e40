"""Forming the preliminary list, the office's overrides, and the document number."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.calls.models import Call
from starcity.core import clock
from starcity.core.batch import gc_paused
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.lists import workflow
from starcity.lists.choices import ListStatus, ObjectionStatus, Outcome
from starcity.lists.models import ListEntry, Objection, SelectionList
from starcity.lists.selectors import (
    applications_awaiting_screening,
    applications_missing_from,
    applications_without_conclusion,
    levels_of,
    rankable_applications,
    submissions_close_at,
    submissions_open,
)
from starcity.lists.services.common import (
    audit_list,
    check_action,
    locked_list,
    open_checklists,
    outcome_label,
    place_level,
)
from starcity.lists.services.notice import renotice_if_changed, shown_time
from starcity.regions.choices import Level

Action = workflow.Action
REASON_MAX = 2000


def _counts(selection_list: SelectionList) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for level, outcome in ListEntry.objects.filter(selection_list=selection_list).values_list(
        "level", "outcome"
    ):
        counts.setdefault(level, {}).setdefault(outcome, 0)
        counts[level][outcome] += 1
    return counts


def _named(applications: Any) -> list[str]:
    return [f"{app.region.full_name}（{Level(app.level).label}）" for app in applications]


def selection_blockers(call: Call) -> list[str]:
    """What keeps the call's list from being formed (or going on site) now: applications may
    still reach the province (the latest deadline with grace, extensions and resubmissions has
    not passed, to the second, and the call is not closed), or submitted applications wait for
    formal screening (each named). Panels still at work are refused separately, each named."""
    problems = []
    if submissions_open(call):
        problems.append(
            _("申报尚未截止：最晚可提交至 %(end)s（含宽限时间、延期和退回后重新提交）。")
            % {"end": shown_time(submissions_close_at(call))}
        )
    waiting = _named(applications_awaiting_screening(call))
    if waiting:
        problems.append(
            _("还有 %(count)d 份申报待形式审查：%(names)s。")
            % {"count": len(waiting), "names": enumeration(waiting)}
        )
    return problems


def _unconcluded_message(names: list[str]) -> str:
    return _("还有 %(count)d 份已通过形式审查的申报尚未完成专家评审，不能形成名单：%(names)s。") % {
        "count": len(names),
        "names": enumeration(names),
    }


def form_blockers(call: Call) -> list[str]:
    """Everything that keeps the call's list from being formed (or formed again) now: the
    `selection_blockers` and the panels still at work (each named)."""
    problems = selection_blockers(call)
    names = _named(applications_without_conclusion(call))
    if names:
        problems.append(_unconcluded_message(names))
    return problems


def onsite_blockers(selection_list: SelectionList) -> list[str]:
    """What keeps the preliminary list from going on site: the `form_blockers`, and
    applications concluded since the list was formed (the list must be formed again first)."""
    problems = form_blockers(selection_list.call)
    missing = _named(applications_missing_from(selection_list))
    if missing:
        problems.append(
            _("以下申报已完成专家评审但不在初步名单中，请先重新形成初步名单：%(names)s。")
            % {"names": enumeration(missing)}
        )
    return problems


def _refuse_early(call: Call) -> None:
    problems = selection_blockers(call)
    if problems:
        raise InvalidTransition(problems[0], errors=problems)


def _refuse_unconcluded(call: Call) -> None:
    """Refuse while an accepted application of the call has no concluded panel, naming each."""
    names = _named(applications_without_conclusion(call))
    if names:
        raise InvalidTransition(_unconcluded_message(names), errors=names)


@transaction.atomic
@gc_paused()
def selection_list_form(*, by: Any, call: Call) -> SelectionList:
    """Form the call's preliminary list, or form it again while it is preliminary.

    Every accepted application with a concluded panel gets an entry of its level, ranked by
    verified grade, then verified score, then region code; the proposal applies the eligibility
    rule and the level's quotas (see `ranking`). Forming again takes the panels' current
    results and any application accepted since; the office's overrides are kept (their outcome
    and reason) and take their places in the quotas. Refused while applications may still reach
    the province or wait for formal screening (`selection_blockers`), while an accepted
    application has no concluded panel (each is named), and once the list has gone on site."""
    if workflow.role_of(by) != workflow.OFFICE:
        raise NotAllowed(_("只有省级工作人员可以形成入选名单。"))
    call = Call.objects.select_for_update().get(pk=call.pk)
    existing = SelectionList.objects.filter(call=call).first()
    if existing is not None:
        selection_list = locked_list(existing)
        check_action(Action.REFORM, selection_list, by)
    else:
        selection_list = SelectionList(call=call, formed_by=by)
    _refuse_early(call)
    _refuse_unconcluded(call)
    applications = list(rankable_applications(call))
    levels = set(levels_of(call))
    applications = [app for app in applications if app.level in levels]
    if not applications:
        raise InvalidTransition(_("本批次还没有完成专家评审的申报，无法形成名单。"))
    now = clock.now()
    reform = selection_list.pk is not None
    selection_list.formed_by = by
    selection_list.formed_at = now
    selection_list.save()
    _write_entries(selection_list, applications)
    for level in levels_of(call):
        place_level(selection_list, level)
    audit_list(
        by=by,
        action="list.reform" if reform else "list.form",
        selection_list=selection_list,
        to_state=ListStatus.PRELIMINARY,
        extra={"counts": _counts(selection_list), "entries": len(applications)},
    )
    return selection_list


def _write_entries(selection_list: SelectionList, applications: list[Any]) -> None:
    """Create or refresh one entry per application (the panel's verified grade and score);
    entries of applications no longer rankable are removed."""
    existing = {
        entry.application_id: entry for entry in ListEntry.objects.filter(selection_list=selection_list)
    }
    keep = {app.pk for app in applications}
    stale = [entry.pk for app_id, entry in existing.items() if app_id not in keep]
    if stale:
        ListEntry.objects.filter(pk__in=stale).delete()
    new, changed = [], []
    for app in applications:
        panel = app.panel
        grade, score = int(panel.verified_grade or 0), Decimal(panel.verified_score or 0)
        entry = existing.get(app.pk)
        if entry is None:
            new.append(
                ListEntry(
                    selection_list=selection_list,
                    application=app,
                    level=app.level,
                    rank=0,
                    verified_grade=grade,
                    verified_score=score,
                    proposed_outcome=Outcome.NOT_SELECTED,
                    outcome=Outcome.NOT_SELECTED,
                )
            )
        elif (entry.verified_grade, entry.verified_score, entry.level) != (grade, score, app.level):
            entry.verified_grade, entry.verified_score, entry.level = grade, score, app.level
            changed.append(entry)
    ListEntry.objects.bulk_create(new, batch_size=500)
    ListEntry.objects.bulk_update(changed, ["verified_grade", "verified_score", "level"], batch_size=500)


RESTORE = "rule"  # the override form's choice to give the entry back to the ranking rule


@transaction.atomic
def list_entry_override(
    *, by: Any, entry: ListEntry, outcome: str, reason: str, objection: Objection | None = None
) -> ListEntry:
    """Decide one entry's outcome (pilot, pre-pilot or not selected) with a mandatory reason, or
    give it back to the ranking rule (`outcome="rule"`, a reason still required). The level is
    placed again: the decided outcome takes its place in the quotas, so other entries may move
    (each move is recorded in the audit row). `objection` is the upheld objection the decision
    follows, if any: during the notice it is required, and when the published list changes the
    notice starts again (`renotice_if_changed`). New pilots get their on-site checklist while
    the list is on site or in notice."""
    selection_list = locked_list(entry.selection_list)
    check_action(Action.OVERRIDE, selection_list, by)
    entry = (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("application__region__parent")
        .get(pk=entry.pk, selection_list=selection_list)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写调整理由。"), field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(_("调整理由最多 %(limit)d 个字。") % {"limit": REASON_MAX}, field="reason")
    if outcome != RESTORE and outcome not in Outcome.values:
        raise ValidationFailed(_("请选择调整后的结果。"), field="outcome")
    if outcome == RESTORE and not entry.overridden:
        raise ValidationFailed(_("该条目没有调整过，已按排名规则确定。"), field="outcome")
    if outcome != RESTORE and outcome == entry.outcome:
        raise ValidationFailed(
            _("%(region)s的结果已是“%(outcome)s”。")
            % {"region": entry.application.region.full_name, "outcome": outcome_label(outcome)},
            field="outcome",
        )
    if objection is not None:
        objection = _checked_objection(objection, selection_list)
    elif workflow.override_needs_objection(selection_list.status):
        raise ValidationFailed(
            _("公示期间调整名单须依据认定成立的异议，请选择依据的异议。"), field="objection"
        )
    before = entry.outcome
    now = clock.now()
    if outcome == RESTORE:
        entry.outcome = entry.proposed_outcome  # what the rule gives it; placed again below
        entry.override_reason = ""
        entry.override_objection = None
    else:
        entry.outcome = outcome
        entry.override_reason = reason
        entry.override_objection = objection
    entry.overridden_by, entry.overridden_at = by, now
    entry.save(
        update_fields=["outcome", "override_reason", "override_objection", "overridden_by", "overridden_at"]
    )
    moved = place_level(selection_list, entry.level, exclude_override=entry.pk)
    entry.refresh_from_db()
    created = open_checklists(selection_list)
    audit_list(
        by=by,
        action="list.override" if outcome != RESTORE else "list.restore",
        selection_list=selection_list,
        target=entry.application,
        scope=entry.application.region.path,
        from_state=before,
        to_state=entry.outcome,
        reason=reason,
        extra={
            "entry": entry.pk,
            "objection": objection.pk if objection is not None else None,
            "moved": moved,
            "onsite_created": [review.entry.application.region.full_name for review in created],
        },
    )
    renotice_if_changed(selection_list, by=by, reason=reason)
    return entry


def _checked_objection(objection: Objection, selection_list: SelectionList) -> Objection:
    """The objection re-read: it must be of this list and upheld."""
    objection = Objection.objects.get(pk=objection.pk)
    if objection.selection_list_id != selection_list.pk:
        raise ValidationFailed(_("这条异议不属于本名单。"), field="objection")
    if objection.status != ObjectionStatus.UPHELD:
        raise ValidationFailed(_("只有认定成立的异议可以作为调整依据。"), field="objection")
    return objection


DOCUMENT_NUMBER_MAX = 64
OFFICE_MAX = 128


@transaction.atomic
def selection_list_set_document(
    *, by: Any, selection_list: SelectionList, document_number: str, issuing_office: str
) -> SelectionList:
    """Set the document number (文号, e.g. 鲁数字办发〔2026〕12号) and the issuing office printed
    on the list notice and the decision letters; fixed once the final list is published."""
    selection_list = locked_list(selection_list)
    check_action(Action.SET_DOCUMENT, selection_list, by)
    number = " ".join((document_number or "").split())
    office = " ".join((issuing_office or "").split())
    errors = []
    if len(number) > DOCUMENT_NUMBER_MAX:
        errors.append(_("文号最多 %(limit)d 个字。") % {"limit": DOCUMENT_NUMBER_MAX})
    if not office:
        errors.append(_("请填写发文机关。"))
    elif len(office) > OFFICE_MAX:
        errors.append(_("发文机关最多 %(limit)d 个字。") % {"limit": OFFICE_MAX})
    if errors:
        raise ValidationFailed(errors[0], errors=errors)
    before = {
        "document_number": selection_list.document_number,
        "issuing_office": selection_list.issuing_office,
    }
    after = {"document_number": number, "issuing_office": office}
    if before == after:
        return selection_list
    selection_list.document_number, selection_list.issuing_office = number, office
    selection_list.save(update_fields=["document_number", "issuing_office"])
    audit_list(by=by, action="list.document", selection_list=selection_list, before=before, after=after)
    return selection_list
