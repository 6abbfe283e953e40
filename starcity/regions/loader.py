"""Reading the division data file and writing it into the database.

The data file (`data/shandong.json`, format `starcity/regions@1`) is the one source of the
province, its cities, county-level divisions and their aliases. Loading is idempotent: rows are
matched by code (aliases by region and name), changed rows are updated, nothing is deleted, so
communities and aliases added by hand survive a refresh. The functions take the model classes as
arguments so the data migration can pass its historical models.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starcity.regions.choices import AliasKind, Kind, Level

DATA_FILE = Path(__file__).resolve().parent / "data" / "shandong.json"
FORMAT = "starcity/regions@1"
COUNTY_KINDS = frozenset({Kind.DISTRICT, Kind.COUNTY_CITY, Kind.COUNTY})
REGION_FIELDS = ("name", "short_name", "level", "kind", "path")


class DataFileError(ValueError):
    """The data file is malformed; the message names the entry."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    parent_code: str | None
    path: str


@dataclass(frozen=True)
class AliasRow:
    name: str
    region_code: str
    kind: str
    old_code: str = ""
    note: str = ""
    within_city_only: bool = False


@dataclass
class LoadReport:
    """What a load changed: codes created and updated, with the fields before and after."""

    created: list[str] = field(default_factory=list)
    updated: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    unchanged: int = 0
    aliases_created: int = 0
    aliases_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.aliases_created or self.aliases_updated)


def _check_code(code: Any, where: str) -> str:
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        raise DataFileError(f"{where}: code must be six digits, got {code!r}")
    return code


def _county_row(item: dict[str, Any], city: RegionRow) -> RegionRow:
    code = _check_code(item.get("code"), f"county under {city.code}")
    if code[:4] != city.code[:4] or code == city.code:
        raise DataFileError(f"county {code}: code does not lie under city {city.code}")
    if item.get("kind") not in COUNTY_KINDS:
        raise DataFileError(f"county {code}: unknown kind {item.get('kind')!r}")
    return RegionRow(
        code=code,
        name=item["name"],
        short_name=item.get("short_name", ""),
        level=Level.COUNTY,
        kind=item["kind"],
        parent_code=city.code,
        path=f"{city.path}{code}/",
    )


def parse_divisions(data: dict[str, Any]) -> tuple[list[RegionRow], list[AliasRow]]:
    """Turn the data file's content into rows, parents before children; refuse malformed entries."""
    if data.get("format") != FORMAT:
        raise DataFileError(f"format must be {FORMAT!r}, got {data.get('format')!r}")
    prov = data["province"]
    province = RegionRow(
        code=_check_code(prov.get("code"), "province"),
        name=prov["name"],
        short_name=prov.get("short_name", ""),
        level=Level.PROVINCE,
        kind=Kind.PROVINCE,
        parent_code=None,
        path=f"{prov['code']}/",
    )
    rows = [province]
    for item in prov["cities"]:
        code = _check_code(item.get("code"), "city")
        city = RegionRow(
            code=code,
            name=item["name"],
            short_name=item.get("short_name", ""),
            level=Level.CITY,
            kind=Kind.PREFECTURE_CITY,
            parent_code=province.code,
            path=f"{province.path}{code}/",
        )
        rows.append(city)
        rows.extend(_county_row(county, city) for county in item["counties"])
    codes = [row.code for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DataFileError(f"duplicate codes: {', '.join(duplicates)}")
    return rows, _alias_rows(data.get("aliases", []), set(codes))


def _alias_rows(items: list[dict[str, Any]], codes: set[str]) -> list[AliasRow]:
    aliases = []
    for item in items:
        if item.get("region") not in codes:
            raise DataFileError(f"alias {item.get('name')!r}: unknown region {item.get('region')!r}")
        if item.get("kind") not in AliasKind.values:
            raise DataFileError(f"alias {item.get('name')!r}: unknown kind {item.get('kind')!r}")
        aliases.append(
            AliasRow(
                name=item["name"],
                region_code=item["region"],
                kind=item["kind"],
                old_code=item.get("old_code", ""),
                note=item.get("note", ""),
                within_city_only=bool(item.get("within_city_only", False)),
            )
        )
    return aliases


def read_divisions(path: Path = DATA_FILE) -> tuple[list[RegionRow], list[AliasRow]]:
    """Read and parse a data file."""
    with open(path, encoding="utf-8") as handle:
        return parse_divisions(json.load(handle))


def load_divisions(region_model: Any, alias_model: Any, path: Path = DATA_FILE) -> LoadReport:
    """Create or update every region and alias of the data file (call inside a transaction)."""
    rows, aliases = read_divisions(path)
    report = LoadReport()
    by_code: dict[str, Any] = {}
    for row in rows:
        by_code[row.code] = _upsert_region(region_model, row, by_code, report)
    for alias in aliases:
        _upsert_alias(alias_model, alias, by_code[alias.region_code], report)
    return report


def _upsert_region(region_model: Any, row: RegionRow, by_code: dict[str, Any], report: LoadReport) -> Any:
    wanted = {name: getattr(row, name) for name in REGION_FIELDS}
    parent = by_code.get(row.parent_code) if row.parent_code else None
    region = region_model.objects.filter(code=row.code).first()
    if region is None:
        report.created.append(row.code)
        return region_model.objects.create(code=row.code, parent=parent, **wanted)
    before = {name: getattr(region, name) for name in REGION_FIELDS}
    before["parent"] = region.parent_id
    wanted_parent = parent.pk if parent is not None else None
    if before == {**wanted, "parent": wanted_parent}:
        report.unchanged += 1
        return region
    for name, value in wanted.items():
        setattr(region, name, value)
    region.parent = parent
    region.save()
    report.updated[row.code] = (before, {**wanted, "parent": wanted_parent})
    return region


def _upsert_alias(alias_model: Any, row: AliasRow, region: Any, report: LoadReport) -> None:
    wanted = {
        "kind": row.kind,
        "old_code": row.old_code,
        "note": row.note,
        "within_city_only": row.within_city_only,
    }
    alias = alias_model.objects.filter(region=region, name=row.name).first()
    if alias is None:
        alias_model.objects.create(region=region, name=row.name, **wanted)
        report.aliases_created += 1
    elif any(getattr(alias, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(alias, key, value)
        alias.save()
        report.aliases_updated += 1
