"""View helpers shared by the apps: no domain rules."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from starcity.core.errors import DomainError

ProblemPage = Callable[[HttpRequest, DomainError, dict[str, Any]], HttpResponse]
View = Callable[..., HttpResponse]


def refusals_shown_by(problem_page: ProblemPage) -> Callable[[View], View]:
    """A view decorator turning a refused action (`DomainError`: 400, 403 or 409) into the app's
    status page, never a 500; `problem_page(request, error, view kwargs)` renders it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return problem_page(request, exc, kwargs)

        return wrapper

    return decorator
