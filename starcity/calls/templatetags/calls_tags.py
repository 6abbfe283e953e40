"""Template helpers of the calls pages: status badges drawn with the house badge classes."""

from django import template

from starcity.calls.choices import ApplicationStatus, CallStatus

register = template.Library()

S = ApplicationStatus
_APPLICATION: dict[str, str] = {
    S.DRAFT: "badge-draft",
    S.WITH_CITY: "badge-warn",
    S.CITY_RETURNED: "badge-bad",
    S.CITY_APPROVED: "badge-latest",
    S.SUBMITTED: "badge-submitted",
    S.PROVINCE_RETURNED: "badge-bad",
    S.ACCEPTED: "badge-ok",
    S.WITHDRAWN: "badge-superseded",
}
_CALL: dict[str, str] = {
    CallStatus.DRAFT: "badge-draft",
    CallStatus.PUBLISHED: "badge-ok",
    CallStatus.CLOSED: "badge-superseded",
}


@register.filter
def application_badge(status: str) -> str:
    """The badge class of an application status."""
    return _APPLICATION.get(status, "")


@register.filter
def call_badge(status: str) -> str:
    """The badge class of a call status."""
    return _CALL.get(status, "")
