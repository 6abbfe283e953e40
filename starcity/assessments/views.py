"""Self-assessment pages: thin views (fetch with permission → validate → one service → respond).

Domain errors become a 409 (or 400/403) page, or the htmx partial of the result panel; never a 500.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from starcity.accounts.selectors import is_province_staff
from starcity.assessments import excel, selectors, services
from starcity.assessments.choices import Status
from starcity.assessments.forms import (
    AnswersForm,
    EvidenceUploadForm,
    ImportForm,
    ListFilterForm,
    StartForm,
    initial_for,
)
from starcity.assessments.models import SelfAssessment
from starcity.assessments.permissions import get_assessment_for_user, get_evidence_for_user
from starcity.assessments.presentation import flag_rows, indicator_sections, result_panel, timeline_entries
from starcity.assessments.workflow import Action, available_actions, buttons_for
from starcity.core.audit import audit_timeline_for
from starcity.core.errors import DomainError, ValidationFailed
from starcity.standards.selectors import published_versions, scoring_standard_for
from starcity.standards.services import engine_language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a refused action into its status page (or the panel partial for htmx)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return problem_response(request, exc, pk=kwargs.get("pk"))

    return wrapper


def problem_response(request: HttpRequest, exc: DomainError, *, pk: int | None = None) -> HttpResponse:
    context = {"message": exc.message, "errors": exc.errors, "pk": pk}
    template = "assessments/partials/_problem.html" if request.htmx else "assessments/problem.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=exc.status)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- lists


def _list_filters(request: HttpRequest) -> ListFilterForm:
    return ListFilterForm(request.GET or None, cities=selectors.cities_for_filter(request.user))


@require_GET
@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The user's visible self-assessments, filtered; province staff see every submitted one."""
    form = _list_filters(request)
    rows = selectors.assessment_list_for(request.user, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_start": selectors.regions_startable_by(request.user).exists(),
        "is_province_staff": is_province_staff(request.user),
    }
    return render(request, "assessments/list.html", context)


@require_GET
@login_required
def assessment_export(request: HttpRequest) -> HttpResponse:
    """The list as Excel: the same rows and filters as the screen, never more."""
    form = _list_filters(request)
    rows = selectors.export_rows(selectors.assessment_list_for(request.user, form.filters()))
    title = _("自评估列表")
    return _xlsx(excel.export_assessments(rows, title=title), f"{title}.xlsx")


# ---------------------------------------------------------------- start


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Start a self-assessment for a region the user acts for, against a published version."""
    regions = selectors.regions_startable_by(request.user)
    if not regions.exists():
        raise PermissionDenied(_("只有可以代表某一区域的操作员才能开展自评估。"))
    initial = {"region": regions.filter(code=request.GET.get("region")).first()}
    form = StartForm(request.POST or None, regions=regions, versions=published_versions(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("已创建自评估草稿，请逐项填写。"))
            return redirect("assessments:detail", pk=assessment.pk)
    status = 400 if form.is_bound else 200
    return render(request, "assessments/create.html", {"form": form}, status=status)


# ---------------------------------------------------------------- detail


def _detail_context(request: HttpRequest, assessment: SelfAssessment, **extra: Any) -> dict[str, Any]:
    lang = engine_language()
    standard = scoring_standard_for(assessment.standard_version)
    actions = available_actions(assessment, request.user)
    form = extra.pop("form", None)
    if form is None and Action.SAVE in actions:
        form = AnswersForm(initial=initial_for(assessment, standard), standard=standard, lang=lang)
    result = selectors.assessment_result(assessment, lang)
    frozen = assessment.status == Status.SUBMITTED
    values = (assessment.snapshot_values or {}).get("values", {}) if frozen else None
    notes = {code: answer.note for code, answer in selectors.answers_of(assessment).items()}
    shown = assessment.snapshot_values if frozen and assessment.snapshot_values else {}
    return {
        "assessment": assessment,
        "standard": standard,
        "actions": actions,
        "buttons": buttons_for(actions),
        "form": form,
        "sections": indicator_sections(
            standard,
            lang=lang,
            result=result,
            form=form,
            values=values,
            notes=notes,
            evidence=selectors.evidence_by_indicator(assessment),
        ),
        "panel": result_panel(standard, result, lang),
        "flags": flag_rows(
            standard,
            lang=lang,
            bonus=shown.get("bonus", assessment.bonus),
            vetoes=shown.get("vetoes", assessment.vetoes),
            form=form,
        ),
        "timeline": timeline_entries(audit_timeline_for(assessment)[:100]),
        "copies": selectors.assessments_visible_to(request.user).filter(copied_from=assessment)
        if frozen
        else [],
        "import_form": ImportForm(),
        **extra,
    }


def render_detail(
    request: HttpRequest, assessment: SelfAssessment, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _detail_context(request, assessment, **extra)
    return render(request, "assessments/detail.html", context, status=status)


@require_GET
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment: an editable form for a draft's operators, the frozen record once submitted."""
    assessment = get_assessment_for_user(request.user, pk)
    return render_detail(request, assessment)


def _panel(
    request: HttpRequest, assessment: SelfAssessment, result: dict[str, Any] | None, **extra: Any
) -> HttpResponse:
    lang = engine_language()
    standard = scoring_standard_for(assessment.standard_version)
    context = {"assessment": assessment, **extra}
    if result is not None:
        context["panel"] = result_panel(standard, result, lang)
    return render(
        request, "assessments/partials/_result.html", context, status=400 if extra.get("errors") else 200
    )


def _answers_form(request: HttpRequest, assessment: SelfAssessment) -> AnswersForm:
    standard = scoring_standard_for(assessment.standard_version)
    return AnswersForm(request.POST, standard=standard, lang=engine_language())


@require_POST
@login_required
@domain_errors
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft's answers (all or nothing)."""
    assessment = get_assessment_for_user(request.user, pk, Action.SAVE)
    form = _answers_form(request, assessment)
    if form.is_valid():
        try:
            assessment = services.assessment_save_answers(
                by=request.user, assessment=assessment, **form.input()
            )
        except services.AnswersInvalid as exc:
            form.add_engine_errors(exc.by_code)
    if form.errors:
        if request.htmx:  # type: ignore[attr-defined]
            return _panel(request, assessment, None, errors=form.all_errors())
        return render_detail(request, assessment, status=400, form=form, form_errors=form.all_errors())
    if request.htmx:  # type: ignore[attr-defined]
        return _panel(request, assessment, selectors.assessment_result(assessment), saved=True)
    messages.success(
        request,
        _("已保存。当前评估：%(grade)s 星，总分 %(score)s。")
        % {"grade": assessment.grade, "score": assessment.score},
    )
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
@login_required
@domain_errors
def assessment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the form as it stands, without saving: the live result panel (htmx)."""
    assessment = get_assessment_for_user(request.user, pk, Action.SAVE)
    form = _answers_form(request, assessment)
    if not form.is_valid():
        return _panel(request, assessment, None, errors=form.all_errors())
    try:
        result = services.assessment_preview(by=request.user, assessment=assessment, **form.input())
    except services.AnswersInvalid as exc:
        return _panel(request, assessment, None, errors=exc.errors)
    return _panel(request, assessment, result, preview=True)


@require_POST
@login_required
@domain_errors
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft: it is frozen with its values, evidence list and result."""
    assessment = get_assessment_for_user(request.user, pk, Action.SUBMIT)
    assessment = services.assessment_submit(by=request.user, assessment=assessment)
    messages.success(request, _("已提交。提交后的自评估不能再修改。"))
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
@login_required
@domain_errors
def assessment_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft from a submitted self-assessment."""
    source = get_assessment_for_user(request.user, pk, Action.COPY)
    copy = services.assessment_copy(by=request.user, source=source)
    messages.success(request, _("已复制为新的自评估草稿。"))
    return redirect("assessments:detail", pk=copy.pk)


# ---------------------------------------------------------------- evidence


@require_POST
@login_required
@domain_errors
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file to one indicator (checked by content, stored privately)."""
    assessment = get_assessment_for_user(request.user, pk, Action.UPLOAD_EVIDENCE)
    form = EvidenceUploadForm(request.POST, request.FILES)
    code = request.POST.get("indicator_code", "")
    if form.is_valid():
        try:
            services.evidence_attach(by=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationFailed as exc:
            return render_detail(request, assessment, status=400, upload_errors=exc.errors, upload_code=code)
        messages.success(request, _("已上传佐证材料。"))
        return redirect(reverse("assessments:detail", args=[pk]) + f"#ind-{code}")
    errors = [f"{code}：{message}" for messages_ in form.errors.values() for message in messages_]
    return render_detail(request, assessment, status=400, upload_errors=errors, upload_code=code)


@require_POST
@login_required
@domain_errors
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Remove an evidence file from a draft (kept on record, no longer counted)."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk, Action.REMOVE_EVIDENCE)
    services.evidence_remove(by=request.user, evidence=evidence)
    messages.success(request, _("已移除佐证材料“%(name)s”。") % {"name": evidence.original_name})
    return redirect(reverse("assessments:detail", args=[pk]) + f"#ind-{evidence.indicator_code}")


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Send an evidence file to someone who may see its assessment, as an attachment."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------- Excel


@require_GET
@login_required
def assessment_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of this assessment's standard version, filled with its current values."""
    assessment = get_assessment_for_user(request.user, pk, Action.EXPORT)
    version = assessment.standard_version
    data = excel.build_template(
        scoring_standard_for(version),
        version_label=version.label,
        region_name=assessment.region.full_name,
        values=selectors.values_for_template(assessment),
        content_hash=version.content_hash,
    )
    return _xlsx(data, f"{assessment.region.name}-{version.label}.xlsx")


@require_POST
@login_required
@domain_errors
def assessment_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a filled template: all or nothing; every bad cell is listed by sheet, row, column."""
    assessment = get_assessment_for_user(request.user, pk, Action.IMPORT_EXCEL)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.assessment_import_excel(
                by=request.user, assessment=assessment, data=upload.read(), filename=upload.name
            )
        except ValidationFailed as exc:
            return render_detail(
                request, assessment, status=400, import_errors=exc.errors, import_message=exc.message
            )
        messages.success(request, _("已导入 Excel 中的填报数据。"))
        return redirect("assessments:detail", pk=pk)
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    return render_detail(request, assessment, status=400, import_errors=errors)
