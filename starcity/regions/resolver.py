"""Turning region names as official lists write them into regions.

Lists write a county-level unit in many ways: the full name (桓台县), without the suffix (桓台),
run together with its city (淄博桓台县, 淄博市桓台县, 济南章丘区), under a functional zone's name
(青岛西海岸新区) or under a name retired by a division change (章丘市, 莱芜市). The pure core
(`NameIndex`) decides from names, short names and aliases alone; `regions_resolve` builds the index
from the database and returns regions.

Rules, in order; the first rule that finds anything decides:

1. the whole text is a code (current, or an old code kept on an alias);
2. the whole text is a current full name or an alias (aliases marked "within city only", such as
   济宁's retired 市中区, are skipped here);
3. the text is a city (full or short name, or a retired city such as 莱芜市) followed by a name
   matched within that city, by full name, alias, or short name;
4. the text is a city's or the province's short name (淄博, 东营);
5. the text is a county's short name or a retired name without its suffix (桓台, 章丘).

Names are matched whole, never as prefixes, so 莒县 is not 莒南县 and 市南区 is not 市北区. A
leading 山东省/山东 is dropped. Several regions found by the deciding rule make the result
ambiguous (市中区 alone: 济南市市中区 and 枣庄市市中区; 莱芜市: 莱芜区 and 钢城区).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from starcity.regions.choices import AliasKind, Level
from starcity.regions.models import Region, RegionAlias

SUFFIXES = ("区", "县", "市")


class Status(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


class Via(StrEnum):
    CODE = "code"
    NAME = "name"
    ALIAS = "alias"
    SHORT_NAME = "short_name"


@dataclass(frozen=True)
class Place:
    """A region as the resolver sees it."""

    code: str
    name: str
    short_name: str
    level: str
    path: str


@dataclass(frozen=True)
class AliasName:
    """Another name of the region with `code`."""

    name: str
    code: str
    kind: str
    old_code: str = ""
    within_city_only: bool = False


@dataclass(frozen=True)
class Hit:
    """One way the text matched a region."""

    code: str
    via: Via
    alias: AliasName | None = None


@dataclass(frozen=True)
class Match:
    """The outcome for one query: the hits of the deciding rule."""

    query: str
    text: str
    hits: tuple[Hit, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({hit.code for hit in self.hits}))

    @property
    def status(self) -> Status:
        count = len(self.codes)
        if count == 0:
            return Status.NOT_FOUND
        return Status.RESOLVED if count == 1 else Status.AMBIGUOUS

    @property
    def aliases(self) -> tuple[AliasName, ...]:
        """The aliases the text was matched through, when no current name matched."""
        if any(hit.alias is None for hit in self.hits):
            return ()
        unique = {(hit.alias.name, hit.alias.kind): hit.alias for hit in self.hits if hit.alias is not None}
        return tuple(unique.values())


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC) and drop spaces, invisible characters and edge punctuation."""
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")
    start, end = 0, len(kept)
    while start < end and unicodedata.category(kept[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(kept[end - 1]).startswith("P"):
        end -= 1
    return kept[start:end]


def stem(name: str) -> str:
    """The name without its 区/县/市 suffix; empty when one character would remain (莒县, 陵县)."""
    if name.endswith(SUFFIXES) and len(name) >= 3:
        return name[:-1]
    return ""


def city_path(path: str) -> str:
    """The path of the city a path lies in ("370000/370300/370321/" → "370000/370300/")."""
    parts = [part for part in path.split("/") if part]
    return "/".join(parts[:2]) + "/" if len(parts) >= 2 else path


Table = dict[str, list[Hit]]


class NameIndex:
    """Every name, short name, alias and code of a set of regions, ready for `resolve`."""

    def __init__(self, places: Iterable[Place], aliases: Iterable[AliasName]):
        self.places = {place.code: place for place in places}
        self.codes: Table = defaultdict(list)
        self.names: Table = defaultdict(list)
        self.city_only_names: Table = defaultdict(list)
        self.short_names: Table = defaultdict(list)
        self.stems: Table = defaultdict(list)
        self.city_only_stems: Table = defaultdict(list)
        self.prefixes: dict[str, set[str]] = defaultdict(set)
        self.province_prefixes: list[str] = []
        for place in self.places.values():
            self._add_place(place)
        for alias in aliases:
            if alias.code in self.places:
                self._add_alias(alias)

    def _add_place(self, place: Place) -> None:
        self.codes[place.code].append(Hit(place.code, Via.CODE))
        self.names[place.name].append(Hit(place.code, Via.NAME))
        if place.level == Level.COUNTY:
            if place.short_name:
                self.stems[place.short_name].append(Hit(place.code, Via.SHORT_NAME))
            return
        if place.short_name:
            self.short_names[place.short_name].append(Hit(place.code, Via.SHORT_NAME))
        if place.level == Level.CITY:
            for prefix in filter(None, (place.name, place.short_name)):
                self.prefixes[prefix].add(place.path)
        elif place.level == Level.PROVINCE:
            self.province_prefixes.extend(filter(None, (place.name, place.short_name)))

    def _add_alias(self, alias: AliasName) -> None:
        hit = Hit(alias.code, Via.ALIAS, alias)
        if alias.old_code:
            self.codes[alias.old_code].append(hit)
        (self.city_only_names if alias.within_city_only else self.names)[alias.name].append(hit)
        alias_stem = stem(alias.name) if alias.kind == AliasKind.HISTORICAL else ""
        if alias_stem:
            (self.city_only_stems if alias.within_city_only else self.stems)[alias_stem].append(hit)
        if alias.old_code.endswith("00") and alias.kind == AliasKind.HISTORICAL:
            # A retired prefecture-level city (莱芜市) still prefixes names of its former counties.
            for prefix in filter(None, (alias.name, alias_stem)):
                self.prefixes[prefix].add(city_path(self.places[alias.code].path))

    def resolve(self, query: str) -> Match:
        """Match one name as written in a list; see the module docstring for the rules."""
        text = normalize(query)
        hits = self._lookup(text)
        for prefix in self.province_prefixes:
            if not hits and text.startswith(prefix) and len(text) > len(prefix):
                hits = self._lookup(text[len(prefix) :])
        return Match(query=query, text=text, hits=tuple(hits))

    def _lookup(self, text: str) -> list[Hit]:
        if not text:
            return []
        if text.isdigit():
            return list(self.codes.get(text, ()))
        return (
            list(self.names.get(text, ()))
            or self._split(text)
            or list(self.short_names.get(text, ()))
            or list(self.stems.get(text, ()))
        )

    def _split(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for cut in range(1, len(text)):
            scopes = self.prefixes.get(text[:cut])
            if scopes:
                hits.extend(self._within(text[cut:], scopes))
        return hits

    def _within(self, rest: str, scopes: set[str]) -> list[Hit]:
        """Hits for `rest` among regions strictly below one of the city paths in `scopes`."""
        for tables in ((self.names, self.city_only_names), (self.stems, self.city_only_stems)):
            hits = [hit for table in tables for hit in table.get(rest, ()) if self._below(hit.code, scopes)]
            if hits:
                return hits
        return []

    def _below(self, code: str, scopes: set[str]) -> bool:
        path = self.places[code].path
        return any(path.startswith(scope) and path != scope for scope in scopes)


# Database side ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionMatch:
    """A resolved, ambiguous or unknown name, with the regions it could mean."""

    query: str
    status: Status
    region: Region | None
    candidates: tuple[Region, ...]
    aliases: tuple[AliasName, ...] = ()

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED

    @property
    def error(self) -> str:
        """The problem in the user's language; empty when resolved."""
        if self.status == Status.NOT_FOUND:
            return _("未找到名为“%(query)s”的区域") % {"query": self.query}
        if self.status == Status.AMBIGUOUS:
            listed = _("、").join(
                _("%(name)s（%(code)s）") % {"name": region.full_name, "code": region.code}
                for region in self.candidates
            )
            return _("“%(query)s”有歧义，可能是：%(candidates)s") % {
                "query": self.query,
                "candidates": listed,
            }
        return ""

    @property
    def note(self) -> str:
        """How a resolved name was matched when it is not a current name (历史名称：章丘市)."""
        return _("、").join(
            _("%(kind)s：%(name)s") % {"kind": AliasKind(alias.kind).label, "name": alias.name}
            for alias in self.aliases
        )


def name_index_build() -> NameIndex:
    """The index over active regions above community level and their aliases."""
    regions = Region.objects.filter(is_active=True).exclude(level=Level.COMMUNITY)
    places = [
        Place(code=code, name=name, short_name=short_name, level=level, path=path)
        for code, name, short_name, level, path in regions.values_list(
            "code", "name", "short_name", "level", "path"
        )
    ]
    aliases = [
        AliasName(name=name, code=code, kind=kind, old_code=old_code, within_city_only=city_only)
        for name, code, kind, old_code, city_only in RegionAlias.objects.filter(
            region__is_active=True
        ).values_list("name", "region__code", "kind", "old_code", "within_city_only")
    ]
    return NameIndex(places, aliases)


def regions_resolve(*, names: Iterable[str], index: NameIndex | None = None) -> list[RegionMatch]:
    """Resolve each name to one region, to the regions it could mean, or to nothing, in order."""
    index = index or name_index_build()
    matches = [index.resolve(name) for name in names]
    wanted = {code for match in matches for code in match.codes}
    regions = {
        region.code: region for region in Region.objects.filter(code__in=wanted).select_related("parent")
    }
    results = []
    for match in matches:
        candidates = tuple(regions[code] for code in match.codes)
        region = candidates[0] if match.status == Status.RESOLVED else None
        results.append(RegionMatch(match.query, match.status, region, candidates, match.aliases))
    return results


def region_resolve(name: str) -> RegionMatch:
    """Resolve one name (see `regions_resolve`)."""
    return regions_resolve(names=[name])[0]
