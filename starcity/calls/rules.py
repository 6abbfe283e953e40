"""The rules a call must satisfy, as pure functions: every problem named by its field.

A draft may be saved with its calendar half-filled, but what it holds must be consistent (the
deadline after the opening, dates in order, offers well-formed). Publishing asks more: at least
one level, each with a standard version in force of that level, and a deadline still ahead.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from starcity.calls.deadlines import BEIJING
from starcity.regions.choices import Level
from starcity.standards.choices import VersionStatus

CALENDAR_DATES = (
    "review_starts",
    "review_ends",
    "onsite_starts",
    "onsite_ends",
    "notice_starts",
    "publication_date",
    "pre_pilot_recheck_by",
)
# what may still move once a call is published (dates slip)
CALENDAR_FIELDS = ("deadline", "resubmission_until", *CALENDAR_DATES)
RULE_FIELDS = (
    "year",
    "title",
    "description",
    "grade_offers",
    "opens_at",
    "deadline",
    "grace_minutes",
    "resubmission_until",
    "reminder_days",
    "panel_size",
    "substitutes",
    "expert_load_cap",
    "aggregation_rule",
    "disagreement_threshold",
    "onsite_items",
    "notice_working_days",
)
CALL_FIELDS = (*RULE_FIELDS, *CALENDAR_DATES)
APPLYING_LEVELS = (Level.CITY, Level.COUNTY)
MAX_REMINDER_DAYS = 90

Problem = tuple[str, str]


@dataclass(frozen=True)
class LevelInput:
    """A level that may apply, its pinned standard version and its quotas."""

    level: str
    standard_version: Any
    pilot_quota: int = 0
    pre_pilot_quota: int = 0


def field_label(name: str) -> str:
    from starcity.calls.models import Call

    return str(getattr(Call._meta.get_field(name), "verbose_name", name))


def _local_date(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def offers_problems(offers: Any, levels: Sequence[LevelInput]) -> list[Problem]:
    """[[already met, target], ...]: met below target, each target offered once, within the
    grades of every pinned standard."""
    if not isinstance(offers, list) or not offers:
        return [("grade_offers", _("可申报星级至少需要一项。"))]
    problems: list[Problem] = []
    targets: set[int] = set()
    most = min((len(lv.standard_version.grades or []) for lv in levels), default=None)
    for number, offer in enumerate(offers, start=1):
        if not (
            isinstance(offer, list | tuple) and len(offer) == 2 and all(isinstance(g, int) for g in offer)
        ):
            problems.append(("grade_offers", _("第 %(row)d 项格式不正确。") % {"row": number}))
            continue
        met, target = offer
        if not 0 <= met < target:
            problems.append(("grade_offers", _("第 %(row)d 项：已达星级须低于申报星级。") % {"row": number}))
        elif target in targets:
            problems.append(("grade_offers", _("第 %(row)d 项：申报星级重复。") % {"row": number}))
        elif most is not None and target > most:
            problems.append(
                (
                    "grade_offers",
                    _("第 %(row)d 项：所选标准只有 %(most)d 个星级。") % {"row": number, "most": most},
                )
            )
        targets.add(target)
    return problems


def reminder_problems(days: Any) -> list[Problem]:
    """Reminder days: whole days between 1 and 90, each once."""
    if not isinstance(days, list):
        return [("reminder_days", _("提醒天数格式不正确。"))]
    if any(not isinstance(d, int) or not 1 <= d <= MAX_REMINDER_DAYS for d in days):
        return [("reminder_days", _("提醒天数须为 1 至 %(most)d 之间的整数。") % {"most": MAX_REMINDER_DAYS})]
    if len(set(days)) != len(days):
        return [("reminder_days", _("提醒天数不能重复。"))]
    return []


def _order_problems(values: Mapping[str, Any]) -> list[Problem]:
    """The calendar runs forward: the deadline, review, on-site review, notice, publication and
    the pre-pilot re-check, each on or after the ones before it that are set."""
    chain: list[tuple[str, date]] = []
    if values.get("deadline"):
        chain.append(("deadline", _local_date(values["deadline"])))
    chain += [(name, values[name]) for name in CALENDAR_DATES if values.get(name)]
    problems: list[Problem] = []
    for (earlier, first), (later, second) in pairwise(chain):
        if second < first:
            problems.append(
                (
                    later,
                    _("%(later)s（%(second)s）不能早于%(earlier)s（%(first)s）。")
                    % {
                        "later": field_label(later),
                        "second": second.isoformat(),
                        "earlier": field_label(earlier),
                        "first": first.isoformat(),
                    },
                )
            )
    return problems


def time_problems(values: Mapping[str, Any]) -> list[Problem]:
    """The opening, the deadline and the resubmission period in order, and the calendar."""
    problems: list[Problem] = []
    opens, deadline, until = values.get("opens_at"), values.get("deadline"), values.get("resubmission_until")
    if opens and deadline and deadline <= opens:
        problems.append(("deadline", _("申报截止时间须晚于开始申报时间。")))
    if deadline and until and until < deadline:
        problems.append(("resubmission_until", _("退回后重新提交截止时间不能早于申报截止时间。")))
    return problems + _order_problems(values)


def _count_problems(values: Mapping[str, Any]) -> list[Problem]:
    minimums = {
        "panel_size": 1,
        "substitutes": 0,
        "expert_load_cap": 1,
        "disagreement_threshold": 1,
        "onsite_items": 1,
        "notice_working_days": 1,
    }
    return [
        (name, _("%(field)s不能小于 %(minimum)d。") % {"field": field_label(name), "minimum": minimum})
        for name, minimum in minimums.items()
        if values.get(name) is not None and values[name] < minimum
    ]


def level_problems(levels: Sequence[LevelInput], *, publishing: bool) -> list[Problem]:
    """Each level once, city or county, pinned to a version of that level (in force to publish)."""
    problems: list[Problem] = []
    if publishing and not levels:
        problems.append(("levels", _("至少需要开放一个申报层级（设区市或县(市、区)）。")))
    for item in levels:
        label = dict(Level.choices)[item.level] if item.level in Level.values else item.level
        if item.level not in APPLYING_LEVELS:
            problems.append(("levels", _("申报层级只能是设区市或县(市、区)。")))
        elif item.standard_version is None:
            problems.append((f"{item.level}_version", _("请为%(level)s选择标准版本。") % {"level": label}))
        elif item.standard_version.level != item.level:
            problems.append((f"{item.level}_version", _("%(level)s须使用%(level)s标准。") % {"level": label}))
        elif publishing and item.standard_version.status != VersionStatus.PUBLISHED:
            problems.append(
                (
                    f"{item.level}_version",
                    _("标准版本 %(version)s 已被替代，请选择现行版本。")
                    % {"version": item.standard_version.label},
                )
            )
    return problems


def call_problems(
    values: Mapping[str, Any], levels: Sequence[LevelInput], *, publishing: bool, now: datetime
) -> list[Problem]:
    """Every problem of a call's values and levels (empty when it may be saved / published)."""
    problems = time_problems(values) + _count_problems(values)
    problems += offers_problems(values.get("grade_offers"), [lv for lv in levels if lv.standard_version])
    problems += reminder_problems(values.get("reminder_days", []))
    problems += level_problems(levels, publishing=publishing)
    if publishing and values.get("deadline") and values["deadline"] <= now:
        problems.append(("deadline", _("申报截止时间已过，不能发布。")))
    return problems
