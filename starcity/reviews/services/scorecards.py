"""Scorecards: an accepted member's verified value and comment per indicator, saved at any time,
then submitted (every indicator required; frozen after). Discussion notes on flagged indicators.

Values are stored as `starcity/values@1` entries (see `Score`): what the expert types is read by
`entry_from_text` (a threshold number; a ratio's percentage; a tier grade 0..N; yes or no). Every
error names the indicator; a refused save writes nothing. Each member's scores are their own rows
and the member row is locked while saving, so two experts saving at once lose nothing.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.text import enumeration
from starcity.reviews import workflow
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.models import DiscussionNote, PanelMember, Score
from starcity.reviews.services.members import (
    audit_panel,
    check_member_action,
    locked_member,
    locked_panel,
)
from starcity.scoring import Standard

Action = workflow.Action
DECIMAL_TEXT = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,6})?")
COMMENT_MAX = 2000
NOTE_MAX = 4000
YES, NO = "yes", "no"


def indicator_label(standard: Standard, code: str, lang: str = "zh") -> str:
    """How messages name an indicator: its code and name ("H01 政务…")."""
    indicator = standard.indicator_map.get(code)
    if indicator is None:
        return code
    name = (indicator.name_en or indicator.name) if lang == "en" else indicator.name
    return f"{code} {name}"


# ---------------------------------------------------------------- one entry


def entry_from_text(indicator: Any, text: str | None, label: str) -> Any:
    """The values@1 entry an expert's input means (None when empty); ValueError with a message
    naming the indicator when it is not a valid value for the indicator's method."""
    text = (text or "").strip()
    if not text:
        return None
    method = indicator.method
    if method == "threshold":
        if not DECIMAL_TEXT.fullmatch(text):
            raise ValueError(_("%(label)s：请填写数字（如 85 或 92.5）。") % {"label": label})
        return _normal(text)
    if method == "ratio":
        if not DECIMAL_TEXT.fullmatch(text) or text.startswith("-"):
            raise ValueError(
                _("%(label)s：请填写核定的百分比（0 或以上的数字，如 92.5）。") % {"label": label}
            )
        return {"numerator": _normal(text), "denominator": "100"}
    if method == "tiered":
        top = len(indicator.tiers)
        if not text.isdigit() or not 0 <= int(text) <= top:
            raise ValueError(_("%(label)s：请选择 0 到 %(top)d 之间的档次。") % {"label": label, "top": top})
        return int(text)
    if text not in (YES, NO):
        raise ValueError(_("%(label)s：请选择“是”或“否”。") % {"label": label})
    return text == YES


def _normal(text: str) -> str:
    """A decimal text without superfluous signs ("-0" → "0", "085.50" kept exact as "85.50")."""
    number = Decimal(text)
    if number == 0:
        return "0"
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-").lstrip("0") or "0"
    if digits.startswith("."):
        digits = "0" + digits
    return sign + digits


def entry_text(indicator: Any, entry: Any) -> str:
    """What the form shows for a stored entry (the inverse of `entry_from_text`)."""
    if entry is None:
        return ""
    if indicator.method == "ratio" and isinstance(entry, Mapping):
        numerator, denominator = Decimal(str(entry["numerator"])), Decimal(str(entry["denominator"]))
        percent = numerator * 100 / denominator
        return _plain(percent)
    if indicator.method == "boolean":
        return YES if entry else NO
    return str(entry)


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def entry_problem(indicator: Any, entry: Any, label: str) -> str | None:
    """None when `entry` (already a values@1 entry) is valid for the indicator, else a message."""
    if entry is None:
        return None
    try:
        if indicator.method == "ratio":
            if not isinstance(entry, Mapping) or set(entry) != {"numerator", "denominator"}:
                raise ValueError(_("%(label)s：核定值格式不正确。") % {"label": label})
            if str(entry["denominator"]) != "100":
                raise ValueError(_("%(label)s：核定值格式不正确。") % {"label": label})
            entry_from_text(indicator, str(entry["numerator"]), label)
        elif indicator.method == "boolean":
            if not isinstance(entry, bool):
                raise ValueError(_("%(label)s：请选择“是”或“否”。") % {"label": label})
        elif indicator.method == "tiered":
            if isinstance(entry, bool) or not isinstance(entry, int):
                raise ValueError(
                    _("%(label)s：请选择 0 到 %(top)d 之间的档次。")
                    % {"label": label, "top": len(indicator.tiers)}
                )
            entry_from_text(indicator, str(entry), label)
        else:
            entry_from_text(indicator, str(entry) if not isinstance(entry, bool) else "x", label)
    except ValueError as exc:
        return str(exc)
    return None


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
