"""Pages of the regions: the tree a user sees with a name search, one region, a new community."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from starcity.accounts.models import User
from starcity.core.errors import ValidationFailed
from starcity.regions import selectors, services
from starcity.regions.forms import CommunityForm, RegionSearchForm
from starcity.regions.permissions import can_manage_communities, get_region_for_user


@login_required
@require_safe
def region_list(request: HttpRequest) -> HttpResponse:
    """The tree with a name search. An htmx search answers with the results alone, on the same
    URL as the full page (it pushes `?q=`): `Vary: HX-Request` keeps the browser from serving one
    for the other, and the partial is never stored, so Back shows the page, not a bare table."""
    form = RegionSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.region_search_for(request.user, query) if query else []
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        context = {"results": results, "query": query}
        response = render(request, "regions/partials/_search_results.html", context)
        patch_cache_control(response, no_store=True)
    else:
        context = {"form": form, "query": query, "results": results}
        context["rows"] = selectors.region_tree_visible_to(request.user)
        response = render(request, "regions/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_region_for_user(request.user, code)
    context = {
        "region": region,
        "breadcrumbs": selectors.region_breadcrumbs(region, request.user),
        "children": selectors.region_children(region),
        "aliases": region.aliases.order_by("kind", "name"),
        "timeline": selectors.region_timeline(region, request.user),
        "can_add_community": can_manage_communities(request.user, region),
    }
    return render(request, "regions/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def community_create(request: HttpRequest, code: str) -> HttpResponse:
    county = get_region_for_user(request.user, code, action="manage_communities")
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(
                by=cast(User, request.user), county=county, **form.cleaned_data
            )
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            label = {"name": community.name, "code": community.code}
            messages.success(request, _("已新增社区：%(name)s（%(code)s）") % label)
            return redirect("regions:detail", code=community.code)
    return render(request, "regions/community_form.html", {"county": county, "form": form})
