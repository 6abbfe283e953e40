"""Publish the shipped standard files (or the files named) as a system action.

Idempotent: a file already published with the same content is reported as unchanged. A broken
file is refused with every error (path and line) and makes the command exit non-zero; the other
files are still loaded, each in its own transaction.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from starcity.core.errors import DomainError
from starcity.standards.services import StandardAlreadyPublished, standard_version_publish


def default_files() -> list[Path]:
    """Every `standards/*.yaml` of the repository, in name order."""
    return sorted((Path(settings.BASE_DIR) / "standards").glob("*.yaml"))


class Command(BaseCommand):
    help = "Publish standard files (default: standards/*.yaml); unchanged files are skipped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="standard files (YAML or JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or default_files()
        if not files:
            raise CommandError("no standard files found")
        failed = [path for path in files if not self._load(path)]
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} standard file(s) refused")

    def _load(self, path: Path) -> bool:
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.stderr.write(f"{path}: cannot read: {exc}")
            return False
        try:
            version = standard_version_publish(by=None, content=content, source_name=path.name, system=True)
        except StandardAlreadyPublished as exc:
            self.stdout.write(f"{path}: unchanged {exc.version.label}")
            return True
        except DomainError as exc:
            summary = f"{len(exc.errors)} problem(s)" if exc.errors else exc.message
            self.stderr.write(f"{path}: refused: {summary}")
            for error in exc.errors:
                self.stderr.write(f"  {error}")
            return False
        self.stdout.write(self.style.SUCCESS(f"{path}: published {version.label} ({version.hash_prefix})"))
        return True
