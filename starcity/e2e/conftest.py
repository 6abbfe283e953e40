"""Browser fixtures for the end-to-end tests: Playwright's sync API driving Debian's Chromium.

* `browser` (session): one headless Chromium for the whole run. When Chromium or the Playwright
  package is missing the tests are skipped with the reason, unless STARCITY_REQUIRE_BROWSER=1
  (then they fail, so CI cannot go green without running them). STARCITY_CHROMIUM overrides the
  path of the Chromium binary.
* `browser_page`: a fresh context (own cookies, Chinese locale) and page per test, pointed at the
  live server. When the test fails a full-page screenshot goes to `test-artifacts/` (git-ignored).
* `e2e_db`: the database the live server thread sees (transactional). Django's transactional
  tests flush every table after each test, which also removes the regions loaded by the data
  migration; `e2e_db` loads them back before each test, and `_restore_regions` loads them again
  once this folder's tests are done, so tests that run later in the same process (any order, any
  xdist worker) still find the 16 cities and 136 counties.
"""

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls from
# a thread with a running loop; the fixtures and tests here call the ORM between page actions.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("STARCITY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
ARTIFACTS = "test-artifacts"

_call_report = pytest.StashKey[pytest.TestReport]()


def _unavailable(reason: str) -> None:
    """Skip (or, with STARCITY_REQUIRE_BROWSER=1, fail) the browser tests."""
    if os.environ.get("STARCITY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (STARCITY_REQUIRE_BROWSER=1, so browser tests may not be skipped)")
    pytest.skip(f"{reason}; browser tests skipped (set STARCITY_REQUIRE_BROWSER=1 to make this an error)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Evidence files go to a fresh private folder per test (the server thread reads the setting)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _load_regions() -> None:
    from django.db import transaction

    from starcity.regions.loader import load_divisions
    from starcity.regions.models import Region, RegionAlias

    with transaction.atomic():
        load_divisions(Region, RegionAlias)


@pytest.fixture(scope="module", autouse=True)
def _restore_regions(django_db_setup, django_db_blocker) -> Iterator[None]:
    """After this module's transactional tests (which end by flushing every table), put the
    regions of the data migration back for whatever runs next in this process."""
    yield
    with django_db_blocker.unblock():
        _load_regions()


@pytest.fixture
def e2e_db(transactional_db) -> None:
    """A database shared with the live server thread, with the regions present (the load is
    idempotent: it only creates what an earlier flush removed)."""
    _load_regions()


@pytest.fixture
def browser_page(browser, live_server, request) -> Iterator[Any]:
    """A new browser context and page on the live server; a screenshot is kept if the test fails."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = request.node.stash.get(_call_report, None)
        if report is not None and report.failed:
            _screenshots(context, request)
        context.close()


def _screenshots(context: Any, request: pytest.FixtureRequest) -> None:
    folder = Path(request.config.rootpath) / ARTIFACTS
    folder.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    for number, page in enumerate(context.pages):
        path = folder / f"{stem}-{number}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"screenshot {path} failed: {exc}")
        else:
            print(f"screenshot saved: {path}")
