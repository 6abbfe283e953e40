"""The site without the calls, reviews, lists and portal areas mounted."""

from starcity.notifications.tests.urls_nav import without_areas as urlpatterns  # noqa: F401
