"""The template's notes (说明/备注) go out with the download and come back with the import; its
instructions say each thing once; a refusal names the version once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override

from starcity.assessments.excel import (
    SHEET_EXTRAS,
    SHEET_INDICATORS,
    SHEET_INSTRUCTIONS,
    ExcelImportError,
    build_template,
    read_template,
)
from starcity.assessments.excel.cells import MAX_NOTE_CHARS, TEMPLATE_FORMAT_WITHOUT_NOTES
from starcity.assessments.tests.test_excel import EXAMPLE, LABEL, ROW, _open, _save
from starcity.assessments.tests.test_import import edited, post_import, row_of, template_of
from starcity.scoring import load_standard_file

NOTES = {"H01": "见统计年报", "H02": "=不是公式", "Z01": "第二行\n第三行"}


@pytest.fixture(scope="module")
def standard():  # type: ignore[no-untyped-def]
    return load_standard_file(EXAMPLE)


def _instructions(data: bytes) -> dict[str, str]:
    ws = _open(data)[SHEET_INSTRUCTIONS]
    return {str(row[0].value): str(row[1].value) for row in ws.iter_rows(min_row=3) if row[0].value}


# ---------------------------------------------------------------------------------------------
# The template (no database)


def test_notes_are_written_in_the_note_column(standard: Any) -> None:
    ws = _open(build_template(standard, version_label=LABEL, notes=NOTES))[SHEET_INDICATORS]
    assert ws["M1"].value == "说明/备注"
    assert [ws[f"M{ROW[code]}"].value for code in ("H01", "H02", "Z01", "H03")] == [*NOTES.values(), None]
    assert ws[f"M{ROW['H02']}"].data_type == "s"  # text, never a formula
    assert ws[f"M{ROW['H01']}"].protection.locked is False
    assert ws[f"M{ROW['H03']}"].fill.fgColor.rgb == "00FFF2CC"  # yellow: read back like the inputs


def test_notes_come_back_with_the_values(standard: Any) -> None:
    reading = read_template(
        build_template(standard, version_label=LABEL, notes=NOTES), standard, version_label=LABEL
    )
    assert reading.notes_complete is True
    assert reading.notes == {code: NOTES.get(code, "") for code in ROW}


def test_an_edited_note_is_trimmed_and_a_cleared_one_reads_blank(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL, notes=NOTES))
    wb[SHEET_INDICATORS][f"M{ROW['H01']}"] = "  新的说明  "
    wb[SHEET_INDICATORS][f"M{ROW['H02']}"] = None
    wb[SHEET_INDICATORS][f"M{ROW['H03']}"] = 2025  # a number typed as a note reads as it shows
    notes = read_template(_save(wb), standard, version_label=LABEL).notes
    assert (notes["H01"], notes["H02"], notes["H03"]) == ("新的说明", "", "2025")


def test_a_note_longer_than_the_web_form_allows_is_refused_on_its_cell(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    wb[SHEET_INDICATORS][f"M{ROW['H03']}"] = "长" * (MAX_NOTE_CHARS + 1)
    wb[SHEET_INDICATORS][f"M{ROW['Q01']}"] = "长" * MAX_NOTE_CHARS  # exactly the limit: fine
    with pytest.raises(ExcelImportError) as caught:
        read_template(_save(wb), standard, version_label=LABEL)
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.column, error.code) == (SHEET_INDICATORS, ROW["H03"], "M", "H03")
    assert str(MAX_NOTE_CHARS) in error.message and str(MAX_NOTE_CHARS + 1) in error.message


def test_a_template_made_before_notes_were_carried_only_adds_notes(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    meta = wb["_starcity"]
    for row in meta.iter_rows():
        if row[0].value == "format":
            row[1].value = TEMPLATE_FORMAT_WITHOUT_NOTES
    wb[SHEET_INDICATORS][f"M{ROW['H01']}"] = "离线写的说明"
    reading = read_template(_save(wb), standard, version_label=LABEL)
    assert reading.notes_complete is False
    assert reading.notes == {"H01": "离线写的说明"}  # blanks there say nothing about saved notes


def test_bonus_and_veto_rows_offer_no_note_that_would_be_dropped(standard: Any) -> None:
    ws = _open(build_template(standard, version_label=LABEL))[SHEET_EXTRAS]
    assert [cell.value for cell in ws[1]] == ["代码", "类别", "名称", "规则", "是/否"]


def test_instructions_name_the_version_once_when_label_and_code_agree(standard: Any) -> None:
    same = _instructions(build_template(standard, version_label="EX-DEMO@1"))
    assert same["标准版本"] == "EX-DEMO@1" and "标准代码" not in same
    different = _instructions(build_template(standard, version_label=LABEL))
    assert (different["标准版本"], different["标准代码"]) == (LABEL, "EX-DEMO@1")


def test_instructions_list_the_sheets_by_their_fixed_names(standard: Any) -> None:
    lines = _instructions(build_template(standard, version_label=LABEL))
    assert all(name in lines["工作表"] for name in (SHEET_INSTRUCTIONS, SHEET_INDICATORS, SHEET_EXTRAS))
    assert "说明/备注" in lines and str(MAX_NOTE_CHARS) in lines["说明/备注"]
    with override("en"):
        english = _instructions(build_template(standard, version_label=LABEL))
    sheets = [text for text in english.values() if SHEET_INSTRUCTIONS in text and SHEET_INDICATORS in text]
    assert len(sheets) == 1 and SHEET_EXTRAS in sheets[0]  # the fixed names survive any translation


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_another_standard_is_named_once(standard: Any, lang: str) -> None:
    data = build_template(standard, version_label="EX-DEMO@1")
    with override(lang), pytest.raises(ExcelImportError) as caught:
        other = standard.__class__(**{**standard.__dict__, "version": "2"})
        read_template(data, other, version_label="EX-DEMO@2")
    message = caught.value.errors[0].message
    assert message.count("EX-DEMO@2") == 1 and "EX-DEMO@1" in message


def test_another_label_is_named_when_it_says_more(standard: Any) -> None:
    data = build_template(standard, version_label="EX-DEMO@1")
    other = standard.__class__(**{**standard.__dict__, "version": "2"})
    with pytest.raises(ExcelImportError) as caught:
        read_template(data, other, version_label="示例第2版")
    assert "EX-DEMO@2（示例第2版）" in caught.value.errors[0].message


def test_same_code_but_other_content_says_so(standard: Any) -> None:
    data = build_template(standard, version_label=LABEL, content_hash="a" * 64)
    with pytest.raises(ExcelImportError) as caught:
        read_template(data, standard, version_label=LABEL, content_hash="b" * 64)
    message = caught.value.errors[0].message
    assert "内容哈希" in message and message.count("EX-DEMO@1") == 1


# ---------------------------------------------------------------------------------------------
# Download and import (database)


@pytest.fixture
def noted(filled, county_operator, county_std):  # type: ignore[no-untyped-def]
    """The filled draft with notes on its first two indicators."""
    from starcity.assessments import services
    from starcity.assessments.selectors import values_mapping_of

    first, second = (indicator.code for indicator in county_std.indicators[:2])
    return services.assessment_save_answers(
        by=county_operator,
        assessment=filled,
        values=values_mapping_of(filled)["values"],
        bonus=filled.bonus,
        vetoes=filled.vetoes,
        notes={first: "旧说明一", second: "旧说明二"},
    )


def test_the_download_carries_the_notes(client, noted, county_operator, county_std):
    client.force_login(county_operator)
    ws = _open(template_of(client, noted))[SHEET_INDICATORS]
    first = county_std.indicators[0].code
    assert ws[f"M{row_of(county_std, first)}"].value == "旧说明一"


def test_imported_notes_are_saved_and_the_timeline_says_so(client, noted, county_operator, county_std):
    from starcity.assessments.models import Answer

    client.force_login(county_operator)
    first, second = (indicator.code for indicator in county_std.indicators[:2])
    third = county_std.indicators[2].code
    changes = {
        f"M{row_of(county_std, first)}": "新说明",
        f"M{row_of(county_std, second)}": None,
        f"M{row_of(county_std, third)}": "补充说明",
    }
    assert post_import(client, noted, edited(template_of(client, noted), changes)).status_code == 302
    notes = dict(Answer.objects.filter(assessment=noted).values_list("indicator_code", "note"))
    assert (notes[first], notes[second], notes[third]) == ("新说明", "", "补充说明")
    page = client.get(reverse("assessments:detail", args=[noted.pk]))
    entry = page.context["timeline"][0]
    assert entry["label"] == "导入 Excel"
    assert any(change.endswith("说明已修改") and first in change for change in entry["changes"])


def test_a_too_long_note_refuses_the_whole_import(client, noted, county_operator, county_std):
    from starcity.assessments.models import Answer

    client.force_login(county_operator)
    first = county_std.indicators[0].code
    before = list(Answer.objects.filter(assessment=noted).values())
    data = edited(template_of(client, noted), {f"M{row_of(county_std, first)}": "长" * (MAX_NOTE_CHARS + 1)})
    response = post_import(client, noted, data)
    assert response.status_code == 400
    assert f"{SHEET_INDICATORS} 第{row_of(county_std, first)}行 M列 ({first})" in response.content.decode()
    assert list(Answer.objects.filter(assessment=noted).values()) == before
