"""Expert pool pages (province staff): list, filters and search, create and edit, availability,
Excel template, import and export, declared conflicts, and the conflicts of an application
explained. An expert's own page declares their conflicts ("我的利益冲突申报").

Thin views: fetch with permission → validate the form → one service → redirect (or re-render
with the errors). Domain errors become a 400/403/409 page, never a 500.
"""

import re
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from starcity.accounts.choices import Role
from starcity.accounts.models import User
from starcity.assessments.forms import refuse_oversized
from starcity.calls.choices import ApplicationStatus
from starcity.calls.models import Application
from starcity.core import clock
from starcity.core.audit import audit_timeline_for
from starcity.core.errors import DomainError, ValidationFailed
from starcity.core.uploads import validate_upload
from starcity.core.views import refusals_shown_by
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.reviews import excel
from starcity.reviews.choices import Field, MemberStatus
from starcity.reviews.conflicts import conflict_map
from starcity.reviews.models import DeclaredConflict, Expert, PanelMember
from starcity.reviews.permissions import (
    get_application_for_conflicts,
    get_expert_for_user,
    get_own_expert,
    require_pool_manager,
)
from starcity.reviews.selectors import applications_of_expert
from starcity.reviews.services.experts import (
    ExpertData,
    PoolFilters,
    conflict_declare,
    declared_conflicts_of,
    expert_create,
    expert_set_available,
    expert_update,
    experts_filtered,
    experts_import,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
YES, NO = "yes", "no"


def _problem_page(request: HttpRequest, exc: DomainError, kwargs: dict[str, Any]) -> HttpResponse:
    context = {"message": exc.message, "errors": exc.errors, "pk": kwargs.get("pk")}
    return render(request, "reviews/experts/problem.html", context, status=exc.status)


# a refused action shows its status page
domain_errors = refusals_shown_by(_problem_page)


def _xlsx(data: bytes, filename: str, ascii_name: str) -> HttpResponse:
    plain = re.sub(r"[^A-Za-z0-9._@-]+", "_", ascii_name)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form_errors(form: forms.Form) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


# ---------------------------------------------------------------- forms


def _regions() -> Any:
    """Regions an expert or employer may be attached to: the province, cities and counties."""
    return (
        Region.objects.filter(is_active=True)
        .exclude(level=Level.COMMUNITY)
        .select_related("parent")
        .order_by("path")
    )


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_username()} · {obj}"


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=64)
    field = forms.ChoiceField(label=gettext_lazy("专业领域"), required=False)
    city = RegionField(
        queryset=Region.objects.none(),
        label=gettext_lazy("所在城市"),
        required=False,
        empty_label=gettext_lazy("全部"),
    )
    available = forms.ChoiceField(label=gettext_lazy("可参加评审"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [("", _("全部")), *Field.choices]
        cities = Region.objects.filter(level=Level.CITY, is_active=True).order_by("path")
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = cities
        choices = [("", _("全部")), (YES, _("可参加")), (NO, _("暂不参加"))]
        cast(forms.ChoiceField, self.fields["available"]).choices = choices

    def filters(self) -> PoolFilters:
        if not self.is_valid():
            return PoolFilters()
        data = self.cleaned_data
        available = {YES: True, NO: False}.get(data.get("available") or "")
        return PoolFilters(
            q=data.get("q") or "", field=data.get("field") or "", city=data.get("city"), available=available
        )


class ExpertForm(forms.Form):
    """The office's form of one expert; the service checks the rules (ValidationFailed per field)."""

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64)
    employer = forms.CharField(label=gettext_lazy("工作单位"), max_length=128)
    employer_region = RegionField(
        queryset=Region.objects.none(),
        label=gettext_lazy("单位所属区域"),
        required=False,
        empty_label=gettext_lazy("（未填写）"),
        help_text=gettext_lazy("单位隶属于某设区市或县（市、区）时填写：该市的申报回避此专家。"),
    )
    home_region = RegionField(
        queryset=Region.objects.none(),
        label=gettext_lazy("所在地区"),
        help_text=gettext_lazy("专家所在的设区市或县（市、区）：该市的申报回避此专家。"),
    )
    domains = forms.MultipleChoiceField(
        label=gettext_lazy("专业领域"),
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一个专业领域。")},
    )
    available = forms.BooleanField(label=gettext_lazy("可参加评审"), required=False, initial=True)
    phone = forms.CharField(label=gettext_lazy("电话"), max_length=32, required=False)
    email = forms.CharField(label=gettext_lazy("电子邮箱"), max_length=254, required=False)
    notes = forms.CharField(
        label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    user = AccountField(
        queryset=User.objects.none(),
        label=gettext_lazy("关联账号"),
        required=False,
        empty_label=gettext_lazy("（不关联）"),
        help_text=gettext_lazy("具有评审专家角色的账号；关联后专家可登录查看评审任务、申报利益冲突。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = _regions()
        cast(forms.ModelChoiceField, self.fields["employer_region"]).queryset = regions
        cast(forms.ModelChoiceField, self.fields["home_region"]).queryset = regions
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            User.objects.filter(is_active=True, memberships__role=Role.EXPERT, memberships__is_active=True)
            .distinct()
            .order_by("username")
        )

    def data_object(self) -> ExpertData:
        data = self.cleaned_data
        return ExpertData(
            name=data["name"],
            employer=data["employer"],
            employer_region=data.get("employer_region"),
            home_region=data.get("home_region"),
            fields=list(data.get("domains") or []),
            available=bool(data.get("available")),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            notes=data.get("notes") or "",
            user=data.get("user"),
        )

    def add_domain_errors(self, exc: ValidationFailed) -> None:
        """Put a service refusal's problems on the fields they name (else above the form)."""
        for problem in exc.errors or [exc.message]:
            field = getattr(problem, "field", None) or exc.field
            field = "domains" if field == "fields" else field
            self.add_error(field if field in self.fields else None, str(problem))


def _initial(expert: Expert) -> dict[str, Any]:
    return {
        "name": expert.name,
        "employer": expert.employer,
        "employer_region": expert.employer_region_id,
        "home_region": expert.home_region_id,
        "domains": list(expert.fields or []),
        "available": expert.available,
        "phone": expert.phone,
        "email": expert.email,
        "notes": expert.notes,
        "user": expert.user_id,
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("已填写的专家库模板（.xlsx）"),
        error_messages={"required": gettext_lazy("请先选择文件。")},
    )

    def clean_file(self) -> Any:
        return refuse_oversized(self.cleaned_data["file"])


class ApplicationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(year)s年 · %(region)s") % {"year": obj.call.year, "region": obj.region.full_name}


class DeclareForm(forms.Form):
    """A declared conflict: a region or one application (one of the two), and why."""

    region = RegionField(
        queryset=Region.objects.none(),
        label=gettext_lazy("地区"),
        required=False,
        empty_label=gettext_lazy("（不选择）"),
        help_text=gettext_lazy("该地区及其所在设区市的申报都将回避。"),
    )
    application = ApplicationField(
        queryset=Application.objects.none(),
        label=gettext_lazy("申报"),
        required=False,
        empty_label=gettext_lazy("（不选择）"),
    )
    reason = forms.CharField(
        label=gettext_lazy("利益冲突情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": gettext_lazy("请说明利益冲突的情况。")},
    )

    def __init__(self, *args: Any, applications: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = _regions()
        if applications is None:
            applications = Application.objects.exclude(
                status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT]
            )
        cast(forms.ModelChoiceField, self.fields["application"]).queryset = applications.select_related(
            "call", "region__parent__parent"
        ).order_by("-call__year", "region__path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("region")) == bool(data.get("application")):
            raise forms.ValidationError(_("请选择一个地区或一份申报（二选一）。"))
        return data


# ---------------------------------------------------------------- the pool list


def _filter_form(request: HttpRequest) -> PoolFilterForm:
    return PoolFilterForm(request.GET or None)


def render_list(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    form = _filter_form(request)
    rows = experts_filtered(form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "total": Expert.objects.count(),
        "import_form": extra.pop("import_form", None) or ImportForm(),
        **extra,
    }
    return render(request, "reviews/experts/list.html", context, status=status)


@require_GET
@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """The pool: filters (field, home city, available) and search."""
    require_pool_manager(request.user)
    return render_list(request)


@require_GET
@login_required
def expert_export(request: HttpRequest) -> HttpResponse:
    """The filtered pool as Excel (the list's rows, all pages): it can be edited and imported."""
    require_pool_manager(request.user)
    rows = experts_filtered(_filter_form(request).filters())
    stamp = clock.local_now().strftime("%Y%m%d-%H%M")
    return _xlsx(excel.export_experts(rows), f"{_('专家库')}-{stamp}.xlsx", f"experts-{stamp}.xlsx")


@require_GET
@login_required
def expert_template(request: HttpRequest) -> HttpResponse:
    """The import template."""
    require_pool_manager(request.user)
    return _xlsx(excel.build_template(), f"{_('专家库导入模板')}.xlsx", "experts-template.xlsx")


@require_POST
@login_required
@domain_errors
def expert_import(request: HttpRequest) -> HttpResponse:
    """Import a filled template: all or nothing; every bad cell listed by row and column."""
    require_pool_manager(request.user)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_list(request, status=400, import_form=form, import_errors=_form_errors(form))
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        validate_upload(ContentFile(data, name=upload.name or "experts.xlsx"), allowed={"xlsx"})
        rows = excel.read_experts(data)
        summary = experts_import(by=request.user, rows=rows)
    except ValidationFailed as exc:
        errors = [str(error) for error in exc.errors if str(error) != str(exc.message)]
        return render_list(request, status=400, import_message=str(exc.message), import_errors=errors)
    messages.success(
        request,
        _("已导入专家库：新增 %(created)s 位，更新 %(updated)s 位，%(unchanged)s 位没有变化。")
        % {
            "created": len(summary.created),
            "updated": len(summary.updated),
            "unchanged": len(summary.unchanged),
        },
    )
    return redirect("reviews:expert_list")


# ---------------------------------------------------------------- one expert


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def expert_create_view(request: HttpRequest) -> HttpResponse:
    require_pool_manager(request.user)
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = expert_create(by=request.user, data=form.data_object())
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("已将专家“%(name)s”加入专家库。") % {"name": expert.name})
            return redirect("reviews:expert_detail", pk=expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/experts/form.html", {"form": form, "expert": None}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "edit")
    form = ExpertForm(request.POST or None, initial=_initial(expert))
    if request.method == "POST" and form.is_valid():
        try:
            expert_update(by=request.user, expert=expert, data=form.data_object())
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("已保存专家“%(name)s”的信息。") % {"name": expert.name})
            return redirect("reviews:expert_detail", pk=expert.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/experts/form.html", {"form": form, "expert": expert}, status=status)


def render_detail(request: HttpRequest, expert: Expert, *, status: int = 200, **extra: Any) -> HttpResponse:
    memberships = (
        PanelMember.objects.filter(expert=expert)
        .select_related("panel__application__region__parent__parent", "panel__call")
        .order_by("-panel__drawn_at", "-pk")
    )
    context = {
        "expert": expert,
        "declared": list(declared_conflicts_of(expert)),
        "declare_form": extra.pop("declare_form", None) or DeclareForm(),
        "memberships": list(memberships[:200]),
        "timeline": list(audit_timeline_for(expert)[:100]),
        "member_status": MemberStatus,
        **extra,
    }
    return render(request, "reviews/experts/detail.html", context, status=status)


@require_GET
@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk)
    return render_detail(request, expert)


def _set_available(request: HttpRequest, pk: int, available: bool) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "edit")
    expert_set_available(by=request.user, expert=expert, available=available)
    text = _("专家“%(name)s”已设为可参加评审。") if available else _("专家“%(name)s”已设为暂不参加评审。")
    messages.success(request, text % {"name": expert.name})
    return redirect("reviews:expert_detail", pk=expert.pk)


@require_POST
@login_required
@domain_errors
def expert_available(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_available(request, pk, True)


@require_POST
@login_required
@domain_errors
def expert_unavailable(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_available(request, pk, False)


@require_POST
@login_required
@domain_errors
def expert_conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a conflict an expert reported (a region or an application)."""
    expert = get_expert_for_user(request.user, pk, "edit")
    form = DeclareForm(request.POST)
    if not form.is_valid():
        return render_detail(request, expert, status=400, declare_form=form)
    data = form.cleaned_data
    conflict_declare(
        by=request.user,
        expert=expert,
        region=data.get("region"),
        application=data.get("application"),
        reason=data["reason"],
    )
    messages.success(request, _("已记录专家“%(name)s”的利益冲突申报。") % {"name": expert.name})
    return redirect("reviews:expert_detail", pk=expert.pk)


# ---------------------------------------------------------------- an expert's own declarations


def _own_applications(expert: Expert | None) -> Any:
    """The applications an expert may name: those of the panels they sit on now (see
    `selectors.applications_of_expert`)."""
    if expert is None:
        return Application.objects.none()
    return applications_of_expert(expert)


def render_mine(
    request: HttpRequest, expert: Expert | None, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "expert": expert,
        "declared": list(declared_conflicts_of(expert)) if expert is not None else [],
        "form": extra.pop("form", None) or DeclareForm(applications=_own_applications(expert)),
        **extra,
    }
    return render(request, "reviews/experts/my_conflicts.html", context, status=status)


@require_GET
@login_required
def my_conflicts(request: HttpRequest) -> HttpResponse:
    """我的利益冲突申报: an expert's declarations and the form to add one."""
    return render_mine(request, get_own_expert(request.user))


@require_POST
@login_required
@domain_errors
def my_conflict_declare(request: HttpRequest) -> HttpResponse:
    expert = get_own_expert(request.user)
    if expert is None:
        return render_mine(request, None, status=409)
    form = DeclareForm(request.POST, applications=_own_applications(expert))
    if not form.is_valid():
        return render_mine(request, expert, status=400, form=form)
    data = form.cleaned_data
    conflict_declare(
        by=request.user,
        expert=expert,
        region=data.get("region"),
        application=data.get("application"),
        reason=data["reason"],
    )
    messages.success(request, _("已记录您的利益冲突申报，相关申报将不再分配给您。"))
    return redirect("reviews:my_conflicts")


# ---------------------------------------------------------------- conflicts of an application


@require_GET
@login_required
def application_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    """For province staff: which experts of the pool may not review this application, and why."""
    application = get_application_for_conflicts(request.user, pk)
    experts = list(Expert.objects.select_related("home_region__parent__parent").order_by("name", "pk"))
    found = conflict_map(experts, [application])
    rows = [
        (expert, found[(expert.pk, application.pk)])
        for expert in experts
        if (expert.pk, application.pk) in found
    ]
    available = sum(1 for expert in experts if expert.available)
    eligible = sum(1 for expert in experts if expert.available and (expert.pk, application.pk) not in found)
    context = {
        "application": application,
        "rows": rows,
        "pool": len(experts),
        "available": available,
        "eligible": eligible,
        "declared_here": DeclaredConflict.objects.filter(application=application).count(),
    }
    return render(request, "reviews/experts/application_conflicts.html", context)
