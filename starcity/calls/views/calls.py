"""Pages of calls: list, create and edit a draft, detail (calendar, rules, one's own applications
and deadline), publish, move the calendar, grant extensions, close; start an application."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from starcity.accounts.selectors import can_see_region, is_province_staff
from starcity.calls import selectors, services
from starcity.calls.choices import CallStatus
from starcity.calls.forms import CalendarForm, CallForm, ExtensionForm
from starcity.calls.models import Call
from starcity.calls.permissions import get_call_for_user, require_call_manager
from starcity.calls.presentation import timeline
from starcity.calls.views.common import add_errors, domain_errors
from starcity.calls.views.overview import call_overview
from starcity.calls.workflow import CallAction, call_actions
from starcity.core.audit import audit_timeline_for
from starcity.core.errors import ValidationFailed
from starcity.regions.models import Region


@require_GET
@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    """Published calls for everyone logged in; drafts too for province staff."""
    calls = selectors.calls_visible_to(request.user).order_by("-year", "-id")
    context = {"calls": calls, "can_create": is_province_staff(request.user)}
    return render(request, "calls/list.html", context)


def _form_page(request: HttpRequest, form: CallForm, call: Call | None, status: int = 200) -> HttpResponse:
    return render(request, "calls/form.html", {"form": form, "call": call}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def call_create(request: HttpRequest) -> HttpResponse:
    """Create a draft call (province staff)."""
    require_call_manager(request.user)
    form = CallForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=request.user, values=form.values(), levels=form.levels())
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已创建批次草稿。核对无误后请发布。"))
            return redirect("calls:detail", pk=call.pk)
    return _form_page(request, form, None, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft call (province staff); a published call only moves its calendar."""
    call = get_call_for_user(request.user, pk, CallAction.EDIT)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    if request.method == "GET" and call.status != CallStatus.DRAFT:
        messages.info(request, _("已发布的批次只能调整日程。"))
        return redirect("calls:calendar", pk=pk)
    services.call_check(call, CallAction.EDIT)
    form = CallForm(request.POST if request.method == "POST" else None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(by=request.user, call=call, values=form.values(), levels=form.levels())
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存批次草稿。"))
            return redirect("calls:detail", pk=pk)
    return _form_page(request, form, call, status=400 if form.is_bound else 200)


def _detail_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    staff = is_province_staff(request.user)
    actions = call_actions(call, request.user)
    return {
        "call": call,
        "overview": call_overview(call, request.user),
        "actions": actions,
        "extension_form": extra.pop("extension_form", None)
        or (ExtensionForm(call=call) if CallAction.EXTEND in actions else None),
        "timeline": timeline(audit_timeline_for(call)[:100]) if staff else [],
        **extra,
    }


@require_GET
@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's calendar and rules; for an operator their applications and deadline; for the
    province the management buttons, the extensions and the call's history."""
    call = get_call_for_user(request.user, pk)
    return render(request, "calls/detail.html", _detail_context(request, call))


@require_POST
@login_required
@domain_errors
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft call (every problem is listed when it cannot be)."""
    call = get_call_for_user(request.user, pk, CallAction.PUBLISH)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    services.call_publish(by=request.user, call=call)
    messages.success(request, _("批次已发布，各地可以开始申报。"))
    return redirect("calls:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def call_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the dates of a published call (audited with the dates before and after)."""
    call = get_call_for_user(request.user, pk, CallAction.CALENDAR)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    if request.method == "GET" and call.status != CallStatus.PUBLISHED:
        return render(request, "calls/calendar.html", {"form": None, "call": call}, status=409)
    services.call_check(call, CallAction.CALENDAR)
    form = CalendarForm(request.POST if request.method == "POST" else None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update_calendar(by=request.user, call=call, values=form.values())
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已调整批次日程。"))
            return redirect("calls:detail", pk=pk)
    status = 400 if form.is_bound else 200
    return render(request, "calls/calendar.html", {"form": form, "call": call}, status=status)


@require_POST
@login_required
@domain_errors
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    """End a published call once every submission period is over."""
    call = get_call_for_user(request.user, pk, CallAction.CLOSE)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    services.call_close(by=request.user, call=call)
    messages.success(request, _("批次已结束。"))
    return redirect("calls:detail", pk=pk)


@require_POST
@login_required
@domain_errors
def extension_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant or change one applicant's extension, with a mandatory reason."""
    call = get_call_for_user(request.user, pk, CallAction.EXTEND)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    form = ExtensionForm(request.POST, call=call)
    if form.is_valid():
        try:
            extension = services.extension_grant(by=request.user, call=call, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已批准%(region)s延期。") % {"region": extension.region.full_name})
            return redirect(reverse("calls:detail", args=[pk]) + "#extensions")
    context = _detail_context(request, call, extension_form=form)
    return render(request, "calls/detail.html", context, status=400)


@require_POST
@login_required
@domain_errors
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the application of the operator's own county or city to this call."""
    call = get_call_for_user(request.user, pk)
    request.back_url = reverse("calls:detail", args=[pk])  # type: ignore[attr-defined]
    region = Region.objects.filter(code=request.POST.get("region", "")).first()
    if region is None or not can_see_region(request.user, region):
        raise ValidationFailed(_("请选择要申报的地区。"), field="region")
    try:
        application = services.application_create(by=request.user, call=call, region=region)
    except services.ApplicationExists as exc:
        if selectors.applications_visible_to(request.user).filter(pk=exc.existing.pk).exists():
            messages.info(request, str(exc.message))
            return redirect("calls:application_detail", pk=exc.existing.pk)
        raise
    messages.success(request, _("已创建申报草稿，请逐项填写。"))
    return redirect("calls:application_detail", pk=application.pk)
