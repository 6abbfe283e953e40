"""Self-assessment pages: thin views (fetch with permission → validate → one service → respond).

Domain errors become a 409 (or 400/403) page, or the htmx partial of the result panel; never a 500.
"""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from starcity.assessments import excel, selectors, services
from starcity.assessments.forms import (
    AnswersForm,
    EvidenceUploadForm,
    ImportForm,
    ListFilterForm,
    RenameForm,
    StartForm,
    initial_for,
)
from starcity.assessments.models import SelfAssessment
from starcity.assessments.permissions import get_assessment_for_user, get_evidence_for_user
from starcity.assessments.presentation import (
    enumeration,
    flag_rows,
    indicator_sections,
    submission_summary,
    timeline_entries,
)
from starcity.assessments.shown import Shown, checked_shown, result_context, saved_shown
from starcity.assessments.workflow import Action, available_actions, buttons_for, is_frozen
from starcity.core import clock
from starcity.core.audit import audit_timeline_for
from starcity.core.errors import DomainError, ValidationFailed
from starcity.core.uploads import private_file_response
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
    context = {"message": exc.message, "errors": exc.errors, "pk": pk, "draft": _draft_of(request, exc)}
    template = "assessments/partials/_problem.html" if request.htmx else "assessments/problem.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=exc.status)


def _draft_of(request: HttpRequest, exc: DomainError) -> SelfAssessment | None:
    """The open draft a refusal names (a second draft was refused), if the user may see it."""
    draft = getattr(exc, "draft", None)
    if draft is None or not selectors.assessments_visible_to(request.user).filter(pk=draft.pk).exists():
        return None
    return draft


def _xlsx(data: bytes, filename: str, ascii_name: str) -> HttpResponse:
    """An .xlsx attachment named `filename` (RFC 5987 `filename*`, UTF-8), with `ascii_name` for
    clients that only read `filename`."""
    plain = re.sub(r"[^A-Za-z0-9._@-]+", "_", ascii_name)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- lists


def _list_filters(request: HttpRequest, options: selectors.ListOptions) -> ListFilterForm:
    return ListFilterForm(request.GET or None, options=options)


@require_GET
@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The user's visible self-assessments, filtered; province staff see every submitted one."""
    options = selectors.list_options_for(request.user)
    form = _list_filters(request, options)
    rows = selectors.assessment_list_for(request.user, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "options": options}
    return render(request, "assessments/list.html", context)


@require_GET
@login_required
def assessment_export(request: HttpRequest) -> HttpResponse:
    """The list as Excel: the same rows and filters as the screen, never more; each row with its
    id, title and the absolute address of its page. The file is named with the time of export
    (自评估-YYYYMMDD-HHMM.xlsx, Asia/Shanghai)."""
    form = _list_filters(request, selectors.list_options_for(request.user))
    rows = selectors.export_rows(
        selectors.assessment_list_for(request.user, form.filters()),
        link=lambda item: request.build_absolute_uri(reverse("assessments:detail", args=[item.pk])),
    )
    stamp = clock.local_now().strftime("%Y%m%d-%H%M")
    data = excel.export_assessments(rows, title=_("自评估列表"))
    return _xlsx(data, f"{_('自评估')}-{stamp}.xlsx", f"assessments-{stamp}.xlsx")


# ---------------------------------------------------------------- start


def _start_form(request: HttpRequest, regions: Any) -> StartForm:
    """The start form: the region preselected when the user has exactly one (or named it in the
    address); with exactly one region only the versions of its level are offered, and the only
    one of them preselected."""
    chosen = regions.filter(code=request.GET.get("region")).first() if request.GET.get("region") else None
    if chosen is None and len(regions) == 1:
        chosen = regions[0]
    only_one = len(regions) == 1
    versions = published_versions(level=chosen.level) if only_one and chosen else published_versions()
    initial: dict[str, Any] = {"region": chosen} if chosen else {}
    if only_one and len(versions) == 1:
        initial["standard_version"] = versions[0]
    return StartForm(request.POST or None, regions=regions, versions=versions, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Start a self-assessment for a region the user acts for, against a published version."""
    regions = selectors.regions_startable_by(request.user)
    if not regions.exists():
        raise PermissionDenied(_("只有可以代表某一区域的操作员才能开展自评估。"))
    form = _start_form(request, regions)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            existing = _draft_of(request, exc)
        else:
            messages.success(request, _("已创建自评估草稿，请逐项填写。"))
            return redirect("assessments:detail", pk=assessment.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "existing_draft": existing if form.is_bound else None}
    return render(request, "assessments/create.html", context, status=status)


# ---------------------------------------------------------------- detail


def _detail_context(request: HttpRequest, assessment: SelfAssessment, **extra: Any) -> dict[str, Any]:
    lang = engine_language()
    standard = scoring_standard_for(assessment.standard_version)
    actions = available_actions(assessment, request.user)
    form = extra.pop("form", None)
    preview = extra.pop("preview", None)
    if form is None and Action.SAVE in actions:
        form = AnswersForm(initial=initial_for(assessment, standard), standard=standard, lang=lang)
    shown = checked_shown(assessment, form, preview, lang) if preview else saved_shown(assessment, lang)
    shown_result = result_context(standard, shown, lang)
    frozen = is_frozen(assessment.status)
    snapshot = selectors.shown_values(assessment) or {}
    return {
        "assessment": assessment,
        "standard": standard,
        "actions": actions,
        "buttons": buttons_for(actions),
        "frozen": frozen,
        "superseded": selectors.is_superseded(assessment),
        "form": form,
        "sections": indicator_sections(
            standard,
            lang=lang,
            result=shown.result or {},
            form=form,
            values=snapshot.get("values", {}) if frozen else None,
            notes=selectors.notes_of(assessment),
            evidence=selectors.evidence_by_indicator(assessment),
            checks=shown_result.pop("checks"),
        ),
        **shown_result,
        "flags": flag_rows(
            standard,
            lang=lang,
            bonus=snapshot.get("bonus", assessment.bonus),
            vetoes=snapshot.get("vetoes", assessment.vetoes),
            form=form,
        ),
        "timeline": _timeline(assessment, standard, lang),
        "copies": selectors.assessments_visible_to(request.user).filter(copied_from=assessment)
        if frozen
        else [],
        "submit_check": _submit_check(assessment, standard, lang) if Action.SUBMIT in actions else None,
        "rename_form": RenameForm(initial={"title": assessment.title}) if Action.RENAME in actions else None,
        "import_form": ImportForm(),
        **extra,
    }


def _timeline(assessment: SelfAssessment, standard: Any, lang: str) -> list[dict[str, Any]]:
    return timeline_entries(audit_timeline_for(assessment)[:100], standard=standard, lang=lang)


def _submit_check(assessment: SelfAssessment, standard: Any, lang: str) -> dict[str, Any]:
    return submission_summary(standard, selectors.submission_check(assessment), lang)


def render_detail(
    request: HttpRequest, assessment: SelfAssessment, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The detail page. After a refused POST it is rendered at the POST's address: the page then
    puts the detail address back into the browser's history, so a reload shows the page again
    instead of sending the form a second time."""
    if request.method == "POST":
        extra.setdefault("page_url", reverse("assessments:detail", args=[assessment.pk]))
    context = _detail_context(request, assessment, **extra)
    return render(request, "assessments/detail.html", context, status=status)


@require_GET
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment: an editable form for a draft's operators, the frozen record once submitted."""
    assessment = get_assessment_for_user(request.user, pk)
    return render_detail(request, assessment)


def _panel(request: HttpRequest, assessment: SelfAssessment, shown: Shown, **extra: Any) -> HttpResponse:
    """The result panel for htmx, with out-of-band updates of each indicator's grade pill, error
    and warning slot and each domain's score elsewhere on the page; 400 when the form has errors."""
    lang = engine_language()
    standard = scoring_standard_for(assessment.standard_version)
    context = {"assessment": assessment, "oob": True, **result_context(standard, shown, lang), **extra}
    return render(
        request, "assessments/partials/_result.html", context, status=400 if extra.get("errors") else 200
    )


def _checked_form(request: HttpRequest, assessment: SelfAssessment) -> tuple[AnswersForm, Any]:
    """The posted answers checked at once for their format (the form) and, for the fields that
    are well-formed, for their values (the engine), with the result of the valid part."""
    standard = scoring_standard_for(assessment.standard_version)
    form = AnswersForm(request.POST, standard=standard, lang=engine_language())
    form.is_valid()
    preview = services.assessment_preview(by=request.user, assessment=assessment, **form.input())
    form.add_engine_errors(preview.by_code)
    return form, preview


@require_POST
@login_required
@domain_errors
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft's answers (all or nothing). With htmx the page stays where it is: the answer
    is the result panel, with the message and what changed elsewhere on the page out of band."""
    assessment = get_assessment_for_user(request.user, pk, Action.SAVE)
    form, preview = _checked_form(request, assessment)
    if not form.errors:
        try:
            assessment = services.assessment_save_answers(
                by=request.user, assessment=assessment, **form.input()
            )
        except services.AnswersInvalid as exc:
            form.add_engine_errors(exc.by_code)
    if form.errors:
        if request.htmx:  # type: ignore[attr-defined]
            shown = checked_shown(assessment, form, preview, engine_language())
            return _panel(request, assessment, shown, errors=form.all_errors())
        return render_detail(
            request, assessment, status=400, form=form, preview=preview, form_errors=form.all_errors()
        )
    message = _("已保存。当前评估：%(grade)s，总分 %(score)s。") % {
        "grade": assessment.grade_label,
        "score": assessment.score,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return _saved_panel(request, assessment, message)
    messages.success(request, message)
    return redirect("assessments:detail", pk=assessment.pk)


def _saved_panel(request: HttpRequest, assessment: SelfAssessment, message: str) -> HttpResponse:
    """After an htmx save: the saved result, the message, the pre-submission summary and the
    timeline."""
    lang = engine_language()
    standard = scoring_standard_for(assessment.standard_version)
    actions = available_actions(assessment, request.user)
    extra = {
        "saved": message,
        "timeline": _timeline(assessment, standard, lang),
        "submit_check": _submit_check(assessment, standard, lang) if Action.SUBMIT in actions else None,
    }
    return _panel(request, assessment, saved_shown(assessment, lang), **extra)


@require_POST
@login_required
@domain_errors
def assessment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the form as it stands, without saving: the live result panel (htmx). Every error is
    reported at once (format and value); the rest is scored as if the wrong ones were empty."""
    assessment = get_assessment_for_user(request.user, pk, Action.SAVE)
    form, preview = _checked_form(request, assessment)
    shown = checked_shown(assessment, form, preview, engine_language())
    return _panel(request, assessment, shown, errors=form.all_errors())


@require_POST
@login_required
@domain_errors
def assessment_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the draft a new title."""
    assessment = get_assessment_for_user(request.user, pk, Action.RENAME)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_rename(by=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_error("title", str(exc.message))
        else:
            messages.success(request, _("已修改标题。"))
            return redirect("assessments:detail", pk=pk)
    return render_detail(request, assessment, status=400, rename_form=form)


@require_POST
@login_required
@domain_errors
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft: it is frozen with its values, notes, evidence list and result."""
    assessment = get_assessment_for_user(request.user, pk, Action.SUBMIT)
    assessment = services.assessment_submit(by=request.user, assessment=assessment)
    messages.success(request, _("已提交。提交后的自评估不能再修改。"))
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
@login_required
@domain_errors
def assessment_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft from a submitted self-assessment; say so when it moved to the version now
    in force, and which indicators could not come along."""
    source = get_assessment_for_user(request.user, pk, Action.COPY)
    copy = services.assessment_copy(by=request.user, source=source)
    messages.success(request, _("已复制为新的自评估草稿。"))
    if copy.standard_version_id != source.standard_version_id:
        _copy_switch_message(request, source, copy)
    return redirect("assessments:detail", pk=copy.pk)


def _copy_switch_message(request: HttpRequest, source: SelfAssessment, copy: SelfAssessment) -> None:
    lost = selectors.not_carried_over(source, copy)
    switch = {"old": source.standard_version.label, "new": copy.standard_version.label}
    if not lost:
        messages.warning(request, _("标准版本已由 %(old)s 换为现行的 %(new)s，全部填报均已沿用。") % switch)
        return
    messages.warning(
        request,
        ngettext(
            "标准版本已由 %(old)s 换为现行的 %(new)s；"
            "%(count)d 项指标的填报或佐证材料未能沿用，请重新填写：%(codes)s。",
            "标准版本已由 %(old)s 换为现行的 %(new)s；"
            "%(count)d 项指标的填报或佐证材料未能沿用，请重新填写：%(codes)s。",
            len(lost),
        )
        % {**switch, "count": len(lost), "codes": enumeration(lost)},
    )


# ---------------------------------------------------------------- evidence


def _evidence_block(
    request: HttpRequest, assessment: SelfAssessment, code: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """One indicator's evidence block (htmx), with the pre-submission summary updated out of band."""
    actions = available_actions(assessment, request.user)
    standard = scoring_standard_for(assessment.standard_version)
    context = {
        "assessment": assessment,
        "actions": actions,
        "ind": {"code": code, "evidence": selectors.evidence_by_indicator(assessment).get(code, [])},
        "oob": True,
        "submit_check": _submit_check(assessment, standard, engine_language())
        if Action.SUBMIT in actions
        else None,
        **extra,
    }
    return render(request, "assessments/partials/_evidence.html", context, status=status)


def _indicator_anchor(pk: int, code: str) -> str:
    return reverse("assessments:detail", args=[pk]) + f"#ind-{code}"


@require_POST
@login_required
@domain_errors
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an evidence file to one indicator (checked by content, stored privately). With htmx
    only that indicator's evidence block is answered (errors inline); without, the page is
    reloaded at the indicator, with the outcome at the top."""
    assessment = get_assessment_for_user(request.user, pk, Action.UPLOAD_EVIDENCE)
    form = EvidenceUploadForm(request.POST, request.FILES)
    code = request.POST.get("indicator_code", "")
    errors: list[str] = []
    status, name = 400, ""
    if form.is_valid():
        try:
            evidence = services.evidence_attach(by=request.user, assessment=assessment, **form.cleaned_data)
        except DomainError as exc:
            if not (request.htmx or isinstance(exc, ValidationFailed)):  # type: ignore[attr-defined]
                raise  # a refused state or role is the problem page, not a message
            errors, status = [str(error) for error in exc.errors] or [str(exc.message)], exc.status
        else:
            name = evidence.original_name
    else:
        errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    if request.htmx:  # type: ignore[attr-defined]
        if errors:
            return _evidence_block(request, assessment, code, status=status, evidence_errors=errors)
        notice = _("已上传“%(name)s”。") % {"name": name}
        return _evidence_block(request, assessment, code, evidence_notice=notice)
    if errors:
        text = _("%(code)s 的佐证材料未上传：%(errors)s") % {"code": code, "errors": " ".join(errors)}
        messages.error(request, text)
    else:
        messages.success(request, _("已上传佐证材料。"))
    return redirect(_indicator_anchor(pk, code))


@require_POST
@login_required
@domain_errors
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Remove an evidence file from a draft (kept on record, no longer counted)."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk, Action.REMOVE_EVIDENCE)
    services.evidence_remove(by=request.user, evidence=evidence)
    notice = _("已移除佐证材料“%(name)s”。") % {"name": evidence.original_name}
    if request.htmx:  # type: ignore[attr-defined]
        return _evidence_block(request, evidence.assessment, evidence.indicator_code, evidence_notice=notice)
    messages.success(request, notice)
    return redirect(_indicator_anchor(pk, evidence.indicator_code))


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Send an evidence file to someone who may see its assessment, as an attachment."""
    evidence = get_evidence_for_user(request.user, pk, evidence_pk)
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


# ---------------------------------------------------------------- Excel


@require_GET
@login_required
def assessment_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of this assessment's standard version, filled with its current values
    and notes (the frozen ones once submitted)."""
    assessment = get_assessment_for_user(request.user, pk, Action.EXPORT)
    version = assessment.standard_version
    data = excel.build_template(
        scoring_standard_for(version),
        version_label=version.label,
        region_name=assessment.region.full_name,
        values=selectors.values_for_template(assessment),
        content_hash=version.content_hash,
        notes=selectors.notes_of(assessment),
    )
    name = f"{assessment.region.name}-{version.label}.xlsx"
    return _xlsx(data, name, f"{assessment.region.code}-{version.label}.xlsx")


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
            # A refusal with one problem carries it as both message and error: say it once.
            errors = [str(error) for error in exc.errors if str(error) != str(exc.message)]
            return render_detail(
                request, assessment, status=400, import_errors=errors, import_message=str(exc.message)
            )
        messages.success(request, _("已导入 Excel 中的填报数据。"))
        return redirect("assessments:detail", pk=pk)
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    return render_detail(request, assessment, status=400, import_errors=errors)
