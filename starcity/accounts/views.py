"""Accounts pages: the workbench every role lands on (login and password use Django's views)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from starcity.accounts import selectors, workbench


@require_GET
@login_required
def workbench_view(request: HttpRequest) -> HttpResponse:
    """工作台: what waits for the user and what they may start, gathered from every app."""
    context = {
        "sections": workbench.sections_for(request.user),
        "memberships": selectors.memberships_of(request.user),
    }
    return render(request, "accounts/workbench.html", context)
