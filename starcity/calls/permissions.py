"""Who may see and act on calls and applications: the one place views ask.

404 when the user may not see the object at all (another city's application, a draft call for
an operator); 403 when they see it but their role may never perform the action. Whether the
state allows the action now is the service's question (409).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.accounts.selectors import is_province_staff
from starcity.calls import selectors, workflow
from starcity.calls.models import Application, ApplicationMaterial, Call
from starcity.regions.models import Region


def get_call_for_user(user: Any, pk: int, action: str | None = None) -> Call:
    """The call `pk` if the user may see it (else 404); for a management `action`, 403 unless
    the user is province staff."""
    call = selectors.calls_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise Http404(_("没有找到这个申报批次，或您无权查看。"))
    if action is not None and not is_province_staff(user):
        raise PermissionDenied(_("只有省级工作人员可以管理申报批次。"))
    return call


def require_call_manager(user: Any) -> None:
    """403 unless the user may create calls (province staff)."""
    if not is_province_staff(user):
        raise PermissionDenied(_("只有省级工作人员可以管理申报批次。"))


def get_application_for_user(user: Any, pk: int, action: str = workflow.Action.VIEW) -> Application:
    """The application `pk` if the user may see it (else 404), checked for `action`: 403 when
    the user's roles may never do it."""
    application = selectors.applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        raise Http404(_("没有找到这份申报，或您无权查看。"))
    if not workflow.role_may_ever(action, workflow.roles_of(user, application)):
        raise PermissionDenied(_("您可以查看这份申报，但无权执行此操作。"))
    return application


def get_material_for_user(
    user: Any, pk: int, material_pk: int, action: str = workflow.Action.VIEW
) -> ApplicationMaterial:
    """A material of an application the user may see: the applicant and its city reach every
    material still attached or frozen in a revision; the province and viewers only materials
    frozen in a revision (what was submitted to them). Anything else is 404."""
    application = get_application_for_user(user, pk, action)
    material = application.materials.filter(pk=material_pk).first()
    if material is None:
        raise Http404(_("没有找到这份申报材料。"))
    live = workflow.sees_live_content(workflow.roles_of(user, application))
    reachable = material.pk in selectors.material_ids_in_revisions(application)
    if action == workflow.Action.VIEW and live and material.removed_at is None:
        reachable = True
    if action != workflow.Action.VIEW and material.removed_at is None:
        reachable = True
    if not reachable:
        raise Http404(_("没有找到这份申报材料。"))
    material.application = application
    return material


def bundle_city_for(user: Any, call: Call, code: str | None) -> Region:
    """The city whose bundle the user looks at: a city operator's own city; province staff name
    one (`?city=`). 404 for a city the user may not see, 403 for anyone else."""
    own = selectors.cities_operated_by(user)
    if code:
        city = next((c for c in own if c.code == code), None)
        if city is None and is_province_staff(user):
            city = Region.objects.filter(code=code, level="city").first()
        if city is None:
            raise Http404(_("没有找到这个设区市，或您无权查看它的申报。"))
        return city
    if own:
        return own[0]
    raise PermissionDenied(_("只有市级操作员和省级工作人员可以查看统一提交页。"))
