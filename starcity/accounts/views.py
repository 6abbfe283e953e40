"""Accounts pages: the workbench every role lands on (login and password use Django's views)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from starcity.accounts import selectors, workbench


@require_safe
@login_required
def workbench_view(request: HttpRequest) -> HttpResponse:
    """工作台: what waits for the user and what they may start, gathered from every app."""
    context = {
        "sections": workbench.sections_for(request.user),
        "memberships": selectors.memberships_of(request.user),
    }
    return render(request, "accounts/workbench.html", context)


class LogoutView(auth_views.LogoutView):
    """GET asks for confirmation (a link or a typed URL must not log anyone out); POST logs out."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return render(request, "accounts/logout.html")

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("您已安全退出。"))
        return response
