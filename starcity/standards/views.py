"""Pages of the standards: browse lines and versions, read one, download it, compare two, and
(province administrators) publish a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from starcity.core.audit import audit_timeline_for
from starcity.core.errors import DomainError
from starcity.standards import selectors
from starcity.standards.diff import standard_diff
from starcity.standards.forms import StandardUploadForm
from starcity.standards.models import StandardVersion
from starcity.standards.outline import diff_rows, version_outline
from starcity.standards.permissions import can_publish, get_version_for_user, require_publisher
from starcity.standards.services import engine_language, standard_version_publish


@login_required
@require_safe
def standard_list(request: HttpRequest) -> HttpResponse:
    context = {"lines": selectors.lines_with_versions(), "can_publish": can_publish(request.user)}
    return render(request, "standards/list.html", context)


@login_required
@require_safe
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk)
    context = {
        "version": version,
        "outline": version_outline(version.data, engine_language()),
        "previous": selectors.previous_version(version),
        "timeline": audit_timeline_for(version),
        "can_publish": can_publish(request.user),
    }
    return render(request, "standards/detail.html", context)


@login_required
@require_safe
def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk)
    response = HttpResponse(version.content.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, version.download_name) or ""
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_upload(request: HttpRequest) -> HttpResponse:
    """Publish a new version. A refused file or form is shown again with its problems: 400 for
    bad input, 409 when the version already exists (the same file, or another with its number)."""
    require_publisher(request.user)
    if request.method != "POST":
        return _upload_page(request, StandardUploadForm())
    form = StandardUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    content, source_name = form.submission()
    try:
        version = standard_version_publish(by=request.user, content=content, source_name=source_name)
    except DomainError as exc:
        if not exc.errors:
            form.add_error(None, str(exc.message))
        return _upload_page(request, form, problems=exc.errors, status=exc.status)
    messages.success(request, _("已发布 %(label)s。") % {"label": version.label})
    return redirect(version)


def _upload_page(
    request: HttpRequest, form: StandardUploadForm, *, problems: list | None = None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "problems": problems or []}
    return render(request, "standards/upload.html", context, status=status)


def _version_param(request: HttpRequest, name: str) -> StandardVersion | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404(_("没有这个标准版本。"))
    return get_version_for_user(request.user, int(value))


@login_required
@require_safe
def version_compare(request: HttpRequest) -> HttpResponse:
    a, b = _version_param(request, "a"), _version_param(request, "b")
    diff = standard_diff(a.data, b.data) if a and b else None
    context = {
        "a": a,
        "b": b,
        "diff": diff,
        "rows": diff_rows(diff, engine_language()) if diff else [],
        "versions": selectors.all_versions(),
    }
    return render(request, "standards/compare.html", context)
