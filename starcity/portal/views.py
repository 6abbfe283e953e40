"""Public pages (公开信息), no login: the calls whose lists are published (in notice or final),
each call's calendar, list and notice period, the objection form while the notice is open, and
the list notice as PDF. Nothing of a list shows before its notice is published; what shows is
the list as published (its snapshot), never the office's live work; individual experts' scores
never show. Objections are limited per network address (`throttle`); the PDF is rendered once
per publication."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.core.errors import DomainError, ValidationFailed
from starcity.lists import documents, selectors, services
from starcity.lists.choices import ListStatus, Outcome
from starcity.lists.forms import ObjectionForm
from starcity.lists.models import SelectionList
from starcity.lists.permissions import get_public_list
from starcity.lists.presentation import grade_label
from starcity.lists.services.notice import shown_time
from starcity.lists.views import attachment
from starcity.portal import throttle
from starcity.regions.choices import Level
from starcity.standards.selectors import scoring_standard_for


@require_GET
def portal_index(request: HttpRequest) -> HttpResponse:
    """The calls whose lists are in notice or final."""
    lists = list(selectors.published_lists())
    return render(request, "portal/index.html", {"lists": lists})


def _groups(selection_list: SelectionList) -> list[dict[str, Any]]:
    """The published rows per level, with each verified grade by its standard's name and, for
    a pilot, the grade it is to create (创建四星级试点)."""
    levels = selectors.call_levels_of(selection_list.call)
    standards = {level: scoring_standard_for(item.standard_version) for level, item in levels.items()}
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in selectors.published_rows(selection_list):
        standard = standards.get(row.level)
        kind = ""
        if row.outcome == Outcome.PILOT and row.target_grade:
            kind = _("创建%(grade)s试点") % {"grade": grade_label(standard, row.target_grade)}
        groups.setdefault(row.level, []).append(
            {"entry": row, "grade": grade_label(standard, row.grade), "kind": kind}
        )
    return [
        {"level": level, "label": Level(level).label, "rows": groups.get(level, [])}
        for level in selectors.levels_of(selection_list.call)
    ]


def _day(value: Any) -> str:
    return formats.date_format(value, "Y-m-d") if value else "—"


def _clock(moment: Any) -> str:
    """A moment in Beijing time, without the zone (the calendar says it once)."""
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s")


def _shown(moment: Any) -> SafeString:
    """A moment with its zone, kept on one line: "2026-12-11 23:59:59（北京时间）"."""
    return format_html('<span class="nowrap">{}</span>', shown_time(moment))


def _calendar(selection_list: SelectionList) -> list[tuple[str, list[str]]]:
    """The call's calendar as (label, parts: one day or moment, or the start and end of a
    period), in Beijing time; planned dates that were not set left out."""
    call = selection_list.call
    rows = [(_("申报截止"), [_clock(call.deadline)])]
    for label, start, end in (
        (_("专家评审"), call.review_starts, call.review_ends),
        (_("现场复核"), call.onsite_starts, call.onsite_ends),
    ):
        if start or end:
            rows.append((label, [_day(start), _day(end)]))
    for label, day in (
        (_("公示开始（计划）"), call.notice_starts),
        (_("名单发布（计划）"), call.publication_date),
        (_("预试点复核截止"), call.pre_pilot_recheck_by),
    ):
        if day:
            rows.append((label, [_day(day)]))
    start, end = selection_list.notice_published_at, selection_list.notice_ends_at
    if start and end:
        rows.append((_("公示期"), [_clock(start), _clock(end)]))
    if selection_list.final_published_at:
        rows.append((_("最终名单发布"), [_clock(selection_list.final_published_at)]))
    return rows


def _call_context(request: HttpRequest, selection_list: SelectionList, **extra: Any) -> dict[str, Any]:
    ends = selection_list.notice_ends_at
    open_now = selectors.objections_open(selection_list)
    return {
        "selection_list": selection_list,
        "call": selection_list.call,
        "final": selection_list.status == ListStatus.FINAL,
        "groups": _groups(selection_list),
        "calendar": _calendar(selection_list),
        "notice_start": _shown(selection_list.notice_published_at)
        if selection_list.notice_published_at
        else "",
        "notice_end": _shown(ends) if ends else "",
        "final_at": _shown(selection_list.final_published_at) if selection_list.final_published_at else "",
        "objections_open": open_now,
        "renoticed": selection_list.notice_round > 1,
        "form": extra.pop("form", None)
        or (ObjectionForm(selection_list=selection_list) if open_now else None),
        **extra,
    }


@require_GET
def portal_call(request: HttpRequest, call_pk: int) -> HttpResponse:
    """A call's public page: calendar, notice period, the list, and the objection form while
    the notice is open (after final, the final list)."""
    selection_list = get_public_list(call_pk)
    return render(request, "portal/call.html", _call_context(request, selection_list))


@require_POST
def portal_objection(request: HttpRequest, call_pk: int) -> HttpResponse:
    """Lodge an objection (anyone, no login), during the notice period only."""
    selection_list = get_public_list(call_pk)
    form = ObjectionForm(request.POST, selection_list=selection_list)
    if not form.is_valid():
        return render(
            request, "portal/call.html", _call_context(request, selection_list, form=form), status=400
        )
    if refusal := throttle.objection_refusal(request):
        context = _call_context(request, selection_list, form=form, refused=refusal)
        return render(request, "portal/call.html", context, status=429)
    if form.is_robot:
        throttle.objection_counted(request)
        messages.success(request, _("已收到您的异议，我们将在公示期内核实处理。"))
        return redirect("portal:call", call_pk=call_pk)
    data = {key: form.cleaned_data.get(key) or "" for key in ("name", "phone", "email", "text")}
    try:
        services.objection_lodge(
            by=request.user, selection_list=selection_list, entry=form.cleaned_data.get("entry"), **data
        )
    except ValidationFailed as exc:
        for error in exc.errors or [exc.message]:
            form.add_error(None, str(error))
        return render(
            request, "portal/call.html", _call_context(request, selection_list, form=form), status=400
        )
    except DomainError as exc:
        context = _call_context(request, selection_list, refused=str(exc.message))
        return render(request, "portal/call.html", context, status=exc.status)
    throttle.objection_counted(request)
    messages.success(request, _("已收到您的异议，我们将在公示期内核实处理。"))
    return redirect("portal:call", call_pk=call_pk)


@require_GET
def portal_notice_pdf(request: HttpRequest, call_pk: int) -> HttpResponse:
    """The list notice as PDF, for anyone, once the list is in notice or final (rendered once
    per publication, then served from the cache)."""
    selection_list = get_public_list(call_pk)
    data = documents.public_notice_pdf(selection_list)
    name, plain = documents.notice_filename(selection_list, "pdf")
    return attachment(data, documents.PDF, name, plain)
