"""What every page of calls and applications shares: refused actions as pages, form errors."""

import re
from urllib.parse import quote

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from starcity.core.errors import DomainError
from starcity.core.views import refusals_shown_by

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# a refused action shows its status page (409, 400 or 403), never a 500
domain_errors = refusals_shown_by(
    lambda request, exc, kwargs: problem_response(request, exc, back=getattr(request, "back_url", ""))
)


def problem_response(request: HttpRequest, exc: DomainError, *, back: str = "") -> HttpResponse:
    context = {"message": exc.message, "errors": exc.errors, "back": back}
    return render(request, "calls/problem.html", context, status=exc.status)


def add_errors(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a refusal's problems on the form's fields (or the form itself when no field fits)."""
    problems = getattr(exc, "by_field", None) or [(exc.field, str(exc.message))]
    extra = [str(e) for e in exc.errors if all(str(e) != str(m) for _f, m in problems)]
    for field, message in [*problems, *[(None, e) for e in extra]]:
        form.add_error(field if field in form.fields else None, str(message))


def xlsx_response(data: bytes, filename: str, ascii_name: str) -> HttpResponse:
    """An .xlsx attachment named `filename` (RFC 5987), with `ascii_name` for older clients."""
    plain = re.sub(r"[^A-Za-z0-9._@-]+", "_", ascii_name)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
