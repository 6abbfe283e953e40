"""The panel's conclusion: aggregation once every active member submitted, discussion of flagged
indicators, the chair's resolutions, and the expert-verified result (grade, score, limits, plan).

    scoring ──(every active member submitted, flagged indicators unresolved)──► discussion
    scoring ──(every active member submitted, nothing left to resolve)──────► concluded
    discussion ──(the chair resolved the last flagged indicator)────────────► concluded

The moves are checked against `workflow.PANEL_TRANSITIONS`, the resolution against
`workflow.can_on_panel`. `panel_refresh` is called by the scorecard
services after a member submits (and here after each resolution), inside their transaction.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.calls.models import CallLevel
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.batch import gc_paused
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.notifications.services import notify
from starcity.reviews import workflow
from starcity.reviews.aggregation import (
    FALLBACK_MEAN,
    PanelAggregate,
    aggregate_panel,
    score_aggregate,
)
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.display import compact_value, rule_short_label, short_name
from starcity.reviews.entries import entry_from_text, entry_problem, indicator_label
from starcity.reviews.models import Panel, PanelMember, Resolution, Score
from starcity.scoring import Result, Standard, exact_text, half_up, result_to_dict
from starcity.scoring.numeric import is_decimal
from starcity.standards.selectors import scoring_standard_for
from starcity.standards.services import engine_language

ACTIVE_STATES = (MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.SUBMITTED)

ACTION_LABELS = {
    "panel.discussion": gettext_lazy("评分分歧提交讨论"),
    "panel.resolve": gettext_lazy("组长确定分歧指标取值"),
    "panel.conclude": gettext_lazy("专家评审完成"),
    "expert.create": gettext_lazy("新增专家"),
    "expert.update": gettext_lazy("修改专家信息"),
    "expert.available": gettext_lazy("设为可参加评审"),
    "expert.unavailable": gettext_lazy("设为暂不参加评审"),
    "expert.import": gettext_lazy("导入专家库"),
    "conflict.declare": gettext_lazy("申报利益冲突"),
}


def _office_only(model_label: str) -> Any:
    def visible_ids(user: Any) -> Any:
        from django.apps import apps
        from django.db.models import CharField
        from django.db.models.functions import Cast

        from starcity.accounts.selectors import is_province_staff

        model = apps.get_model(model_label)
        rows = model.objects.all() if is_province_staff(user) else model.objects.none()
        return rows.annotate(key=Cast("pk", CharField())).values("key")

    return visible_ids


def register_pool_labels() -> None:
    """Name the audit actions of the pool and of the conclusion, and keep audit rows about
    experts and their declarations to province staff (call from AppConfig.ready)."""
    from starcity.core.audit import register_action_labels, register_audit_visibility

    register_action_labels(ACTION_LABELS)
    register_audit_visibility("reviews.expert", _office_only("reviews.Expert"))
    register_audit_visibility("reviews.declaredconflict", _office_only("reviews.DeclaredConflict"))


# -- reading a panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelInputs:
    """What aggregating a panel needs, read in a few queries."""

    standard: Standard
    members: list[PanelMember]  # active members, in draw order
    scores: list[dict[str, Any]]  # per member: {indicator: values@1 entry}
    resolutions: dict[str, dict[str, Any]]
    bonus: dict[str, Any]
    vetoes: dict[str, Any]

    @property
    def complete(self) -> bool:
        return bool(self.members) and all(m.status == MemberStatus.SUBMITTED for m in self.members)


def pinned_standard(panel: Panel) -> Standard:
    """The scoring model of the version the call pinned for the applicant's level."""
    level = CallLevel.objects.select_related("standard_version").get(
        call_id=panel.call_id, level=panel.application.level
    )
    return scoring_standard_for(level.standard_version)


def _declared_flags(panel: Panel) -> tuple[dict[str, Any], dict[str, Any]]:
    """Bonus items and vetoes as the applicant's submitted self-assessment declared them (the
    experts verify the indicators)."""
    assessment = panel.application.self_assessment
    document = (assessment.snapshot_values if assessment is not None else None) or {}
    return dict(document.get("bonus") or {}), dict(document.get("vetoes") or {})


def _resolution_record(resolution: Resolution) -> dict[str, Any]:
    # No names: the record ends up on pages applicants read.
    return {
        "value": resolution.value,
        "reason": resolution.reason,
        "resolved_at": resolution.resolved_at.isoformat(),
    }


def counted_members(panel: Panel, members: Sequence[PanelMember]) -> list[PanelMember]:
    """Of `members`, those whose scores and role count: not conflicted with the application. A
    conflict found after the draw takes the member off the panel (`member_vacate_for_conflict`);
    this keeps a conflicted member out of the aggregate and the chair's notices even before
    (a concluded panel keeps the record it concluded with)."""
    from starcity.reviews.conflicts import conflict_map

    if not members or panel.status == PanelStatus.CONCLUDED:
        return list(members)
    conflicts = conflict_map({m.expert_id for m in members}, [panel.application_id])
    return [m for m in members if (m.expert_id, panel.application_id) not in conflicts]


def panel_inputs(panel: Panel) -> PanelInputs:
    """The active members not conflicted with the application (in draw order), their scores, the
    resolutions and the applicant's declared flags."""
    members = counted_members(
        panel, list(PanelMember.objects.filter(panel=panel, status__in=ACTIVE_STATES).order_by("position"))
    )
    by_member: dict[int, dict[str, Any]] = {m.pk: {} for m in members}
    for member_id, indicator, value in Score.objects.filter(member__in=members).values_list(
        "member_id", "indicator", "value"
    ):
        by_member[member_id][indicator] = value
    resolutions = {r.indicator: _resolution_record(r) for r in Resolution.objects.filter(panel=panel)}
    bonus, vetoes = _declared_flags(panel)
    return PanelInputs(
        standard=pinned_standard(panel),
        members=members,
        scores=[by_member[m.pk] for m in members],
        resolutions=resolutions,
        bonus=bonus,
        vetoes=vetoes,
    )


def _aggregate(panel: Panel, inputs: PanelInputs) -> PanelAggregate:
    try:
        return aggregate_panel(
            inputs.standard,
            inputs.scores,
            rule=panel.call.aggregation_rule,
            threshold=panel.call.disagreement_threshold,
            resolutions=inputs.resolutions,
            bonus=inputs.bonus,
            vetoes=inputs.vetoes,
        )
    except ValueError as exc:
        raise ValidationFailed(
            _("专家组的评分中有无效的取值（%(problem)s），无法汇总。") % {"problem": exc}
        ) from exc


def panel_aggregate_preview(panel: Panel) -> "PanelAggregateView | None":
    """The aggregate of the submitted scores for display (`reviews/partials/_aggregate.html`), or
    None while an active member has not submitted. Once concluded, the verified result shown is
    the stored one."""
    inputs = panel_inputs(panel)
    if not inputs.complete:
        return None
    stored = panel.result if panel.status == PanelStatus.CONCLUDED else None
    return PanelAggregateView.of(
        _aggregate(panel, inputs), concluded=panel.status == PanelStatus.CONCLUDED, result=stored
    )


# -- display --------------------------------------------------------------------------------


def rule_label(rule: str) -> str:
    labels = {
        "auto": _("自动（至少 5 份评分时去掉最高最低取平均，否则取中位数）"),
        "trimmed_mean": _("去掉一个最高分和一个最低分后取平均"),
        "median": _("中位数"),
        "mean": _("平均数"),
        "majority": _("多数决（票数相同按“否”）"),
    }
    return labels.get(rule, rule)


def value_text(indicator: Any, value: Any) -> str:
    """A normalised value as read: "85.5 个", "92.5%", "3（较完善）", "是"; "—" for none."""
    from starcity.assessments.presentation.text import yes_no

    if value is None:
        return "—"
    if indicator.method == "boolean":
        return yes_no(value)
    if indicator.method == "tiered":
        tiers = indicator.tiers
        if 1 <= value <= len(tiers):
            return _("%(grade)s（%(tier)s）") % {"grade": value, "tier": tiers[value - 1]}
        return str(value)
    text = exact_text(Fraction(value))
    if indicator.method == "ratio":
        return f"{text}%"
    return f"{text} {indicator.unit}" if indicator.unit else text


def raw_value_text(indicator: Any, raw: Fraction) -> str:
    """The aggregate before rounding, as read: exact when it has a finite decimal expansion,
    else to four decimals ("≈3.3333"); with the percent sign or unit of a measured indicator."""
    text = exact_text(raw) if is_decimal(raw) else "≈" + half_up(raw, 4)
    if indicator.method == "ratio":
        return f"{text}%"
    if indicator.method == "threshold" and indicator.unit:
        return f"{text} {indicator.unit}"
    return text


@dataclass(frozen=True)
class ScoreCell:
    """One expert's value of one indicator, named by draw position only."""

    label: str
    text: str
    grade: int
    dropped: bool
    title: str = ""  # a tiered value shows its grade; the tier's text is the title


@dataclass(frozen=True)
class AggregateRow:
    """One indicator's line in the aggregate table."""

    code: str
    name: str
    cells: list[ScoreCell]
    rule: str
    note: str
    raw_text: str
    value_text: str
    aggregated_text: str
    grade: int
    spread: int
    flagged: bool
    resolved: bool
    resolution_text: str
    resolution_reason: str
    # compact forms for the table (display.py): short name, rule and values, full texts as titles
    short_name: str = ""
    tiered: bool = False
    rule_short: str = ""
    value_short: str = ""
    value_title: str = ""
    aggregated_short: str = ""


def _cell(indicator: Any, position: int, score: Any, grade: int, *, dropped: bool) -> ScoreCell:
    text, title = compact_value(indicator, score, value_text(indicator, score))
    label = _("专家 %(position)s") % {"position": position}
    return ScoreCell(label=label, text=text, grade=grade, dropped=dropped, title=title)


class PanelAggregateView(PanelAggregate):
    """A panel's aggregate as pages show it: rows with names and texts, and the verified (or,
    before the conclusion, provisional) result with its limits and plan."""

    concluded: bool
    stored_result: dict[str, Any] | None

    @classmethod
    def of(
        cls, aggregate: PanelAggregate, *, concluded: bool, result: dict[str, Any] | None = None
    ) -> "PanelAggregateView":
        view = cls(**{f.name: getattr(aggregate, f.name) for f in fields(PanelAggregate)})
        object.__setattr__(view, "concluded", concluded)
        object.__setattr__(view, "stored_result", result)
        return view

    def _standard(self) -> Standard:
        if self.standard is None:  # pragma: no cover - aggregate_panel always sets it
            raise ValueError("aggregate without its standard")
        return self.standard

    @cached_property
    def rows(self) -> list[AggregateRow]:
        from starcity.assessments.presentation.text import item_name

        standard = self._standard()
        lang = engine_language()
        rows = []
        for agg in self.indicators:
            ind = standard.indicator(agg.code)
            dropped = set(agg.dropped)
            cells = [
                _cell(ind, position, score, grade, dropped=index in dropped)
                for index, (position, score, grade) in enumerate(
                    zip(range(1, len(agg.scores) + 1), agg.scores, agg.grades, strict=True)
                )
            ]
            if agg.method == "boolean":
                yes = sum(1 for score in agg.scores if score is True)
                no = sum(1 for score in agg.scores if score is False)
                raw_text = _("是 %(yes)s 票，否 %(no)s 票") % {"yes": yes, "no": no}
            elif agg.raw is None:
                raw_text = "—"
            else:
                raw_text = raw_value_text(ind, agg.raw)
            resolution = agg.resolution or {}
            full_value = value_text(ind, agg.value)
            value_short, value_title = compact_value(ind, agg.value, full_value)
            rows.append(
                AggregateRow(
                    code=agg.code,
                    name=item_name(ind, lang),
                    cells=cells,
                    rule=rule_label(agg.rule),
                    note=_("评分不足 3 份，改取平均数") if agg.note == FALLBACK_MEAN else "",
                    raw_text=raw_text,
                    value_text=full_value,
                    aggregated_text=value_text(ind, agg.aggregated),
                    grade=agg.grade,
                    spread=agg.spread,
                    flagged=agg.flagged,
                    resolved=agg.resolution is not None,
                    resolution_text=value_text(ind, agg.value) if agg.resolution is not None else "",
                    resolution_reason=str(resolution.get("reason", "")),
                    short_name=short_name(item_name(ind, lang)),
                    tiered=ind.method == "tiered",
                    rule_short=rule_short_label(agg.rule),
                    value_short=value_short,
                    value_title=value_title,
                    aggregated_short=compact_value(ind, agg.aggregated, value_text(ind, agg.aggregated))[0],
                )
            )
        return rows

    @property
    def flagged_rows(self) -> list[AggregateRow]:
        return [row for row in self.rows if row.flagged]

    @property
    def rule_text(self) -> str:
        return rule_label(self.rule)

    @property
    def member_labels(self) -> list[str]:
        count = len(self.indicators[0].scores) if self.indicators else 0
        return [_("专家 %(position)s") % {"position": position} for position in range(1, count + 1)]

    @cached_property
    def result_dict(self) -> dict[str, Any]:
        if self.stored_result is not None:
            return self.stored_result
        return result_to_dict(score_aggregate(self._standard(), self), engine_language())

    @cached_property
    def result_panel(self) -> dict[str, Any]:
        """The context the assessments' result panel builds: grade, stars, domains, limits, plan."""
        from starcity.assessments.presentation.panel import result_panel

        return result_panel(self._standard(), self.result_dict, engine_language())


# -- the transitions ------------------------------------------------------------------------


def _panel_url(panel: Panel) -> str:
    try:
        return reverse("reviews:panel_detail", args=[panel.pk])
    except NoReverseMatch:
        return ""


def _locked(panel: Panel) -> Panel:
    return (
        Panel.objects.select_for_update(of=("self",))
        .select_related("call", "application__region__parent__parent", "application__self_assessment")
        .get(pk=panel.pk)
    )


def _chair_users(panel: Panel, members: Iterable[PanelMember]) -> list[Any]:
    """The chair's account, unless the chair is conflicted with the application."""
    chairs = [m for m in members if m.is_chair and m.expert.user is not None]
    return [m.expert.user for m in counted_members(panel, chairs)]


@transaction.atomic
def panel_refresh(*, panel: Panel, by: Any = None) -> Panel:
    """Aggregate when every active member has submitted: DISCUSSION while a flagged indicator is
    unresolved (the chair is notified), else CONCLUDED with the verified result (province staff
    are notified). Does nothing while a member has still to submit, or once concluded. `by` is
    whoever triggered it (recorded in the audit row)."""
    panel = _locked(panel)
    if panel.status == PanelStatus.CONCLUDED:
        return panel
    inputs = panel_inputs(panel)
    if not inputs.complete:
        return panel
    aggregate = _aggregate(panel, inputs)
    if aggregate.unresolved:
        if panel.status != PanelStatus.DISCUSSION:
            _to_discussion(panel, inputs.standard, aggregate, by)
        return panel
    _conclude(panel, aggregate, score_aggregate(inputs.standard, aggregate), by)
    return panel


def _move(panel: Panel, *moves: str) -> str:
    """Move the panel by the first of `moves` whose source is its state; returns the old state."""
    before = panel.status
    for move in moves:
        source, target = workflow.PANEL_TRANSITIONS[move]
        if source == before:
            panel.status = target
            return before
    raise InvalidTransition(
        _("专家组当前状态为“%(state)s”，不能执行此操作。") % {"state": panel.get_status_display()}
    )


def _indicator_names(standard: Standard, codes: Iterable[str]) -> str:
    return "、".join(f"{standard.indicator(code).name}（{code}）" for code in codes)


def _to_discussion(panel: Panel, standard: Standard, aggregate: PanelAggregate, by: Any) -> None:
    before = _move(panel, "discuss")
    panel.save(update_fields=["status"])
    region = panel.application.region
    audit_record(
        actor=by,
        action="panel.discussion",
        target=panel,
        scope=region.path,
        from_state=before,
        to_state=panel.status,
        extra={"flagged": list(aggregate.flagged)},
    )
    members = PanelMember.objects.filter(panel=panel, status__in=ACTIVE_STATES).select_related("expert__user")
    notify(
        recipients=_chair_users(panel, members),
        kind="panel.discussion",
        title=_("%(region)s的专家评分存在分歧，请组织讨论并确定取值") % {"region": region.full_name},
        body=_(
            "以下指标的专家评级相差 %(threshold)s 级及以上：%(indicators)s。"
            "请与专家组讨论后逐项确定取值并说明理由。"
        )
        % {
            "threshold": panel.call.disagreement_threshold,
            "indicators": _indicator_names(standard, aggregate.flagged),
        },
        url=_panel_url(panel),
    )


def _conclude(panel: Panel, aggregate: PanelAggregate, result: Result, by: Any) -> None:
    from starcity.calls.selectors import province_officers

    before = _move(panel, "conclude", "conclude_after_discussion")
    panel.aggregate = aggregate.to_dict()
    panel.result = result_to_dict(result)
    panel.verified_grade = result.grade
    panel.verified_score = Decimal(half_up(result.score, 2))
    panel.concluded_at = clock.now()
    panel.save(
        update_fields=["status", "aggregate", "result", "verified_grade", "verified_score", "concluded_at"]
    )
    region = panel.application.region
    audit_record(
        actor=by,
        action="panel.conclude",
        target=panel,
        scope=region.path,
        from_state=before,
        to_state=panel.status,
        after={"grade": panel.verified_grade, "score": str(panel.verified_score)},
    )
    notify(
        recipients=province_officers(),
        kind="panel.concluded",
        title=_("专家评审完成：%(region)s") % {"region": region.full_name},
        body=_("专家评定为 %(grade)s 星，总分 %(score)s。")
        % {"grade": panel.verified_grade, "score": panel.verified_score},
        url=_panel_url(panel),
    )


# -- the chair's resolution -----------------------------------------------------------------


def resolution_entry(indicator: Any, value: Any, label: str) -> Any:
    """The values@1 entry of the chair's value: typed text is read by `entry_from_text` (the one
    reader of typed values, as on the scorecard); an entry already built is checked by the same
    rules. None when empty; ValueError with a message naming the indicator when invalid."""
    if value is None or isinstance(value, str):
        return entry_from_text(indicator, value, label)
    problem = entry_problem(indicator, value, label)
    if problem:
        raise ValueError(problem)
    return value


@transaction.atomic
def panel_resolve(*, by: Any, panel: Panel, indicator: str, value: Any, reason: str) -> Resolution:
    """The chair settles a flagged indicator on `value` (typed text, read as on the scorecard, or
    a values@1 entry: see `resolution_entry`) with a mandatory reason; the panel concludes once
    nothing is left."""
    panel = _locked(panel)
    chair = (
        PanelMember.objects.filter(
            panel=panel, is_chair=True, status__in=ACTIVE_STATES, expert__user_id=by.pk
        )
        .select_related("expert")
        .first()
    )
    if chair is None or not counted_members(panel, [chair]):
        raise NotAllowed(_("只有本专家组的组长可以确定分歧指标的取值。"))
    if not workflow.can_on_panel(workflow.Action.RESOLVE, panel.status, workflow.CHAIR, chair.status):
        if panel.status != PanelStatus.DISCUSSION:
            state = panel.get_status_display()
            raise InvalidTransition(
                _("专家组当前状态为“%(state)s”，不能确定分歧指标的取值。") % {"state": state}
            )
        raise InvalidTransition(_("组长须先提交自己的评分。"))
    inputs = panel_inputs(panel)
    standard = inputs.standard
    ind = standard.indicator_map.get(indicator)
    if ind is None:
        raise ValidationFailed(_("没有代码为“%(code)s”的指标。") % {"code": indicator}, field="indicator")
    name = _("指标“%(name)s”（%(code)s）") % {"name": ind.name, "code": ind.code}
    aggregate = _aggregate(panel, inputs)
    if indicator not in aggregate.flagged:
        raise InvalidTransition(_("%(indicator)s的专家评级没有分歧，无需确定取值。") % {"indicator": name})
    if indicator in inputs.resolutions:
        raise InvalidTransition(_("%(indicator)s的取值已经确定。") % {"indicator": name})
    reason = (reason or "").strip()
    errors = []
    if not reason:
        errors.append(_("请说明%(indicator)s确定取值的理由。") % {"indicator": name})
    entry = None
    try:
        entry = resolution_entry(ind, value, indicator_label(standard, ind.code, engine_language()))
    except ValueError as exc:
        errors.append(str(exc))
    else:
        if entry is None:
            errors.append(_("请填写%(indicator)s的确定值。") % {"indicator": name})
    if errors:
        field = "reason" if not reason else "value"
        raise ValidationFailed(errors[0], field=field, errors=errors)
    resolution = Resolution.objects.create(
        panel=panel, indicator=indicator, value=entry, reason=reason, resolved_by=by, resolved_at=clock.now()
    )
    audit_record(
        actor=by,
        action="panel.resolve",
        target=panel,
        scope=panel.application.region.path,
        from_state=panel.status,
        to_state=panel.status,
        reason=reason,
        extra={"indicator": indicator, "value": entry},
    )
    panel_refresh(panel=panel, by=by)
    return resolution


# -- bulk, for the benchmark and the office's recomputation ---------------------------------

_MISSING = object()


@gc_paused()
def panel_conclude_bulk(panels: Sequence[Panel]) -> dict[int, tuple[PanelAggregate, dict[str, Any]]]:
    """Aggregate and score many panels from their active members' scores, without saving: the
    benchmark's measure of aggregation and scoring. {panel id: (aggregate, result as a dict)}.
    Five queries whatever the number of panels."""
    panel_ids = [p.pk for p in panels]
    panels = list(
        Panel.objects.filter(pk__in=panel_ids).select_related("call", "application__self_assessment")
    )
    levels = {
        (cl.call_id, cl.level): scoring_standard_for(cl.standard_version)
        for cl in CallLevel.objects.filter(call_id__in={p.call_id for p in panels}).select_related(
            "standard_version"
        )
    }
    members: dict[int, list[int]] = {p.pk: [] for p in panels}
    for member_id, panel_id in (
        PanelMember.objects.filter(panel_id__in=panel_ids, status__in=ACTIVE_STATES)
        .order_by("panel_id", "position")
        .values_list("pk", "panel_id")
    ):
        members[panel_id].append(member_id)
    scores: dict[int, dict[str, Any]] = {m: {} for ids in members.values() for m in ids}
    # The values as JSON text, decoded once per distinct text (values recur across panels).
    rows = Score.objects.filter(member__panel_id__in=panel_ids).values_list(
        "member_id", "indicator", Cast("value", TextField())
    )
    decoded: dict[str | None, Any] = {None: None}
    for member_id, indicator, text in rows.iterator(chunk_size=20000):
        table = scores.get(member_id)
        if table is None:
            continue
        value = decoded.get(text, _MISSING)
        if value is _MISSING:
            value = decoded[text] = json.loads(text)
        table[indicator] = value
    resolutions: dict[int, dict[str, dict[str, Any]]] = {p.pk: {} for p in panels}
    for r in Resolution.objects.filter(panel_id__in=panel_ids):
        resolutions[r.panel_id][r.indicator] = _resolution_record(r)
    out = {}
    for panel in panels:
        standard = levels[(panel.call_id, panel.application.level)]
        bonus, vetoes = _declared_flags(panel)
        aggregate = aggregate_panel(
            standard,
            [scores[m] for m in members[panel.pk]],
            rule=panel.call.aggregation_rule,
            threshold=panel.call.disagreement_threshold,
            resolutions=resolutions[panel.pk],
            bonus=bonus,
            vetoes=vetoes,
        )
        out[panel.pk] = (aggregate, result_to_dict(score_aggregate(standard, aggregate)))
    return out
