"""Reads of panels: what a user may see, the expert's queue, the office's overview of a call, and
what a scorecard shows (the revision under review, the scores each viewer may see).

Visibility: the province office sees every panel; an expert sees the panels they are an active
member of, never one whose application they are conflicted with; the applicant's operators see a
panel once it is concluded. Lists, exports, the workbench and the benchmark all start from
`panels_visible_to`, `expert_queue` and `panels_overview` (constant numbers of queries).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.accounts.selectors import actable_path_filter, is_province_staff
from starcity.calls.choices import ApplicationStatus
from starcity.calls.models import Application, ApplicationRevision, Call, CallLevel
from starcity.reviews import workflow
from starcity.reviews.choices import MemberRole, MemberStatus, PanelStatus
from starcity.reviews.display import short_name
from starcity.reviews.models import Expert, Panel, PanelMember, Score
from starcity.standards.models import StandardVersion

ACTIVE = tuple(workflow.ACTIVE_MEMBER_STATES)
PANEL_RELATED = ("application__region__parent__parent", "application__city", "call")


# ---------------------------------------------------------------- visibility


def _own_memberships(user: Any) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(expert__user_id=user.pk, status__in=ACTIVE)


def conflicted_panel_ids(memberships: Sequence[PanelMember]) -> set[int]:
    """The panels (among these memberships) whose application the member's expert is conflicted
    with: a conflict found after the draw hides the panel at once."""
    from starcity.reviews.conflicts import conflict_map

    if not memberships:
        return set()
    experts = {m.expert_id for m in memberships}
    applications = {m.panel.application_id for m in memberships}
    conflicts = conflict_map(experts, applications)
    return {m.panel_id for m in memberships if (m.expert_id, m.panel.application_id) in conflicts}


def panels_visible_to(user: Any) -> QuerySet[Panel]:
    """Panels the user may see: all for the province office; an expert's active memberships
    (not conflicted); the applicant's operators' concluded panels."""
    if not getattr(user, "is_authenticated", False):
        return Panel.objects.none()
    base = Panel.objects.select_related(*PANEL_RELATED)
    if is_province_staff(user):
        return base.all()
    memberships = list(_own_memberships(user).select_related("panel"))
    hidden = conflicted_panel_ids(memberships)
    mine = [m.panel_id for m in memberships if m.panel_id not in hidden]
    applicant = Q(status__in=workflow.APPLICANT_VISIBLE_STATES) & actable_path_filter(
        user, field="application__region__path"
    )
    return base.filter(Q(pk__in=mine) | applicant)


def applications_of_expert(expert: Expert) -> QuerySet[Application]:
    """The applications of the panels the expert sits on now: active memberships (not a waiting
    substitute, a declined or replaced place) whose application they are not conflicted with."""
    memberships = list(
        PanelMember.objects.filter(expert=expert, status__in=ACTIVE).select_related("panel").order_by("pk")
    )
    hidden = conflicted_panel_ids(memberships)
    ids = [m.panel.application_id for m in memberships if m.panel_id not in hidden]
    return Application.objects.filter(pk__in=ids)


def application_has_panel(application: Application) -> bool:
    return Panel.objects.filter(application=application).exists()


# ---------------------------------------------------------------- the expert's queue


@dataclass
class QueueRow:
    """One line of an expert's queue: an invitation or a panel they sit on."""

    member: PanelMember
    panel: Panel
    scored: int
    due: date | None
    actions: list[str] = field(default_factory=list)

    @property
    def application(self) -> Application:
        return self.panel.application


def expert_queue(user: Any) -> list[QueueRow]:
    """The user's invitations and panels (active memberships, not conflicted), the ones waiting
    for an answer first, then by due date; each with how many indicators they scored. Three
    queries plus the conflict check, whatever the number of rows."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = list(
        _own_memberships(user)
        .select_related("expert", *(f"panel__{name}" for name in PANEL_RELATED))
        .annotate(scored=Count("scores", filter=Q(scores__value__isnull=False)))
    )
    hidden = conflicted_panel_ids(memberships)
    order: dict[str, int] = {MemberStatus.INVITED: 0, MemberStatus.ACCEPTED: 1, MemberStatus.SUBMITTED: 2}
    rows = [
        QueueRow(
            member=m,
            panel=m.panel,
            scored=m.scored,
            due=m.panel.call.review_ends,
            actions=[
                action
                for action in workflow.MEMBER_TRANSITIONS
                if workflow.can(action, m.status, workflow.SELF, m.panel.status)
            ],
        )
        for m in memberships
        if m.panel_id not in hidden
    ]
    rows.sort(key=lambda r: (order.get(r.member.status, 9), r.due or date.max, r.panel.pk))
    return rows


def expert_of(user: Any) -> Expert | None:
    """The pool entry linked to the user's account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user_id=user.pk).first()


# ---------------------------------------------------------------- the office's overview


@dataclass
class OverviewRow:
    """One accepted application of a call with its panel (None until drawn)."""

    application: Application
    panel: Panel | None
    members: list[PanelMember]
    substitutes: list[PanelMember]

    @property
    def drawable(self) -> bool:
        """The office may draw this application's panel now."""
        return self.panel is None and self.application.status == ApplicationStatus.ACCEPTED

    @property
    def active(self) -> list[PanelMember]:
        return [m for m in self.members if workflow.is_active(m.status)]

    @property
    def submitted(self) -> int:
        return sum(1 for m in self.members if m.status == MemberStatus.SUBMITTED)

    @property
    def progress(self) -> str:
        return f"{self.submitted}/{len(self.active)}"


def panels_overview(call: Call) -> list[OverviewRow]:
    """Every accepted application of the call (and any other with a panel), with its panel, its
    members in draw order and their statuses. Three queries whatever the size of the call."""
    applications = list(
        Application.objects.filter(call=call)
        .filter(Q(status=ApplicationStatus.ACCEPTED) | Q(panel__isnull=False))
        .select_related("region__parent__parent", "city")
        .order_by("level", "city__code", "region__code")
    )
    members = (
        PanelMember.objects.select_related("expert")
        .only(
            "panel_id",
            "position",
            "role",
            "status",
            "is_chair",
            "submitted_at",
            "expert__name",
            "expert__user_id",
        )
        .order_by("position")
    )
    panels = {
        p.application_id: p
        for p in Panel.objects.filter(call=call)
        .defer("draw_record", "aggregate", "result")
        .prefetch_related(Prefetch("members", queryset=members))
    }
    rows = []
    for application in applications:
        panel = panels.get(application.pk)
        everyone = list(panel.members.all()) if panel else []
        rows.append(
            OverviewRow(
                application=application,
                panel=panel,
                members=[m for m in everyone if m.status != MemberStatus.WAITING],
                substitutes=[m for m in everyone if m.status == MemberStatus.WAITING],
            )
        )
    return rows


def applications_to_draw(call: Call) -> QuerySet[Application]:
    """The call's accepted applications without a panel, in a stable order."""
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.ACCEPTED, panel__isnull=True)
        .select_related("region__parent__parent", "city", "call")
        .order_by("pk")
    )


def calls_for_office() -> QuerySet[Call]:
    """Calls with accepted applications, with how many have a panel and how many wait for a draw."""
    accepted = Q(applications__status=ApplicationStatus.ACCEPTED)
    return (
        Call.objects.annotate(
            accepted=Count("applications", filter=accepted, distinct=True),
            undrawn=Count(
                "applications", filter=accepted & Q(applications__panel__isnull=True), distinct=True
            ),
            drawn=Count("panels", distinct=True),
            in_discussion=Count("panels", filter=Q(panels__status=PanelStatus.DISCUSSION), distinct=True),
            concluded=Count("panels", filter=Q(panels__status=PanelStatus.CONCLUDED), distinct=True),
        )
        .filter(Q(accepted__gt=0) | Q(drawn__gt=0))
        .order_by("-year", "-id")
    )


def panels_in_discussion() -> QuerySet[Panel]:
    return Panel.objects.filter(status=PanelStatus.DISCUSSION).select_related(*PANEL_RELATED)


def calls_with_undrawn() -> QuerySet[Call]:
    """Calls that have accepted applications still without a panel."""
    waiting = Application.objects.filter(
        call=OuterRef("pk"), status=ApplicationStatus.ACCEPTED, panel__isnull=True
    )
    return Call.objects.filter(Exists(waiting)).order_by("-year", "-id")


# ---------------------------------------------------------------- what a panel shows


def pinned_version(panel: Panel) -> StandardVersion:
    """The standard version the call pinned for the applicant's level: what the experts score."""
    level = CallLevel.objects.select_related("standard_version__line").get(
        call_id=panel.call_id, level=panel.application.level
    )
    return level.standard_version


def revision_under_review(panel: Panel) -> ApplicationRevision | None:
    """The latest frozen revision of the application: what the experts review (never the live
    draft)."""
    try:
        from starcity.calls.selectors import latest_revision
    except ImportError:  # pragma: no cover - the calls app's selector is the contract
        return panel.application.revisions.order_by("-number").first()
    return latest_revision(panel.application)


def self_assessed_values(panel: Panel) -> dict[str, Any]:
    """{indicator: values@1 entry} of the self-assessment frozen in the revision under review:
    the applicant's own values, beside which the experts score (and which prefill a scorecard)."""
    revision = revision_under_review(panel)
    return _self_values(revision.snapshot if revision is not None else {})


def _self_values(snapshot: dict[str, Any]) -> dict[str, Any]:
    return ((snapshot.get("self_assessment") or {}).get("values") or {}).get("values") or {}


def listed_material_ids(revision: ApplicationRevision | None) -> set[int]:
    """The materials the revision lists (the only ones the experts may download)."""
    if revision is None:
        return set()
    return {int(m["id"]) for m in revision.snapshot.get("materials", []) if "id" in m}


def members_of(panel: Panel) -> list[PanelMember]:
    """The panel's members and substitutes in draw order, with their experts."""
    return list(panel.members.select_related("expert__user", "replaces__expert").order_by("position"))


def scores_by_member(panel: Panel, members: list[PanelMember]) -> dict[int, dict[str, Score]]:
    """{member id: {indicator: Score}} for the given members of the panel (one query)."""
    table: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(member__in=[m.pk for m in members]):
        table[score.member_id][score.indicator] = score
    return table


def scores_of(member: PanelMember) -> dict[str, Score]:
    return {score.indicator: score for score in member.scores.all()}


def notes_of(panel: Panel) -> list[Any]:
    return list(panel.notes.select_related("author").order_by("indicator", "created_at", "pk"))


def resolutions_of(panel: Panel) -> dict[str, Any]:
    return {r.indicator: r for r in panel.resolutions.select_related("resolved_by")}


def invitations_waiting(user: Any) -> list[QueueRow]:
    return [row for row in expert_queue(user) if row.member.status == MemberStatus.INVITED]


def scorecards_to_finish(user: Any) -> list[QueueRow]:
    return [
        row
        for row in expert_queue(user)
        if row.member.status == MemberStatus.ACCEPTED and row.panel.status == PanelStatus.SCORING
    ]


def results_for_applicant(user: Any) -> QuerySet[Panel]:
    """Concluded panels of the applications of the regions the user acts for (their results)."""
    if not getattr(user, "is_authenticated", False):
        return Panel.objects.none()
    return (
        Panel.objects.filter(status__in=workflow.APPLICANT_VISIBLE_STATES)
        .filter(actable_path_filter(user, field="application__region__path"))
        .select_related(*PANEL_RELATED)
        .order_by("-concluded_at", "-pk")
    )


# ---------------------------------------------------------------- the panel page


@dataclass(frozen=True)
class ScoreShown:
    """One expert's value of one indicator as a viewer may see it (a number, never a name, for
    anyone but the office)."""

    label: str
    text: str
    comment: str
    own: bool = False
    title: str = ""  # a tiered value shows its grade; the tier's text is the title


@dataclass
class IndicatorRow:
    code: str
    name: str
    method: str
    method_label: str
    unit: str
    definition: str
    tiers: tuple[str, ...]
    self_text: str
    short_name: str = ""
    self_title: str = ""
    own: ScoreShown | None = None
    others: list[ScoreShown] = field(default_factory=list)
    flagged: bool = False
    unresolved: bool = False
    notes: list["NoteShown"] = field(default_factory=list)


@dataclass(frozen=True)
class NoteShown:
    author: str
    text: str
    at: Any
    own: bool


METHOD_LABELS = {
    "threshold": gettext_lazy("数值"),
    "ratio": gettext_lazy("比例（百分比）"),
    "tiered": gettext_lazy("分档"),
    "boolean": gettext_lazy("是/否"),
}


def label(standard: Any, code: str) -> str:
    """How pages and messages name an indicator: code and name in the page's language."""
    from starcity.reviews.services.scorecards import indicator_label
    from starcity.standards.services import engine_language

    return indicator_label(standard, code, engine_language())


def _name(item: Any, lang: str) -> str:
    return (getattr(item, "name_en", None) or item.name) if lang == "en" else item.name


def entry_display(indicator: Any, entry: Any) -> str:
    """A values@1 entry as read: "85.5 个", "92.5%", "3 · 较完善", "是"; "—" for none."""
    from starcity.reviews.aggregation import parse_entry
    from starcity.reviews.conclusion import value_text

    try:
        return value_text(indicator, parse_entry(indicator.method, entry, len(indicator.tiers) or 5))
    except (ValueError, TypeError):
        return str(entry)


def entry_parts(indicator: Any, entry: Any) -> tuple[str, str]:
    """(cell text, title) of a values@1 entry in the panel's tables: a tiered value as its grade
    with the tier's text as title (display.compact_value); "—" for none."""
    from starcity.reviews.aggregation import parse_entry
    from starcity.reviews.display import compact_value

    text = entry_display(indicator, entry)
    try:
        return compact_value(indicator, parse_entry(indicator.method, entry, len(indicator.tiers) or 5), text)
    except (ValueError, TypeError):
        return text, ""


def self_parts(indicator: Any, raw: Any) -> tuple[str, str]:
    """`self_display` for the panel's tables: a tiered value as its grade, the tier as title."""
    if indicator.method == "tiered" and raw is not None:
        return entry_parts(indicator, raw)
    return self_display(indicator, raw), ""


def self_display(indicator: Any, raw: Any) -> str:
    """The applicant's self-assessed value (ratios with numerator and denominator)."""
    if raw is None:
        return "—"
    if indicator.method == "ratio" and isinstance(raw, dict):
        return f"{raw.get('numerator')} / {raw.get('denominator')}（{entry_display(indicator, raw)}）"
    return entry_display(indicator, raw)


def active_numbers(members: list[PanelMember]) -> dict[int, int]:
    """{member id: N} — the anonymous number of each active member ("专家 N"), by draw order, as
    the aggregate numbers them."""
    active = [m for m in members if workflow.is_active(m.status)]
    return {m.pk: i for i, m in enumerate(sorted(active, key=lambda m: m.position), start=1)}


def _expert_label(number: int | None, member: PanelMember, *, named: bool) -> str:
    base = _("专家 %(n)s") % {"n": number} if number else _("已退出的专家")
    return f"{base} · {member.expert.name}" if named else base


def flagged_codes(panel: Panel) -> tuple[str, ...]:
    """The indicators the experts disagree on (once every active member submitted)."""
    from starcity.reviews.conclusion import panel_aggregate_preview

    aggregate = panel_aggregate_preview(panel)
    return tuple(aggregate.flagged) if aggregate is not None else ()


def panel_view(panel: Panel, standard: Any, lang: str, *, access: Any, user: Any) -> dict[str, Any]:
    """Everything the panel page shows a viewer who may see the content (the office, members
    who signed): the revision under review, per indicator the self-assessed value, the viewer's
    own score and the others' scores as blindness allows, flags, notes and resolutions."""
    from starcity.reviews.conclusion import panel_aggregate_preview

    office = access.role == workflow.OFFICE
    me = None if office else access.member
    sees_others = workflow.sees_others_scores(access.role if office else workflow.SELF, access.member_state)
    members = members_of(panel)
    numbers = active_numbers(members)
    shown_members = (
        [m for m in members if workflow.is_active(m.status)]
        if office
        else ([m for m in members if m.status == MemberStatus.SUBMITTED or (me and m.pk == me.pk)])
    )
    scores = scores_by_member(panel, shown_members if sees_others else ([me] if me else []))
    aggregate = panel_aggregate_preview(panel) if sees_others else None
    flagged = set(aggregate.flagged) if aggregate is not None else set()
    unresolved = set(aggregate.unresolved) if aggregate is not None else set()
    revision = revision_under_review(panel)
    snapshot = revision.snapshot if revision is not None else {}
    self_values = _self_values(snapshot)
    notes = _notes(panel, numbers, office=office, me=me) if sees_others else {}
    rows: dict[str, IndicatorRow] = {}
    for ind in standard.indicators:
        self_text, self_title = self_parts(ind, self_values.get(ind.code))
        row = IndicatorRow(
            code=ind.code,
            name=_name(ind, lang),
            method=ind.method,
            method_label=str(METHOD_LABELS.get(ind.method, ind.method)),
            unit=ind.unit or "",
            definition=ind.definition or "",
            tiers=tuple(ind.tiers),
            self_text=self_text,
            short_name=short_name(_name(ind, lang)),
            self_title=self_title,
            flagged=ind.code in flagged,
            unresolved=ind.code in unresolved,
            notes=notes.get(ind.code, []),
        )
        mine = scores.get(me.pk, {}).get(ind.code) if me is not None else None
        if mine is not None:
            text, title = entry_parts(ind, mine.value)
            row.own = ScoreShown(_("本人"), text, mine.comment, own=True, title=title)
        if sees_others:
            for m in shown_members:
                if me is not None and m.pk == me.pk:
                    continue
                theirs = scores.get(m.pk, {}).get(ind.code)
                text, title = entry_parts(ind, theirs.value) if theirs else ("—", "")
                row.others.append(
                    ScoreShown(
                        _expert_label(numbers.get(m.pk), m, named=office),
                        text,
                        theirs.comment if theirs else "",
                        title=title,
                    )
                )
        rows[ind.code] = row
    sections = [
        {
            "code": domain.code,
            "name": _name(domain, lang),
            "weight": domain.weight,
            "indicators": [rows[i.code] for i in standard.indicators if i.domain == domain.code],
        }
        for domain in standard.domains
    ]
    context = {
        "revision": revision,
        "snapshot": snapshot,
        "materials": snapshot.get("materials", []),
        "tasks": snapshot.get("tasks", []),
        "direction": _direction_label(snapshot.get("breakthrough_direction", "")),
        "self_assessment": snapshot.get("self_assessment") or {},
        "self_values": self_values,
        "sections": sections,
        "indicators": rows,
        "sees_others": sees_others,
        "others_header": [
            _expert_label(numbers.get(m.pk), m, named=office)
            for m in shown_members
            if not (me is not None and m.pk == me.pk)
        ],
        "aggregate": aggregate,
        "show_scores": sees_others,
        "flagged": [code for code in rows if code in flagged],
        "unresolved": [code for code in rows if code in unresolved],
        "resolutions": resolutions_of(panel) if sees_others else {},
        "my_number": numbers.get(me.pk) if me is not None else None,
    }
    if office:
        context["member_rows"] = [
            {"member": m, "number": numbers.get(m.pk), "actions": workflow.available_member_actions(m, user)}
            for m in members
        ]
        context["draw"] = draw_record_view(panel.draw_record or {})
    if me is not None and me.status == MemberStatus.ACCEPTED:
        context["missing"] = [code for code, row in rows.items() if row.own is None or row.own.text == "—"]
    return context


def _direction_label(code: str) -> str:
    from starcity.calls.choices import Direction

    try:
        return str(Direction(code).label)
    except ValueError:
        return code


def _notes(
    panel: Panel, numbers: dict[int, int], *, office: bool, me: PanelMember | None
) -> dict[str, list[NoteShown]]:
    shown: dict[str, list[NoteShown]] = defaultdict(list)
    for note in panel.notes.select_related("author__expert").order_by("created_at", "pk"):
        own = me is not None and note.author_id == me.pk
        author = _("本人") if own else _expert_label(numbers.get(note.author_id), note.author, named=office)
        shown[note.indicator].append(NoteShown(author, note.text, note.created_at, own))
    return shown


def scorecard_sections(form: Any, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scorecard form's fields beside each indicator's row, per domain as the page shows them."""
    fields = {ind.code: (value, comment) for ind, value, comment in form.rows()}
    return [
        {
            **section,
            "rows": [
                {"row": row, "value": fields[row.code][0], "comment": fields[row.code][1]}
                for row in section["indicators"]
            ],
        }
        for section in sections
    ]


def draw_record_view(record: dict[str, Any]) -> dict[str, Any]:
    """The draw record for the office's page: reasons and fields named in the page's language."""
    from starcity.reviews.choices import ConflictReason, Field

    def reason_label(code: str) -> str:
        try:
            return str(ConflictReason(code).label)
        except ValueError:
            return code

    def field_names(codes: list[str]) -> str:
        from starcity.core.text import enumeration

        return enumeration(str(Field(c).label) for c in codes if c in Field.values)

    excluded = [
        {
            "name": item.get("name", ""),
            "conflicts": [
                {"label": reason_label(c.get("reason", "")), "detail": c.get("detail", "")}
                for c in item.get("conflicts", [])
            ],
        }
        for item in record.get("excluded", [])
    ]

    def role_label(code: str) -> str:
        return str(MemberRole.SUBSTITUTE.label if code == MemberRole.SUBSTITUTE else MemberRole.MEMBER.label)

    order = [
        {
            **item,
            "fields_text": field_names(item.get("fields", [])),
            "role_label": role_label(item.get("role", "")),
        }
        for item in record.get("order", [])
    ]
    capped_ids = [pk for pk in record.get("at_load_cap", []) if isinstance(pk, int)]
    capped = list(Expert.objects.filter(pk__in=capped_ids).order_by("name").values_list("name", flat=True))
    coverage = record.get("coverage", {})
    return {
        **record,
        "excluded": excluded,
        "order": order,
        "at_load_cap": capped,
        "covered_text": field_names(coverage.get("covered", [])),
        "missing_text": field_names(coverage.get("missing", [])),
        "notes": coverage.get("notes", []),
        "events": record.get("events", []),
    }


def _state_label(code: str) -> str:
    for choices in (MemberStatus, PanelStatus):
        if code in choices.values:
            return str(choices(code).label)
    return code


def timeline_of(panel: Panel, limit: int = 200) -> list[dict[str, Any]]:
    """The panel's audit rows for the office, newest first, with states and actions named."""
    from starcity.core.audit import action_label, audit_timeline_for

    entries = []
    for entry in audit_timeline_for(panel)[:limit]:
        states = ""
        if entry.from_state or entry.to_state:
            states = f"{_state_label(entry.from_state) or '—'} → {_state_label(entry.to_state) or '—'}"
        entries.append(
            {
                "label": action_label(entry.action),
                "actor": entry.actor,
                "at": entry.created_at,
                "states": states,
                "reason": entry.reason,
            }
        )
    return entries
