"""Builders of experts for tests and the benchmark."""

from typing import Any

from starcity.accounts.choices import OrgKind, Role
from starcity.accounts.models import Membership, Organisation, User
from starcity.regions.models import Region
from starcity.reviews.models import Expert


def make_expert(
    name: str,
    home_code: str,
    *,
    employer: str = "山东大学",
    employer_code: str | None = None,
    fields: list[str] | None = None,
    user: User | None = None,
    with_account: bool = False,
    **extra: Any,
) -> Expert:
    """An available expert living in region `home_code`; `with_account` also makes a login with
    the expert role (username = name) when no `user` is given."""
    home = Region.objects.get(code=home_code)
    if user is None and with_account:
        org, _ = Organisation.objects.get_or_create(
            name=employer, defaults={"kind": OrgKind.EXPERT_AFFILIATION, "region": home}
        )
        user = User.objects.create_user(username=name, password="Starcity-test-2026", display_name=name)
        Membership.objects.create(user=user, organisation=org, role=Role.EXPERT)
    return Expert.objects.create(
        user=user,
        name=name,
        employer=employer,
        employer_region=Region.objects.get(code=employer_code) if employer_code else None,
        home_region=home,
        fields=fields if fields is not None else ["youzheng", "huimin", "xingye", "qiangji"],
        **extra,
    )


def make_panel(*, application: Any, experts: list[Expert], by: User, seed: str = "test") -> Any:
    """A panel of `experts` (in that order; the first is chair) for `application`, every member
    accepted with the declaration signed, written directly (the draw's own tests cover the draw)."""
    from starcity.core import clock
    from starcity.reviews.choices import MemberRole, MemberStatus
    from starcity.reviews.models import Panel, PanelMember

    now = clock.now()
    panel = Panel.objects.create(
        application=application, call=application.call, seed=seed, drawn_by=by, drawn_at=now
    )
    for position, expert in enumerate(experts, start=1):
        PanelMember.objects.create(
            panel=panel,
            expert=expert,
            position=position,
            role=MemberRole.MEMBER,
            status=MemberStatus.ACCEPTED,
            is_chair=position == 1,
            declaration_signed_at=now,
            responded_at=now,
        )
    return panel


def give_scores(member: Any, values: dict[str, Any], *, submit: bool = True) -> None:
    """Write a member's scores ({indicator: values@1 entry}) and, by default, mark them submitted
    (without aggregating: call `conclusion.panel_refresh` to do that)."""
    from starcity.core import clock
    from starcity.reviews.choices import MemberStatus
    from starcity.reviews.models import Score

    Score.objects.bulk_create(
        [Score(member=member, indicator=code, value=value) for code, value in values.items()]
    )
    if submit:
        member.status = MemberStatus.SUBMITTED
        member.submitted_at = clock.now()
        member.save(update_fields=["status", "submitted_at"])
