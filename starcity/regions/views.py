"""Pages of the regions: the tree a user sees with a name search, one region, a new community."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from starcity.accounts.models import User
from starcity.core.errors import ValidationFailed
from starcity.regions import selectors, services
from starcity.regions.forms import CommunityForm, RegionSearchForm
from starcity.regions.permissions import can_manage_communities, get_region_for_user


@login_required
@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    form = RegionSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.region_search_for(request.user, query) if query else []
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "regions/partials/_search_results.html", {"results": results, "query": query})
    context = {"form": form, "query": query, "results": results}
    context["rows"] = selectors.region_tree_visible_to(request.user)
    return render(request, "regions/list.html", context)


@login_required
@require_GET
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
@require_http_methods(["GET", "POST"])
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
