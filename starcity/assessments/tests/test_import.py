"""Excel round trip through the views: template out, filled workbook in, all or nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from starcity.assessments.excel import SHEET_INDICATORS
from starcity.assessments.models import Answer
from starcity.assessments.selectors import values_mapping_of
from starcity.assessments.tests.conftest import EXE, first_of, full_values
from starcity.core.models import AuditEntry


def template_of(client, assessment) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(reverse("assessments:template", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content


def edited(data: bytes, changes: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_INDICATORS]
    for cell, value in changes.items():
        sheet[cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(standard, code: str) -> int:  # type: ignore[no-untyped-def]
    return [indicator.code for indicator in standard.indicators].index(code) + 2


def post_import(client, assessment, data: bytes, name: str = "自评.xlsx"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("assessments:import", args=[assessment.pk]), {"file": upload})


def test_round_trip_imports_every_value(client, filled, county_operator):
    client.force_login(county_operator)
    expected = values_mapping_of(filled)["values"]
    data = template_of(client, filled)
    Answer.objects.filter(assessment=filled).delete()
    response = post_import(client, filled, data)
    assert response.status_code == 302
    filled.refresh_from_db()
    filled.__dict__.pop("_answers_by_code", None)
    assert values_mapping_of(filled)["values"] == expected
    assert AuditEntry.objects.filter(action="assessment.import").count() == 1


def test_changed_number_is_imported_exactly(client, filled, county_operator, county_std):
    client.force_login(county_operator)
    threshold = first_of(county_std, "threshold")
    data = edited(template_of(client, filled), {f"H{row_of(county_std, threshold.code)}": "83.5"})
    assert post_import(client, filled, data).status_code == 302
    assert Answer.objects.get(assessment=filled, indicator_code=threshold.code).number == "83.5"


def test_bad_cells_are_listed_by_sheet_row_column_and_nothing_imported(
    client, filled, county_operator, county_std
):
    client.force_login(county_operator)
    threshold = first_of(county_std, "threshold")
    ratio = first_of(county_std, "ratio")
    threshold_row, ratio_row = row_of(county_std, threshold.code), row_of(county_std, ratio.code)
    data = edited(template_of(client, filled), {f"H{threshold_row}": "八十", f"J{ratio_row}": 0})
    answers = list(Answer.objects.filter(assessment=filled).values())
    audit_count = AuditEntry.objects.count()
    response = post_import(client, filled, data)
    assert response.status_code == 400
    errors = [str(error) for error in response.context["import_errors"]]
    assert len(errors) == 2
    page = response.content.decode()
    for row, column, code in ((threshold_row, "H", threshold.code), (ratio_row, "J", ratio.code)):
        line = next(error for error in errors if code in error)
        assert SHEET_INDICATORS in line and f"第{row}行" in line and f"{column}列" in line
        assert code in page
    assert list(Answer.objects.filter(assessment=filled).values()) == answers
    assert AuditEntry.objects.count() == audit_count


def test_template_of_another_standard_is_refused(
    client, filled, county_operator, city_standard, city_operator
):
    from starcity.assessments.services import assessment_create

    city = assessment_create(by=city_operator, region=filled.region.parent, standard_version=city_standard)
    client.force_login(city_operator)
    city_template = template_of(client, city)
    response = post_import(client, filled, city_template)
    assert response.status_code == 400
    assert "SD-CITY" in response.content.decode()


def test_not_an_xlsx_is_refused(client, filled, county_operator):
    client.force_login(county_operator)
    response = post_import(client, filled, EXE, name="fill.xlsx")
    assert response.status_code == 400
    page = response.content.decode()
    assert "fill.xlsx" in page
    assert page.count(str(response.context["import_message"])) == 1  # said once, not twice
    assert "fill.xlsx" not in " ".join(response.context["import_errors"])


def test_refused_import_puts_the_detail_address_back(client, filled, county_operator):
    client.force_login(county_operator)
    response = post_import(client, filled, EXE, name="fill.xlsx")
    detail = reverse("assessments:detail", args=[filled.pk])
    assert f'history.replaceState(null, "", "{detail}")' in response.content.decode()


def test_oversize_is_refused_before_reading(client, filled, county_operator, settings):
    client.force_login(county_operator)
    settings.UPLOAD_MAX_BYTES = 100
    response = post_import(client, filled, b"PK\x03\x04" + b"0" * 200, name="big.xlsx")
    assert response.status_code == 400
    assert "big.xlsx" in response.content.decode()


def test_submitted_template_is_prefilled_from_the_snapshot(client, submitted, province_officer, county_std):
    client.force_login(province_officer)
    workbook = load_workbook(io.BytesIO(template_of(client, submitted)))
    threshold = first_of(county_std, "threshold")
    cell = workbook[SHEET_INDICATORS][f"H{row_of(county_std, threshold.code)}"].value
    assert str(cell) == full_values(county_std)[threshold.code]
