"""Selection list pages: thin views (fetch with permission → validate → one service → respond).

Domain errors become a 409 (or 400/403) page, never a 500.
"""

import re
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.accounts.selectors import regions_actable_by
from starcity.calls.models import Call
from starcity.core.errors import DomainError, ValidationFailed
from starcity.core.views import refusals_shown_by
from starcity.lists import documents, selectors, services, workflow
from starcity.lists.forms import DocumentForm, OverrideForm, upheld_objections
from starcity.lists.models import SelectionList
from starcity.lists.permissions import (
    get_entry_for_user,
    get_letter_entry_for_user,
    get_list_for_user,
    get_notice_document_list_for_user,
)
from starcity.lists.presentation import grade_label, timeline_entries
from starcity.lists.services.notice import shown_time
from starcity.regions.choices import Level
from starcity.standards.selectors import scoring_standard_for

Action = workflow.Action


# a refused action shows its status page, with a way back to the list
domain_errors = refusals_shown_by(
    lambda request, exc, kwargs: problem_response(request, exc, back=kwargs.get("pk"))
)


def problem_response(
    request: HttpRequest, exc: DomainError, *, back: int | None = None, back_review: int | None = None
) -> HttpResponse:
    """The status page of a refused action; `back` is the list to return to, `back_review` the
    on-site review."""
    context = {
        "message": exc.message,
        "errors": [e for e in exc.errors if str(e) != str(exc.message)],
        "pk": back,
        "review_pk": back_review,
    }
    return render(request, "lists/problem.html", context, status=exc.status)


def attachment(data: bytes, content_type: str, filename: str, ascii_name: str) -> HttpResponse:
    """A file attachment named `filename` (RFC 5987, UTF-8) with an ASCII fallback."""
    plain = re.sub(r"[^A-Za-z0-9._@-]+", "_", ascii_name)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- index


@require_GET
@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    """Province staff and observers: each call with its list (or the button to form it).
    Applicants' operators: their own results on final lists, with the decision letters."""
    role = workflow.role_of(request.user)
    calls = list(selectors.calls_with_lists(request.user)) if role != workflow.PUBLIC else []
    may_form = role == workflow.OFFICE
    context = {
        "calls": [
            {
                "call": call,
                "blocked": services.call_blockers(call)
                if may_form and not hasattr(call, "selection_list")
                else "",
            }
            for call in calls
        ],
        "may_form": may_form,
        "own_entries": selectors.entries_for_applicant(request.user),
        "inside": role != workflow.PUBLIC,
        "is_operator": regions_actable_by(request.user).exists(),
    }
    return render(request, "lists/index.html", context)


@require_POST
@login_required
@domain_errors
def list_form(request: HttpRequest, call_pk: int) -> HttpResponse:
    """Form the preliminary list of a call."""
    if workflow.role_of(request.user) == workflow.PUBLIC:
        raise Http404(_("没有找到这个批次，或您无权查看。"))
    call = get_object_or_404(Call, pk=call_pk)
    selection_list = services.selection_list_form(by=request.user, call=call)
    messages.success(request, _("已形成初步名单。"))
    return redirect("lists:detail", pk=selection_list.pk)


# ---------------------------------------------------------------- detail


def _detail_context(request: HttpRequest, selection_list: SelectionList, **extra: Any) -> dict[str, Any]:
    actions = workflow.available_actions(selection_list, request.user)
    blockers = services.blockers(selection_list, actions)
    return {
        "selection_list": selection_list,
        "call": selection_list.call,
        "actions": actions,
        "buttons": workflow.buttons_for(actions, blockers),
        "summaries": selectors.level_summaries(selection_list),
        "reviews": selectors.reviews_of(selection_list),
        "objections": selectors.objections_of(selection_list)[:20],
        "objection_count": selectors.objections_of(selection_list).count(),
        "document_form": extra.pop("document_form", None)
        or DocumentForm(
            initial={
                "document_number": selection_list.document_number,
                "issuing_office": selection_list.issuing_office,
            }
        ),
        "timeline": timeline_entries(selectors.list_timeline(selection_list)[:100]),
        **extra,
    }


@require_GET
@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The list: status and steps, counts per level, on-site reviews, objections, documents and
    the timeline."""
    selection_list = get_list_for_user(request.user, pk)
    return render(request, "lists/detail.html", _detail_context(request, selection_list))


def _level_context(
    request: HttpRequest, selection_list: SelectionList, level: str, **extra: Any
) -> dict[str, Any]:
    levels = selectors.call_levels_of(selection_list.call)
    if level not in levels:
        raise Http404(_("本批次没有这一层级。"))
    standard = scoring_standard_for(levels[level].standard_version)
    actions = workflow.available_actions(selection_list, request.user)
    rows = list(selectors.ranking_rows(selection_list, level))
    failed = extra.pop("override_form", None)
    forms = {}
    needs_objection = workflow.override_needs_objection(selection_list.status)
    upheld = upheld_objections(selection_list) if Action.OVERRIDE in actions else []
    if Action.OVERRIDE in actions and (upheld or not needs_objection):
        for entry in rows:
            if failed is not None and failed.prefix == f"entry-{entry.pk}":
                forms[entry.pk] = failed
            else:
                forms[entry.pk] = OverrideForm(entry=entry, upheld=upheld, require_objection=needs_objection)
    return {
        "override_note": _override_note(actions, needs_objection, bool(upheld)),
        "selection_list": selection_list,
        "call": selection_list.call,
        "level": level,
        "level_label": Level(level).label,
        "quota": levels[level],
        "rows": [
            {
                "entry": entry,
                "grade": grade_label(standard, entry.verified_grade),
                "target": grade_label(standard, entry.application.target_grade),
                "form": forms.get(entry.pk),
            }
            for entry in rows
        ],
        "actions": actions,
        "other_levels": [
            (code, Level(code).label) for code in selectors.levels_of(selection_list.call) if code != level
        ],
        **extra,
    }


def _override_note(actions: list[str], needs_objection: bool, upheld: bool) -> str:
    """What the office reads above the ranking about overriding during the notice."""
    if Action.OVERRIDE not in actions or not needs_objection:
        return ""
    if not upheld:
        return _("公示期间只能依据认定成立的异议调整名单；目前没有认定成立的异议。")
    return _("公示期间调整名单须选择依据的异议；调整使公示内容变化的，名单将重新公示，公示期重新计算。")


@require_GET
@login_required
def list_level(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    """The ranking of one level: rank, verified grade and score, eligibility, proposal and
    outcome, with the override form for the office (a constant number of queries)."""
    selection_list = get_list_for_user(request.user, pk)
    return render(request, "lists/level.html", _level_context(request, selection_list, level))


@require_POST
@login_required
@domain_errors
def list_reform(request: HttpRequest, pk: int) -> HttpResponse:
    """Form the preliminary list again from the panels' current results (overrides kept)."""
    selection_list = get_list_for_user(request.user, pk, Action.REFORM)
    services.selection_list_form(by=request.user, call=selection_list.call)
    messages.success(request, _("已重新形成初步名单，调整过的条目保留其结果和理由。"))
    return redirect("lists:detail", pk=pk)


@require_POST
@login_required
@domain_errors
def list_start_onsite(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the list on site: the proposed pilots get their checklists."""
    selection_list = get_list_for_user(request.user, pk, Action.START_ONSITE)
    services.selection_list_start_onsite(by=request.user, selection_list=selection_list)
    messages.success(request, _("已开始现场复核，拟入选试点的复核清单已生成。"))
    return redirect("lists:detail", pk=pk)


@require_POST
@login_required
@domain_errors
def list_publish_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the list for public notice."""
    selection_list = get_list_for_user(request.user, pk, Action.PUBLISH_NOTICE)
    selection_list = services.selection_list_publish_notice(by=request.user, selection_list=selection_list)
    messages.success(
        request,
        _("名单已公示，公示期至 %(end)s。") % {"end": shown_time(selection_list.notice_ends_at)},
    )
    return redirect("lists:detail", pk=pk)


@require_POST
@login_required
@domain_errors
def list_publish_final(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the final list."""
    selection_list = get_list_for_user(request.user, pk, Action.PUBLISH_FINAL)
    services.selection_list_publish_final(by=request.user, selection_list=selection_list)
    messages.success(request, _("最终名单已发布，决定书已可下载。"))
    return redirect("lists:detail", pk=pk)


@require_POST
@login_required
@domain_errors
def list_set_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the document number and the issuing office."""
    selection_list = get_list_for_user(request.user, pk, Action.SET_DOCUMENT)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.selection_list_set_document(
                by=request.user, selection_list=selection_list, **form.cleaned_data
            )
        except ValidationFailed as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存文号和发文机关。"))
            return redirect("lists:detail", pk=pk)
    context = _detail_context(request, selection_list, document_form=form)
    return render(request, "lists/detail.html", context, status=400)


@require_POST
@login_required
@domain_errors
def entry_override(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Decide one entry's outcome with a reason (or give it back to the ranking rule)."""
    entry = get_entry_for_user(request.user, pk, entry_pk, Action.OVERRIDE)
    form = OverrideForm(
        request.POST,
        entry=entry,
        upheld=upheld_objections(entry.selection_list),
        require_objection=workflow.override_needs_objection(entry.selection_list.status),
    )
    if form.is_valid():
        try:
            services.list_entry_override(
                by=request.user,
                entry=entry,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                objection=form.cleaned_data.get("objection"),
            )
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request, _("已调整%(region)s的结果。") % {"region": entry.application.region.full_name}
            )
            return redirect(_level_anchor(pk, entry.level, entry.pk))
    context = _level_context(
        request, entry.selection_list, entry.level, override_form=form, failed_entry=entry.pk
    )
    return render(request, "lists/level.html", context, status=400)


def _level_anchor(pk: int, level: str, entry_pk: int) -> str:
    return reverse("lists:level", args=[pk, level]) + f"#entry-{entry_pk}"


# ---------------------------------------------------------------- documents


KINDS = ("docx", "pdf")


@require_GET
@login_required
def entry_letter(request: HttpRequest, pk: int, entry_pk: int, kind: str) -> HttpResponse:
    """The decision letter of one entry (Word or PDF): province staff any; the applicant's own
    operators theirs once the list is final."""
    if kind not in KINDS:
        raise Http404
    entry = get_letter_entry_for_user(request.user, pk, entry_pk)
    data, content_type = documents.render(documents.letter_document(entry), kind)
    name, plain = documents.letter_filename(entry, kind)
    return attachment(data, content_type, name, plain)


@require_GET
@login_required
def list_notice_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The list notice (Word or PDF) for the office, in any state (a draft before the notice)."""
    if kind not in KINDS:
        raise Http404
    selection_list = get_notice_document_list_for_user(request.user, pk)
    data, content_type = documents.render(documents.notice_document(selection_list), kind)
    name, plain = documents.notice_filename(selection_list, kind)
    return attachment(data, content_type, name, plain)
