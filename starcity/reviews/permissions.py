"""Who may see and act on panels, members, materials and draws: the one place views ask.

A panel is seen by the province office, by its active members (an expert whose membership is
invited, accepted or submitted) and, once concluded, by the applicant's operators. A conflicted
expert (a computed or declared conflict with the application) sees nothing of it, even when drawn:
404, as for anyone who may not see it. 403 is for someone who sees the panel but whose role may
never do the action; whether the state allows it now is the service's question (409).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.accounts.selectors import can_act_for_region, is_province_staff
from starcity.calls.choices import ApplicationStatus
from starcity.calls.models import Application, ApplicationMaterial, Call
from starcity.reviews import workflow
from starcity.reviews.models import Panel, PanelMember

Action = workflow.Action


@dataclass
class PanelAccess:
    """A panel as one user may see it: their role and, for an expert, their own member row."""

    panel: Panel
    role: str
    member: PanelMember | None = None

    @property
    def member_state(self) -> str | None:
        return self.member.status if self.member is not None else None

    @property
    def sees_content(self) -> bool:
        """The application's content (values, materials, task book): the office, and members who
        signed the no-conflict declaration."""
        return self.role == workflow.OFFICE or (
            self.member is not None and workflow.has_signed(self.member.status)
        )


def _not_found() -> Http404:
    return Http404(_("没有找到这个评审专家组，或您无权查看。"))


def panel_queryset() -> Any:
    return Panel.objects.select_related(
        "application__region__parent__parent", "application__city", "call", "drawn_by"
    )


def own_member(user: Any, panel: Panel) -> PanelMember | None:
    """The user's own member row on the panel (any status), if the user is an expert on it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.select_related("expert")
        .filter(panel=panel, expert__user_id=user.pk)
        .order_by("-position")
        .first()
    )


def expert_may_see(member: PanelMember | None, panel: Panel) -> bool:
    """An expert sees the panel while an active member and never when conflicted with the
    application (a computed conflict, or one they declared)."""
    from starcity.reviews.conflicts import is_conflicted

    if member is None or not workflow.is_active(member.status):
        return False
    return not is_conflicted(member.expert, panel.application)


def is_applicant_of(user: Any, application: Application) -> bool:
    """The operators of the applicant's region (and of the city above a county)."""
    return can_act_for_region(user, application.region)


def panel_access(user: Any, panel: Panel) -> PanelAccess | None:
    """How `user` sees `panel`, or None when they may not see it at all."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_province_staff(user):
        return PanelAccess(panel, workflow.OFFICE, own_member(user, panel))
    member = own_member(user, panel)
    if member is not None:
        if not expert_may_see(member, panel):
            return None
        return PanelAccess(panel, workflow.CHAIR if member.is_chair else workflow.SELF, member)
    if panel.status in workflow.APPLICANT_VISIBLE_STATES and is_applicant_of(user, panel.application):
        return PanelAccess(panel, workflow.APPLICANT)
    return None


def get_panel_for_user(user: Any, pk: int, action: str = Action.VIEW) -> PanelAccess:
    """The panel `pk` as the user sees it (else 404), checked for `action`: 403 when the user's
    role may never do it."""
    panel = panel_queryset().filter(pk=pk).first()
    access = panel_access(user, panel) if panel is not None else None
    if access is None:
        raise _not_found()
    if action != Action.VIEW and not _role_may(action, access):
        raise PermissionDenied(_("您可以查看这个评审专家组，但无权执行此操作。"))
    return access


def _role_may(action: str, access: PanelAccess) -> bool:
    roles = {access.role}
    if access.role == workflow.CHAIR:
        roles.add(workflow.SELF)
    return any(workflow.role_may_ever(action, role) for role in roles)


def get_member_for_user(user: Any, pk: int, member_pk: int, action: str) -> tuple[PanelAccess, PanelMember]:
    """A member row of a panel the user sees, for an office action on it (replace, chair)."""
    access = get_panel_for_user(user, pk)
    member = (
        PanelMember.objects.select_related("expert__user", "panel")
        .filter(panel=access.panel, pk=member_pk)
        .first()
    )
    if member is None:
        raise _not_found()
    if not workflow.role_may_ever(action, access.role if access.role == workflow.OFFICE else None):
        raise PermissionDenied(_("只有省级工作人员可以调整评审专家组。"))
    return access, member


def get_material_for_user(user: Any, pk: int, material_pk: int, listed: set[int]) -> ApplicationMaterial:
    """A material of the panel's application listed in the revision the experts review, for the
    office and for members who signed the declaration (anyone else: 404)."""
    access = get_panel_for_user(user, pk)
    if not access.sees_content or material_pk not in listed:
        raise Http404(_("没有找到这份申报材料，或您无权下载。"))
    material = ApplicationMaterial.objects.filter(
        application=access.panel.application, pk=material_pk
    ).first()
    if material is None:
        raise Http404(_("没有找到这份申报材料，或您无权下载。"))
    return material


def require_office(user: Any) -> None:
    """Draws, the call's panel overview and the office's adjustments: province staff only."""
    if not is_province_staff(user):
        raise PermissionDenied(_("只有省级工作人员可以组织专家评审。"))


def get_call_for_office(user: Any, pk: int) -> Call:
    """A call whose review the office organises (403 for anyone else: calls are public)."""
    require_office(user)
    call = Call.objects.filter(pk=pk).first()
    if call is None:
        raise Http404(_("没有找到这个申报批次。"))
    return call


def get_application_for_draw(user: Any, pk: int) -> Application:
    """An application the office may draw a panel for; nobody else learns of it here (404)."""
    if not is_province_staff(user):
        raise Http404(_("没有找到这份申报，或您无权查看。"))
    application = (
        Application.objects.select_related("call", "region", "city")
        .filter(pk=pk)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .first()
    )
    if application is None:
        raise Http404(_("没有找到这份申报，或您无权查看。"))
    return application


# ---------------------------------------------------------------- the expert pool (helper "pool")


def require_pool_manager(user: Any) -> None:
    """The pool pages (list, create, import, export, conflicts explained): province staff only."""
    if not is_province_staff(user):
        raise PermissionDenied(_("只有省级工作人员可以查看和维护专家库。"))


def get_expert_for_user(user: Any, pk: int, action: str = "view") -> Any:
    """An expert of the pool for province staff; nobody else learns of them here (404)."""
    from starcity.reviews.models import Expert

    if not is_province_staff(user):
        raise Http404(_("没有找到这位专家，或您无权查看。"))
    related = ("home_region__parent__parent", "employer_region__parent__parent", "user")
    expert = Expert.objects.select_related(*related).filter(pk=pk).first()
    if expert is None:
        raise Http404(_("没有找到这位专家，或您无权查看。"))
    return expert


def get_application_for_conflicts(user: Any, pk: int) -> Application:
    """An application whose conflicts of interest the office reads; 404 for anyone else."""
    if not is_province_staff(user):
        raise Http404(_("没有找到这份申报，或您无权查看。"))
    application = (
        Application.objects.select_related("call", "region__parent__parent", "city").filter(pk=pk).first()
    )
    if application is None:
        raise Http404(_("没有找到这份申报，或您无权查看。"))
    return application


def get_own_expert(user: Any) -> Any:
    """The pool entry linked to an expert's own account (None when not linked yet); 403 for a
    user who is neither an expert nor linked to the pool."""
    from starcity.accounts.choices import Role
    from starcity.accounts.selectors import has_role
    from starcity.reviews.models import Expert

    expert = Expert.objects.select_related("home_region").filter(user_id=user.pk).first()
    if expert is None and not has_role(user, Role.EXPERT):
        raise PermissionDenied(_("只有评审专家可以申报自己的利益冲突。"))
    return expert
