"""End-to-end tests in headless Chromium (Playwright); run with `pytest -m browser`."""
