"""Scorecards: an accepted member's verified value and comment per indicator, saved at any time,
then submitted (every indicator required; frozen after). Before submitting, the member may
prefill every indicator still without a value with the applicant's self-assessed value (then
checks each and submits). Discussion notes on flagged indicators.

Values are stored as `starcity/values@1` entries (see `Score`): what the expert types is read by
`starcity.reviews.entries.entry_from_text`, the one reader of typed values (the chair's resolution
and the on-site adjustments use it too; re-exported here and from `starcity.reviews.services`). Every
error names the indicator; a refused save writes nothing. Each member's scores are their own rows
and the member row is locked while saving, so two experts saving at once lose nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.reviews import workflow
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.entries import (
    DECIMAL_TEXT,
    NO,
    YES,
    entry_from_self,
    entry_from_text,
    entry_problem,
    entry_text,
    indicator_label,
)
from starcity.reviews.models import DiscussionNote, PanelMember, Score
from starcity.reviews.services.members import (
    audit_panel,
    check_member_action,
    locked_member,
    locked_panel,
)
from starcity.scoring import Standard

__all__ = [
    "COMMENT_MAX",
    "DECIMAL_TEXT",
    "NO",
    "NOTE_MAX",
    "YES",
    "Prefill",
    "discussion_note_add",
    "entry_from_text",
    "entry_problem",
    "entry_text",
    "indicator_label",
    "missing_indicators",
    "prefill_plan",
    "scorecard_prefill",
    "scorecard_save",
    "scorecard_submit",
]

Action = workflow.Action
COMMENT_MAX = 2000
NOTE_MAX = 4000


# ---------------------------------------------------------------- save and submit


def _check_input(
    standard: Standard, values: Mapping[str, Any], comments: Mapping[str, str], lang: str
) -> list[str]:
    errors = []
    for code in sorted(set(values) | set(comments)):
        indicator = standard.indicator_map.get(code)
        if indicator is None:
            errors.append(_("标准中没有指标 %(code)s。") % {"code": code})
            continue
        label = indicator_label(standard, code, lang)
        problem = entry_problem(indicator, values.get(code), label)
        if problem:
            errors.append(problem)
        if len(comments.get(code) or "") > COMMENT_MAX:
            errors.append(_("%(label)s：意见最多 %(max)d 个字。") % {"label": label, "max": COMMENT_MAX})
    return errors


@transaction.atomic
def scorecard_save(
    *,
    by: Any,
    member: PanelMember,
    standard: Standard,
    values: Mapping[str, Any],
    comments: Mapping[str, str],
    lang: str = "zh",
) -> PanelMember:
    """Save the member's values and comments of the given indicators (all or nothing). Only the
    indicators whose value or comment changed are written."""
    member = locked_member(member)
    check_member_action(Action.SAVE, member, by)
    errors = _check_input(standard, values, comments, lang)
    if errors:
        raise ValidationFailed(_("评分有误，未保存任何内容："), errors=errors)
    existing = {score.indicator: score for score in Score.objects.filter(member=member)}
    now = clock.now()
    changed, created = [], []
    for code in standard.indicator_map:
        if code not in values and code not in comments:
            continue
        value = values.get(code, existing[code].value if code in existing else None)
        comment = (
            comments.get(code) if code in comments else existing[code].comment if code in existing else ""
        ) or ""
        score = existing.get(code)
        if score is None:
            if value is not None or comment.strip():
                created.append(
                    Score(member=member, indicator=code, value=value, comment=comment.strip(), updated_at=now)
                )
        elif score.value != value or score.comment != comment.strip():
            score.value, score.comment, score.updated_at = value, comment.strip(), now
            changed.append(score)
    Score.objects.bulk_create(created)
    Score.objects.bulk_update(changed, ["value", "comment", "updated_at"])
    if created or changed:
        audit_panel(
            by=by,
            panel=member.panel,
            action="scorecard.save",
            extra={
                "member": member.pk,
                "position": member.position,
                "indicators": len(created) + len(changed),
            },
        )
    return member


# ---------------------------------------------------------------- prefill


@dataclass(frozen=True)
class Prefill:
    """What prefilling a scorecard writes: per indicator without a value its self-assessed entry,
    in the standard's order; the indicators it leaves empty: no self-assessed value, or one that
    cannot be written exactly (`problems`: the messages naming them)."""

    entries: dict[str, Any] = field(default_factory=dict)
    without_self: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.entries)


def prefill_plan(
    standard: Standard, self_values: Mapping[str, Any], given: set[str], lang: str = "zh"
) -> Prefill:
    """The entries that fill the indicators not in `given` (those with a value) from the
    self-assessed `self_values`, read by `entry_from_self`; values already given are never
    touched. Pure."""
    entries: dict[str, Any] = {}
    without_self, problems = [], []
    for indicator in standard.indicators:
        if indicator.code in given:
            continue
        try:
            entry = entry_from_self(
                indicator, self_values.get(indicator.code), indicator_label(standard, indicator.code, lang)
            )
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if entry is None:
            without_self.append(indicator.code)
        else:
            entries[indicator.code] = entry
    return Prefill(entries, tuple(without_self), tuple(problems))


@transaction.atomic
def scorecard_prefill(*, by: Any, member: PanelMember, standard: Standard, lang: str = "zh") -> Prefill:
    """Fill every indicator of the member's own scorecard that has no value yet with the
    applicant's self-assessed value (the self-assessment frozen in the revision under review).
    Values already entered and comments stay as they are; the expert still checks each value and
    submits. Only the member themselves, accepted and before submitting; audited when anything
    was filled."""
    from starcity.reviews.selectors import self_assessed_values

    member = locked_member(member)
    check_member_action(Action.PREFILL, member, by)
    existing = {score.indicator: score for score in Score.objects.filter(member=member)}
    given = {code for code, score in existing.items() if score.value is not None}
    plan = prefill_plan(standard, self_assessed_values(member.panel), given, lang)
    now = clock.now()
    created, changed = [], []
    for code, entry in plan.entries.items():
        score = existing.get(code)
        if score is None:
            created.append(Score(member=member, indicator=code, value=entry, updated_at=now))
        else:
            score.value, score.updated_at = entry, now
            changed.append(score)
    Score.objects.bulk_create(created)
    Score.objects.bulk_update(changed, ["value", "updated_at"])
    if plan.entries:
        audit_panel(
            by=by,
            panel=member.panel,
            action="scorecard.prefill",
            extra={
                "member": member.pk,
                "position": member.position,
                "indicators": plan.count,
                "codes": list(plan.entries),
            },
        )
    return plan


def missing_indicators(standard: Standard, member: PanelMember) -> list[str]:
    """The indicators the member has not given a value yet, in the standard's order."""
    given = set(Score.objects.filter(member=member, value__isnull=False).values_list("indicator", flat=True))
    return [ind.code for ind in standard.indicators if ind.code not in given]


@transaction.atomic
def scorecard_submit(*, by: Any, member: PanelMember, standard: Standard, lang: str = "zh") -> PanelMember:
    """Submit the member's scorecard: every indicator needs a value; the scores are frozen; the
    panel is aggregated once every active member has submitted."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    check_member_action(Action.SUBMIT, member, by)
    missing = missing_indicators(standard, member)
    if missing:
        raise ValidationFailed(
            _("还有 %(count)d 项指标没有核定值，不能提交：%(codes)s")
            % {"count": len(missing), "codes": enumeration(missing)},
            errors=[
                _("%(label)s：请填写核定值。") % {"label": indicator_label(standard, code, lang)}
                for code in missing
            ],
        )
    member.status = MemberStatus.SUBMITTED
    member.submitted_at = clock.now()
    member.save(update_fields=["status", "submitted_at"])
    audit_panel(
        by=by,
        panel=panel,
        action="scorecard.submit",
        from_state=MemberStatus.ACCEPTED,
        to_state=MemberStatus.SUBMITTED,
        extra={"member": member.pk, "position": member.position},
    )
    from starcity.reviews.conclusion import panel_refresh

    panel_refresh(panel=panel, by=by)
    return member


# ---------------------------------------------------------------- discussion


@transaction.atomic
def discussion_note_add(
    *, by: Any, member: PanelMember, indicator: str, text: str, flagged: tuple[str, ...], label: str = ""
) -> DiscussionNote:
    """A member who submitted writes a note on a flagged indicator while the panel discusses."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    if member.expert.user_id != getattr(by, "pk", None):
        raise NotAllowed(_("只有评审专家本人可以发表讨论意见。"))
    if not workflow.can_on_panel(Action.NOTE, panel.status, workflow.SELF, member.status):
        if panel.status != PanelStatus.DISCUSSION:
            raise InvalidTransition(_("评审专家组当前不在分歧讨论阶段。"))
        raise InvalidTransition(_("提交自己的评分后才能参加讨论。"))
    if indicator not in flagged:
        raise ValidationFailed(
            _("指标 %(code)s 不是需要讨论的分歧指标。") % {"code": indicator}, field="indicator"
        )
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("%(label)s：请填写讨论意见。") % {"label": label or indicator}, field="text")
    if len(text) > NOTE_MAX:
        raise ValidationFailed(
            _("%(label)s：讨论意见最多 %(max)d 个字。") % {"label": label or indicator, "max": NOTE_MAX},
            field="text",
        )
    note = DiscussionNote.objects.create(panel=panel, indicator=indicator, author=member, text=text)
    audit_panel(
        by=by,
        panel=panel,
        action="panel.note",
        extra={"member": member.pk, "position": member.position, "indicator": indicator},
    )
    return note
