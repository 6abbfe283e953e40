"""Error pages and their log lines: a 404 says nothing technical, a CSRF failure explains what to
do in the house layout, and refused or missing pages are logged without a traceback."""

import io
import logging
import sys

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from starcity.core.logfilters import ClientErrorsWithoutTraceback
from starcity.core.templatetags.errors import human_error

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_unknown_url_shows_no_resolver_details(client, county_operator):
    client.force_login(county_operator)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回工作台" in page
    assert "Resolver404" not in page and "tried" not in page


@override_settings(DEBUG=False)
def test_a_human_404_message_is_still_shown(client, county_operator):
    client.force_login(county_operator)
    response = client.get(reverse("standards:compare") + "?a=abc")
    assert response.status_code == 404
    assert "没有这个标准版本。" in response.content.decode()


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("Resolver404", ""),
        ("Http404", ""),
        ("No StandardVersion matches the given query.", ""),
        ("/regions/x/", ""),
        ("", ""),
        (None, ""),
        ("没有这个区域。", "没有这个区域。"),
    ],
)
def test_human_error(message, shown):
    assert human_error(message, "/regions/x/") == shown


def test_csrf_failure_page_uses_the_layout_and_says_to_reload(county_operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_operator)
    response = client.post(reverse("accounts:logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="topbar"' in page and 'id="csrf-failure"' in page
    assert "请重新加载页面" in page and f'href="{reverse("accounts:logout")}"' in page
    assert "CSRF verification failed" not in page


def test_favicon_is_linked_and_shipped(client, settings):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    svg = (settings.BASE_DIR / "static" / "img" / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and len(svg) < 2048


def test_english_pages_start_the_font_stack_with_a_latin_font(settings):
    css = (settings.BASE_DIR / "static" / "css" / "starcity.css").read_text(encoding="utf-8")
    rule = next(line for line in css.splitlines() if line.startswith(":lang(en) body"))
    fonts = rule.split("font-family:", 1)[1]
    assert fonts.index("system-ui") < fonts.index("Noto Sans CJK SC")


# ---------------------------------------------------------------------------------------------
# Logging


@pytest.fixture
def console():
    """What the configured console handler writes during the test."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous or sys.stderr)


@override_settings(DEBUG=False)
def test_forbidden_and_missing_pages_are_one_line_without_traceback(client, expert, console):
    client.force_login(expert)
    assert client.get(reverse("standards:upload")).status_code == 403
    assert client.get("/no-such-page/").status_code == 404
    written = console.getvalue()
    assert "Forbidden" in written and "Not Found: /no-such-page/" in written
    assert "Traceback" not in written


def _record(status: int) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "x", (), sys.exc_info()
        )
    record.status_code = status
    return record


def test_server_errors_keep_their_traceback():
    record = _record(500)
    assert ClientErrorsWithoutTraceback().filter(record)
    assert record.exc_info is not None
    client_error = _record(403)
    assert ClientErrorsWithoutTraceback().filter(client_error)
    assert client_error.exc_info is None


def test_the_filter_sits_on_the_console_handler_only():
    consoles = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert any("ClientErrorsWithoutTraceback" in [type(f).__name__ for f in h.filters] for h in consoles)
    assert not logging.getLogger("django.request").filters


def test_a_suspicious_file_operation_keeps_its_traceback():
    from starcity.core.logfilters import ClientErrorsWithoutTraceback

    try:
        raise ValueError("bad path")
    except ValueError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord(
        "django.security.SuspiciousFileOperation", logging.WARNING, __file__, 1, "x", None, info
    )
    ClientErrorsWithoutTraceback().filter(record)
    assert record.exc_info is info
    other = logging.LogRecord("django.security.DisallowedHost", logging.WARNING, __file__, 1, "x", None, info)
    ClientErrorsWithoutTraceback().filter(other)
    assert other.exc_info is None
