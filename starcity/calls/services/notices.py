"""Notifications of the application chain: who is told what, with a link, in Chinese.

Titles and bodies are stored as written, so they are built in the programme's language whatever
the acting user's interface language is.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from starcity.calls import selectors
from starcity.calls.models import Application, Call
from starcity.notifications.services import notify


def application_url(application: Application) -> str:
    return reverse("calls:application_detail", args=[application.pk])


def call_url(call: Call) -> str:
    return reverse("calls:detail", args=[call.pk])


def bundle_url(call: Call, city: Any) -> str:
    return reverse("calls:bundle", args=[call.pk]) + f"?city={city.code}"


def send(*, recipients: Iterable[Any], kind: str, url: str, text: Callable[[], tuple[str, str]]) -> None:
    """Notify `recipients`; `text()` returns (title, body) and runs in the programme's language."""
    people = list(recipients)
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title, body = text()
    notify(recipients=people, kind=kind, title=title, body=body, url=url)


def applicant_and_city(application: Application) -> list[Any]:
    """The applicant's operators and, for a county, its city's operators."""
    people = selectors.operators_of(application.region)
    if application.city_id != application.region_id:
        people += selectors.operators_of(application.city)
    return people
