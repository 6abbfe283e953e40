"""Pages of applications: list and export, detail (content, completeness, buttons, revisions,
differences, timeline), editing (content, task book, materials) and one POST per transition."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.calls import selectors, services
from starcity.calls.choices import ApplicationStatus
from starcity.calls.completeness import completeness_items
from starcity.calls.deadlines import format_deadline
from starcity.calls.export import export_applications
from starcity.calls.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    MaterialUploadForm,
    ReasonForm,
    tasks_from_post,
)
from starcity.calls.models import Application
from starcity.calls.permissions import get_application_for_user, get_material_for_user
from starcity.calls.presentation import (
    attribution,
    diff_rows,
    domains_of,
    grades_of,
    live_content,
    revision_content,
    timeline,
)
from starcity.calls.snapshots import application_snapshot
from starcity.calls.views.common import add_errors, domain_errors, xlsx_response
from starcity.calls.workflow import (
    EDITABLE,
    Action,
    available_actions,
    buttons_for,
    roles_of,
    sees_live_content,
)
from starcity.core import clock
from starcity.core.errors import ValidationFailed
from starcity.core.uploads import CONTENT_TYPES, private_file_response

PAGE_SIZE = 50
CHECKED = (*EDITABLE, ApplicationStatus.WITH_CITY)
BLANK_TASK_ROWS = 3


# ---------------------------------------------------------------- list and export


@require_GET
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications the user may see, filtered by call, level, status and city."""
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    rows = selectors.application_list_for(request.user, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "calls/application_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_GET
@login_required
def application_export(request: HttpRequest) -> HttpResponse:
    """The list as Excel: the same rows and filters as the screen, never more."""
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    rows = selectors.application_list_for(request.user, form.filters())
    data = export_applications(
        rows, link=lambda app: request.build_absolute_uri(reverse("calls:application_detail", args=[app.pk]))
    )
    stamp = clock.local_now().strftime("%Y%m%d-%H%M")
    return xlsx_response(data, f"{_('申报')}-{stamp}.xlsx", f"applications-{stamp}.xlsx")


# ---------------------------------------------------------------- detail


def _revisions(application: Application) -> list[Any]:
    return list(application.revisions.select_related("created_by").order_by("number"))


def _compare(
    request: HttpRequest, application: Application, revisions: list[Any], live: bool
) -> dict[str, Any]:
    """The differences between two revisions chosen by `?a=&b=` (by default the last two), and
    for the applicant and its city what changed since the last submission."""
    by_number = {revision.number: revision for revision in revisions}
    result: dict[str, Any] = {"a": None, "b": None, "rows": None, "pending": None}
    if len(revisions) >= 2:
        a, b = _number(request, "a", revisions[-2].number), _number(request, "b", revisions[-1].number)
        if a in by_number and b in by_number:
            rows = diff_rows(application, by_number[a].snapshot, by_number[b].snapshot)
            result.update(a=a, b=b, rows=rows)
    if live and revisions and application.status in EDITABLE:
        current = application_snapshot(application, number=application.revision + 1, submitted_at=clock.now())
        result["pending"] = diff_rows(application, revisions[-1].snapshot, current)
    return result


def _number(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    roles = roles_of(request.user, application)
    actions = available_actions(application, request.user)
    live = sees_live_content(roles)
    revisions = _revisions(application)
    materials = list(selectors.active_materials(application))
    content = live_content(application, materials) if live else None
    if not live and revisions:
        content = revision_content(application, revisions[-1])
    editing = Action.EDIT in actions
    extension = selectors.extension_for(application.call, application.region)
    checklist = completeness_items(application) if live and application.status in CHECKED else None
    return {
        "application": application,
        "actions": actions,
        "buttons": buttons_for(actions),
        "live": live,
        "content": content,
        "checklist": checklist,
        "checklist_complete": checklist is not None and all(item.ok for item in checklist),
        "form": extra.pop("form", None) or (ApplicationForm(application=application) if editing else None),
        "task_rows": (extra.pop("task_rows", None) or _task_rows(application)) if editing else None,
        "domains": domains_of(application),
        "material_form": extra.pop("material_form", None) or (MaterialUploadForm() if editing else None),
        "reason_form": extra.pop("reason_form", None) or ReasonForm(),
        "deadline": format_deadline(selectors.told_deadline(application, extension=extension)),
        "extension": extension,
        "attribution": _attribution(application),
        "revisions": revisions,
        "compare": _compare(request, application, revisions, live),
        "timeline": timeline(
            selectors.application_timeline(application, request.user)[:200],
            details=live,
            grades=grades_of(application),
        ),
        "bundle_url": _bundle_url(application, actions),
        **extra,
    }


def _bundle_url(application: Application, actions: list[str]) -> str:
    """The city's bundle page, for the city's operators once the application awaits it."""
    if Action.SUBMIT not in actions:
        return ""
    return reverse("calls:bundle", args=[application.call_id]) + f"?city={application.city.code}"


def _attribution(application: Application) -> str:
    if not application.submitted_at:
        return ""
    extra = {"submitted_by_region": application.city.name}
    if application.region_id != application.city_id:
        extra["on_behalf_of"] = application.region.name
    return attribution(extra)


def _task_rows(application: Application, rows: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    rows = list(application.tasks or []) if rows is None else rows
    return rows + [{"title": "", "description": "", "domain": ""}] * BLANK_TASK_ROWS


def render_detail(
    request: HttpRequest, application: Application, *, status: int = 200, **extra: Any
) -> HttpResponse:
    if request.method == "POST":
        extra.setdefault("page_url", reverse("calls:application_detail", args=[application.pk]))
    context = _detail_context(request, application, **extra)
    return render(request, "calls/application_detail.html", context, status=status)


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application: editable content for its preparers, the latest revision for the province."""
    return render_detail(request, get_application_for_user(request.user, pk))


def _back(request: HttpRequest, pk: int) -> None:
    request.back_url = reverse("calls:application_detail", args=[pk])  # type: ignore[attr-defined]


# ---------------------------------------------------------------- editing


@require_POST
@login_required
@domain_errors
def application_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the target grade, self-assessment, breakthrough direction and contacts."""
    _back(request, pk)
    application = get_application_for_user(request.user, pk, Action.EDIT)
    form = ApplicationForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.application_update(by=request.user, application=application, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存申报信息。"))
            return redirect("calls:application_detail", pk=pk)
    return render_detail(request, application, status=400, form=form)


@require_POST
@login_required
@domain_errors
def application_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft task book's tasks (all rows checked; one bad row saves nothing)."""
    _back(request, pk)
    application = get_application_for_user(request.user, pk, Action.EDIT)
    rows = tasks_from_post(request.POST)
    try:
        services.application_save_tasks(by=request.user, application=application, tasks=rows)
    except ValidationFailed as exc:
        errors = [str(e) for e in exc.errors] or [str(exc.message)]
        return render_detail(
            request, application, status=400, task_rows=_task_rows(application, rows), task_errors=errors
        )
    messages.success(request, _("已保存任务书（草案）。"))
    return redirect(reverse("calls:application_detail", args=[pk]) + "#tasks")


@require_POST
@login_required
@domain_errors
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the application report or a supporting material (checked by content)."""
    _back(request, pk)
    application = get_application_for_user(request.user, pk, Action.EDIT)
    form = MaterialUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.material_attach(by=request.user, application=application, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已上传“%(name)s”。") % {"name": material.original_name})
            return redirect(reverse("calls:application_detail", args=[pk]) + "#materials")
    return render_detail(request, application, status=400, material_form=form)


@require_POST
@login_required
@domain_errors
def material_remove(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    """Remove a material (kept on record and in the revisions that froze it)."""
    _back(request, pk)
    material = get_material_for_user(request.user, pk, material_pk, Action.EDIT)
    services.material_remove(by=request.user, material=material)
    messages.success(request, _("已移除“%(name)s”。") % {"name": material.original_name})
    return redirect(reverse("calls:application_detail", args=[pk]) + "#materials")


@require_GET
@login_required
def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """Send a material to someone who may read it, as an attachment."""
    material = get_material_for_user(request.user, pk, material_pk)
    content_type = CONTENT_TYPES.get(material.content_kind, "application/octet-stream")
    return private_file_response(material.file, filename=material.original_name, content_type=content_type)


# ---------------------------------------------------------------- transitions


def _transition(request: HttpRequest, pk: int, action: str, service: Any, success: str) -> HttpResponse:
    """Fetch with permission, read the reason when the action needs one, run the one service."""
    _back(request, pk)
    application = get_application_for_user(request.user, pk, action)
    kwargs: dict[str, Any] = {}
    if action in (Action.CITY_RETURN, Action.PROVINCE_RETURN, Action.WITHDRAW):
        form = ReasonForm(request.POST)
        kwargs["reason"] = form.data.get("reason", "")
        try:
            service(by=request.user, application=application, **kwargs)
        except ValidationFailed as exc:
            if exc.field != "reason":
                raise
            form.is_valid()
            form.add_error("reason", str(exc.message))
            return render_detail(request, application, status=400, reason_form=form, reason_action=action)
    else:
        service(by=request.user, application=application)
    messages.success(request, success)
    return redirect("calls:application_detail", pk=pk)


@require_POST
@login_required
@domain_errors
def application_send_to_city(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, Action.SEND_TO_CITY, services.application_send_to_city, _("已报送市级审核。")
    )


@require_POST
@login_required
@domain_errors
def application_city_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, Action.CITY_APPROVE, services.application_city_approve, _("已审核通过，待统一提交省级。")
    )


@require_POST
@login_required
@domain_errors
def application_city_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.CITY_RETURN, services.application_city_return, _("已退回修改。"))


@require_POST
@login_required
@domain_errors
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.ACCEPT, services.application_accept, _("形式审查已通过。"))


@require_POST
@login_required
@domain_errors
def application_province_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, Action.PROVINCE_RETURN, services.application_province_return, _("已退回申报地区修改。")
    )


@require_POST
@login_required
@domain_errors
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.WITHDRAW, services.application_withdraw, _("申报已撤回。"))
