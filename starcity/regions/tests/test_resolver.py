"""The resolver turns names from official lists into regions: table-driven over the real data."""

import pytest

from starcity.regions.loader import read_divisions
from starcity.regions.models import Region
from starcity.regions.resolver import (
    AliasName,
    NameIndex,
    Place,
    Status,
    normalize,
    region_resolve,
    regions_resolve,
    stem,
)


@pytest.fixture(scope="module")
def index() -> NameIndex:
    """The pure index over the data file, without a database."""
    rows, aliases = read_divisions()
    places = [Place(r.code, r.name, r.short_name, r.level, r.path) for r in rows]
    names = [AliasName(a.name, a.region_code, a.kind, a.old_code, a.within_city_only) for a in aliases]
    return NameIndex(places, names)


RESOLVED = [
    # full names
    ("桓台县", "370321"),
    ("淄博市", "370300"),
    ("山东省", "370000"),
    ("莒县", "371122"),
    ("莒南县", "371327"),
    ("市南区", "370202"),
    ("市北区", "370203"),
    ("沂源县", "370323"),
    ("沂水县", "371323"),
    ("沂南县", "371321"),
    ("东营区", "370502"),
    # short names
    ("淄博", "370300"),
    ("桓台", "370321"),
    ("东营", "370500"),
    ("山东", "370000"),
    ("沂源", "370323"),
    ("莒南", "371327"),
    ("市南", "370202"),
    ("台儿庄", "370405"),
    # city + county as published
    ("淄博桓台县", "370321"),
    ("淄博市桓台县", "370321"),
    ("淄博桓台", "370321"),
    ("济南章丘区", "370114"),
    ("聊城茌平区", "371503"),
    ("烟台蓬莱区", "370614"),
    ("聊城莘县", "371522"),
    ("日照莒县", "371122"),
    ("临沂莒南县", "371327"),
    ("青岛市北区", "370203"),
    ("青岛市市北区", "370203"),
    ("东营东营区", "370502"),
    ("济南市中区", "370103"),
    ("济南市市中区", "370103"),
    ("枣庄市中区", "370402"),
    ("山东省淄博市桓台县", "370321"),
    ("山东淄博桓台县", "370321"),
    # functional zone
    ("青岛西海岸新区", "370211"),
    ("西海岸新区", "370211"),
    ("青岛市西海岸新区", "370211"),
    # historical names, with and without suffix or city
    ("即墨市", "370215"),
    ("青岛即墨市", "370215"),
    ("章丘市", "370114"),
    ("章丘", "370114"),
    ("济阳县", "370115"),
    ("蓬莱市", "370614"),
    ("长岛县", "370614"),
    ("烟台长岛县", "370614"),
    ("长岛", "370614"),
    ("茌平县", "371503"),
    ("聊城茌平县", "371503"),
    ("莱城区", "370116"),
    ("莱芜市莱城区", "370116"),
    ("莱芜钢城区", "370117"),
    ("济南莱芜区", "370116"),
    ("胶南市", "370211"),
    ("四方区", "370203"),
    ("兖州市", "370812"),
    ("济宁市中区", "370811"),
    ("济宁市市中区", "370811"),
    ("文登市", "371003"),
    ("陵县", "371403"),
    ("沾化县", "371603"),
    ("垦利县", "370505"),
    ("定陶县", "371703"),
    ("邹平县", "371681"),
    ("苍山县", "371324"),
    # codes, current and retired
    ("370321", "370321"),
    ("370181", "370114"),
    # whitespace and full-width forms
    (" 淄博市 桓台县 ", "370321"),
    ("\u3000淄博桓台县\u3000", "370321"),
    ("淄博\u200b桓台县", "370321"),
    ("３７０３２１", "370321"),
    ("“淄博桓台县”", "370321"),
]


@pytest.mark.parametrize(("query", "code"), RESOLVED)
def test_resolves(index, query, code):
    match = index.resolve(query)
    assert (match.status, match.codes) == (Status.RESOLVED, (code,))


AMBIGUOUS = [
    ("市中区", ("370103", "370402")),
    ("莱芜市", ("370116", "370117")),
    ("莱芜", ("370116", "370117")),
    ("371200", ("370116", "370117")),
]


@pytest.mark.parametrize(("query", "codes"), AMBIGUOUS)
def test_ambiguous(index, query, codes):
    match = index.resolve(query)
    assert (match.status, match.codes) == (Status.AMBIGUOUS, codes)


NOT_FOUND = [
    "",
    "   ",
    "莒",  # one-character stems are not names
    "沂",
    "莒南县县",
    "桓台县城",  # whole names only, never a prefix of a longer text
    "市",
    "市中",  # the two 市中区 have no short name
    "高新区",  # functional zones other than 青岛西海岸新区 have no code
    "济南桓台县",  # the county is not in that city
    "淄博章丘区",
    "乐山市中区",
    "999999",
    "371299",
    "北京市",
]


@pytest.mark.parametrize("query", NOT_FOUND)
def test_not_found(index, query):
    match = index.resolve(query)
    assert (match.status, match.codes) == (Status.NOT_FOUND, ())


def test_historical_match_names_the_alias(index):
    match = index.resolve("章丘市")
    assert [(alias.name, alias.kind, alias.old_code) for alias in match.aliases] == [
        ("章丘市", "historical", "370181")
    ]


def test_an_alias_naming_two_regions_is_noted_once(index):
    match = index.resolve("莱芜市")
    assert [(alias.name, alias.old_code) for alias in match.aliases] == [("莱芜市", "371200")]


def test_current_name_wins_over_alias_note(index):
    # 钢城区 is a current name and a retired one (371203); the current name needs no note.
    assert index.resolve("钢城区").aliases == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 淄博 桓台县\t", "淄博桓台县"), ("（桓台县）", "桓台县"), ("桓台县\ufeff", "桓台县"), ("１２", "12")],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"), [("桓台县", "桓台"), ("莒县", ""), ("台儿庄区", "台儿庄"), ("高新", "")]
)
def test_stem(name, expected):
    assert stem(name) == expected


@pytest.mark.django_db
def test_regions_resolve_returns_regions_in_order():
    results = regions_resolve(names=["淄博桓台县", "市中区", "不存在"])
    assert [r.status for r in results] == [Status.RESOLVED, Status.AMBIGUOUS, Status.NOT_FOUND]
    assert results[0].region == Region.objects.get(code="370321")
    assert [c.code for c in results[1].candidates] == ["370103", "370402"]
    assert results[2].region is None and results[2].candidates == ()


@pytest.mark.django_db
def test_messages_name_the_query_and_candidates():
    ambiguous, missing = regions_resolve(names=["市中区", "高新区"])
    assert "济南市市中区（370103）" in ambiguous.error and "枣庄市市中区（370402）" in ambiguous.error
    assert "高新区" in missing.error
    assert region_resolve("章丘市").note == "历史名称：章丘市"


@pytest.mark.django_db
def test_inactive_regions_are_not_resolved():
    Region.objects.filter(code="370321").update(is_active=False)
    assert region_resolve("桓台县").status == Status.NOT_FOUND


@pytest.mark.django_db
def test_communities_are_not_resolved(province_officer, huantai):
    from starcity.regions.services import community_create

    community_create(by=province_officer, county=huantai, name="桓台新区社区", street="索镇街道")
    assert region_resolve("桓台新区社区").status == Status.NOT_FOUND
