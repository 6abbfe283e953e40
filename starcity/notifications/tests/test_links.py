"""Only paths on this site are followed from a notification."""

import pytest

from starcity.notifications.links import safe_local_path


@pytest.mark.parametrize(
    "url",
    ["/calls/3/", "/reviews/panels/7/?tab=scores", "/assessments/12/#H01", "/"],
)
def test_paths_on_this_site_are_kept(url):
    assert safe_local_path(url) == url


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "https://evil.example/",
        "http://127.0.0.1:8000/calls/",
        "//evil.example/path",
        "/\\evil.example/path",
        "\\\\evil.example",
        "javascript:alert(1)",
        "calls/3/",
        "/calls/\n3/",
        "/calls/ 3/",
        "/\tevil.example",
    ],
)
def test_anything_else_is_refused(url):
    assert safe_local_path(url) is None
