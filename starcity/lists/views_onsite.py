"""On-site review pages (现场复核): the checklist of one pilot, filled item by item (or the rest
confirmed in one step), photos, and the completion that scores the adjusted values again.

After a change the page comes back to the part just saved (`#item-<pk>`, `#checklist`) and says
so there, not at the top of a long page: a one-time note kept in the session."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.core.errors import DomainError, ValidationFailed
from starcity.core.text import enumeration
from starcity.core.uploads import private_file_response
from starcity.lists import services, workflow
from starcity.lists.forms import ItemForm, PhotoForm, ReviewForm
from starcity.lists.models import OnsiteItem, OnsitePhoto, OnsiteReview
from starcity.lists.permissions import get_photo_for_user, get_review_for_user
from starcity.lists.presentation import grade_label, item_rows
from starcity.lists.services.onsite import completion_problems, review_standard
from starcity.lists.views import problem_response

ReviewAction = workflow.ReviewAction
NOTE_KEY = "lists.onsite_note"
CHECKLIST, COMPLETE = "checklist", "complete"  # the sections a bulk confirmation comes back to


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a refused action into its status page, with the way back to the review."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return problem_response(request, exc, back_review=kwargs.get("pk"))

    return wrapper


def _saved(request: HttpRequest, review_pk: int, place: str, text: str) -> HttpResponse:
    """Come back to `place` of the review (an element id) with `text` shown there once."""
    request.session[NOTE_KEY] = {"review": review_pk, "place": place, "text": text}
    return redirect(reverse("lists:review", args=[review_pk]) + f"#{place}")


def _take_note(request: HttpRequest, review: OnsiteReview) -> dict[str, str]:
    """The note left by the last change of this review ({} when none); shown once."""
    note = request.session.pop(NOTE_KEY, None)
    if not isinstance(note, dict) or note.get("review") != review.pk:
        return {}
    return {"place": str(note.get("place", "")), "text": str(note.get("text", ""))}


def _items(review: OnsiteReview) -> list[OnsiteItem]:
    photos = OnsitePhoto.objects.filter(removed_at__isnull=True).order_by("uploaded_at", "pk")
    return list(review.items.prefetch_related(Prefetch("photos", queryset=photos)).order_by("pk"))


def _context(request: HttpRequest, review: OnsiteReview, **extra: Any) -> dict[str, Any]:
    selection_list = review.entry.selection_list
    actions = workflow.review_actions(review, selection_list.status, request.user)
    standard = review_standard(review)
    items = _items(review)
    failed_item = extra.pop("item_form", None)
    note = extra.pop("note", None) or {}
    editable = ReviewAction.SAVE_ITEM in actions
    rows = item_rows(standard, items)
    for row in rows:
        item = row["item"]
        row["note"] = note.get("text", "") if note.get("place") == f"item-{item.pk}" else ""
        if editable:
            row["form"] = (
                failed_item
                if failed_item is not None and failed_item.prefix == f"item-{item.pk}"
                else ItemForm(item=item, standard=standard)
            )
        row["photo_errors"] = extra.get("photo_errors", {}).get(item.pk, [])
    return {
        "review": review,
        "entry": review.entry,
        "selection_list": selection_list,
        "actions": actions,
        "rows": rows,
        "grade_before": grade_label(standard, review.grade_before),
        "grade_after": grade_label(standard, review.grade_after) if review.grade_after is not None else "",
        "review_form": extra.pop("review_form", None)
        or ReviewForm(
            initial={"team": review.team, "visited_on": review.visited_on, "summary": review.summary}
        ),
        "photo_form": PhotoForm(),
        "note": note,
        "answered": sum(1 for item in items if item.answered),
        "unanswered": sum(1 for item in items if not item.answered),
        "problems": completion_problems(review, items) if ReviewAction.COMPLETE in actions else [],
        **extra,
    }


def _render(request: HttpRequest, review: OnsiteReview, *, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "lists/onsite.html", _context(request, review, **extra), status=status)


@require_GET
@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist of one pilot: the panel's value per item, the team's findings, adjusted
    values and photos; the grade before and, once completed, after."""
    review = get_review_for_user(request.user, pk)
    return _render(request, review, note=_take_note(request, review))


@require_POST
@login_required
@domain_errors
def review_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the team, the date of the visit and the conclusion."""
    review = get_review_for_user(request.user, pk, ReviewAction.SAVE)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.onsite_review_save(by=request.user, review=review, **form.cleaned_data)
        except ValidationFailed as exc:
            for error in exc.errors or [exc.message]:
                form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存复核信息。"))
            return redirect("lists:review", pk=pk)
    return _render(request, review, status=400, review_form=form)


def _item_of(review: OnsiteReview, item_pk: int) -> OnsiteItem:
    item = OnsiteItem.objects.filter(pk=item_pk, review=review).first()
    if item is None:
        raise Http404(_("复核清单中没有这一项。"))
    item.review = review
    return item


@require_POST
@login_required
@domain_errors
def item_save(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Confirm the panel's value of one item or adjust it (checked per the indicator's method;
    the error names the indicator), with the finding."""
    review = get_review_for_user(request.user, pk, ReviewAction.SAVE_ITEM)
    item = _item_of(review, item_pk)
    form = ItemForm(request.POST, item=item, standard=review_standard(review))
    if form.is_valid():
        try:
            services.onsite_item_save(
                by=request.user,
                item=item,
                confirmed=form.confirmed,
                value=form.cleaned_data.get("value"),
                finding=form.cleaned_data.get("finding", ""),
            )
        except ValidationFailed as exc:
            form.add_error("value" if exc.field == "value" else None, str(exc.message))
        else:
            text = _("已保存指标 %(code)s 的复核结果。") % {"code": item.indicator}
            return _saved(request, pk, f"item-{item.pk}", text)
    return _render(request, review, status=400, item_form=form)


@require_POST
@login_required
@domain_errors
def items_confirm_rest(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the panel's value of every item not yet confirmed or adjusted, in one step; the
    page comes back to the section the button was in (`place`)."""
    review = get_review_for_user(request.user, pk, ReviewAction.CONFIRM_REST)
    confirmed = services.onsite_items_confirm_rest(by=request.user, review=review)
    text = _("已将其余 %(count)d 项确认为专家组核定值：%(codes)s。") % {
        "count": len(confirmed),
        "codes": enumeration(item.indicator for item in confirmed),
    }
    place = request.POST.get("place")
    return _saved(request, pk, place if place in (CHECKLIST, COMPLETE) else CHECKLIST, text)


@require_POST
@login_required
@domain_errors
def photo_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Attach a photo to one item (PNG or JPEG by content, stored privately)."""
    review = get_review_for_user(request.user, pk, ReviewAction.ADD_PHOTO)
    item = _item_of(review, item_pk)
    form = PhotoForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.onsite_photo_add(by=request.user, item=item, file=form.cleaned_data["file"])
        except ValidationFailed as exc:
            errors = [str(error) for error in exc.errors] or [str(exc.message)]
    else:
        errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
    if errors:
        return _render(request, review, status=400, photo_errors={item.pk: errors})
    return _saved(request, pk, f"item-{item.pk}", _("已上传照片。"))


@require_GET
@login_required
def photo_download(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """Send a photo to someone who may see the review."""
    photo = get_photo_for_user(request.user, pk, photo_pk)
    return private_file_response(
        photo.file, filename=photo.original_name, content_type=photo.content_type, attachment=False
    )


@require_POST
@login_required
@domain_errors
def photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Remove a photo from an open review (kept on record)."""
    photo = get_photo_for_user(request.user, pk, photo_pk, ReviewAction.REMOVE_PHOTO)
    services.onsite_photo_remove(by=request.user, photo=photo)
    text = _("已移除照片“%(name)s”。") % {"name": photo.original_name}
    return _saved(request, pk, f"item-{photo.item_id}", text)


@require_POST
@login_required
@domain_errors
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the review: the adjusted values are scored again; the grade may change."""
    review = get_review_for_user(request.user, pk, ReviewAction.COMPLETE)
    try:
        review = services.onsite_review_complete(by=request.user, review=review)
    except ValidationFailed as exc:
        return _render(
            request, review, status=400, complete_errors=[str(e) for e in exc.errors] or [str(exc.message)]
        )
    standard = review_standard(review)
    if review.grade_after != review.grade_before:
        text = _("现场复核已完成，评定星级由%(before)s调整为%(after)s，名单已相应重新排名。") % {
            "before": grade_label(standard, review.grade_before),
            "after": grade_label(standard, review.grade_after),
        }
        messages.warning(request, text)
    else:
        messages.success(request, _("现场复核已完成，评定星级不变。"))
    return redirect("lists:review", pk=pk)
