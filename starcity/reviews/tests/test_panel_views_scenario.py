"""Shared scenario of the panel tests (no tests here): a county call with accepted applications
of 桓台县 (淄博) and 章丘区 (济南), and a pool of experts with logins in other cities.

Experts each get their own employer (make_expert files the account under an organisation of
that name in the expert's home region, and membership in an organisation inside the applicant's
city is a conflict).
"""

from dataclasses import dataclass, field
from typing import Any

from starcity.calls.testing import make_accepted_application, make_call, submitted_assessment
from starcity.regions.models import Region
from starcity.reviews.models import Expert
from starcity.reviews.testing import make_expert

ALL_FIELDS = ["youzheng", "huimin", "xingye", "qiangji"]
# home regions outside 淄博 (370300) and 济南 (370100)
HOMES = ["370200", "370600", "370700", "370800", "370900", "371000", "371100", "371300", "371400", "371500"]


@dataclass
class Scenario:
    officer: Any
    call: Any
    application: Any
    experts: list[Expert]
    other_application: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def expert_named(self, name: str) -> Expert:
        return next(e for e in self.experts if e.name == name)


def make_pool(count: int, *, fields: list[list[str]] | None = None, prefix: str = "专家") -> list[Expert]:
    """`count` available experts with logins, homes outside 淄博 and 济南, distinct employers."""
    experts = []
    for i in range(count):
        name = f"{prefix}{i + 1:02d}"
        experts.append(
            make_expert(
                name,
                HOMES[i % len(HOMES)],
                employer=f"{name}单位",
                fields=fields[i] if fields else list(ALL_FIELDS),
                with_account=True,
            )
        )
    return experts


def accepted_application(call: Any, *, by: Any, code: str, version: Any) -> Any:
    region = Region.objects.get(code=code)
    assessment = submitted_assessment(by=by, region=region, version=version, grade=3)
    return make_accepted_application(call=call, assessment=assessment, by=by)


def build_scenario(
    province_officer: Any, county_operator: Any, county_operator_other_city: Any, county_standard: Any
) -> Scenario:
    """A call (panels of 3 and 1 substitute, load cap 10) with two accepted county applications
    and six experts. Test modules wrap it in their `scenario` fixture."""
    call = make_call(
        by=province_officer,
        versions={"county": county_standard},
        panel_size=3,
        substitutes=1,
        expert_load_cap=10,
    )
    application = accepted_application(call, by=county_operator, code="370321", version=county_standard)
    other = accepted_application(call, by=county_operator_other_city, code="370114", version=county_standard)
    return Scenario(
        officer=province_officer,
        call=call,
        application=application,
        other_application=other,
        experts=make_pool(6),
        extra={"standard": county_standard},
    )


def standard_of(scenario: Scenario) -> Any:
    from starcity.standards.selectors import scoring_standard_for

    return scoring_standard_for(scenario.extra["standard"])


def values_for(standard: Any, grade: int) -> dict[str, Any]:
    """Every indicator's entry at `grade` (ratios as their percentage)."""
    from starcity.calls.testing import values_at_grade

    values = values_at_grade(standard, grade)["values"]
    for ind in standard.indicators:
        if ind.method == "ratio" and values[ind.code] is not None:
            values[ind.code] = {"numerator": values[ind.code]["numerator"], "denominator": "100"}
    return values


def drawn_panel(scenario: Scenario, seed: str = "seed") -> Any:
    from starcity.reviews.services import panel_draw

    return panel_draw(by=scenario.officer, application=scenario.application, seed=seed)


def accept_all(panel: Any) -> list[Any]:
    """Every invited member signs and accepts; returns the active members in draw order."""
    from starcity.reviews.choices import MemberStatus
    from starcity.reviews.services import member_accept

    members = list(panel.members.filter(status=MemberStatus.INVITED).select_related("expert__user"))
    for member in members:
        member_accept(by=member.expert.user, member=member, declaration=True)
    return list(
        panel.members.filter(status=MemberStatus.ACCEPTED).order_by("position").select_related("expert__user")
    )


def score_and_submit(
    scenario: Scenario, member: Any, grade: int, *, overrides: dict[str, Any] | None = None
) -> Any:
    from starcity.reviews.services import scorecard_save, scorecard_submit

    standard = standard_of(scenario)
    values = {**values_for(standard, grade), **(overrides or {})}
    scorecard_save(by=member.expert.user, member=member, standard=standard, values=values, comments={})
    return scorecard_submit(by=member.expert.user, member=member, standard=standard)
