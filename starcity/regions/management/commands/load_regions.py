"""Refresh the province, cities, county-level divisions and aliases from the data file.

Idempotent: rows are matched by code and only changed rows are written, each change with an
audit row; nothing is deleted, so communities and hand-added aliases are kept.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from starcity.core.audit import audit_record
from starcity.regions.loader import DATA_FILE, LoadReport, load_divisions
from starcity.regions.models import Region, RegionAlias


class Command(BaseCommand):
    help = "Create or update regions and aliases from a division data file (starcity/regions@1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="data file (default: %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                report = load_divisions(Region, RegionAlias, options["file"])
                _audit(report)
        except (OSError, ValueError, KeyError) as exc:  # DataFileError is a ValueError
            raise CommandError(_("无法读取区划数据文件：%(error)s") % {"error": exc}) from exc
        counts = {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": report.unchanged,
            "aliases_created": report.aliases_created,
            "aliases_updated": report.aliases_updated,
        }
        regions = _("区域：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d") % counts
        aliases = _("别名：新增 %(aliases_created)d，更新 %(aliases_updated)d") % counts
        self.stdout.write(regions)
        self.stdout.write(aliases)


def _audit(report: LoadReport) -> None:
    """One audit row per region the load created or changed (system actor)."""
    changed = [*report.created, *report.updated]
    for region in Region.objects.filter(code__in=changed):
        before, after = report.updated.get(region.code, ({}, {}))
        audit_record(
            actor=None,
            action="region.load",
            target=region,
            scope=region.path,
            before={key: str(value) for key, value in before.items()},
            after={key: str(value) for key, value in after.items()}
            or {"code": region.code, "name": region.name},
        )
