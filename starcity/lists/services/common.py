"""What every list service shares: row locks, the workflow check, the audit row, the placement
of a level's entries, the on-site checklists of new pilots and the people to notify."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.lists import ranking, workflow
from starcity.lists.checklist import checklist_for
from starcity.lists.choices import ListStatus, OnsiteStatus, Outcome
from starcity.lists.models import ListEntry, OnsiteItem, OnsiteReview, SelectionList
from starcity.lists.selectors import applicant_operators, call_levels_of, province_scope
from starcity.notifications.services import notify

Action = workflow.Action

# list states in which new pilots get an on-site checklist
REVIEWING_STATES = frozenset({ListStatus.ONSITE, ListStatus.NOTICE})


def locked_list(selection_list: SelectionList) -> SelectionList:
    """The list re-read and locked for the rest of the transaction."""
    return (
        SelectionList.objects.select_for_update(of=("self",)).select_related("call").get(pk=selection_list.pk)
    )


def state_message(selection_list: SelectionList, action: str) -> str:
    """Why the list's state refuses `action` now."""
    status = ListStatus(selection_list.status).label
    return _("名单当前状态为“%(status)s”，不能执行“%(action)s”。") % {
        "status": status,
        "action": Action(action).label,
    }


def check_action(action: str, selection_list: SelectionList, by: Any) -> None:
    """NotAllowed when the user's role may never do `action`; InvalidTransition when the list's
    state does not allow it now."""
    role = workflow.role_of(by)
    if not workflow.role_may_ever(action, role):
        raise NotAllowed(_("只有省级工作人员可以执行“%(action)s”。") % {"action": Action(action).label})
    if not workflow.can(action, selection_list.status, role):
        raise InvalidTransition(state_message(selection_list, action))


def audit_list(
    *,
    by: Any,
    action: str,
    selection_list: SelectionList,
    target: Any = None,
    scope: str | None = None,
    **fields: Any,
) -> None:
    """An audit row about the list (or one of its objects), tagged with the list for its timeline."""
    extra = {"selection_list": selection_list.pk, **fields.pop("extra", {})}
    audit_record(
        actor=by,
        action=action,
        target=target if target is not None else selection_list,
        scope=scope if scope is not None else province_scope(),
        extra=extra,
        **fields,
    )


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label) if outcome in Outcome.values else outcome


def place_level(
    selection_list: SelectionList, level: str, *, exclude_override: int | None = None
) -> list[dict[str, Any]]:
    """Rank the level's entries again and propose their outcomes (overrides kept, see
    `ranking`); save what changed. Returns the entries whose outcome changed, as audit lines
    {"region", "from", "to"}."""
    call = selection_list.call
    quotas = call_levels_of(call).get(level)
    entries = list(
        ListEntry.objects.filter(selection_list=selection_list, level=level).select_related(
            "application__region__parent"
        )
    )
    if not entries:
        return []
    by_pk = {entry.pk: entry for entry in entries}
    placements = ranking.propose(
        [
            ranking.Candidate(
                key=entry.pk,
                region_code=entry.application.region.code,
                grade=entry.verified_grade,
                score=Decimal(entry.verified_score),
                target_grade=entry.application.target_grade,
            )
            for entry in entries
        ],
        pilot_quota=quotas.pilot_quota if quotas else 0,
        pre_pilot_quota=quotas.pre_pilot_quota if quotas else 0,
        offers=call.grade_offers or [],
        overrides={entry.pk: entry.outcome for entry in entries if entry.overridden},
    )
    moved: list[dict[str, Any]] = []
    changed: list[ListEntry] = []
    for placement in placements:
        entry = by_pk[placement.key]
        before = (entry.rank, entry.eligible, entry.proposed_outcome, entry.outcome, entry.recheck_by)
        if placement.outcome != entry.outcome and entry.pk != exclude_override:
            moved.append(
                {"region": entry.application.region.full_name, "from": entry.outcome, "to": placement.outcome}
            )
        entry.rank = placement.rank
        entry.eligible = placement.eligible
        entry.proposed_outcome = placement.proposed
        entry.outcome = placement.outcome
        entry.recheck_by = call.pre_pilot_recheck_by if entry.outcome == Outcome.PRE_PILOT else None
        if before != (entry.rank, entry.eligible, entry.proposed_outcome, entry.outcome, entry.recheck_by):
            changed.append(entry)
    _save_placements(changed)
    return moved


def _save_placements(entries: list[ListEntry]) -> None:
    """Write the entries' placement fields with one prepared UPDATE run for every row: Django's
    `bulk_update` builds a CASE expression per field and row, which dominates forming a large
    list (1,500 entries: about a second)."""
    if not entries:
        return
    table = connection.ops.quote_name(ListEntry._meta.db_table)
    columns = ("rank", "eligible", "proposed_outcome", "outcome", "recheck_by")
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    rows = [
        (
            entry.rank,
            entry.eligible,
            entry.proposed_outcome,
            entry.outcome,
            connection.ops.adapt_datefield_value(entry.recheck_by),
            entry.pk,
        )
        for entry in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {connection.ops.quote_name('id')} = %s", rows
        )


def open_checklists(selection_list: SelectionList) -> list[OnsiteReview]:
    """Give every pilot without an on-site review its checklist (while the list is on site or in
    notice) and tell its operators; returns the reviews created."""
    if selection_list.status not in REVIEWING_STATES:
        return []
    pilots = list(
        ListEntry.objects.filter(
            selection_list=selection_list, outcome=Outcome.PILOT, onsite__isnull=True
        ).select_related("application__panel", "application__region__parent")
    )
    if not pilots:
        return []
    versions = {level: item.standard_version for level, item in call_levels_of(selection_list.call).items()}
    created = []
    for entry in pilots:
        review = OnsiteReview.objects.create(
            entry=entry, status=OnsiteStatus.OPEN, grade_before=entry.verified_grade
        )
        panel = getattr(entry.application, "panel", None)
        items = checklist_for(
            versions[entry.level],
            aggregate=panel.aggregate if panel else None,
            limit=selection_list.call.onsite_items,
        )
        OnsiteItem.objects.bulk_create(
            [
                OnsiteItem(review=review, indicator=item.code, why=item.why, panel_value=item.panel_value)
                for item in items
            ]
        )
        created.append(review)
    notify_visits(selection_list, [review.entry for review in created])
    return created


def notify_visits(selection_list: SelectionList, entries: list[ListEntry]) -> None:
    """Tell the city and county operators of new pilots that an on-site review is coming, with
    the address of their application (the material the team will check)."""
    call = selection_list.call
    window = ""
    if call.onsite_starts and call.onsite_ends:
        window = _("现场复核计划于 %(start)s 至 %(end)s 进行。") % {
            "start": formats.date_format(call.onsite_starts, "Y-m-d"),
            "end": formats.date_format(call.onsite_ends, "Y-m-d"),
        }
    for entry in entries:
        notify(
            recipients=applicant_operators([entry]),
            kind="lists.onsite",
            title=_("%(region)s列入现场复核") % {"region": entry.application.region.full_name},
            body=_("%(call)s：%(region)s为拟入选试点，省级将组织现场复核，请做好准备。%(window)s")
            % {"call": call.title, "region": entry.application.region.full_name, "window": window},
            url=reverse("calls:application_detail", args=[entry.application_id]),
        )


def list_url(selection_list: SelectionList) -> str:
    return reverse("lists:detail", args=[selection_list.pk])


def names(entries: Iterable[Any]) -> list[str]:
    return [entry.application.region.full_name for entry in entries]
