"""Members of a panel: accepting (after signing the no-conflict declaration), declining, the
office replacing a member or naming another chair, and filling the place a member leaves.

A member found conflicted with the application after the draw (a conflict declared, an expert's
regions edited) leaves every panel not yet concluded (`member_vacate_for_conflict`): their
scores no longer count and their place is filled like any other.

A place left by a decline, a replacement or a conflict goes to the next waiting substitute (in
draw order, skipping one who is now conflicted, at the load cap or no longer available); when
none is left a fresh expert is drawn from the eligible pool with the panel's seed
(reproducible); when nobody is eligible the place stays empty, the office is told, and the panel
goes on with its other members. When the chair leaves, the chair passes to the first remaining
member not conflicted (those who signed first), who is notified. Every change is audited on the
panel; whoever must act is notified.
"""

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from starcity.accounts.choices import PROVINCE_ROLES
from starcity.accounts.models import User
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.notifications.services import notify
from starcity.reviews import workflow
from starcity.reviews.choices import MemberRole, MemberStatus, PanelStatus
from starcity.reviews.models import DeclaredConflict, Expert, Panel, PanelMember
from starcity.reviews.services.draw import FIELDS, Candidate, active_loads, choose

Action = workflow.Action
REASON_MAX = 2000


# ---------------------------------------------------------------- shared by the member services


def locked_panel(panel: Panel) -> Panel:
    """The panel re-read and locked for the rest of the transaction."""
    return (
        Panel.objects.select_for_update(of=("self",))
        .select_related("application__region", "application__city", "call")
        .get(pk=panel.pk)
    )


def locked_member(member: PanelMember, panel: Panel | None = None) -> PanelMember:
    """The member re-read and locked; its panel is the given (locked) one when passed."""
    locked = (
        PanelMember.objects.select_for_update(of=("self",))
        .select_related("expert__user", "panel__application__region", "panel__call")
        .get(pk=member.pk)
    )
    if panel is not None:
        locked.panel = panel
    return locked


# the actions on one's own scorecard (refused alike once submitted, or before accepting)
SCORING_ACTIONS = (Action.SAVE, Action.PREFILL, Action.SUBMIT)


def state_message(action: str, member: PanelMember) -> str:
    """Why `action` is refused in the member's (and the panel's) current state."""
    panel = member.panel
    if (
        action in workflow.MEMBER_ACTION_PANEL_STATES
        and panel.status not in workflow.MEMBER_ACTION_PANEL_STATES[action]
    ):
        return _("评审专家组已进入“%(status)s”阶段，不能再执行此操作。") % {
            "status": panel.get_status_display()
        }
    if member.status == MemberStatus.SUBMITTED and action in SCORING_ACTIONS:
        return _("您已于 %(time)s 提交评分，评分已冻结，不能再修改。") % {"time": _when(member.submitted_at)}
    if member.status == MemberStatus.INVITED and action in SCORING_ACTIONS:
        return _("请先签署无利益冲突声明并接受评审邀请，然后再评分。")
    if action in (Action.ACCEPT, Action.DECLINE):
        return _("这份评审邀请已经答复过（当前状态：%(status)s）。") % {"status": member.get_status_display()}
    return _("该专家当前状态为“%(status)s”，不能执行此操作。") % {"status": member.get_status_display()}


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def check_member_action(action: str, member: PanelMember, by: Any) -> str:
    """The acting user's role; NotAllowed when it may never do `action`, InvalidTransition when
    the member's or the panel's state does not allow it now."""
    role = workflow.member_role_of(by, member)
    if not workflow.role_may_ever(action, role):
        raise NotAllowed(_("您无权对这位评审专家执行此操作。"))
    if not workflow.can(action, member.status, role, member.panel.status):
        raise InvalidTransition(state_message(action, member))
    return role or ""


def audit_panel(
    *,
    by: Any,
    panel: Panel,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """An audit row on the panel (its timeline shows members, scores and discussion)."""
    audit_record(
        actor=by,
        action=action,
        target=panel,
        scope=panel.application.region.path,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        extra=extra,
    )


def office_users() -> list[User]:
    """The province staff who organise the review (recipients of the office's notices)."""
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=tuple(PROVINCE_ROLES)
        ).distinct()
    )


def panel_url(panel: Panel) -> str:
    return reverse("reviews:panel_detail", args=[panel.pk])


def required_reason(reason: str, *, label: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label}, field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("%(label)s最多 %(max)d 个字。") % {"label": label, "max": REASON_MAX}, field="reason"
        )
    return reason


def _due_text(panel: Panel) -> str:
    due = panel.call.review_ends
    return _("评审截止日期：%(due)s。") % {"due": due.strftime("%Y-%m-%d")} if due else ""


def notify_invitation(member: PanelMember) -> None:
    """Invite one expert (a substitute moving up, or a fresh draw): link to the panel's page,
    where they sign and accept, or decline."""
    panel = member.panel
    application = panel.application
    notify(
        recipients=[member.expert.user],
        kind="review_invitation",
        title=_("评审邀请：%(region)s") % {"region": application.region.full_name},
        body=_("您被邀请担任“%(call)s”中%(region)s（%(level)s）申报的评审专家。")
        % {
            "call": panel.call.title,
            "region": application.region.full_name,
            "level": application.get_level_display(),
        }
        + _("请打开评审页面签署无利益冲突声明后接受，或说明理由谢绝。")
        + _due_text(panel),
        url=panel_url(panel),
    )


# ---------------------------------------------------------------- accept and decline


@transaction.atomic
def member_accept(*, by: Any, member: PanelMember, declaration: bool) -> PanelMember:
    """The invited expert signs the no-conflict declaration and accepts: from now on they see the
    application's content and score it."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    check_member_action(Action.ACCEPT, member, by)
    if not declaration:
        raise ValidationFailed(_("接受邀请前须勾选并签署无利益冲突声明。"), field="declaration")
    from starcity.reviews.conflicts import conflicts_between

    conflicts = conflicts_between(member.expert, panel.application)
    if conflicts:
        raise NotAllowed(
            _("您与这份申报存在利益冲突，不能参加评审：%(detail)s") % {"detail": conflicts[0].detail}
        )
    now = clock.now()
    member.status = MemberStatus.ACCEPTED
    member.declaration_signed_at = now
    member.responded_at = now
    member.save(update_fields=["status", "declaration_signed_at", "responded_at"])
    audit_panel(
        by=by,
        panel=panel,
        action="panel.member_accept",
        from_state=MemberStatus.INVITED,
        to_state=MemberStatus.ACCEPTED,
        extra={"member": member.pk, "position": member.position, "declaration_signed_at": now.isoformat()},
    )
    return member


@transaction.atomic
def member_decline(
    *, by: Any, member: PanelMember, reason: str, declare_conflict: bool = False
) -> tuple[PanelMember, PanelMember | None]:
    """The invited expert declines with a reason (and may declare a conflict with the
    application); the next substitute, or a fresh expert, is invited. Returns (the declined
    member, the one invited in their place or None)."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    check_member_action(Action.DECLINE, member, by)
    reason = required_reason(reason, label=_("谢绝理由"))
    member.status = MemberStatus.DECLINED
    member.responded_at = clock.now()
    member.reason = reason
    member.save(update_fields=["status", "responded_at", "reason"])
    if declare_conflict:
        DeclaredConflict.objects.create(
            expert=member.expert, application=panel.application, reason=reason, declared_by=by
        )
    successor = fill_vacancy(panel=panel, vacated=member, by=by)
    audit_panel(
        by=by,
        panel=panel,
        action="panel.member_decline",
        from_state=MemberStatus.INVITED,
        to_state=MemberStatus.DECLINED,
        reason=reason,
        extra=_vacancy_extra(member, successor, declared_conflict=declare_conflict),
    )
    if successor is None:
        _tell_office_short(panel)
    return member, successor


def _vacancy_extra(member: PanelMember, successor: PanelMember | None, **more: Any) -> dict[str, Any]:
    return {
        "member": member.pk,
        "position": member.position,
        "successor": successor.pk if successor else None,
        "successor_position": successor.position if successor else None,
        **more,
    }


def _tell_office_short(panel: Panel) -> None:
    notify(
        recipients=office_users(),
        kind="review_panel_short",
        title=_("评审专家不足：%(region)s") % {"region": panel.application.region.full_name},
        body=_(
            "有专家谢绝了%(region)s申报的评审邀请，且没有可接替的候补或符合条件的专家。请补充专家库后更换专家，或按现有专家继续评审。"
        )
        % {"region": panel.application.region.full_name},
        url=panel_url(panel),
    )


# ---------------------------------------------------------------- the office's adjustments


@transaction.atomic
def member_replace(*, by: Any, member: PanelMember, reason: str) -> tuple[PanelMember, PanelMember | None]:
    """The office replaces an active member with a reason: the next eligible substitute, or a
    freshly drawn expert, is invited. Returns (the replaced member, their successor or None)."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    check_member_action(Action.REPLACE, member, by)
    reason = required_reason(reason, label=_("更换理由"))
    before = member.status
    member.status = MemberStatus.REPLACED
    member.reason = reason
    member.save(update_fields=["status", "reason"])
    successor = fill_vacancy(panel=panel, vacated=member, by=by)
    audit_panel(
        by=by,
        panel=panel,
        action="panel.member_replace",
        from_state=before,
        to_state=MemberStatus.REPLACED,
        reason=reason,
        extra=_vacancy_extra(member, successor),
    )
    _tell_replaced(member)
    return member, successor


def _tell_replaced(member: PanelMember) -> None:
    """The replaced expert learns they need not go on, unless they are conflicted with the
    application: a conflicted expert never hears of it."""
    from starcity.reviews.conflicts import is_conflicted

    panel = member.panel
    if member.expert.user is None or is_conflicted(member.expert, panel.application):
        return
    notify(
        recipients=[member.expert.user],
        kind="review_replaced",
        title=_("评审安排调整：%(region)s") % {"region": panel.application.region.full_name},
        body=_("省级工作人员已调整%(region)s申报的评审专家组，您无需再参加这份申报的评审。")
        % {"region": panel.application.region.full_name},
        url=reverse("reviews:home"),
    )


@dataclass(frozen=True)
class ConflictVacancy:
    """One membership a conflict ended: the member (now replaced) and who was invited in their
    place (None when nobody could be); `kept` when the panel had concluded and was left as is."""

    member: PanelMember
    successor: PanelMember | None
    kept: bool = False

    @property
    def panel(self) -> Panel:
        return self.member.panel


@transaction.atomic
def member_vacate_for_conflict(*, by: Any, expert: Expert) -> list[ConflictVacancy]:
    """Take `expert` off every panel whose application they are now conflicted with (a conflict
    declared or computed after the draw): each such active membership of a panel still scoring
    or discussing is replaced and its place filled as after a replacement (`fill_vacancy`: the
    next substitute or a fresh draw is invited, the chair is handed over); their scores no
    longer count. A discussing panel goes back to scoring (the aggregate changes; a successor
    must score); resolutions the expert made as chair are withdrawn. A concluded panel keeps its
    record. Each panel gets an audit row; the office is told. Called by the services that can
    reveal a conflict (declaring one, editing or importing an expert), inside their transaction."""
    from starcity.reviews.conflicts import conflict_map

    memberships = list(
        PanelMember.objects.filter(expert=expert, status__in=tuple(workflow.ACTIVE_MEMBER_STATES))
        .select_related("panel")
        .order_by("panel_id")
    )
    if not memberships:
        return []
    conflicts = conflict_map([expert.pk], [m.panel.application_id for m in memberships])
    found = []
    for membership in memberships:  # in panel order: locks are always taken in the same order
        reasons = conflicts.get((expert.pk, membership.panel.application_id))
        if not reasons:
            continue
        panel = locked_panel(membership.panel)
        member = locked_member(membership, panel)
        if not workflow.is_active(member.status):
            continue
        found.append(_vacate(by, panel, member, reasons))
    if found:
        _tell_office_conflict(expert, found)
    return found


def _vacate(by: Any, panel: Panel, member: PanelMember, reasons: list[Any]) -> ConflictVacancy:
    from starcity.reviews.models import Resolution

    detail = "；".join(conflict.detail for conflict in reasons)
    codes = [str(conflict.reason) for conflict in reasons]
    if not workflow.may_vacate_for_conflict(member.status, panel.status):
        audit_panel(
            by=by,
            panel=panel,
            action="panel.conflict_after_conclusion",
            reason=detail,
            extra={"member": member.pk, "position": member.position, "conflicts": codes},
        )
        return ConflictVacancy(member, None, kept=True)
    reopened = panel.status == PanelStatus.DISCUSSION
    if reopened:
        before_panel = panel.status
        panel.status = workflow.PANEL_TRANSITIONS["reopen"][1]
        panel.save(update_fields=["status"])
        audit_panel(
            by=by,
            panel=panel,
            action="panel.reopen",
            from_state=before_panel,
            to_state=panel.status,
            extra={"member": member.pk, "position": member.position},
        )
    withdrawn: list[str] = []
    if member.expert.user_id is not None:
        mine = Resolution.objects.filter(panel=panel, resolved_by_id=member.expert.user_id)
        withdrawn = sorted(mine.values_list("indicator", flat=True))
        mine.delete()
    before = member.status
    member.status = MemberStatus.REPLACED
    member.reason = _("发现利益冲突：%(detail)s") % {"detail": detail}
    member.save(update_fields=["status", "reason"])
    successor = fill_vacancy(panel=panel, vacated=member, by=by)
    audit_panel(
        by=by,
        panel=panel,
        action="panel.member_conflict",
        from_state=before,
        to_state=MemberStatus.REPLACED,
        reason=detail,
        extra=_vacancy_extra(
            member,
            successor,
            conflicts=codes,
            reopened=reopened,
            withdrawn_resolutions=withdrawn,
        ),
    )
    return ConflictVacancy(member, successor)


def _tell_office_conflict(expert: Expert, found: list[ConflictVacancy]) -> None:
    """One notice to the office naming the expert and, per panel, what became of the place."""
    lines = []
    for item in found:
        region = item.panel.application.region.full_name
        if item.kept:
            lines.append(
                _("%(region)s：评审已完成，评审结果未作调整，请核查是否需要处理。") % {"region": region}
            )
        elif item.successor is not None:
            lines.append(
                _("%(region)s：已邀请%(name)s接替（第 %(position)s 位）。")
                % {"region": region, "name": item.successor.expert.name, "position": item.successor.position}
            )
        else:
            lines.append(
                _(
                    "%(region)s：没有可接替的候补或符合条件的专家，评审组暂缺一人，请补充专家库后更换专家，或按现有专家继续评审。"
                )
                % {"region": region}
            )
    url = panel_url(found[0].panel) if len(found) == 1 else reverse("reviews:expert_detail", args=[expert.pk])
    notify(
        recipients=office_users(),
        kind="review_member_conflict",
        title=_("评审专家存在利益冲突，已退出评审：%(name)s") % {"name": expert.name},
        body=_("发现专家%(name)s与以下申报存在利益冲突，已让其退出尚未完成的评审，其评分不再计入：")
        % {"name": expert.name}
        + "\n"
        + "\n".join(lines),
        url=url,
    )


@transaction.atomic
def panel_set_chair(*, by: Any, member: PanelMember) -> PanelMember:
    """The office names another active member chair of the panel."""
    panel = locked_panel(member.panel)
    member = locked_member(member, panel)
    check_member_action(Action.SET_CHAIR, member, by)
    if member.is_chair:
        raise InvalidTransition(_("这位专家已经是评审组长。"))
    previous = _take_chair(panel)
    member.is_chair = True
    member.save(update_fields=["is_chair"])
    audit_panel(
        by=by,
        panel=panel,
        action="panel.set_chair",
        extra={
            "member": member.pk,
            "position": member.position,
            "previous": previous.pk if previous else None,
        },
    )
    notify_chair(
        member,
        body=_("您被指定为%(region)s申报评审专家组的组长，负责处理专家评分的分歧。")
        % {"region": panel.application.region.full_name},
    )
    return member


def _take_chair(panel: Panel) -> PanelMember | None:
    """Unmark the current chair (one chair per panel: the constraint needs it cleared first)."""
    current = PanelMember.objects.select_for_update().filter(panel=panel, is_chair=True).first()
    if current is not None:
        current.is_chair = False
        current.save(update_fields=["is_chair"])
    return current


# ---------------------------------------------------------------- filling a place


def fill_vacancy(*, panel: Panel, vacated: PanelMember, by: Any) -> PanelMember | None:
    """Invite someone in the place `vacated` left (see the module's rule); hand the chair on when
    the chair left (see `_hand_over_chair`); refresh the panel when the place stays empty (the
    others may all have submitted). Call inside the transaction with the panel locked."""
    successor = _next_substitute(panel, vacated) or _fresh_member(panel, vacated)
    if successor is not None:
        successor.panel = panel
        notify_invitation(successor)
    if vacated.is_chair:
        _hand_over_chair(panel, vacated, by)
    if (
        successor is None
        and PanelMember.objects.filter(panel=panel, status__in=tuple(workflow.ACTIVE_MEMBER_STATES)).exists()
    ):
        from starcity.reviews.conclusion import panel_refresh

        panel_refresh(panel=panel, by=by)
    return successor


def _hand_over_chair(panel: Panel, vacated: PanelMember, by: Any) -> PanelMember | None:
    """The chair left: the first active member not conflicted with the application becomes chair
    (members who signed the declaration before those still invited, then in draw order); they
    are notified and the handover is audited. None when nobody is left to take it."""
    from starcity.reviews.conflicts import conflict_map

    vacated.is_chair = False
    vacated.save(update_fields=["is_chair"])
    active = list(
        PanelMember.objects.select_for_update(of=("self",))
        .select_related("expert__user")
        .filter(panel=panel, status__in=tuple(workflow.ACTIVE_MEMBER_STATES))
        .exclude(pk=vacated.pk)
    )
    conflicts = conflict_map([m.expert_id for m in active], [panel.application_id])
    candidates = [m for m in active if (m.expert_id, panel.application_id) not in conflicts]
    if not candidates:
        return None
    heir = min(candidates, key=lambda m: (not workflow.has_signed(m.status), m.position))
    heir.panel = panel
    heir.is_chair = True
    heir.save(update_fields=["is_chair"])
    audit_panel(
        by=by,
        panel=panel,
        action="panel.chair_handover",
        extra={"member": heir.pk, "position": heir.position, "previous": vacated.pk},
    )
    region = panel.application.region.full_name
    notify_chair(
        heir,
        body=_("原组长已退出%(region)s申报的评审专家组，由您接任组长，负责处理专家评分的分歧。")
        % {"region": region},
    )
    return heir


def notify_chair(member: PanelMember, *, body: str) -> None:
    """Tell the expert they chair the panel now (named by the office, or handed over)."""
    if member.expert.user is None:
        return
    panel = member.panel
    notify(
        recipients=[member.expert.user],
        kind="review_chair",
        title=_("担任评审组长：%(region)s") % {"region": panel.application.region.full_name},
        body=body,
        url=panel_url(panel),
    )


def _eligible_now(panel: Panel, experts: list[Expert]) -> tuple[list[Expert], int, int]:
    """Of `experts`, those who may join the panel now: available, with an active login, not
    conflicted, under the call's load cap. Returns (eligible, conflicted count, capped count)."""
    from starcity.reviews.conflicts import conflict_map

    usable = [e for e in experts if e.available and e.user is not None and e.user.is_active]
    conflicts = conflict_map([e.pk for e in usable], [panel.application_id])
    loads = active_loads(panel.call, [e.pk for e in usable])
    conflicted = [e for e in usable if (e.pk, panel.application_id) in conflicts]
    capped = [e for e in usable if e not in conflicted and loads.get(e.pk, 0) >= panel.call.expert_load_cap]
    eligible = [e for e in usable if e not in conflicted and e not in capped]
    return eligible, len(conflicted), len(capped)


def _next_substitute(panel: Panel, vacated: PanelMember) -> PanelMember | None:
    waiting = list(
        PanelMember.objects.select_for_update(of=("self",))
        .select_related("expert__user")
        .filter(panel=panel, status=MemberStatus.WAITING)
        .order_by("position")
    )
    if not waiting:
        return None
    eligible, _conflicted, _capped = _eligible_now(panel, [m.expert for m in waiting])
    allowed = {e.pk for e in eligible}
    for member in waiting:
        if member.expert_id in allowed:
            _invite_member(member, vacated)
            _record_event(panel, vacated, member, kind="substitute")
            return member
    return None


def _invite_member(member: PanelMember, vacated: PanelMember) -> None:
    member.status = MemberStatus.INVITED
    member.role = MemberRole.MEMBER
    member.invited_at = clock.now()
    member.replaces = vacated
    member.save(update_fields=["status", "role", "invited_at", "replaces"])


def _fresh_member(panel: Panel, vacated: PanelMember) -> PanelMember | None:
    """A fresh expert drawn from the eligible pool with the panel's seed (the n-th fresh draw of a
    panel uses `random.Random(f"{seed}:{application}:r{n}")`), preferring one who brings a field
    the active members lack."""
    taken = set(PanelMember.objects.filter(panel=panel).values_list("expert_id", flat=True))
    experts = list(
        Expert.objects.filter(available=True).exclude(pk__in=taken).select_related("user").order_by("pk")
    )
    eligible, conflicted, capped = _eligible_now(panel, experts)
    fresh_draws = sum(1 for e in panel.draw_record.get("events", []) if e.get("kind") == "fresh")
    if not eligible:
        _record_event(panel, vacated, None, kind="unfilled", conflicted=conflicted, capped=capped)
        return None
    covered = set().union(
        *(
            set(fields or [])
            for fields in Expert.objects.filter(
                memberships__panel=panel, memberships__status__in=tuple(workflow.ACTIVE_MEMBER_STATES)
            ).values_list("fields", flat=True)
        )
    )
    # With every field but the uncovered ones marked as covered, `choose` prefers the uncovered.
    candidates = [
        Candidate(e.pk, e.name, frozenset(f for f in (e.fields or []) if f in FIELDS and f not in covered))
        for e in eligible
    ]
    rng = random.Random(f"{panel.seed}:{panel.application_id}:r{fresh_draws + 1}")
    pick = choose(rng, candidates, 1, 0).members[0]
    position = (
        PanelMember.objects.filter(panel=panel)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    ) + 1
    member = PanelMember.objects.create(
        panel=panel,
        expert_id=pick.pk,
        position=position,
        role=MemberRole.MEMBER,
        status=MemberStatus.INVITED,
        invited_at=clock.now(),
        replaces=vacated,
    )
    member = PanelMember.objects.select_related("expert__user").get(pk=member.pk)
    _record_event(
        panel, vacated, member, kind="fresh", eligible=len(eligible), conflicted=conflicted, capped=capped
    )
    return member


def _record_event(
    panel: Panel, vacated: PanelMember, successor: PanelMember | None, *, kind: str, **counts: int
) -> None:
    """Append the replacement to the panel's draw record (shown to the office)."""
    record = dict(panel.draw_record or {})
    events = list(record.get("events", []))
    events.append(
        {
            "at": clock.now().isoformat(),
            "kind": kind,
            "vacated": {
                "member": vacated.pk,
                "position": vacated.position,
                "expert": vacated.expert_id,
                "name": vacated.expert.name,
            },
            "successor": None
            if successor is None
            else {
                "member": successor.pk,
                "position": successor.position,
                "expert": successor.expert_id,
                "name": successor.expert.name,
            },
            **counts,
        }
    )
    record["events"] = events
    panel.draw_record = record
    panel.save(update_fields=["draw_record"])
