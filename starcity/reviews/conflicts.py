"""Conflicts of interest between experts and applications, computed and explained.

An expert may not review an application when
  (a) the expert's home region lies in the applicant's prefecture-level city (the city itself, its
      counties or its communities: a path-prefix test);
  (b) the expert's employer is attached to a region in that city (the employer region of the
      pool entry, or the organisation the expert's account is affiliated with as an expert);
  (c) the expert declared a conflict on this application, or on a region that contains the
      applicant or lies inside the applicant's city;
  (d) the expert took part in the application: their account created or submitted it or its
      self-assessment, acted in the audit rows of either, or holds an active membership in
      another role (an operator's) in an organisation of a region inside the applicant's city.

`conflict_map` is the bulk form (a constant number of queries whatever the sizes); the single
forms are defined through it, so a pair is judged the same way in both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from starcity.accounts.choices import Role
from starcity.accounts.models import Membership
from starcity.calls.models import Application
from starcity.core.models import AuditEntry
from starcity.regions.models import Region
from starcity.reviews.choices import ConflictReason
from starcity.reviews.models import DeclaredConflict, Expert

APPLICATION_TYPE = Application._meta.label_lower
SELF_ASSESSMENT_TYPE = "assessments.selfassessment"


@dataclass(frozen=True)
class Conflict:
    """One reason an expert may not review an application, explained in words."""

    reason: ConflictReason
    detail: str

    @property
    def label(self) -> str:
        return str(self.reason.label)


ConflictMap = dict[tuple[int, int], list[Conflict]]


def conflicts_between(expert: Expert, application: Application) -> list[Conflict]:
    """Every reason `expert` may not review `application` (empty: no conflict)."""
    return conflict_map([expert], [application]).get((expert.pk, application.pk), [])


def is_conflicted(expert: Expert, application: Application) -> bool:
    return bool(conflicts_between(expert, application))


def conflict_map(experts: Iterable[Any], applications: Iterable[Any]) -> ConflictMap:
    """{(expert_id, application_id): [Conflict, ...]} for every conflicted pair; a pair that is
    absent has no conflict. `experts` and `applications` are model instances or primary keys.
    Seven queries whatever the sizes."""
    expert_ids = [getattr(e, "pk", e) for e in experts]
    application_ids = [getattr(a, "pk", a) for a in applications]
    if not expert_ids or not application_ids:
        return {}
    apps = list(
        Application.objects.filter(pk__in=application_ids).values(
            "pk",
            "city__path",
            "city__name",
            "region__path",
            "created_by_id",
            "submitted_by_id",
            "self_assessment_id",
            "self_assessment__created_by_id",
            "self_assessment__submitted_by_id",
        )
    )
    pool = list(
        Expert.objects.filter(pk__in=expert_ids).select_related(
            "home_region__parent__parent", "employer_region__parent__parent"
        )
    )
    user_of = {e.pk: e.user_id for e in pool if e.user_id is not None}
    expert_of_user = {user_id: expert_id for expert_id, user_id in user_of.items()}
    city_paths = {a["city__path"]: a["city__name"] for a in apps}

    def cities_containing(path: str) -> list[str]:
        return [city for city in city_paths if path.startswith(city)]

    # Conflicts that hold for every application of a city: {city path: {expert id: [Conflict]}}.
    by_city: dict[str, dict[int, list[Conflict]]] = defaultdict(lambda: defaultdict(list))
    for expert in pool:
        for city in cities_containing(expert.home_region.path):
            by_city[city][expert.pk].append(
                Conflict(
                    ConflictReason.HOME_REGION,
                    _("专家所在地区%(home)s属于申报地区所在的%(city)s。")
                    % {"home": expert.home_region.full_name, "city": city_paths[city]},
                )
            )
        if expert.employer_region is not None:
            for city in cities_containing(expert.employer_region.path):
                by_city[city][expert.pk].append(
                    Conflict(
                        ConflictReason.EMPLOYER,
                        _("专家工作单位“%(employer)s”隶属于%(region)s，属于申报地区所在的%(city)s。")
                        % {
                            "employer": expert.employer,
                            "region": expert.employer_region.full_name,
                            "city": city_paths[city],
                        },
                    )
                )

    # Declared conflicts: one application, or a region (containing the applicant or inside its city).
    by_application: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
    declared_regions: list[tuple[int, Region, str]] = []
    wanted = set(application_ids)
    for declared in (
        DeclaredConflict.objects.filter(expert_id__in=expert_ids)
        .filter(Q(application_id__in=application_ids) | Q(region__isnull=False))
        .select_related("region__parent__parent")
    ):
        if declared.application_id is not None and declared.application_id in wanted:
            by_application[(declared.expert_id, declared.application_id)].append(
                Conflict(
                    ConflictReason.DECLARED,
                    _("专家就本申报申报了利益冲突：%(reason)s") % {"reason": declared.reason},
                )
            )
        if declared.region is not None:
            declared_regions.append((declared.expert_id, declared.region, declared.reason))
    for expert_id, region, reason in declared_regions:
        for city in city_paths:
            if city.startswith(region.path):
                # The region is the city or contains it (the province): it contains every applicant.
                by_city[city][expert_id].append(
                    Conflict(
                        ConflictReason.DECLARED,
                        _("专家申报了与%(region)s的利益冲突，申报地区在其范围内：%(reason)s")
                        % {"region": region.full_name, "reason": reason},
                    )
                )
            elif region.path.startswith(city):
                by_city[city][expert_id].append(
                    Conflict(
                        ConflictReason.DECLARED,
                        _("专家申报了与%(region)s的利益冲突，该地区属于申报地区所在的%(city)s：%(reason)s")
                        % {"region": region.full_name, "city": city_paths[city], "reason": reason},
                    )
                )

    # Memberships of the experts' accounts in organisations of a region inside the city: an
    # expert affiliation is their employer; any other role means they work for that region.
    if user_of:
        for user_id, role, org_name, region_path in Membership.objects.filter(
            user_id__in=list(user_of.values()), is_active=True
        ).values_list("user_id", "role", "organisation__name", "organisation__region__path"):
            for city in cities_containing(region_path):
                if role == Role.EXPERT:
                    conflict = Conflict(
                        ConflictReason.EMPLOYER,
                        _("专家账号所属单位“%(org)s”隶属于申报地区所在的%(city)s。")
                        % {"org": org_name, "city": city_paths[city]},
                    )
                else:
                    conflict = Conflict(
                        ConflictReason.PARTICIPATED,
                        _("专家的账号是“%(org)s”的成员，该机构属于申报地区所在的%(city)s。")
                        % {"org": org_name, "city": city_paths[city]},
                    )
                if conflict not in by_city[city][expert_of_user[user_id]]:
                    by_city[city][expert_of_user[user_id]].append(conflict)

    # Participation in the application itself: created or submitted it or its self-assessment.
    for a in apps:
        roles = (
            (a["created_by_id"], _("专家的账号创建了本申报。")),
            (a["submitted_by_id"], _("专家的账号提交了本申报。")),
            (a["self_assessment__created_by_id"], _("专家的账号创建了本申报所附的自评估。")),
            (a["self_assessment__submitted_by_id"], _("专家的账号提交了本申报所附的自评估。")),
        )
        for user_id, text in roles:
            if user_id is not None and user_id in expert_of_user:
                by_application[(expert_of_user[user_id], a["pk"])].append(
                    Conflict(ConflictReason.PARTICIPATED, text)
                )

    # ... or acted in the audit rows of either.
    if user_of:
        application_of_target: dict[tuple[str, str], list[int]] = defaultdict(list)
        for a in apps:
            application_of_target[(APPLICATION_TYPE, str(a["pk"]))].append(a["pk"])
            if a["self_assessment_id"] is not None:
                application_of_target[(SELF_ASSESSMENT_TYPE, str(a["self_assessment_id"]))].append(a["pk"])
        rows = (
            AuditEntry.objects.filter(actor_id__in=list(user_of.values()))
            .filter(
                Q(target_type=APPLICATION_TYPE, target_id__in=[str(a["pk"]) for a in apps])
                | Q(
                    target_type=SELF_ASSESSMENT_TYPE,
                    target_id__in=[str(a["self_assessment_id"]) for a in apps if a["self_assessment_id"]],
                )
            )
            .values_list("actor_id", "target_type", "target_id")
            .distinct()
        )
        for actor_id, target_type, target_id in rows:
            text = (
                _("专家的账号参与了本申报的办理（见审计记录）。")
                if target_type == APPLICATION_TYPE
                else _("专家的账号参与了本申报所附自评估的办理（见审计记录）。")
            )
            for application_id in application_of_target[(target_type, target_id)]:
                pair = (expert_of_user[actor_id], application_id)
                if all(c.detail != text for c in by_application[pair]):
                    by_application[pair].append(Conflict(ConflictReason.PARTICIPATED, text))

    result: ConflictMap = {}
    for a in apps:
        for expert_id, conflicts in by_city.get(a["city__path"], {}).items():
            result[(expert_id, a["pk"])] = list(conflicts)
    for pair, conflicts in by_application.items():
        result.setdefault(pair, []).extend(conflicts)
    order = list(ConflictReason)
    for conflicts in result.values():
        conflicts.sort(key=lambda c: order.index(c.reason))
    return result


def conflicted_expert_ids(application: Application, experts: Iterable[Any] | None = None) -> set[int]:
    """The ids of the experts (of `experts`, by default the whole pool) conflicted with one
    application."""
    pool = experts if experts is not None else Expert.objects.values_list("pk", flat=True)
    return {expert_id for expert_id, _app in conflict_map(pool, [application])}
