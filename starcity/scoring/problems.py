"""Problems found in a standard or values file, and the exceptions that carry them.

A problem names the path of the offending item (`indicators[7].thresholds`), its line when the
text was parsed, a machine code (`count`) and the parameters of its message; the message itself
is rendered on demand in Chinese (default) or English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .messages import format_message

__all__ = ["Problem", "ScoringInputError", "StandardInvalid", "ValuesInvalid"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (`path`, `line`), what (`code`), and details."""

    path: str
    line: int | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    subject: str | None = None

    def message(self, lang: str = "zh") -> str:
        """The reason in `lang` ("zh" or "en"), prefixed with the code of its subject if any."""
        text = format_message(self.code, self.params, lang)
        return f"{self.subject}: {text}" if self.subject else text

    def render(self, lang: str = "zh") -> str:
        """`path (line N): reason`, leaving out what is unknown."""
        where = self.path or ""
        if self.line is not None:
            where = f"{where} (line {self.line})" if where else f"line {self.line}"
        text = self.message(lang)
        return f"{where}: {text}" if where else text

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """A JSON-able form: path, line, code, subject and the rendered message."""
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "subject": self.subject,
            "message": self.message(lang),
        }


class ScoringInputError(ValueError):
    """An input was refused; `.errors` lists every problem found, in file order."""

    kind = "input"

    def __init__(self, errors: Iterable[Problem], source: str | None = None) -> None:
        self.errors: tuple[Problem, ...] = tuple(sorted(errors, key=_order))
        self.source = source
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        """Every problem on its own line, prefixed with the source name when known."""
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + problem.render(lang) for problem in self.errors)


class StandardInvalid(ScoringInputError):
    """A standard file that breaks the format; it is refused whole."""

    kind = "standard"


class ValuesInvalid(ScoringInputError):
    """A values file that breaks the format or does not fit its standard."""

    kind = "values"


def _order(problem: Problem) -> int:
    return problem.line if problem.line is not None else 1 << 30
