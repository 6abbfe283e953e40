"""URL configurations for the top-bar tests: the site with the new areas present (stubs that
take precedence over whatever the apps mount), and the site without them."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path

from config.urls import urlpatterns as site

AREAS = {"calls": "list", "reviews": "home", "lists": "index", "portal": "index"}


def stub(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def _stub(namespace: str, name: str) -> URLResolver:
    return path(f"__stub/{namespace}/", include(([path("", stub, name=name)], namespace)))


# The first resolver registered under a namespace wins when reversing.
urlpatterns = [*(_stub(ns, name) for ns, name in AREAS.items()), *site]

without_areas = [p for p in site if getattr(p, "namespace", None) not in AREAS]
