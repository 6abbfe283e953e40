"""Helpers for the standards tests: shipped files as text, and variants of them."""

import re
from pathlib import Path

import pytest

STANDARDS_DIR = Path(__file__).resolve().parents[3] / "standards"
SHIPPED = ("sd-city.yaml", "sd-county.yaml", "sd-community.yaml")


def shipped_text(name: str) -> str:
    return (STANDARDS_DIR / name).read_text(encoding="utf-8")


def with_field(text: str, key: str, value: str) -> str:
    """The file text with the top-level `key:` line replaced."""
    new, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
    assert count == 1, key
    return new


@pytest.fixture
def city_text() -> str:
    return shipped_text("sd-city.yaml")


@pytest.fixture
def broken_text(city_text: str) -> str:
    """The city file with a bad level and a duplicate top-level key near the end."""
    return with_field(city_text, "level", "metropolis") + "\ncode: SD-CITY-AGAIN\n"
