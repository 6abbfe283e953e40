"""The draw: a panel of experts per accepted application, at random, reproducibly.

From the available pool (experts marked available, with an active login) minus the experts
conflicted with the application (computed once, in bulk) and those at the call's load cap (active
memberships in the call), `call.panel_size` members and `call.substitutes` substitutes are drawn
with `random.Random(f"{seed}:{application.pk}")`. The panel covers the four fields 优政/惠民/兴业/强基
when the eligible experts allow it: each member is drawn, in the shuffled order, among those who
bring a field not yet covered, until every field is covered; the rest in the shuffled order.
The seed is recorded on the panel (generated with `secrets` when not given): the same seed and the
same pool state give the same panel. `draw_record` keeps the eligible pool's size, the excluded
experts with their reasons (shown to the office only), the order drawn and the coverage.

A draw with too few eligible experts is refused, naming the application and the numbers, and
nothing is written. The bulk draw of a call runs in a constant number of queries.
"""

import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.calls.choices import ApplicationStatus
from starcity.calls.models import Application, Call
from starcity.core import clock
from starcity.core.batch import gc_paused
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.notifications.services import notify
from starcity.reviews import workflow
from starcity.reviews.choices import Field, MemberRole, MemberStatus, PanelStatus
from starcity.reviews.models import Expert, Panel, PanelMember

FIELDS: tuple[str, ...] = tuple(Field.values)
SEED_MAX = 64


@dataclass(frozen=True)
class Candidate:
    """An expert as the draw sees them."""

    pk: int
    name: str
    fields: frozenset[str]


@dataclass
class Drawn:
    """The outcome of one application's draw."""

    members: list[Candidate]
    substitutes: list[Candidate]
    missing_fields: list[str] = field(default_factory=list)


def new_seed() -> str:
    """A fresh seed for a draw nobody gave one for."""
    return secrets.token_hex(8)


def choose(rng: random.Random, eligible: Sequence[Candidate], size: int, substitutes: int) -> Drawn:
    """Pure: a random order of the eligible experts (sorted by id first, so only the seed decides;
    generated lazily by Fisher–Yates, as far as the draw reads it). Members are taken in that
    order among those who bring a field not yet covered until every field is covered, then the
    rest of the panel in that order; members keep their order of drawing (the first is the
    chair); then the substitutes in that order."""
    order = sorted(eligible, key=lambda c: c.pk)
    prefix: list[Candidate] = []

    def at(index: int) -> Candidate:
        while len(prefix) <= index:
            k = len(prefix)
            j = rng.randrange(k, len(order))
            order[k], order[j] = order[j], order[k]
            prefix.append(order[k])
        return prefix[index]

    taken: set[int] = set()
    uncovered = set(FIELDS)
    while len(taken) < size and uncovered:
        index = next(
            (i for i in range(len(order)) if i not in taken and not at(i).fields.isdisjoint(uncovered)), None
        )
        if index is None:
            break
        taken.add(index)
        uncovered -= at(index).fields
    spare_indexes: list[int] = []
    for index in range(len(order)):
        if len(taken) >= size and len(spare_indexes) >= substitutes:
            break
        if index in taken:
            continue
        at(index)
        if len(taken) < size:
            taken.add(index)
        else:
            spare_indexes.append(index)
    members = [prefix[i] for i in sorted(taken)]  # in the order drawn
    spares = [prefix[i] for i in spare_indexes]
    covered = set().union(*(m.fields for m in members)) if members else set()
    return Drawn(members=members, substitutes=spares, missing_fields=[f for f in FIELDS if f not in covered])


def _rng(seed: str, application_pk: int, suffix: str = "") -> random.Random:
    return random.Random(f"{seed}:{application_pk}{suffix}")


# ---------------------------------------------------------------- the pool


@dataclass
class Pool:
    """The experts a draw may use, and the call's current loads."""

    candidates: list[Candidate]
    available_total: int
    without_account: int
    loads: Counter[int]
    cap: int
    capped: set[int] = field(default_factory=set)  # at the load cap now
    conflicted_with: dict[int, dict[int, list[Any]]] = field(
        default_factory=dict
    )  # application → expert → reasons
    by_pk: dict[int, Candidate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_pk = {c.pk: c for c in self.candidates}
        self.capped = {pk for pk, n in self.loads.items() if n >= self.cap}

    def add_conflicts(self, conflicts: dict[tuple[int, int], list[Any]]) -> None:
        """Index the conflict map by application (once per draw)."""
        for (expert_pk, application_pk), reasons in conflicts.items():
            self.conflicted_with.setdefault(application_pk, {})[expert_pk] = reasons


def load_pool(call: Call) -> Pool:
    """Available experts with an active login (two queries), and each one's active memberships in
    the call (one query)."""
    rows = list(
        Expert.objects.filter(available=True)
        .order_by("pk")
        .values_list("pk", "name", "fields", "user_id", "user__is_active")
    )
    candidates = [
        Candidate(pk, name, frozenset(f for f in (fields or []) if f in FIELDS))
        for pk, name, fields, user_id, active in rows
        if user_id is not None and active
    ]
    loads: Counter[int] = Counter(active_loads(call))
    return Pool(candidates, len(rows), len(rows) - len(candidates), loads, call.expert_load_cap)


def active_loads(call: Call, experts: Iterable[int] | None = None) -> dict[int, int]:
    """{expert id: active memberships in the call} (one query)."""
    rows = PanelMember.objects.filter(panel__call=call, status__in=tuple(workflow.ACTIVE_MEMBER_STATES))
    if experts is not None:
        rows = rows.filter(expert_id__in=list(experts))
    return {row["expert_id"]: row["n"] for row in rows.values("expert_id").annotate(n=Count("id"))}


def add_conflicts(pool: Pool, applications: Iterable[Application]) -> None:
    """The conflicts between the pool and the applications, computed once in bulk."""
    from starcity.reviews.conflicts import conflict_map

    pool.add_conflicts(conflict_map([c.pk for c in pool.candidates], [a.pk for a in applications]))


# ---------------------------------------------------------------- one application


@dataclass
class Plan:
    application: Application
    drawn: Drawn
    record: dict[str, Any]


def _field_names(codes: Iterable[str]) -> str:
    return "、".join(str(Field(code).label) for code in codes)


def _coverage_notes(missing: list[str], eligible: Sequence[Candidate], size: int) -> list[str]:
    """Why a field is not covered: no eligible expert has it, or the panel is too small."""
    notes = []
    available = set().union(*(c.fields for c in eligible)) if eligible else set()
    absent = [f for f in missing if f not in available]
    if absent:
        notes.append(
            _("可抽取的专家中没有%(fields)s领域的专家，评审组未能覆盖这些领域。")
            % {"fields": _field_names(absent)}
        )
    short = [f for f in missing if f in available]
    if short:
        notes.append(
            _("评审组只有 %(size)d 人，未能同时覆盖%(fields)s领域。")
            % {"size": size, "fields": _field_names(short)}
        )
    return notes


def plan_for(
    application: Application,
    *,
    pool: Pool,
    size: int,
    substitutes: int,
    seed: str,
) -> Plan:
    """Draw one application's panel from the pool (pure apart from the given data); raises
    ValidationFailed naming the application and the numbers when too few experts are eligible."""
    by_pk = pool.by_pk
    conflicted = pool.conflicted_with.get(application.pk, {})
    excluded = [
        {
            "expert": pk,
            "name": by_pk[pk].name,
            "conflicts": [{"reason": str(c.reason), "detail": str(c.detail)} for c in reasons],
        }
        for pk, reasons in sorted(conflicted.items())
        if pk in by_pk
    ]
    capped = sorted(pk for pk in pool.capped if pk not in conflicted)
    eligible = [c for c in pool.candidates if c.pk not in conflicted and c.pk not in pool.capped]
    if len(eligible) < size:
        raise ValidationFailed(_shortage_message(application, size, len(eligible), pool, excluded, capped))
    drawn = choose(_rng(seed, application.pk), eligible, size, substitutes)
    record: dict[str, Any] = {
        "seed": seed,
        "rng": f"random.Random('{seed}:{application.pk}')",
        "pool_size": len(pool.candidates),
        "available_total": pool.available_total,
        "without_account": pool.without_account,
        "excluded": excluded,
        "at_load_cap": capped,  # expert ids
        "eligible": len(eligible),
        "load_cap": pool.cap,
        "panel_size": size,
        "substitutes_wanted": substitutes,
        "order": [
            {
                "position": i,
                "expert": c.pk,
                "name": c.name,
                "role": role,
                "fields": [f for f in FIELDS if f in c.fields],
            }
            for i, (c, role) in enumerate(
                [(m, MemberRole.MEMBER.value) for m in drawn.members]
                + [(s, MemberRole.SUBSTITUTE.value) for s in drawn.substitutes],
                start=1,
            )
        ],
        "coverage": {
            "covered": [f for f in FIELDS if f not in drawn.missing_fields],
            "missing": drawn.missing_fields,
            "notes": _coverage_notes(drawn.missing_fields, eligible, size),
        },
        "events": [],
    }
    if len(drawn.substitutes) < substitutes:
        record["coverage"]["notes"].append(
            _("可抽取的专家不足，只抽取了 %(got)d 位候补专家（应抽 %(wanted)d 位）。")
            % {"got": len(drawn.substitutes), "wanted": substitutes}
        )
    for member in drawn.members:
        pool.loads[member.pk] += 1
        if pool.loads[member.pk] >= pool.cap:
            pool.capped.add(member.pk)
    return Plan(application, drawn, record)


def _shortage_message(
    application: Application,
    size: int,
    eligible: int,
    pool: Pool,
    excluded: list[dict[str, Any]],
    capped: list[int],
) -> str:
    return _(
        "无法为%(region)s的申报抽取评审专家：需要 %(size)d 位专家，符合条件的只有 %(eligible)d 位"
        "（专家库中可参加评审且有登录账号的 %(pool)d 位，其中 %(conflicted)d 位存在利益冲突，"
        "%(capped)d 位已达本批次每人 %(cap)d 份的评审上限）。未作任何抽取，请补充专家库后重试。"
    ) % {
        "region": application.region.full_name,
        "size": size,
        "eligible": eligible,
        "pool": len(pool.candidates),
        "conflicted": len(excluded),
        "capped": len(capped),
        "cap": pool.cap,
    }


# ---------------------------------------------------------------- writing


def _check_office(by: Any) -> None:
    if not is_province_staff(by):
        raise NotAllowed(_("只有省级工作人员可以抽取评审专家。"))


def _clean_seed(seed: str | None) -> str:
    seed = (seed or "").strip()
    if len(seed) > SEED_MAX:
        raise ValidationFailed(_("抽取种子最长 %(max)d 个字符。") % {"max": SEED_MAX}, field="seed")
    return seed or new_seed()


def _write(plans: list[Plan], *, by: Any, call: Call, seed: str) -> list[Panel]:
    """Panels, members, audit rows and invitations for every plan, in bulk."""
    now = clock.now()
    # A literal expression keeps PostgreSQL's bulk insert on plain VALUES: its UNNEST path would
    # escape every quote of every draw record into an array literal (seconds for a province).
    panels = Panel.objects.bulk_create(
        [
            Panel(
                application=plan.application,
                call=call,
                status=Value(PanelStatus.SCORING.value),
                seed=seed,
                draw_record=plan.record,
                drawn_by=by,
                drawn_at=now,
            )
            for plan in plans
        ]
    )
    members: list[PanelMember] = []
    for panel, plan in zip(panels, plans, strict=True):
        panel.status = PanelStatus.SCORING
        panel.application = plan.application
        for position, candidate in enumerate(plan.drawn.members, start=1):
            members.append(
                PanelMember(
                    panel=panel,
                    expert_id=candidate.pk,
                    position=position,
                    role=MemberRole.MEMBER,
                    status=MemberStatus.INVITED,
                    is_chair=position == 1,
                    invited_at=now,
                )
            )
        for offset, candidate in enumerate(plan.drawn.substitutes, start=len(plan.drawn.members) + 1):
            members.append(
                PanelMember(
                    panel=panel,
                    expert_id=candidate.pk,
                    position=offset,
                    role=MemberRole.SUBSTITUTE,
                    status=MemberStatus.WAITING,
                )
            )
    PanelMember.objects.bulk_create(members)
    AuditEntry.objects.bulk_create(
        [_draw_audit(panel, plan, by=by, now=now) for panel, plan in zip(panels, plans, strict=True)]
    )
    _invite(panels, plans, call=call)
    return panels


def _draw_audit(panel: Panel, plan: Plan, *, by: Any, now: Any) -> AuditEntry:
    """The audit row of one panel's draw (built like `audit_record`, written in bulk)."""
    return AuditEntry(
        created_at=now,
        actor=by,
        action="panel.draw",
        target_type=Panel._meta.label_lower,
        target_id=str(panel.pk),
        target_label=str(panel)[:255],
        scope=plan.application.region.path,
        to_state=PanelStatus.SCORING,
        extra={
            "seed": panel.seed,
            "members": [c.pk for c in plan.drawn.members],
            "substitutes": [c.pk for c in plan.drawn.substitutes],
            "eligible": plan.record["eligible"],
            "excluded": len(plan.record["excluded"]),
        },
    )


def _invite(panels: list[Panel], plans: list[Plan], *, call: Call) -> None:
    """Tell each invited expert, once per draw: an expert invited to one application is sent to
    that panel's page (where they sign and accept, or decline); an expert invited to several
    gets one notification for all of them, linking to their queue. Recipients are grouped, so
    the notifications go out in few bulk writes whatever the size of the call."""
    invited: dict[int, list[tuple[Panel, Application]]] = defaultdict(list)
    for panel, plan in zip(panels, plans, strict=True):
        for candidate in plan.drawn.members:
            invited[candidate.pk].append((panel, plan.application))
    single: dict[int, list[Any]] = defaultdict(list)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for expert in Expert.objects.filter(pk__in=list(invited), user__isnull=False).select_related("user"):
        mine = invited[expert.pk]
        if len(mine) == 1:
            single[mine[0][0].pk].append(expert.user)
        else:
            grouped[len(mine)].append(expert.user)
    due = _due(call)
    for panel, plan in zip(panels, plans, strict=True):
        if single.get(panel.pk):
            _invite_one(single[panel.pk], panel, plan.application, call=call, due=due)
    for count, recipients in sorted(grouped.items()):
        body = _("您被抽取为“%(call)s”中 %(count)d 份申报的评审专家。") % {"call": call.title, "count": count}
        body += _("请在评审队列中签署无利益冲突声明后接受，或说明理由谢绝。") + due
        notify(
            recipients=recipients,
            kind="review_invitation",
            title=_("评审邀请：%(count)d 份申报") % {"count": count},
            body=body,
            url=reverse("reviews:home"),
        )


def _due(call: Call) -> str:
    if not call.review_ends:
        return ""
    return _("评审截止日期：%(due)s。") % {"due": call.review_ends.strftime("%Y-%m-%d")}


def _invite_one(
    recipients: list[Any], panel: Panel, application: Application, *, call: Call, due: str
) -> None:
    body = _("您被抽取为“%(call)s”中%(region)s（%(level)s）申报的评审专家。") % {
        "call": call.title,
        "region": application.region.full_name,
        "level": application.get_level_display(),
    }
    notify(
        recipients=recipients,
        kind="review_invitation",
        title=_("评审邀请：%(region)s") % {"region": application.region.full_name},
        body=body + _("请打开评审页面签署无利益冲突声明后接受，或说明理由谢绝。") + due,
        url=reverse("reviews:panel_detail", args=[panel.pk]),
    )


def _locked_call(call: Call) -> Call:
    """The call re-read and locked: draws of one call run one after the other (load caps)."""
    return Call.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def panel_draw(*, by: Any, application: Application, seed: str | None = None) -> Panel:
    """Draw the panel of one accepted application (province staff)."""
    _check_office(by)
    seed = _clean_seed(seed)
    call = _locked_call(application.call)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("region", "city")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.ACCEPTED:
        raise InvalidTransition(
            _("只有通过形式审查的申报才能抽取评审专家；%(region)s的申报当前状态为“%(status)s”。")
            % {"region": application.region.full_name, "status": application.get_status_display()}
        )
    if Panel.objects.filter(application=application).exists():
        raise InvalidTransition(
            _("%(region)s的申报已经抽取过评审专家，不能重复抽取；如需调整请更换专家。")
            % {"region": application.region.full_name}
        )
    pool = load_pool(call)
    add_conflicts(pool, [application])
    plan = plan_for(application, pool=pool, size=call.panel_size, substitutes=call.substitutes, seed=seed)
    return _write([plan], by=by, call=call, seed=seed)[0]


@transaction.atomic
@gc_paused()
def call_draw(*, by: Any, call: Call, seed: str | None = None) -> list[Panel]:
    """Draw the panels of every accepted application of the call that has none yet, all or
    nothing: when one cannot be drawn, every such application is named and nothing is written."""
    _check_office(by)
    seed = _clean_seed(seed)
    call = _locked_call(call)
    from starcity.reviews.selectors import applications_to_draw

    applications = list(applications_to_draw(call))
    if not applications:
        raise InvalidTransition(_("“%(call)s”没有待抽取评审专家的申报。") % {"call": call.title})
    pool = load_pool(call)
    add_conflicts(pool, applications)
    plans, errors = [], []
    for application in applications:
        try:
            plans.append(
                plan_for(
                    application,
                    pool=pool,
                    size=call.panel_size,
                    substitutes=call.substitutes,
                    seed=seed,
                )
            )
        except ValidationFailed as exc:
            errors.append(exc.message)
    if errors:
        raise ValidationFailed(
            _("有 %(count)d 份申报无法抽取评审专家，本次未作任何抽取：") % {"count": len(errors)},
            errors=errors,
        )
    panels = _write(plans, by=by, call=call, seed=seed)
    from starcity.core.audit import audit_record

    audit_record(
        actor=by,
        action="panel.draw_call",
        target=call,
        extra={"seed": seed, "panels": len(panels)},
    )
    return panels
