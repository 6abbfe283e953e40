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


REGION_CODES = {"370321", "370114", "370300"}


class TestExport:
    """The workbook's columns are the Excel module's business: these look rows up by value."""

    def rows(self, response) -> list[tuple]:  # type: ignore[no-untyped-def]
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.content)).active
        return list(sheet.iter_rows(min_row=2, values_only=True))

    def codes(self, rows) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted(cell for row in rows for cell in row if cell in REGION_CODES)

    def test_export_has_the_same_rows_as_the_screen(self, client, spread, province_officer):
        client.force_login(province_officer)
        rows = self.rows(client.get(reverse("assessments:export")))
        assert self.codes(rows) == sorted(["370321", "370114", "370300"])

    def test_export_applies_the_filters(self, client, spread, province_officer):
        client.force_login(province_officer)
        rows = self.rows(
            client.get(reverse("assessments:export"), {"level": "county", "city": region("370300").pk})
        )
        assert len(rows) == 1
        assert {"370321", "淄博市", spread["graded"].grade_name} <= set(rows[0])

    def test_export_never_shows_more_than_visible(self, client, spread, county_operator_other_city):
        client.force_login(county_operator_other_city)
        rows = self.rows(client.get(reverse("assessments:export")))
        assert self.codes(rows) == ["370114"]

    def test_rows_carry_id_title_and_an_absolute_link(self, client, spread, province_officer, monkeypatch):
        from starcity.assessments import views

        captured: list[dict] = []

        def export(rows, *, title):  # type: ignore[no-untyped-def]
            captured.extend(rows)
            return b"xlsx"

        monkeypatch.setattr(views.excel, "export_assessments", export)
        client.force_login(province_officer)
        assert client.get(reverse("assessments:export")).status_code == 200
        graded = spread["graded"]
        row = next(row for row in captured if row["id"] == graded.pk)
        assert row["title"] == graded.title
        assert row["url"] == "http://testserver" + reverse("assessments:detail", args=[graded.pk])
        assert {row["id"] for row in captured} == {spread["graded"].pk, spread["empty"].pk, spread["city"].pk}


class TestLatest:
    """Each region's newest submission per standard line is marked 最新; older ones and drafts not."""

    def test_only_the_newest_submission_of_a_region_and_line_is_latest(
        self, client, county_operator, province_officer, county_standard, city_operator, city_standard
    ):
        older = submit_new(county_operator, "370321", county_standard)
        newer = submit_new(county_operator, "370321", county_standard)
        other_region = submit_new(city_operator, "370303", county_standard)
        city = submit_new(city_operator, "370300", city_standard)
        draft = services.assessment_create(
            by=county_operator, region=region("370321"), standard_version=county_standard
        )
        client.force_login(county_operator)
        response = client.get(reverse("assessments:list"))
        flags = {item.pk: item.is_latest for item in response.context["page"].object_list}
        assert flags == {older.pk: False, newer.pk: True, draft.pk: False}
        client.force_login(province_officer)
        response = client.get(reverse("assessments:list"))
        flags = {item.pk: item.is_latest for item in response.context["page"].object_list}
        assert flags == {older.pk: False, newer.pk: True, other_region.pk: True, city.pk: True}
        page = response.content.decode()
        assert page.count('class="badge badge-latest"') == 3


class TestFilterOptions:
    def fields(self, client, user) -> dict:  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client.get(reverse("assessments:list")).context["form"].fields

    def test_county_operator_has_no_city_or_level_filter(self, client, spread, county_operator_other_city):
        fields = self.fields(client, county_operator_other_city)
        assert "city" not in fields and "level" not in fields
        assert {"grade", "standard", "status"} <= set(fields)

    def test_city_operator_filters_by_level_not_city(self, client, spread, city_operator):
        fields = self.fields(client, city_operator)
        assert "city" not in fields
        assert [value for value, _label in fields["level"].choices if value][:2] == ["city", "county"]

    def test_province_filters_by_city_and_level(self, client, spread, province_officer):
        fields = self.fields(client, province_officer)
        assert len(fields["city"].queryset) == 16
        assert "level" in fields

    def test_grades_run_from_zero_to_the_most_grades_in_use(self, client, spread, province_officer):
        fields = self.fields(client, province_officer)
        values = [value for value, _label in fields["grade"].choices if value != ""]
        assert values == ["0", "1", "2", "3", "4", "5"]
        assert dict(fields["grade"].choices)["0"] == "未达星级"

    def test_hidden_filters_are_ignored_in_the_address(self, client, spread, county_operator):
        client.force_login(county_operator)
        response = client.get(reverse("assessments:list"), {"level": "city"})
        shown = {item.pk for item in response.context["page"].object_list}
        assert shown == {spread["graded"].pk, spread["draft"].pk}


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


class TestPathFilters:
    """Visibility is built from the accounts filters (`visible_path_filter`, `actable_path_filter`)."""

    def test_actable_path_filter_keeps_the_regions_acted_for(self, spread, city_operator, county_operator):
        from starcity.accounts.selectors import actable_path_filter
        from starcity.assessments.models import SelfAssessment

        acted = SelfAssessment.objects.filter(actable_path_filter(county_operator, field="region__path"))
        assert set(acted) == {spread["graded"], spread["draft"]}
        by_city = SelfAssessment.objects.filter(actable_path_filter(city_operator, field="region__path"))
        assert set(by_city) == {spread["graded"], spread["draft"], spread["city"]}

    def test_drafts_for_the_workbench(self, spread, county_operator, province_officer):
        from starcity.assessments.selectors import drafts_for_operator

        assert list(drafts_for_operator(county_operator)) == [spread["draft"]]
        assert list(drafts_for_operator(province_officer)) == []


class TestExportColumnsAndName:
    def header_and_rows(self, response) -> tuple[list, list[dict]]:  # type: ignore[no-untyped-def]
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        return header, [
            dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True)
        ]

    def test_grade_zero_is_named_and_latest_is_a_column(
        self, client, spread, province_officer, county_operator
    ):
        newer = services.assessment_submit(by=county_operator, assessment=spread["draft"])  # empty
        client.force_login(province_officer)
        header, rows = self.header_and_rows(client.get(reverse("assessments:export")))
        assert header.index("最新") == header.index("状态") + 1
        by_id = {row["ID"]: row for row in rows}
        assert (by_id[spread["empty"].pk]["等级"], by_id[spread["empty"].pk]["等级名称"]) == (0, "未达星级")
        assert by_id[spread["graded"].pk]["最新"] == "否"  # the newer one is the latest
        assert (by_id[newer.pk]["最新"], by_id[newer.pk]["等级名称"]) == ("是", "未达星级")

    def test_the_file_is_named_with_the_time_of_export(self, client, spread, province_officer):
        from datetime import UTC, datetime

        import time_machine

        client.force_login(province_officer)
        with time_machine.travel(datetime(2026, 3, 1, 1, 5, tzinfo=UTC), tick=False):  # 09:05 in Shanghai
            response = client.get(reverse("assessments:export"))
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="assessments-20260301-0905.xlsx"; ')
        assert "filename*=UTF-8''%E8%87%AA%E8%AF%84%E4%BC%B0-20260301-0905.xlsx" in disposition


class TestStatusFilter:
    """Only those who may see drafts are offered the status filter (which could narrow nothing
    for the others: they see submitted ones only)."""

    def fields(self, client, user) -> dict:  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client.get(reverse("assessments:list")).context["form"].fields

    def test_operators_filter_by_draft_or_submitted(self, client, spread, county_operator):
        assert [value for value, _label in self.fields(client, county_operator)["status"].choices] == [
            "",
            "draft",
            "submitted",
        ]

    @pytest.mark.parametrize("persona", ["province_officer", "observer"])
    def test_province_staff_and_observers_are_not_offered_drafts(self, client, spread, persona, request):
        fields = self.fields(client, request.getfixturevalue(persona))
        assert "status" not in fields

    def test_a_draft_filter_in_the_address_shows_them_no_draft_anyway(self, client, spread, province_officer):
        client.force_login(province_officer)
        response = client.get(reverse("assessments:list"), {"status": "draft"})
        assert {item.status for item in response.context["page"].object_list} == {"submitted"}
