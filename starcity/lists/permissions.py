"""Who may see and act on selection lists, their entries, on-site reviews, photos, objections
and letters: the one place views ask.

Office pages: province staff act, observers of the province read (without the objectors'
contact details); anyone else gets 404 (a list is not public
before its notice, and then only through the portal). Letters: province staff any; an
applicant's operators (its county's and its city's) their own once the list is final; anyone
else 404.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from starcity.lists import workflow
from starcity.lists.models import ListEntry, Objection, OnsitePhoto, OnsiteReview, SelectionList
from starcity.lists.selectors import lists_visible_to, published_lists

Action = workflow.Action


def get_list_for_user(user: Any, pk: int, action: str = Action.VIEW) -> SelectionList:
    """The list `pk` if the user may see its office pages (else 404), checked for `action`: 403
    when the user's role may never do it. Whether the state allows it now is the service's
    question (409)."""
    selection_list = lists_visible_to(user).filter(pk=pk).first()
    if selection_list is None:
        raise Http404(_("没有找到这份名单，或您无权查看。"))
    if not workflow.role_may_ever(action, workflow.role_of(user)):
        raise PermissionDenied(_("您可以查看这份名单，但无权执行此操作。"))
    return selection_list


def get_notice_document_list_for_user(user: Any, pk: int) -> SelectionList:
    """The list whose notice (Word or PDF) the user may download from the office pages: the
    office in any state (a draft before the notice); a viewer once the list is published;
    403 for a viewer before, 404 for anyone who may not see the list."""
    selection_list = get_list_for_user(user, pk, Action.NOTICE_DOCUMENT)
    if not workflow.can(Action.NOTICE_DOCUMENT, selection_list.status, workflow.role_of(user)):
        raise PermissionDenied(_("名单公示前，名单通知只有省级工作人员可以下载。"))
    return selection_list


def get_entry_for_user(user: Any, pk: int, entry_pk: int, action: str = Action.VIEW) -> ListEntry:
    """An entry of a list the user may see (checked for `action` as the list)."""
    selection_list = get_list_for_user(user, pk, action)
    entry = (
        ListEntry.objects.filter(pk=entry_pk, selection_list=selection_list)
        .select_related("application__region__parent", "application__city")
        .first()
    )
    if entry is None:
        raise Http404(_("名单中没有这一条目。"))
    entry.selection_list = selection_list
    return entry


def get_letter_entry_for_user(user: Any, pk: int, entry_pk: int) -> ListEntry:
    """The entry whose decision letter the user may download: province staff any entry of any
    list; an applicant's operators their own entry once the list is final; else 404."""
    entry = (
        ListEntry.objects.filter(pk=entry_pk, selection_list_id=pk)
        .select_related("selection_list__call", "application__region__parent", "application__city", "onsite")
        .first()
    )
    if entry is None:
        raise Http404(_("没有找到这份决定书，或您无权下载。"))
    role = workflow.role_for_entry(user, entry)
    if not workflow.can(Action.LETTER, entry.selection_list.status, role):
        if role in workflow.INSIDE:
            raise PermissionDenied(_("只有省级工作人员可以下载决定书。"))
        raise Http404(_("没有找到这份决定书，或您无权下载。"))
    return entry


def get_review_for_user(user: Any, review_pk: int, action: str = workflow.ReviewAction.VIEW) -> OnsiteReview:
    """An on-site review the user may see (office pages), checked for `action` (403 when the
    role may never do it)."""
    if workflow.role_of(user) == workflow.PUBLIC:
        raise Http404(_("没有找到这份现场复核，或您无权查看。"))
    review = (
        OnsiteReview.objects.filter(pk=review_pk)
        .select_related(
            "entry__selection_list__call",
            "entry__application__region__parent",
            "entry__application__panel",
            "completed_by",
        )
        .first()
    )
    if review is None:
        raise Http404(_("没有找到这份现场复核，或您无权查看。"))
    if not workflow.review_role_may_ever(action, workflow.role_of(user)):
        raise PermissionDenied(_("您可以查看这份现场复核，但无权执行此操作。"))
    return review


def get_photo_for_user(
    user: Any, review_pk: int, photo_pk: int, action: str = workflow.ReviewAction.VIEW
) -> OnsitePhoto:
    """A photo (not removed) of a review the user may see."""
    review = get_review_for_user(user, review_pk, action)
    photo = (
        OnsitePhoto.objects.filter(pk=photo_pk, item__review=review, removed_at__isnull=True)
        .select_related("item")
        .first()
    )
    if photo is None:
        raise Http404(_("没有找到这张照片。"))
    photo.item.review = review
    return photo


def get_objection_for_user(
    user: Any, objection_pk: int, action: str = workflow.ObjectionAction.VIEW
) -> Objection:
    """An objection the user may see (office pages), checked for `action`."""
    if workflow.role_of(user) == workflow.PUBLIC:
        raise Http404(_("没有找到这条异议，或您无权查看。"))
    objection = (
        Objection.objects.filter(pk=objection_pk)
        .select_related("selection_list__call", "entry__application__region__parent", "handled_by")
        .first()
    )
    if objection is None:
        raise Http404(_("没有找到这条异议，或您无权查看。"))
    if not workflow.objection_role_may_ever(action, workflow.role_of(user)):
        raise PermissionDenied(_("您可以查看这条异议，但无权执行此操作。"))
    return objection


def get_public_list(call_pk: int) -> SelectionList:
    """The list of call `call_pk` if it is public (in notice or final), else 404."""
    selection_list = published_lists().filter(call_id=call_pk).first()
    if selection_list is None:
        raise Http404(_("该批次的名单尚未公示。"))
    return selection_list
