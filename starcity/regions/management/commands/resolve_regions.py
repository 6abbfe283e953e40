"""Resolve region names as official lists write them: one line (or JSON object) per name.

Exits 1 when any name is unknown or ambiguous, naming each on stderr (ambiguous names with every
candidate and its code). Messages follow the language in `--language`, else the LANGUAGE
environment variable, else the site default (Chinese).
"""

import json
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.regions.resolver import RegionMatch, Status, regions_resolve

STATUS_LABELS = {Status.AMBIGUOUS: gettext_lazy("有歧义"), Status.NOT_FOUND: gettext_lazy("未找到")}


def command_language(option: str | None) -> str | None:
    """The supported language asked for by `--language` or $LANGUAGE ("en_US:en" → "en"), if any."""
    wanted = option or os.environ.get("LANGUAGE", "").split(":")[0]
    wanted = wanted.split(".")[0].replace("_", "-").lower()
    if not wanted:
        return None
    try:
        return translation.get_supported_language_variant(wanted)
    except LookupError:
        return None


def match_as_dict(match: RegionMatch) -> dict[str, Any]:
    """The JSON form of one result."""
    region = match.region
    city = region.city if region is not None else None
    item: dict[str, Any] = {
        "query": match.query,
        "code": region.code if region is not None else None,
        "name": region.name if region is not None else None,
        "city": city.name if city is not None else None,
    }
    if match.note:
        item["note"] = match.note
    if not match.is_resolved:
        item["status"] = str(match.status)
        item["error"] = match.error
        item["candidates"] = [{"code": r.code, "name": r.full_name} for r in match.candidates]
    return item


def match_as_line(match: RegionMatch) -> str:
    """The text form of one result: query, code, name, city (tab-separated), and how it matched."""
    if match.region is None:
        return "\t".join([match.query, "-", str(STATUS_LABELS[match.status])])
    city = match.region.city
    cells = [match.query, match.region.code, match.region.name, city.name if city is not None else "-"]
    return "\t".join([*cells, match.note] if match.note else cells)


class Command(BaseCommand):
    help = "Resolve region names (淄博桓台县, 青岛西海岸新区, 章丘市 …) to codes; exit 1 if any fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="+", help="names as written in official lists")
        parser.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
        parser.add_argument("--language", help="message language (zh-hans, en); default: $LANGUAGE")

    def handle(self, *args: Any, **options: Any) -> None:
        language = command_language(options["language"]) or translation.get_language()
        with translation.override(language):
            failed = self._run(options["names"], as_json=options["json"])
        if failed:
            sys.exit(1)

    def _run(self, names: list[str], *, as_json: bool) -> bool:
        matches = regions_resolve(names=names)
        if as_json:
            self.stdout.write(json.dumps([match_as_dict(m) for m in matches], ensure_ascii=False, indent=2))
        else:
            for match in matches:
                self.stdout.write(match_as_line(match))
        failures = [match for match in matches if not match.is_resolved]
        for match in failures:
            self.stderr.write(match.error)
        if failures:
            names_failed = _("、").join(match.query for match in failures)
            self.stderr.write(
                _("%(count)d 个名称未能确定：%(names)s") % {"count": len(failures), "names": names_failed}
            )
        return bool(failures)
