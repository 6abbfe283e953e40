"""The workbench (工作台): every app contributes the sections that concern a user.

An app registers a provider in its AppConfig.ready(); a provider takes the user and returns the
sections it has for them (what waits for them, what they may start). Accounts knows no app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One line of a section: something waiting, or something the user may start."""

    title: str
    url: str
    detail: str = ""
    badge: str = ""


@dataclass(frozen=True)
class WorkSection:
    """A titled group of items; `actions` are links to start something (label, url)."""

    title: str
    items: list[WorkItem] = field(default_factory=list)
    empty_text: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)
    order: int = 100


Provider = Callable[[Any], list[WorkSection]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a section provider (idempotent: registering twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user: Any) -> list[WorkSection]:
    """All sections every app has for this user, in display order."""
    sections = [section for provider in _providers for section in provider(user)]
    return sorted(sections, key=lambda s: s.order)
