"""On-site review (现场复核): the checklists of the proposed pilots, filled by the on-site team
(findings, confirmed or adjusted values, photos), and the re-scoring that completes a review."""

import copy
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.assessments.services.values import snapshot_language, validated_result
from starcity.core import clock
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import clauses, enumeration
from starcity.core.uploads import validate_upload
from starcity.lists import workflow
from starcity.lists.choices import ListStatus, OnsiteStatus
from starcity.lists.models import ListEntry, OnsiteItem, OnsitePhoto, OnsiteReview, SelectionList
from starcity.lists.selectors import call_levels_of
from starcity.lists.services.common import (
    audit_list,
    check_action,
    locked_list,
    names,
    open_checklists,
    place_level,
)
from starcity.lists.services.forming import onsite_blockers
from starcity.lists.services.notice import renotice_if_changed
from starcity.lists.values import check_entry, entry_from_input
from starcity.standards.selectors import scoring_standard_for

Action = workflow.Action
ReviewAction = workflow.ReviewAction
PHOTO_KINDS = frozenset({"png", "jpeg"})
TEAM_MAX = 255
TEXT_MAX = 5000


@transaction.atomic
def selection_list_start_onsite(*, by: Any, selection_list: SelectionList) -> SelectionList:
    """Move the preliminary list on site: every entry that is a pilot now gets its checklist
    (the call's `onsite_items` heaviest indicators of the pinned standard and every indicator
    the panel flagged, each with the panel's value); the pilots' city and county operators are
    told to expect the visit. Refused while applications may still reach the province or wait
    for screening or for their panel, and while concluded applications are missing from the
    list (`onsite_blockers`, each named)."""
    selection_list = locked_list(selection_list)
    check_action(Action.START_ONSITE, selection_list, by)
    problems = onsite_blockers(selection_list)
    if problems:
        raise InvalidTransition(problems[0], errors=problems)
    before = selection_list.status
    selection_list.status = ListStatus.ONSITE
    selection_list.onsite_started_at = clock.now()
    selection_list.save(update_fields=["status", "onsite_started_at"])
    reviews = open_checklists(selection_list)
    audit_list(
        by=by,
        action="list.onsite_start",
        selection_list=selection_list,
        from_state=before,
        to_state=selection_list.status,
        extra={"reviews": names(review.entry for review in reviews)},
    )
    return selection_list


def _locked_review(review: OnsiteReview) -> tuple[SelectionList, OnsiteReview]:
    selection_list = locked_list(review.entry.selection_list)
    review = (
        OnsiteReview.objects.select_for_update(of=("self",))
        .select_related("entry__application__region__parent", "entry__application__panel")
        .get(pk=review.pk)
    )
    return selection_list, review


def check_review_action(action: str, review: OnsiteReview, selection_list: SelectionList, by: Any) -> None:
    """NotAllowed when the user's role may never do it; InvalidTransition when the review or its
    list does not allow it now."""
    role = workflow.role_of(by)
    if not workflow.review_role_may_ever(action, role):
        raise NotAllowed(_("只有省级工作人员可以填写现场复核。"))
    if not workflow.review_can(action, review.status, selection_list.status, role):
        if review.status == OnsiteStatus.COMPLETED:
            raise InvalidTransition(
                _("%(region)s的现场复核已于 %(time)s 完成，不能再修改。")
                % {
                    "region": review.entry.application.region.full_name,
                    "time": formats.date_format(timezone.localtime(review.completed_at), "Y-m-d H:i")
                    if review.completed_at
                    else "",
                }
            )
        raise InvalidTransition(
            _("名单当前状态为“%(status)s”，不能填写现场复核。")
            % {"status": ListStatus(selection_list.status).label}
        )


def review_standard(review: OnsiteReview) -> Any:
    """The scoring model of the standard pinned for the review's level."""
    version = call_levels_of(review.entry.selection_list.call)[review.entry.level].standard_version
    return scoring_standard_for(version)


@transaction.atomic
def onsite_review_save(
    *, by: Any, review: OnsiteReview, team: str, visited_on: date | None, summary: str
) -> OnsiteReview:
    """Record who visited, when, and the review's conclusion text."""
    selection_list, review = _locked_review(review)
    check_review_action(ReviewAction.SAVE, review, selection_list, by)
    team = " ".join((team or "").split())
    summary = (summary or "").strip()
    errors = []
    if len(team) > TEAM_MAX:
        errors.append(_("复核组成员最多 %(limit)d 个字。") % {"limit": TEAM_MAX})
    if len(summary) > TEXT_MAX:
        errors.append(_("复核结论最多 %(limit)d 个字。") % {"limit": TEXT_MAX})
    if visited_on is not None and visited_on > clock.local_now().date():
        errors.append(_("复核日期不能晚于今天。"))
    if errors:
        raise ValidationFailed(errors[0], errors=errors)
    before = {"team": review.team, "visited_on": str(review.visited_on or ""), "summary": review.summary}
    review.team, review.visited_on, review.summary = team, visited_on, summary
    after = {"team": team, "visited_on": str(visited_on or ""), "summary": summary}
    if before == after:
        return review
    review.save(update_fields=["team", "visited_on", "summary"])
    audit_list(
        by=by,
        action="onsite.save",
        selection_list=selection_list,
        target=review,
        scope=review.entry.application.region.path,
        before=before,
        after=after,
    )
    return review


@transaction.atomic
def onsite_item_save(
    *, by: Any, item: OnsiteItem, confirmed: bool, value: Any = None, finding: str = ""
) -> OnsiteItem:
    """One checklist item: the finding on site, and either the panel's value confirmed or an
    adjusted value (typed as the indicator's method asks: a number, a percentage, a grade 0..N
    or yes/no; checked by the engine, errors name the indicator)."""
    review = item.review
    selection_list, review = _locked_review(review)
    check_review_action(ReviewAction.SAVE_ITEM, review, selection_list, by)
    item = OnsiteItem.objects.select_for_update().get(pk=item.pk, review=review)
    finding = (finding or "").strip()
    if len(finding) > TEXT_MAX:
        raise ValidationFailed(_("现场发现最多 %(limit)d 个字。") % {"limit": TEXT_MAX}, field="finding")
    standard = review_standard(review)
    adjusted = None if confirmed else entry_from_input(standard, item.indicator, value)
    before = {"confirmed": item.confirmed, "value": item.adjusted_value, "finding": item.finding}
    item.confirmed, item.adjusted_value, item.finding = bool(confirmed), adjusted, finding
    item.updated_at = clock.now()
    item.save(update_fields=["confirmed", "adjusted_value", "finding", "updated_at"])
    after = {"confirmed": item.confirmed, "value": item.adjusted_value, "finding": item.finding}
    if before != after:
        audit_list(
            by=by,
            action="onsite.item_save",
            selection_list=selection_list,
            target=review,
            scope=review.entry.application.region.path,
            before={item.indicator: before},
            after={item.indicator: after},
        )
    return item


@transaction.atomic
def onsite_items_confirm_rest(*, by: Any, review: OnsiteReview) -> list[OnsiteItem]:
    """Confirm the panel's value of every checklist item neither confirmed nor adjusted yet, in
    one step (the items already answered keep their decision and finding). Returns the items
    confirmed, in the checklist's order; refused when none is left."""
    selection_list, review = _locked_review(review)
    check_review_action(ReviewAction.CONFIRM_REST, review, selection_list, by)
    rest = [item for item in review.items.select_for_update().order_by("pk") if not item.answered]
    if not rest:
        raise InvalidTransition(_("复核清单中的各项均已确认或调整，没有需要确认的项。"))
    now = clock.now()
    before = {item.indicator: {"confirmed": item.confirmed, "value": item.adjusted_value} for item in rest}
    for item in rest:
        item.confirmed, item.adjusted_value, item.updated_at = True, None, now
    OnsiteItem.objects.bulk_update(rest, ["confirmed", "adjusted_value", "updated_at"])
    audit_list(
        by=by,
        action="onsite.items_confirm_rest",
        selection_list=selection_list,
        target=review,
        scope=review.entry.application.region.path,
        before=before,
        after={item.indicator: {"confirmed": True, "value": None} for item in rest},
        extra={"confirmed": [item.indicator for item in rest]},
    )
    return rest


def onsite_photo_add(*, by: Any, item: OnsiteItem, file: Any) -> OnsitePhoto:
    """Attach a photo (PNG or JPEG, judged by content) to a checklist item. The file is checked
    and stored privately before the transaction; the checks are repeated under the lock and the
    stored file is deleted again when the transaction does not commit."""
    with transaction.atomic():
        selection_list, review = _locked_review(item.review)
        check_review_action(ReviewAction.ADD_PHOTO, review, selection_list, by)
    checked = validate_upload(file, allowed=PHOTO_KINDS)
    photo = OnsitePhoto(
        item=item,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    photo.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    try:
        with transaction.atomic():
            selection_list, review = _locked_review(item.review)
            check_review_action(ReviewAction.ADD_PHOTO, review, selection_list, by)
            photo.uploaded_at = clock.now()
            photo.save()
            audit_list(
                by=by,
                action="onsite.photo_add",
                selection_list=selection_list,
                target=review,
                scope=review.entry.application.region.path,
                after={item.indicator: {"name": photo.original_name}},
            )
    except BaseException:
        photo.file.storage.delete(photo.file.name)
        raise
    return photo


@transaction.atomic
def onsite_photo_remove(*, by: Any, photo: OnsitePhoto) -> OnsitePhoto:
    """Remove a photo from an open review (kept on record, no longer shown)."""
    selection_list, review = _locked_review(photo.item.review)
    check_review_action(ReviewAction.REMOVE_PHOTO, review, selection_list, by)
    photo = (
        OnsitePhoto.objects.select_for_update().select_related("item").get(pk=photo.pk, item__review=review)
    )
    if photo.removed_at is not None:
        raise InvalidTransition(_("照片“%(name)s”已经移除。") % {"name": photo.original_name})
    photo.removed_at, photo.removed_by = clock.now(), by
    photo.save(update_fields=["removed_at", "removed_by"])
    audit_list(
        by=by,
        action="onsite.photo_remove",
        selection_list=selection_list,
        target=review,
        scope=review.entry.application.region.path,
        before={photo.item.indicator: {"name": photo.original_name}},
    )
    return photo


def completion_problems(review: OnsiteReview, items: list[OnsiteItem]) -> list[str]:
    """What is missing before a review can be completed, every item named."""
    problems = []
    if not review.team:
        problems.append(_("请填写复核组成员。"))
    if review.visited_on is None:
        problems.append(_("请填写复核日期。"))
    if not review.summary:
        problems.append(_("请填写复核结论。"))
    unanswered = [item.indicator for item in items if not item.answered]
    if unanswered:
        problems.append(_("以下指标尚未确认或调整：%(codes)s。") % {"codes": enumeration(unanswered)})
    return problems


def rescored(review: OnsiteReview, items: list[OnsiteItem]) -> dict[str, Any]:
    """The panel's values with the on-site adjustments, scored by the engine against the pinned
    standard (the result dict)."""
    standard = review_standard(review)
    panel = getattr(review.entry.application, "panel", None)
    document = copy.deepcopy((panel.aggregate or {}).get("values") if panel is not None else None) or {
        "schema": "starcity/values@1",
        "values": {},
    }
    document.setdefault("values", {})
    for item in items:
        if item.confirmed is False and item.adjusted_value is not None:
            check_entry(standard, item.indicator, item.adjusted_value)
            document["values"][item.indicator] = item.adjusted_value
    return validated_result(standard, document, snapshot_language())


@transaction.atomic
def onsite_review_complete(*, by: Any, review: OnsiteReview) -> OnsiteReview:
    """Complete a review: every item confirmed or adjusted, the team, date and conclusion given.
    The panel's values with the adjustments are scored again against the pinned standard
    (grade_after, result). When the verified grade or score changes, the entry takes them and
    its level is placed again (entries without an override may move: eligibility can drop a
    pilot, and a new pilot gets its own checklist). During the notice, a change of what the
    public sees restarts the notice (`renotice_if_changed`)."""
    selection_list, review = _locked_review(review)
    check_review_action(ReviewAction.COMPLETE, review, selection_list, by)
    items = list(review.items.all())
    problems = completion_problems(review, items)
    if problems:
        message = _("现场复核还不能完成：%(problems)s。") % {
            "problems": clauses(problem.rstrip("。") for problem in problems)
        }
        raise ValidationFailed(message, errors=problems)
    result = rescored(review, items)
    entry = ListEntry.objects.select_for_update(of=("self",)).get(pk=review.entry_id)
    grade, score = int(result["grade"]), Decimal(str(result["score"]))
    before = {"grade": entry.verified_grade, "score": str(entry.verified_score), "outcome": entry.outcome}
    review.status = OnsiteStatus.COMPLETED
    review.grade_after, review.result = grade, result
    review.completed_by, review.completed_at = by, clock.now()
    review.save(update_fields=["status", "grade_after", "result", "completed_by", "completed_at"])
    moved: list[dict[str, Any]] = []
    created: list[OnsiteReview] = []
    if (grade, score) != (entry.verified_grade, entry.verified_score):
        entry.verified_grade, entry.verified_score = grade, score
        entry.save(update_fields=["verified_grade", "verified_score"])
        moved = place_level(selection_list, entry.level)
        created = open_checklists(selection_list)
    entry.refresh_from_db()
    audit_list(
        by=by,
        action="onsite.complete",
        selection_list=selection_list,
        target=entry.application,
        scope=entry.application.region.path,
        from_state=OnsiteStatus.OPEN,
        to_state=OnsiteStatus.COMPLETED,
        before=before,
        after={"grade": grade, "score": str(score), "outcome": entry.outcome},
        extra={
            "review": review.pk,
            "adjusted": {item.indicator: item.adjusted_value for item in items if item.confirmed is False},
            "moved": moved,
            "onsite_created": names(r.entry for r in created),
        },
    )
    renotice_if_changed(selection_list, by=by, reason=review.summary)
    return review
