"""The call page's read side: calendar, rules, the user's own applications and deadlines."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from starcity.accounts.selectors import can_see_region, is_province_staff
from starcity.calls import selectors
from starcity.calls.choices import AggregationRule
from starcity.calls.completeness import grade_name
from starcity.calls.deadlines import format_deadline, stated_deadline
from starcity.calls.models import Application, Call, Extension
from starcity.calls.rules import CALENDAR_DATES, field_label
from starcity.core import clock
from starcity.core.text import enumeration
from starcity.regions.models import Region


@dataclass(frozen=True)
class ApplicantRow:
    """A region the user applies for: its application (if any) and the deadline it is told."""

    region: Region
    application: Application | None
    deadline: str
    extension: Extension | None
    may_start: bool


def calendar_rows(call: Call) -> list[tuple[str, str]]:
    rows = [
        (field_label("opens_at"), format_deadline(call.opens_at)),
        (field_label("deadline"), format_deadline(call.deadline)),
    ]
    if call.resubmission_until:
        rows.append((field_label("resubmission_until"), format_deadline(call.resubmission_until)))
    for name in CALENDAR_DATES:
        value = getattr(call, name)
        rows.append((field_label(name), value.isoformat() if value else _("待定")))
    return rows


def _offers(call: Call) -> str:
    version = next((item.standard_version for item in call.levels.all()), None)
    return enumeration(
        _("已达%(met)s可申报%(target)s")
        % {"met": grade_name(version, met), "target": grade_name(version, target)}
        for met, target in call.grade_offers or []
    )


def rule_rows(call: Call) -> list[tuple[str, str]]:
    rule = dict(AggregationRule.choices).get(call.aggregation_rule, call.aggregation_rule)
    rows = [(_("可申报星级"), _offers(call))]
    for item in call.levels.all():
        rows.append(
            (
                item.get_level_display(),
                _("标准 %(standard)s；试点名额 %(pilots)d，预试点名额 %(pre)d")
                % {
                    "standard": item.standard_version.label,
                    "pilots": item.pilot_quota,
                    "pre": item.pre_pilot_quota,
                },
            )
        )
    rows += [
        (field_label("grace_minutes"), str(call.grace_minutes)),
        (field_label("reminder_days"), enumeration(call.reminder_days or []) or "—"),
        (field_label("panel_size"), str(call.panel_size)),
        (field_label("substitutes"), str(call.substitutes)),
        (field_label("expert_load_cap"), str(call.expert_load_cap)),
        (field_label("aggregation_rule"), str(rule)),
        (field_label("disagreement_threshold"), str(call.disagreement_threshold)),
        (field_label("onsite_items"), str(call.onsite_items)),
        (field_label("notice_working_days"), str(call.notice_working_days)),
    ]
    return rows


def applicant_rows(call: Call, user: Any) -> list[ApplicantRow]:
    """The regions the user applies for, each with its application, its deadline (extension
    included) and whether it may still start one."""
    extensions = selectors.extensions_by_region(call)
    rows, now = [], clock.now()
    for region in selectors.applicant_regions_for(user, call):
        extension = extensions.get(region.pk)
        told = stated_deadline(deadline=call.deadline, extension_until=extension.until if extension else None)
        application = selectors.application_of(call, region)
        may_start = selectors.may_start_application(
            call, region, application=application, extension=extension, now=now
        )
        rows.append(ApplicantRow(region, application, format_deadline(told), extension, may_start))
    return rows


def visible_extensions(call: Call, user: Any) -> list[Extension]:
    """The province sees every extension; an operator those of the regions it sees."""
    extensions = sorted(selectors.extensions_by_region(call).values(), key=lambda e: e.region.code)
    if is_province_staff(user):
        return extensions
    return [e for e in extensions if can_see_region(user, e.region)]


def call_overview(call: Call, user: Any) -> dict[str, Any]:
    """Everything the call page shows this user."""
    return {
        "calendar": calendar_rows(call),
        "rules": rule_rows(call),
        "levels": list(call.levels.all()),
        "applicants": applicant_rows(call, user),
        "bundle_cities": selectors.cities_operated_by(user),
        "extensions": visible_extensions(call, user),
        "own_applications": selectors.applications_visible_to(user)
        .filter(call=call)
        .order_by("level", "region__code")
        if not is_province_staff(user)
        else [],
    }
