"""The list: who sees what, filters, Excel export from the same rows, constant query count."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from starcity.assessments import services
from starcity.assessments.selectors import assessments_visible_to
from starcity.assessments.tests.conftest import full_values, region


def submit_new(by, region_code: str, version, values=None):  # type: ignore[no-untyped-def]
    assessment = services.assessment_create(by=by, region=region(region_code), standard_version=version)
    if values:
        services.assessment_save_answers(by=by, assessment=assessment, values=values, bonus={}, vetoes={})
    return services.assessment_submit(by=by, assessment=assessment)


@pytest.fixture
def spread(
    county_operator, county_operator_other_city, city_operator, county_standard, city_standard, county_std
):  # type: ignore[no-untyped-def]
    """Huantai: a graded submission and an open draft; Zhangqiu (Jinan): an empty submission;
    Zibo city: a city-level submission."""
    graded = submit_new(county_operator, "370321", county_standard, full_values(county_std))
    draft = services.assessment_create(
        by=county_operator, region=region("370321"), standard_version=county_standard
    )
    empty = submit_new(county_operator_other_city, "370114", county_standard)
    city = submit_new(city_operator, "370300", city_standard)
    return {"graded": graded, "draft": draft, "empty": empty, "city": city}


def listed(client, user, **params) -> list[int]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("assessments:list"), params)
    assert response.status_code == 200
    return [item.pk for item in response.context["page"].object_list]


class TestVisibility:
    def test_province_sees_every_submitted_and_no_draft(self, client, spread, province_officer):
        pks = listed(client, province_officer)
        assert set(pks) == {spread["graded"].pk, spread["empty"].pk, spread["city"].pk}

    def test_county_operator_sees_own_drafts_and_submissions(self, client, spread, county_operator):
        assert set(listed(client, county_operator)) == {spread["graded"].pk, spread["draft"].pk}

    def test_city_operator_sees_the_city_tree(self, client, spread, city_operator):
        assert set(listed(client, city_operator)) == {
            spread["graded"].pk,
            spread["draft"].pk,
            spread["city"].pk,
        }

    def test_other_city_sees_only_its_own(self, client, spread, county_operator_other_city):
        assert listed(client, county_operator_other_city) == [spread["empty"].pk]

    def test_same_city_other_county_sees_nothing(self, client, spread, county_operator_same_city):
        assert listed(client, county_operator_same_city) == []

    def test_expert_sees_nothing(self, client, spread, expert):
        assert listed(client, expert) == []
        assert not assessments_visible_to(expert).exists()


class TestFilters:
    def test_city(self, client, spread, province_officer):
        zibo = region("370300")
        assert set(listed(client, province_officer, city=zibo.pk)) == {spread["graded"].pk, spread["city"].pk}

    def test_level(self, client, spread, province_officer):
        assert listed(client, province_officer, level="city") == [spread["city"].pk]

    def test_grade(self, client, spread, province_officer):
        assert spread["graded"].grade > 0
        assert listed(client, province_officer, grade=spread["graded"].grade) == [spread["graded"].pk]
        assert set(listed(client, province_officer, grade=0)) == {spread["empty"].pk, spread["city"].pk}

    def test_standard(self, client, spread, province_officer, city_standard):
        assert listed(client, province_officer, standard=city_standard.pk) == [spread["city"].pk]

    def test_status(self, client, spread, county_operator):
        assert listed(client, county_operator, status="draft") == [spread["draft"].pk]

    def test_filters_cannot_widen_what_is_visible(self, client, spread, county_operator):
        jinan = region("370100")
        shown = listed(client, county_operator, city=jinan.pk)
        assert set(shown) <= {spread["graded"].pk, spread["draft"].pk}


class TestExport:
    def rows(self, response) -> list[tuple]:  # type: ignore[no-untyped-def]
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.content)).active
        return list(sheet.iter_rows(min_row=2, values_only=True))

    def test_export_has_the_same_rows_as_the_screen(self, client, spread, province_officer):
        client.force_login(province_officer)
        rows = self.rows(client.get(reverse("assessments:export")))
        assert sorted(row[0] for row in rows) == sorted(["370321", "370114", "370300"])

    def test_export_applies_the_filters(self, client, spread, province_officer):
        client.force_login(province_officer)
        rows = self.rows(
            client.get(reverse("assessments:export"), {"level": "county", "city": region("370300").pk})
        )
        assert len(rows) == 1
        code, _name, city, *_rest = rows[0]
        assert (code, city) == ("370321", "淄博市")
        assert rows[0][6] == spread["graded"].grade

    def test_export_never_shows_more_than_visible(self, client, spread, county_operator_other_city):
        client.force_login(county_operator_other_city)
        rows = self.rows(client.get(reverse("assessments:export")))
        assert [row[0] for row in rows] == ["370114"]


class TestQueryCount:
    def count_list_queries(self, client, user) -> int:  # type: ignore[no-untyped-def]
        client.force_login(user)
        client.get(reverse("assessments:list"))  # warm caches (session, standards)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("assessments:list"))
        assert response.status_code == 200
        return len(captured)

    @pytest.mark.parametrize("persona", ["county_operator", "province_officer"])
    def test_list_queries_do_not_grow_with_rows(
        self,
        client,
        request,
        county_operator,
        city_operator,
        county_standard,
        django_assert_max_num_queries,
        persona,
    ):
        user = request.getfixturevalue(persona)
        for _ in range(3):
            submit_new(county_operator, "370321", county_standard)
        with_three = self.count_list_queries(client, user)
        counties = ["370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323"]
        for index in range(27):
            submit_new(city_operator, counties[index % len(counties)], county_standard)
        client.force_login(user)
        with django_assert_max_num_queries(with_three):
            response = client.get(reverse("assessments:list"))
        assert len(response.context["page"].object_list) == assessments_visible_to(user).count()
        if persona == "province_officer":
            assert len(response.context["page"].object_list) == 30

    def test_export_queries_do_not_grow_with_rows(
        self, client, province_officer, county_operator, county_standard, django_assert_max_num_queries
    ):
        for _ in range(3):
            submit_new(county_operator, "370321", county_standard)
        client.force_login(province_officer)
        client.get(reverse("assessments:export"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("assessments:export"))
        for _ in range(12):
            submit_new(county_operator, "370321", county_standard)
        with django_assert_max_num_queries(len(captured)):
            client.get(reverse("assessments:export"))
