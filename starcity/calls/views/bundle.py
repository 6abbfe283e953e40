"""The city's unified submission (统一提交): its own and its counties' applications to one call,
their statuses and deadlines, and one button that submits every approved one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.calls import selectors, services
from starcity.calls.deadlines import format_deadline
from starcity.calls.permissions import bundle_city_for, get_call_for_user
from starcity.calls.views.common import domain_errors
from starcity.core.text import enumeration


def _bundle_url(call_pk: int, code: str) -> str:
    return reverse("calls:bundle", args=[call_pk]) + f"?city={code}"


@require_GET
@login_required
def bundle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The bundle of one city in one call: what is approved and will go, what still waits."""
    call = get_call_for_user(request.user, pk)
    city = bundle_city_for(request.user, call, request.GET.get("city"))
    bundle = selectors.bundle_of(call, city, request.user)
    context = {
        "call": call,
        "city": city,
        "rows": [(row, format_deadline(row.told)) for row in bundle.rows],
        "ready": bundle.ready,
        "late_approved": bundle.late_approved,
        "may_submit": bundle.may_submit,
        "is_city_operator": bundle.is_city_operator,
        "opens": "" if bundle.opened else format_deadline(call.opens_at),
    }
    return render(request, "calls/bundle.html", context)


@require_POST
@login_required
@domain_errors
def bundle_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit every approved application of the user's city in this call, in one go."""
    call = get_call_for_user(request.user, pk)
    city = bundle_city_for(request.user, call, request.POST.get("city") or request.GET.get("city"))
    request.back_url = _bundle_url(pk, city.code)  # type: ignore[attr-defined]
    result = services.bundle_submit(by=request.user, call=call, city=city)
    names = enumeration(app.region.name for app in result.submitted)
    messages.success(
        request,
        _("已统一提交 %(count)d 份申报：%(names)s。") % {"count": len(result.submitted), "names": names},
    )
    for _application, problem in result.refused:
        messages.error(request, problem)
    return redirect(_bundle_url(pk, city.code))
