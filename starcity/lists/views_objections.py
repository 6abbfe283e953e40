"""Objection pages of the office: the list's objections, one objection, and its handling
(upheld or rejected, each with a reason; one POST URL each)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.core.errors import ValidationFailed
from starcity.lists import selectors, services, workflow
from starcity.lists.forms import HandleForm
from starcity.lists.models import Objection
from starcity.lists.permissions import get_list_for_user, get_objection_for_user
from starcity.lists.services.notice import shown_time
from starcity.lists.views import domain_errors

ObjectionAction = workflow.ObjectionAction


@require_GET
@login_required
def objection_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every objection lodged against the list, newest first."""
    selection_list = get_list_for_user(request.user, pk)
    context = {
        "selection_list": selection_list,
        "objections": selectors.objections_of(selection_list),
        "ends": shown_time(selection_list.notice_ends_at) if selection_list.notice_ends_at else "",
    }
    return render(request, "lists/objections.html", context)


def _render(request: HttpRequest, objection: Objection, *, status: int = 200, **extra: Any) -> HttpResponse:
    selection_list = objection.selection_list
    actions = workflow.objection_actions(objection, selection_list.status, request.user)
    context = {
        "objection": objection,
        "selection_list": selection_list,
        "actions": actions,
        "form": extra.pop("form", None) or HandleForm(),
        "overrides": objection.overrides.select_related("application__region__parent"),
        "may_override": workflow.Action.OVERRIDE in workflow.available_actions(selection_list, request.user),
        "show_contact": workflow.sees_objector_contact(workflow.role_of(request.user)),
        **extra,
    }
    return render(request, "lists/objection.html", context, status=status)


@require_GET
@login_required
def objection_detail(request: HttpRequest, objection_pk: int) -> HttpResponse:
    """One objection: who lodged it, how to reach them (the office only), what it says, and its
    handling."""
    objection = get_objection_for_user(request.user, objection_pk)
    return _render(request, objection)


def _handle(request: HttpRequest, objection_pk: int, action: str) -> HttpResponse:
    objection = get_objection_for_user(request.user, objection_pk, action)
    form = HandleForm(request.POST)
    if form.is_valid():
        service = services.objection_uphold if action == ObjectionAction.UPHOLD else services.objection_reject
        try:
            service(by=request.user, objection=objection, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            form.add_error("reason", str(exc.message))
        else:
            if action == ObjectionAction.UPHOLD:
                messages.success(
                    request, _("已认定异议成立。如需调整名单，请在名单中调整相应条目并注明依据的异议。")
                )
            else:
                messages.success(request, _("已认定异议不成立。"))
            return redirect("lists:objection", objection_pk=objection_pk)
    return _render(request, objection, status=400, form=form)


@require_POST
@login_required
@domain_errors
def objection_uphold(request: HttpRequest, objection_pk: int) -> HttpResponse:
    """The objection is upheld, with the office's reason."""
    return _handle(request, objection_pk, ObjectionAction.UPHOLD)


@require_POST
@login_required
@domain_errors
def objection_reject(request: HttpRequest, objection_pk: int) -> HttpResponse:
    """The objection is rejected, with the office's reason."""
    return _handle(request, objection_pk, ObjectionAction.REJECT)
