"""The inbox (我的通知): thin views over the user's own notifications.

Opening a notification is a POST (it marks it read) followed by a redirect to its link, which
must be a path on this site; otherwise the user comes back to the page they were on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from starcity.notifications import selectors, services
from starcity.notifications.forms import InboxFilterForm
from starcity.notifications.links import safe_local_path
from starcity.notifications.permissions import get_notification_for_user

PAGE_SIZE = 50


def _back(request: HttpRequest) -> str:
    """Where to return after an action: the posted `next` page when it is on this site, else
    the inbox."""
    return safe_local_path(request.POST.get("next")) or reverse("notifications:list")


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 50 a page; unread ones highlighted."""
    form = InboxFilterForm(request.GET or None)
    unread_only = form.unread_only()
    rows = selectors.notification_list_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "unread_only": unread_only, "query": query.urlencode()}
    return render(request, "notifications/list.html", context)


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and follow its link (or come back when it has none)."""
    notification = get_notification_for_user(request.user, pk)
    services.notification_mark_read(by=request.user, notification=notification)
    return redirect(safe_local_path(notification.url) or _back(request))


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read without leaving the page."""
    notification = get_notification_for_user(request.user, pk)
    services.notification_mark_read(by=request.user, notification=notification)
    return redirect(_back(request))


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read."""
    count = services.notification_mark_all_read(by=request.user)
    if count:
        messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": count})
    else:
        messages.info(request, _("没有未读通知。"))
    return redirect(_back(request))
