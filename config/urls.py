"""Top-level URLs: every app mounts its own urls.py."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("starcity.accounts.urls")),
    path("regions/", include("starcity.regions.urls")),
    path("standards/", include("starcity.standards.urls")),
    path("assessments/", include("starcity.assessments.urls")),
    path("calls/", include("starcity.calls.urls")),
    path("reviews/", include("starcity.reviews.urls")),
    path("lists/", include("starcity.lists.urls")),
    path("notifications/", include("starcity.notifications.urls")),
    path("public/", include("starcity.portal.urls")),
]
