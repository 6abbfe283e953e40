"""Panel pages: the expert's queue and the office's overview, the draw, invitations, scorecards,
discussion and results. Thin views: fetch with permission → validate the form → one service →
redirect (or re-render with the error). Domain errors become a 400/403/409 page, never a 500.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.accounts.selectors import is_province_staff
from starcity.core.errors import DomainError
from starcity.core.text import enumeration
from starcity.core.uploads import private_file_response
from starcity.core.views import refusals_shown_by
from starcity.reviews import selectors, services, workflow
from starcity.reviews.forms import (
    AcceptForm,
    DeclineForm,
    DrawForm,
    NoteForm,
    ReplaceForm,
    ResolveForm,
    ScorecardForm,
)
from starcity.reviews.models import PanelMember
from starcity.reviews.permissions import (
    PanelAccess,
    get_application_for_draw,
    get_call_for_office,
    get_material_for_user,
    get_member_for_user,
    get_panel_for_user,
)
from starcity.reviews.services.scorecards import Prefill, prefill_plan
from starcity.standards.selectors import scoring_standard_for
from starcity.standards.services import engine_language

Action = workflow.Action


# a refused action shows its status page (or the problem partial for htmx)
domain_errors = refusals_shown_by(
    lambda request, exc, kwargs: problem_response(
        request, exc, pk=kwargs.get("pk"), call_pk=kwargs.get("call_pk")
    )
)


def problem_response(
    request: HttpRequest, exc: DomainError, *, pk: int | None = None, call_pk: int | None = None
) -> HttpResponse:
    context = {"message": exc.message, "errors": exc.errors, "pk": pk, "call_pk": call_pk}
    htmx = getattr(request, "htmx", False)
    template = "reviews/partials/_problem.html" if htmx else "reviews/panels/problem.html"
    return render(request, template, context, status=exc.status)


# ---------------------------------------------------------------- home and overview


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """专家评审: an expert's queue; the office's calls with their panels; an applicant's results."""
    user = request.user
    expert = selectors.expert_of(user)
    staff = is_province_staff(user)
    context = {
        "expert": expert,
        "queue": selectors.expert_queue(user) if expert is not None else [],
        "calls": list(selectors.calls_for_office()) if staff else [],
        "discussion": list(selectors.panels_in_discussion()[:100]) if staff else [],
        "results": list(selectors.results_for_applicant(user)) if not staff else [],
        "staff": staff,
    }
    return render(request, "reviews/panels/home.html", context)


@require_GET
@login_required
def call_panels(request: HttpRequest, call_pk: int) -> HttpResponse:
    """The office's overview of a call: per accepted application its panel, members, statuses and
    progress; the draw buttons."""
    call = get_call_for_office(request.user, call_pk)
    return render_overview(request, call)


def render_overview(request: HttpRequest, call: Any, *, status: int = 200, **extra: Any) -> HttpResponse:
    rows = selectors.panels_overview(call)
    context = {
        "call": call,
        "rows": rows,
        "undrawn": sum(1 for row in rows if row.panel is None),
        "draw_form": extra.pop("draw_form", None) or DrawForm(),
        **extra,
    }
    return render(request, "reviews/panels/call.html", context, status=status)


@require_POST
@login_required
@domain_errors
def call_draw(request: HttpRequest, call_pk: int) -> HttpResponse:
    """Draw the panels of every accepted application of the call without one (all or nothing)."""
    call = get_call_for_office(request.user, call_pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        return render_overview(request, call, status=400, draw_form=form)
    panels = services.call_draw(by=request.user, call=call, seed=form.cleaned_data["seed"])
    messages.success(
        request, _("已为 %(count)d 份申报抽取评审专家，并通知了受邀专家。") % {"count": len(panels)}
    )
    return redirect("reviews:call_panels", call_pk=call.pk)


@require_POST
@login_required
@domain_errors
def panel_draw(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Draw the panel of one accepted application."""
    application = get_application_for_draw(request.user, application_pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        return render_overview(request, application.call, status=400, draw_form=form)
    panel = services.panel_draw(by=request.user, application=application, seed=form.cleaned_data["seed"])
    messages.success(
        request,
        _("已为%(region)s的申报抽取评审专家（种子 %(seed)s），并通知了受邀专家。")
        % {"region": application.region.full_name, "seed": panel.seed},
    )
    return redirect("reviews:panel_detail", pk=panel.pk)


# ---------------------------------------------------------------- the panel page


def _context(request: HttpRequest, access: PanelAccess, **extra: Any) -> dict[str, Any]:
    """What the panel page shows this user: the domain decides (blindness, content, actions)."""
    panel = access.panel
    lang = engine_language()
    version = selectors.pinned_version(panel)
    standard = scoring_standard_for(version)
    member = access.member if access.role != workflow.OFFICE else None
    member_actions = workflow.available_member_actions(member, request.user) if member else []
    panel_actions = workflow.available_panel_actions(panel, access.role, access.member_state)
    context: dict[str, Any] = {
        "panel": panel,
        "application": panel.application,
        "access": access,
        "role": access.role,
        "show": workflow.panel_page(access.role),
        "member": member,
        "member_actions": member_actions,
        "panel_actions": panel_actions,
        "version": version,
        "standard": standard,
        "page_url": reverse("reviews:panel_detail", args=[panel.pk]) if request.method == "POST" else "",
        "replace_form": extra.pop("replace_form", None) or ReplaceForm(),
    }
    if access.role == workflow.APPLICANT:
        from starcity.reviews.conclusion import panel_aggregate_preview

        context["aggregate"] = panel_aggregate_preview(panel)
        context["show_scores"] = False
        return {**context, **extra}
    if member is not None and not access.sees_content:
        context["accept_form"] = extra.pop("accept_form", None) or AcceptForm()
        context["decline_form"] = extra.pop("decline_form", None) or DeclineForm()
        return {**context, **extra}
    context.update(selectors.panel_view(panel, standard, lang, access=access, user=request.user))
    if Action.SAVE in member_actions and member is not None:
        scores = selectors.scores_of(member)
        context["scorecard_form"] = extra.pop("scorecard_form", None) or ScorecardForm(
            initial=ScorecardForm.initial_from(standard, scores),
            standard=standard,
            lang=lang,
        )
        if Action.PREFILL in member_actions:
            given = {code for code, score in scores.items() if score.value is not None}
            context["prefill"] = prefill_plan(standard, context["self_values"], given, lang)
        context["scorecard_sections"] = selectors.scorecard_sections(
            context["scorecard_form"], context["sections"]
        )
    context["discussion"] = _discussion(context, standard, lang, extra)
    context["discussion_pending"] = sum(1 for item in context["discussion"] if item["resolution"] is None)
    if access.role == workflow.OFFICE:
        context["timeline"] = selectors.timeline_of(panel)
    return {**context, **extra}


def _discussion(
    context: dict[str, Any], standard: Any, lang: str, extra: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per flagged indicator: its row with the notes, the resolution if any, and the forms the
    user may use (a refused form comes back with its errors)."""
    actions = context["panel_actions"]
    resolutions = context.get("resolutions", {})
    failed_code = extra.get("resolve_code") or extra.get("note_code")
    aggregate = context.get("aggregate")
    aggregate_rows = {row.code: row for row in aggregate.flagged_rows} if aggregate is not None else {}
    items = []
    for code in context.get("flagged", []):
        resolve_form = None
        if Action.RESOLVE in actions and code not in resolutions:
            resolve_form = (
                extra.get("resolve_form")
                if failed_code == code and extra.get("resolve_form") is not None
                else ResolveForm(standard=standard, code=code, lang=lang, auto_id=f"resolve-{code}-%s")
            )
        note_form = None
        if Action.NOTE in actions:
            note_form = (
                extra.get("note_form")
                if failed_code == code and extra.get("note_form") is not None
                else NoteForm(initial={"indicator": code})
            )
        summary = aggregate_rows.get(code)
        items.append(
            {
                "row": context["indicators"][code],
                "resolution": resolutions.get(code),
                "note_form": note_form,
                "resolve_form": resolve_form,
                "spread": summary.spread if summary is not None else None,
                "grades": enumeration(str(cell.grade) for cell in summary.cells) if summary else "",
            }
        )
    return items


def render_panel(
    request: HttpRequest, access: PanelAccess, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The panel page; after a refused POST it is rendered at the POST's address and puts the
    page's address back into the browser's history."""
    return render(request, "reviews/panels/panel.html", _context(request, access, **extra), status=status)


@require_GET
@login_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel as the user may see it: the office's full view, the expert's invitation or
    scorecard, the applicant's result."""
    return render_panel(request, get_panel_for_user(request.user, pk))


@require_GET
@login_required
def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """A material of the revision under review, for the office and members who signed the
    declaration, as an attachment."""
    access = get_panel_for_user(request.user, pk)
    listed = selectors.listed_material_ids(selectors.revision_under_review(access.panel))
    material = get_material_for_user(request.user, pk, material_pk, listed)
    return private_file_response(
        material.file, filename=material.original_name, content_type="application/octet-stream"
    )


# ---------------------------------------------------------------- invitations


@require_POST
@login_required
@domain_errors
def panel_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the no-conflict declaration and accept the invitation."""
    access = get_panel_for_user(request.user, pk, Action.ACCEPT)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return render_panel(request, access, status=400, accept_form=form)
    services.member_accept(by=request.user, member=_own(access), declaration=form.cleaned_data["declaration"])
    messages.success(request, _("已签署无利益冲突声明并接受邀请，现在可以查看申报材料并评分。"))
    return redirect("reviews:panel_detail", pk=pk)


@require_POST
@login_required
@domain_errors
def panel_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline the invitation with a reason (and possibly declare a conflict)."""
    access = get_panel_for_user(request.user, pk, Action.DECLINE)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render_panel(request, access, status=400, decline_form=form)
    services.member_decline(by=request.user, member=_own(access), **form.cleaned_data)
    messages.success(request, _("已谢绝这份评审邀请。"))
    return redirect("reviews:home")


# ---------------------------------------------------------------- scorecard


def _own(access: PanelAccess) -> PanelMember:
    """The acting expert's member row (the permission check made sure there is one; an office
    user without one is refused by the service)."""
    if access.member is None:
        raise PermissionDenied(_("只有评审专家本人可以执行此操作。"))
    return access.member


def _standard_of(access: PanelAccess) -> Any:
    return scoring_standard_for(selectors.pinned_version(access.panel))


@require_POST
@login_required
@domain_errors
def panel_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the scorecard (all or nothing; every error names its indicator). With htmx only the
    scorecard is answered."""
    access = get_panel_for_user(request.user, pk, Action.SAVE)
    lang = engine_language()
    standard = _standard_of(access)
    form = ScorecardForm(request.POST, standard=standard, lang=lang)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.scorecard_save(
                by=request.user,
                member=_own(access),
                standard=standard,
                values=form.values,
                comments=form.comments,
                lang=lang,
            )
        except DomainError as exc:
            if exc.status != 400:
                raise
            errors = [str(e) for e in exc.errors] or [str(exc.message)]
    else:
        errors = form.all_errors()
    if getattr(request, "htmx", False):
        return _scorecard_partial(request, access, form, errors)
    if errors:
        return render_panel(request, access, status=400, scorecard_form=form, scorecard_errors=errors)
    messages.success(request, _("评分已保存。"))
    return redirect(reverse("reviews:panel_detail", args=[pk]) + "#scorecard")


def _scorecard_partial(
    request: HttpRequest, access: PanelAccess, form: ScorecardForm | None, errors: list[str], saved: str = ""
) -> HttpResponse:
    context = _context(request, access, scorecard_form=form if errors else None)
    context["scorecard_errors"] = errors
    context["saved"] = "" if errors else saved or _("评分已保存。")
    return render(request, "reviews/partials/_scorecard.html", context, status=400 if errors else 200)


@require_POST
@login_required
@domain_errors
def panel_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill every indicator of one's scorecard still without a value with the applicant's
    self-assessed value (saved; to be checked before submitting). With htmx only the scorecard is
    answered."""
    access = get_panel_for_user(request.user, pk, Action.PREFILL)
    plan = services.scorecard_prefill(
        by=request.user, member=_own(access), standard=_standard_of(access), lang=engine_language()
    )
    message = prefill_message(plan)
    if getattr(request, "htmx", False):
        return _scorecard_partial(request, access, None, [], saved=message)
    (messages.success if plan.count else messages.info)(request, message)
    return redirect(reverse("reviews:panel_detail", args=[pk]) + "#scorecard")


def prefill_message(plan: Prefill) -> str:
    """What the expert is told after prefilling: how many values were filled, what is left."""
    left = len(plan.without_self) + len(plan.problems)
    if not plan.count:
        if not left:
            return _("每项指标都已有核定值，没有需要预填的内容。")
        return _("没有预填任何指标：尚无核定值的 %(count)d 项指标没有可用的自评值，请手工填写。") % {
            "count": left
        }
    message = _("已用自评值预填 %(count)d 项指标的核定值，请逐项核对、修改后保存，再提交评分。") % {
        "count": plan.count
    }
    if left:
        message += _("还有 %(count)d 项没有可用的自评值，请手工填写。") % {"count": left}
    return message


@require_POST
@login_required
@domain_errors
def panel_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the scorecard: every indicator needs a value; frozen afterwards."""
    access = get_panel_for_user(request.user, pk, Action.SUBMIT)
    standard = _standard_of(access)
    try:
        services.scorecard_submit(
            by=request.user, member=_own(access), standard=standard, lang=engine_language()
        )
    except DomainError as exc:
        if exc.status != 400:
            raise
        return render_panel(
            request,
            access,
            status=400,
            submit_errors=[str(e) for e in exc.errors],
            submit_message=str(exc.message),
        )
    messages.success(request, _("评分已提交，不能再修改。现在可以看到其他专家（不具名）的评分。"))
    return redirect("reviews:panel_detail", pk=pk)


# ---------------------------------------------------------------- discussion


@require_POST
@login_required
@domain_errors
def panel_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A member who submitted writes a note on a flagged indicator."""
    access = get_panel_for_user(request.user, pk, Action.NOTE)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_panel(
            request,
            access,
            status=400,
            note_form=form,
            note_code=request.POST.get("indicator", ""),
            note_errors=_form_errors(form),
        )
    standard = _standard_of(access)
    code = form.cleaned_data["indicator"]
    services.discussion_note_add(
        by=request.user,
        member=_own(access),
        indicator=code,
        text=form.cleaned_data["text"],
        flagged=selectors.flagged_codes(access.panel),
        label=selectors.label(standard, code),
    )
    messages.success(request, _("已发表讨论意见。"))
    return redirect(reverse("reviews:panel_detail", args=[pk]) + f"#discuss-{code}")


def _form_errors(form: Any) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


@require_POST
@login_required
@domain_errors
def panel_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair settles a flagged indicator on a value, with a reason."""
    from starcity.reviews.conclusion import panel_resolve as resolve

    access = get_panel_for_user(request.user, pk, Action.RESOLVE)
    standard = _standard_of(access)
    code = request.POST.get("indicator", "")
    if code not in standard.indicator_map:
        return render_panel(request, access, status=400, resolve_errors=[_("请选择要确定取值的分歧指标。")])
    form = ResolveForm(
        request.POST, standard=standard, code=code, lang=engine_language(), auto_id=f"resolve-{code}-%s"
    )
    if form.is_valid():
        try:
            resolve(
                by=request.user,
                panel=access.panel,
                indicator=code,
                value=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.status != 400:
                raise
            form.add_error(None, str(exc.message))
    if form.errors:
        return render_panel(
            request,
            access,
            status=400,
            resolve_form=form,
            resolve_code=code,
            resolve_errors=_form_errors(form),
        )
    messages.success(request, _("已确定%(label)s的取值。") % {"label": form.label})
    return redirect("reviews:panel_detail", pk=pk)


# ---------------------------------------------------------------- the office's adjustments


@require_POST
@login_required
@domain_errors
def member_replace(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Replace an active member with a reason: the next substitute, or a fresh draw."""
    access, member = get_member_for_user(request.user, pk, member_pk, Action.REPLACE)
    form = ReplaceForm(request.POST)
    if not form.is_valid():
        return render_panel(
            request, access, status=400, replace_errors=_form_errors(form), replace_member=member.pk
        )
    _replaced, successor = services.member_replace(
        by=request.user, member=member, reason=form.cleaned_data["reason"]
    )
    if successor is None:
        messages.warning(request, _("已更换该专家，但没有可接替的候补或符合条件的专家，评审组暂缺一人。"))
    else:
        messages.success(
            request,
            _("已更换该专家，并邀请%(name)s接替（第 %(position)d 位）。")
            % {"name": successor.expert.name, "position": successor.position},
        )
    return redirect("reviews:panel_detail", pk=pk)


@require_POST
@login_required
@domain_errors
def member_chair(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Name another active member chair."""
    _access, member = get_member_for_user(request.user, pk, member_pk, Action.SET_CHAIR)
    services.panel_set_chair(by=request.user, member=member)
    messages.success(request, _("已指定%(name)s为评审组长。") % {"name": member.expert.name})
    return redirect("reviews:panel_detail", pk=pk)
