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
