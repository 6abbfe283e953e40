"""The Excel self-assessment template (build, read back, size limits) and the province's list export.

No database (except the last section, on the import service): the standard is the worked example
of the format (and the shipped standards when they are there); workbooks are edited with openpyxl
as an operator would edit them in Excel, or their XML by hand where Excel would not go.
"""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from starcity.assessments import excel
from starcity.assessments.excel import (
    SHEET_EXTRAS,
    SHEET_INDICATORS,
    SHEET_INSTRUCTIONS,
    CellError,
    ExcelImportError,
    build_template,
    export_assessments,
    parse_template,
)
from starcity.scoring import load_standard, load_standard_file, values_from_mapping

EXAMPLE = Path("/work/shared/spec/examples/standard.yaml")
SHIPPED = sorted((Path(__file__).resolve().parents[3] / "standards").glob("*.yaml"))
LABEL = "EX-DEMO 第1版"
SCHEMA = "starcity/values@1"
# Rows of the example standard's indicators and of its bonus items and vetoes.
ROW = {"H01": 2, "H02": 3, "H03": 4, "Z01": 5, "Z02": 6, "Q01": 7, "Q02": 8}
EXTRA_ROW = {"B01": 2, "B02": 3, "V01": 4, "V02": 5}

FILLED = {
    "values": {
        "H01": "83.5",
        "H02": {"numerator": 91, "denominator": 130},
        "H03": "66.67",
        "Z01": 3,
        "Z02": "6.2",
        "Q02": True,
    },
    "bonus": {"B01": True, "B02": False},
    "vetoes": {"V01": False, "V02": True},
}


@pytest.fixture(scope="module")
def standard():  # type: ignore[no-untyped-def]
    return load_standard_file(EXAMPLE)


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _edited(
    standard: Any, edits: dict[str, object], sheet: str = SHEET_INDICATORS, values: Any = None
) -> bytes:
    """A template for `standard` with cells set as an operator would type them."""
    wb = _open(build_template(standard, version_label=LABEL, values=values))
    for coordinate, value in edits.items():
        wb[sheet][coordinate] = value
    return _save(wb)


def _refusal(data: bytes, standard: Any, **kwargs: Any) -> list[CellError]:
    with pytest.raises(ExcelImportError) as caught:
        parse_template(data, standard, version_label=LABEL, **kwargs)
    return caught.value.errors


def _places(errors: list[CellError]) -> list[tuple[str, int | None, str, str]]:
    return [(e.sheet, e.row, e.column, e.code) for e in errors]


def _validations(ws: Any) -> dict[tuple[str, str | None], set[str]]:
    """(type, formula1) → the cells it covers."""
    found: dict[tuple[str, str | None], set[str]] = {}
    for validation in ws.data_validations.dataValidation:
        cells = {str(r) for r in validation.sqref.ranges}
        found.setdefault((validation.type, validation.formula1), set()).update(cells)
    return found


def _expected(mapping: dict[str, Any]) -> dict[str, Any]:
    return {"schema": SCHEMA, "values": {}, "bonus": {}, "vetoes": {}} | mapping


# ---------------------------------------------------------------------------------------------
# Building


def test_template_has_the_sheets_and_one_row_per_indicator(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    assert wb.sheetnames[:3] == [SHEET_INSTRUCTIONS, SHEET_INDICATORS, SHEET_EXTRAS]
    assert wb["_starcity"].sheet_state == "veryHidden"
    ws = wb[SHEET_INDICATORS]
    assert [ws[f"A{row}"].value for row in range(2, ws.max_row + 1)] == [i.code for i in standard.indicators]
    assert [c.value for c in ws[1]][:8] == [
        "指标代码",
        "领域",
        "指标名称",
        "定义",
        "单位",
        "方法",
        "阈值或分级说明",
        "数值",
    ]
    assert ws.freeze_panes == "D2"
    assert ws["B2"].value == "惠民"
    assert [ws[f"F{row}"].value for row in (2, 3, 5, 8)] == ["数值", "比值", "分级", "是否"]
    extras = wb[SHEET_EXTRAS]
    assert [extras[f"A{row}"].value for row in range(2, 6)] == ["B01", "B02", "V01", "V02"]
    assert [extras[f"B{row}"].value for row in (2, 4)] == ["加分项", "否决项"]


def test_rule_texts_show_thresholds_tiers_and_booleans(standard: Any) -> None:
    ws = _open(build_template(standard, version_label=LABEL))[SHEET_INDICATORS]
    assert ws["G2"].value == "1星≥50; 2星≥65; 3星≥80; 4星≥90; 5星≥98"
    assert ws["G6"].value == "1星≤15; 2星≤10; 3星≤7; 4星≤5; 5星≤3"  # lower is better
    assert ws["G3"].value.startswith("比值=100×分子÷分母; 1星≥20")
    assert ws["G5"].value.startswith("1=仅有规划; 2=平台建成")
    assert ws["G8"].value == "是=5级; 否=0级"


def test_only_the_inputs_a_method_uses_are_yellow_and_unlocked(standard: Any) -> None:
    ws = _open(build_template(standard, version_label=LABEL))[SHEET_INDICATORS]
    inputs = {"H01": "H", "H02": "IJ", "Z01": "K", "Q02": "L"}
    for code, used in inputs.items():
        for column in "HIJKL":
            cell = ws[f"{column}{ROW[code]}"]
            assert (cell.fill.fgColor.rgb == "00FFF2CC") is (column in used), cell.coordinate
            assert cell.protection.locked is (column not in used), cell.coordinate
    assert ws.protection.sheet is True
    assert ws["A2"].protection.locked is True
    assert ws["M2"].protection.locked is False


def test_data_validations_cover_exactly_the_input_cells(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    found = _validations(wb[SHEET_INDICATORS])
    assert found[("decimal", "-1E+15")] == {"H2", "H4", "H6", "H7"}
    assert found[("decimal", "0")] == {"I3", "J3"}
    assert found[("list", '"0,1,2,3,4,5"')] == {"K5"}
    assert found[("list", '"是,否"')] == {"L8"}
    by_cell = {
        str(r): v for v in wb[SHEET_INDICATORS].data_validations.dataValidation for r in v.sqref.ranges
    }
    assert (by_cell["I3"].operator, by_cell["J3"].operator) == ("greaterThanOrEqual", "greaterThan")
    assert all(v.showErrorMessage for v in by_cell.values())
    assert _validations(wb[SHEET_EXTRAS]) == {("list", '"是,否"'): {"E2", "E3", "E4", "E5"}}


def test_instructions_name_the_standard_version_region_and_grades(standard: Any) -> None:
    data = build_template(standard, version_label=LABEL, region_name="桓台县", content_hash="ab" * 32)
    ws = _open(data)[SHEET_INSTRUCTIONS]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for expected in (LABEL, "EX-DEMO@1", standard.title, "桓台县", "ab" * 32, "一星级", "五星级", "黄色"):
        assert expected in text
    assert "全部不导入" in text


def test_prefilled_values_are_written_in_their_input_cells(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL, values=FILLED))
    ws = wb[SHEET_INDICATORS]
    assert (ws["H2"].value, ws["I3"].value, ws["J3"].value, ws["K5"].value, ws["L8"].value) == (
        83.5, 91, 130, 3, "是",
    )  # fmt: skip
    assert ws["H7"].value is None
    assert [wb[SHEET_EXTRAS][f"E{row}"].value for row in range(2, 6)] == ["是", "否", "否", "是"]


def test_cell_texts_are_never_formulas(standard: Any) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: 群众满意度", 'name: "=HYPERLINK(\\"x\\")"')
    ws = _open(build_template(load_standard(text), version_label=LABEL))[SHEET_INDICATORS]
    assert ws["C4"].data_type == "s"
    assert ws["C4"].value == '=HYPERLINK("x")'


# ---------------------------------------------------------------------------------------------
# Reading back


def test_round_trip_of_a_prefilled_template(standard: Any) -> None:
    data = build_template(standard, version_label=LABEL, values=FILLED)
    mapping = parse_template(data, standard, version_label=LABEL)
    assert mapping == _expected(FILLED)
    values = values_from_mapping(mapping, standard)
    assert values.missing == ("Q01",)
    assert values.vetoes == ("V02",)


def test_round_trip_keeps_decimals_exact(standard: Any) -> None:
    filled = {
        "values": {
            "H01": "0.1",
            "H02": {"numerator": "91.25", "denominator": "130.5"},
            "H03": "12345678901234567.25",  # more digits than Excel holds: kept as text
            "Z02": "-0.000123",
        }
    }
    mapping = parse_template(
        build_template(standard, version_label=LABEL, values=filled), standard, version_label=LABEL
    )
    assert mapping["values"] == filled["values"]


def test_an_untouched_template_reads_as_all_missing(standard: Any) -> None:
    data = build_template(standard, version_label=LABEL)
    assert parse_template(io.BytesIO(data), standard, version_label=LABEL) == _expected({})


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (83.5, "83.5"),
        (0.1 + 0.2, "0.3"),
        (85, 85),
        (85.0, 85),
        (" 83.5 ", "83.5"),
        ("８３．５", "83.5"),
        ("\u300066.67\u3000", "66.67"),
        ("-2", -2),
        ("007", 7),
    ],
)
def test_numbers_are_read_exactly(standard: Any, typed: object, read: object) -> None:
    mapping = parse_template(_edited(standard, {"H2": typed}), standard, version_label=LABEL)
    assert mapping["values"] == {"H01": read}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        *[("是", True), ("否", False), ("Y", True), ("n", False), ("Yes", True), ("NO", False)],
        *[("TRUE", True), ("false", False), ("1", True), ("0", False), (1, True), (0, False)],
        *[(True, True), (False, False)],
    ],
)
def test_yes_no_accepts_the_usual_spellings(standard: Any, typed: object, read: bool) -> None:
    data = _edited(standard, {"L8": typed})
    assert parse_template(data, standard, version_label=LABEL)["values"] == {"Q02": read}
    data = _edited(standard, {"E3": typed}, sheet=SHEET_EXTRAS)
    assert parse_template(data, standard, version_label=LABEL)["bonus"] == {"B02": read}


@pytest.mark.parametrize(("typed", "read"), [(0, 0), (5, 5), (3.0, 3), (" 4 ", 4), ("２", 2), ("1.0", 1)])
def test_grades_accept_whole_numbers_in_any_spelling(standard: Any, typed: object, read: int) -> None:
    mapping = parse_template(_edited(standard, {"K5": typed}), standard, version_label=LABEL)
    assert mapping["values"] == {"Z01": read}


def test_rows_may_be_reordered_cleared_or_padded_with_blank_rows(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL, values=FILLED))
    ws = wb[SHEET_INDICATORS]
    ws.move_range("A2:M8", rows=10)  # the rows move down, blank rows above
    ws.move_range("A12:M12", rows=10)  # H01 to the end
    for column in "ABCDEFGHIJKLM":
        ws[f"{column}14"] = None  # H03's row removed entirely
    ws["M30"] = "备注不读取"
    mapping = parse_template(_save(wb), standard, version_label=LABEL)
    expected = {k: v for k, v in FILLED["values"].items() if k != "H03"}
    assert mapping["values"] == expected


# ---------------------------------------------------------------------------------------------
# Refusals


BAD_CELLS = [
    ({"H2": "abc"}, "H", "H01", "“abc”不是数字"),
    ({"H2": "83.5%"}, "H", "H01", "不是数字"),
    ({"H2": "1,000"}, "H", "H01", "不是数字"),
    ({"H2": "#DIV/0!"}, "H", "H01", "公式出错"),
    ({"H2": "=1/0"}, "H", "H01", "公式没有计算结果"),
    ({"H2": datetime(2025, 1, 1)}, "H", "H01", "不是数字"),
    ({"H2": True}, "H", "H01", "应填写数字"),
    ({"I3": 5, "J3": 0}, "J", "H02", "分母必须大于0"),
    ({"I3": 5, "J3": -2}, "J", "H02", "分母必须大于0"),
    ({"I3": -1, "J3": 10}, "I", "H02", "分子不能为负数"),
    ({"I3": 5}, "J", "H02", "同时填写分子和分母"),
    ({"J3": 5}, "I", "H02", "同时填写分子和分母"),
    ({"I3": "x", "J3": 5}, "I", "H02", "不是数字"),
    ({"K5": 6}, "K", "Z01", "0到5的整数"),
    ({"K5": -1}, "K", "Z01", "0到5的整数"),
    ({"K5": 2.5}, "K", "Z01", "0到5的整数"),
    ({"K5": "三级"}, "K", "Z01", "0到5的整数"),
    ({"L8": "maybe"}, "L", "Q02", "请填写“是”或“否”"),
    ({"L8": 2}, "L", "Q02", "请填写“是”或“否”"),
    ({"H5": 80}, "H", "Z01", "分级类指标不使用“数值”列"),
    ({"L2": "是"}, "L", "H01", "数值类指标不使用“是/否”列"),
    ({"K3": 2, "I3": 1, "J3": 2}, "K", "H02", "比值类指标不使用“等级”列"),
    ({"H8": "#N/A"}, "H", "Q02", "是否类指标不使用“数值”列"),
]


@pytest.mark.parametrize(("edits", "column", "code", "message"), BAD_CELLS)
def test_a_bad_cell_is_refused_with_its_place(
    standard: Any, edits: dict[str, object], column: str, code: str, message: str
) -> None:
    errors = _refusal(_edited(standard, edits), standard)
    assert _places(errors) == [(SHEET_INDICATORS, ROW[code], column, code)]
    assert message in errors[0].message


def test_both_parts_of_a_ratio_are_checked_even_when_one_is_unreadable(standard: Any) -> None:
    errors = _refusal(_edited(standard, {"I3": "x", "J3": 0}), standard)
    assert _places(errors) == [(SHEET_INDICATORS, 3, "I", "H02"), (SHEET_INDICATORS, 3, "J", "H02")]


def test_error_sentence_names_sheet_row_column_and_code(standard: Any) -> None:
    errors = _refusal(_edited(standard, {"I3": 5, "J3": 0}), standard)
    assert str(errors[0]) == "指标填报 第3行 J列 (H02): 分母必须大于0"


def test_unknown_duplicate_and_codeless_rows_are_refused(standard: Any) -> None:
    edits = {"A9": "X99", "H9": 1, "A10": "H01", "H10": 50, "H11": 7, "A12": "h01"}
    errors = _refusal(_edited(standard, edits), standard)
    assert _places(errors) == [
        (SHEET_INDICATORS, 9, "A", "X99"),
        (SHEET_INDICATORS, 10, "A", "H01"),
        (SHEET_INDICATORS, 11, "A", ""),
        (SHEET_INDICATORS, 12, "A", "h01"),  # codes are case-sensitive
    ]
    assert "第2行" in errors[1].message


def test_bad_bonus_and_veto_rows_are_refused(standard: Any) -> None:
    edits = {"E2": "perhaps", "A6": "B99", "E6": "是", "A7": "V01", "E7": "否", "E8": "是"}
    errors = _refusal(_edited(standard, edits, sheet=SHEET_EXTRAS), standard)
    assert _places(errors) == [
        (SHEET_EXTRAS, 2, "E", "B01"),
        (SHEET_EXTRAS, 6, "A", "B99"),
        (SHEET_EXTRAS, 7, "A", "V01"),
        (SHEET_EXTRAS, 8, "A", ""),
    ]


def test_every_error_is_reported_at_once_and_nothing_is_returned(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL, values=FILLED))
    wb[SHEET_INDICATORS]["H2"] = "abc"
    wb[SHEET_INDICATORS]["J3"] = 0
    wb[SHEET_INDICATORS]["K5"] = 9
    wb[SHEET_EXTRAS]["E5"] = "?"
    errors = _refusal(_save(wb), standard)
    assert _places(errors) == [
        (SHEET_INDICATORS, 2, "H", "H01"),
        (SHEET_INDICATORS, 3, "J", "H02"),
        (SHEET_INDICATORS, 5, "K", "Z01"),
        (SHEET_EXTRAS, 5, "E", "V02"),
    ]


def test_the_engine_s_refusals_point_at_the_indicator_row(
    standard: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel.cells, "MAX_NUMBER_CHARS", 1000)  # let the engine judge the length
    monkeypatch.setattr(excel.cells, "MAX_NUMBER_DIGITS", 1000)
    too_long = "0." + "1" * 250  # a decimal, but longer than the engine accepts
    errors = _refusal(_edited(standard, {"H4": too_long}), standard)
    assert _places(errors) == [(SHEET_INDICATORS, ROW["H03"], "H", "H03")]
    assert "个字符" not in errors[0].message  # the engine's message, not the reader's


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1" * 30, int("1" * 30)),
        ("-" + "9" * 29 + ".5", "-" + "9" * 29 + ".5"),
        ("0." + "0" * 28 + "1", "0." + "0" * 28 + "1"),
        (10**29, 10**29),
    ],
)
def test_numbers_up_to_30_digits_are_read(standard: Any, typed: object, read: object) -> None:
    mapping = parse_template(_edited(standard, {"H2": typed}), standard, version_label=LABEL)
    assert mapping["values"] == {"H01": read}


@pytest.mark.parametrize(
    "typed",
    [
        "9" * 5000,  # once a 500: past Python's limit for turning text into an int
        "1" * 31,
        "0." + "0" * 29 + "1",
        "1" * 20 + "." + "1" * 11,
        "0" * 35 + "123456",  # 41 characters, as the web form refuses, even though it reads as 123456
        10**100,  # a number cell: once stored whole, too long for the answer column
        1e300,
        1e-300,
    ],
    ids=["5000-digits", "31-digits", "31-decimals", "31-mixed", "41-chars", "int-1e100", "1e300", "1e-300"],
)
def test_overlong_numbers_are_refused_in_their_cell(standard: Any, typed: object) -> None:
    errors = _refusal(_edited(standard, {"H2": typed, "I3": typed, "J3": 1}), standard)
    assert _places(errors) == [(SHEET_INDICATORS, 2, "H", "H01"), (SHEET_INDICATORS, 3, "I", "H02")]
    assert all("数字过长" in error.message for error in errors)
    assert all(len(str(error)) < 200 for error in errors)


def test_an_overlong_grade_or_yes_no_is_refused_with_a_short_message(standard: Any) -> None:
    errors = _refusal(_edited(standard, {"K5": "9" * 5000, "L8": "x" * 5000}), standard)
    assert _places(errors) == [(SHEET_INDICATORS, 5, "K", "Z01"), (SHEET_INDICATORS, 8, "L", "Q02")]
    assert all(len(str(error)) < 200 for error in errors)


def test_a_number_cell_past_python_s_int_limit_is_a_damaged_file(standard: Any) -> None:
    huge = f'<c r="H2" t="n"><v>{"9" * 5000}</v></c>'.encode()
    data = _rewritten(build_template(standard, version_label=LABEL), SHEET2, _cell_pattern("H2"), huge)
    errors = _refusal(data, standard)
    assert _places(errors) == [("", None, "", "")]
    assert "已损坏" in errors[0].message


# ---------------------------------------------------------------------------------------------
# Size limits: an upload must not tie up the server


SHEET2 = "xl/worksheets/sheet2.xml"  # 指标填报


def _cell_pattern(coordinate: str) -> bytes:
    """The XML of an empty styled cell as openpyxl writes it: `<c r="H2" s="6" t="n" />`, or
    `<c r="H2" s="6" t="n"></c>` when lxml is installed (python-docx brings it)."""
    return rb'<c r="%s"[^>]*?(?:/>|></c>)' % coordinate.encode()


def _rewritten(data: bytes, part: str, pattern: bytes, replacement: bytes) -> bytes:
    """The workbook with one regular-expression replacement made in one part's XML."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == part:
                content, count = re.subn(pattern, replacement, content, count=1)
                assert count == 1, pattern
            target.writestr(member.filename, content)
    return out.getvalue()


def _with_extra_parts(data: bytes, count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member.filename))
        for index in range(count):
            target.writestr(f"customXml/item{index}.xml", "<a/>")
    return out.getvalue()


def test_a_stray_cell_far_below_is_refused_at_once_naming_the_sheet(standard: Any) -> None:
    """Once 57 s and 511 MB: every row up to the stray cell was built, twice, inside the lock."""
    wb = _open(build_template(standard, version_label=LABEL))
    wb[SHEET_INDICATORS]["M200000"] = "备注"
    data = _save(wb)
    assert len(data) < 50_000
    started = time.monotonic()
    errors = _refusal(data, standard)
    assert time.monotonic() - started < 2
    assert _places(errors) == [(SHEET_INDICATORS, None, "", "")]
    assert str(errors[0]).startswith(f"{SHEET_INDICATORS}: ")
    assert "508" in errors[0].message  # 7 indicators + header + 500 rows of margin


def test_rows_within_the_margin_are_read(standard: Any) -> None:
    data = _edited(standard, {"A508": "H01", "H508": 83.5, "H2": None, "M508": "末行"}, values=None)
    wb = _open(data)
    wb[SHEET_INDICATORS]["A2"] = None
    mapping = parse_template(_save(wb), standard, version_label=LABEL)
    assert mapping["values"] == {"H01": "83.5"}


def test_a_sheet_hiding_its_size_is_refused_when_a_row_past_the_limit_is_filled(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    wb[SHEET_INDICATORS]["A509"] = "X99"
    data = _rewritten(_save(wb), SHEET2, rb"<dimension ref=\"[^\"]*\"\s*/>", b"")
    assert load_workbook(io.BytesIO(data), read_only=True)[SHEET_INDICATORS].max_row is None
    errors = _refusal(data, standard)
    assert _places(errors) == [(SHEET_INDICATORS, None, "", "")]
    assert "508" in errors[0].message


def test_a_sheet_hiding_its_size_is_not_read_past_the_limit(standard: Any) -> None:
    far = b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>X99</t></is></c></row></sheetData>'
    data = _rewritten(build_template(standard, version_label=LABEL), SHEET2, rb"</sheetData>", far)
    data = _rewritten(data, SHEET2, rb"<dimension ref=\"[^\"]*\"\s*/>", b"")
    started = time.monotonic()
    assert parse_template(data, standard, version_label=LABEL) == _expected({})
    assert time.monotonic() - started < 2


def test_the_workbook_is_opened_read_only(standard: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = excel.archive.load_workbook

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(excel.archive, "load_workbook", spy)
    parse_template(build_template(standard, version_label=LABEL), standard, version_label=LABEL)
    assert [(call["read_only"], call["data_only"]) for call in calls] == [(True, True), (True, False)]


def test_a_workbook_with_too_many_parts_is_refused(standard: Any) -> None:
    errors = _refusal(_with_extra_parts(build_template(standard, version_label=LABEL), 250), standard)
    assert _places(errors) == [("", None, "", "")]
    assert "部件" in errors[0].message


def test_a_huge_sheet_is_refused_before_reading(standard: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    padding = b'<c r="N1" t="inlineStr"><is><t>' + b"x" * (5 * 1024 * 1024) + b"</t></is></c></row>"
    data = _rewritten(build_template(standard, version_label=LABEL), SHEET2, rb"</row>", padding)
    assert len(data) < 100_000
    monkeypatch.setattr(excel.archive, "load_workbook", None)  # never reached
    errors = _refusal(data, standard)
    assert _places(errors) == [("", None, "", "")]
    assert SHEET2 in errors[0].message


NOT_XLSX = [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    random.Random(7).randbytes(4096),
    b"",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    b"PK\x03\x04" + bytes(100),
]


@pytest.mark.parametrize("data", NOT_XLSX, ids=["pdf", "random", "empty", "xls", "broken-zip"])
def test_a_file_that_is_not_an_xlsx_gets_one_clear_error(standard: Any, data: bytes) -> None:
    errors = _refusal(data, standard)
    assert _places(errors) == [("", None, "", "")]
    assert ".xls" in errors[0].message
    assert str(errors[0]) == errors[0].message


def test_a_zip_that_is_not_a_workbook_is_refused(standard: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    errors = _refusal(buffer.getvalue(), standard)
    assert "已损坏" in errors[0].message


def test_a_workbook_that_unpacks_too_large_is_refused_before_reading(
    standard: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_template(standard, version_label=LABEL)
    monkeypatch.setattr(excel.archive, "MAX_UNPACKED_BYTES", 1000)
    errors = _refusal(data, standard)
    assert "过大" in errors[0].message


def test_a_workbook_made_for_another_standard_is_refused(standard: Any) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for other in (
        text.replace("code: EX-DEMO", "code: EX-OTHER"),
        text.replace('version: "1"', 'version: "2"'),
    ):
        stranger = load_standard(other)
        errors = _refusal(build_template(stranger, version_label="其他"), standard)
        assert len(errors) == 1
        assert f"{stranger.code}@{stranger.version}" in errors[0].message
        assert "EX-DEMO@1" in errors[0].message
        assert LABEL in errors[0].message


def test_a_workbook_with_another_content_hash_is_refused(standard: Any) -> None:
    data = build_template(standard, version_label=LABEL, content_hash="a" * 64)
    assert parse_template(data, standard, version_label=LABEL, content_hash="a" * 64) == _expected({})
    assert parse_template(data, standard, version_label=LABEL) == _expected({})
    assert len(_refusal(data, standard, content_hash="b" * 64)) == 1


def test_missing_sheets_and_foreign_workbooks_are_refused(standard: Any) -> None:
    wb = _open(build_template(standard, version_label=LABEL))
    del wb[SHEET_EXTRAS]
    assert _places(_refusal(_save(wb), standard)) == [(SHEET_EXTRAS, None, "", "")]
    errors = _refusal(_save(Workbook()), standard)
    assert _places(errors) == [
        ("", None, "", ""),
        (SHEET_INDICATORS, None, "", ""),
        (SHEET_EXTRAS, None, "", ""),
    ]
    assert "不是本系统生成的填报模板" in errors[0].message


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_a_decimal_typed_in_excel_reads_back_as_itself(number: Decimal) -> None:
    assert excel.cells.to_decimal(float(number)) == number


# ---------------------------------------------------------------------------------------------
# English


def test_english_template_and_errors(standard: Any) -> None:
    with override("en"):
        data = build_template(standard, version_label=LABEL)
        wb = _open(data)
        ws = wb[SHEET_INDICATORS]
        assert [c.value for c in ws[1]][:3] == ["Indicator code", "Domain", "Indicator"]
        assert (ws["B2"].value, ws["F3"].value, ws["G8"].value) == (
            "Benefit the people",
            "Ratio",
            "Yes = grade 5; No = grade 0",
        )
        assert ws["G2"].value.startswith("grade 1 ≥50; grade 2 ≥65")
        assert ("list", '"Yes,No"') in _validations(ws)
        instructions = " ".join(
            str(c.value) for row in wb[SHEET_INSTRUCTIONS].iter_rows() for c in row if c.value
        )
        assert "Only the yellow input cells are read" in instructions
        assert standard.title_en in instructions
        errors = _refusal(_edited(standard, {"I3": 5, "J3": 0}), standard)
        assert str(errors[0]) == "指标填报 row 3 column J (H02): the denominator must be greater than 0"
        wb[SHEET_INDICATORS]["L8"] = "Yes"
        english_answer = _save(wb)
    assert parse_template(english_answer, standard, version_label=LABEL)["values"] == {"Q02": True}


# ---------------------------------------------------------------------------------------------
# Shipped standards


@pytest.mark.skipif(not SHIPPED, reason="no shipped standard yet")
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_standards_make_templates_that_read_back(path: Path) -> None:
    shipped = load_standard_file(path)
    top = len(shipped.grades)
    answers: dict[str, object] = {}
    for indicator in shipped.indicators:
        answers[indicator.code] = {
            "threshold": indicator.thresholds[-1] if indicator.thresholds else None,
            "ratio": {"numerator": 1, "denominator": 3},
            "tiered": top,
            "boolean": True,
        }[indicator.method]
    answers = {code: _plainly(value) for code, value in answers.items()}
    filled = {"values": answers, "bonus": {b.code: True for b in shipped.bonus}}
    data = build_template(shipped, version_label=path.name, values=filled)
    mapping = parse_template(data, shipped, version_label=path.name)
    assert mapping == _expected(filled)
    assert values_from_mapping(mapping, shipped).missing == ()


def _plainly(value: object) -> object:
    """A standard's Fraction threshold in the values file's spelling (int or decimal string)."""
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
        return int(number) if number == number.to_integral_value() else format(number, "f").rstrip("0")
    return value


# ---------------------------------------------------------------------------------------------
# Province export


EXPORT_ROWS = [
    {
        "region_code": "370321",
        "region_name": "桓台县",
        "city_name": "淄博市",
        "level_label": "县级",
        "standard_label": "SD-COUNTY 2019",
        "status_label": "已提交",
        "grade": 3,
        "grade_name": "三星级",
        "score": "67.4",
        "submitted_at": datetime(2025, 3, 1, 2, 5, tzinfo=UTC),
        "submitted_by": "=cmd|' /C calc'!A0",
        "domain_scores": {"惠民": "70.00", "优政": "55.5"},
    },
    {
        "region_code": "370303",
        "region_name": "张店区",
        "city_name": "淄博市",
        "level_label": "县级",
        "standard_label": "SD-COUNTY 2019",
        "status_label": "草稿",
        "grade": None,
        "grade_name": "",
        "score": None,
        "submitted_at": None,
        "submitted_by": "",
        "domain_scores": {"强基": "10.125"},
    },
]


def test_export_has_header_rows_and_formats() -> None:
    wb = _open(export_assessments(EXPORT_ROWS, title="2025年自评/汇总"))
    ws = wb.active
    assert ws.title == "2025年自评 汇总"
    header = [c.value for c in ws[1]]
    assert header == [
        *["区划代码", "地区", "所属市", "层级", "评价标准", "状态", "等级", "等级名称", "总分"],
        *["提交时间", "提交人", "惠民", "优政", "强基"],
    ]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N3"
    assert [c.value for c in ws[2]][:9] == [
        "370321",
        "桓台县",
        "淄博市",
        "县级",
        "SD-COUNTY 2019",
        "已提交",
        3,
        "三星级",
        67.4,
    ]
    assert ws["I2"].number_format == "0.00"
    assert ws["J2"].value == datetime(2025, 3, 1, 10, 5)  # Asia/Shanghai wall time
    assert ws["J2"].number_format == "yyyy-mm-dd hh:mm"
    assert (ws["K2"].value, ws["K2"].data_type) == ("=cmd|' /C calc'!A0", "s")  # never a formula
    assert (ws["L2"].value, ws["M2"].value, ws["N2"].value) == (70, 55.5, None)
    assert (ws["G3"].value, ws["I3"].value, ws["J3"].value, ws["N3"].value) == (
        None,
        None,
        None,
        10.13,
    )  # half up
    assert ws.column_dimensions["E"].width >= 20


def test_export_headers_in_english_and_an_empty_list() -> None:
    with override("en"):
        ws = _open(export_assessments([], title="Assessments")).active
    assert [c.value for c in ws[1]][:3] == ["Region code", "Region", "City"]
    assert ws.max_row == 1


def test_export_writes_id_title_and_link_when_given() -> None:
    rows = [
        {
            **EXPORT_ROWS[0],
            "id": 17,
            "title": "=桓台县自评",
            "url": "https://starcity.example/assessments/17/",
        },
        {**EXPORT_ROWS[1], "id": 18, "title": "张店区自评", "url": "javascript:alert(1)"},
    ]
    ws = _open(export_assessments(rows, title="自评")).active
    header = [c.value for c in ws[1]]
    assert header[:7] == ["ID", "区划代码", "地区", "所属市", "层级", "标题", "评价标准"]
    assert header[12:14] == ["提交人", "链接"]
    assert header[14:] == ["惠民", "优政", "强基"]
    assert (ws["A2"].value, ws["A3"].value) == (17, 18)
    assert (ws["F2"].value, ws["F2"].data_type) == ("=桓台县自评", "s")
    link = ws["N2"]
    assert link.value == "https://starcity.example/assessments/17/"
    assert link.hyperlink.target == "https://starcity.example/assessments/17/"
    assert link.style == "Hyperlink"
    assert (ws["N3"].value, ws["N3"].hyperlink) == ("javascript:alert(1)", None)  # text only
    assert ws.auto_filter.ref == "A1:Q3"


def test_export_without_the_optional_keys_has_no_empty_columns() -> None:
    ws = _open(export_assessments(EXPORT_ROWS, title="自评")).active
    header = [c.value for c in ws[1]]
    assert "ID" not in header and "标题" not in header and "链接" not in header


# ---------------------------------------------------------------------------------------------
# The import service: the workbook is read before the row is locked


@pytest.mark.django_db
def test_import_reads_the_workbook_before_taking_the_lock(
    draft: Any, county_operator: Any, county_std: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from starcity.assessments.services import assessment_import_excel
    from starcity.assessments.services import assessments as service

    events: list[tuple[str, int]] = []
    real_parse, real_lock = service.read_template, service.locked

    def parse(*args: Any, **kwargs: Any) -> Any:
        events.append(("parse", len(connection.savepoint_ids)))
        return real_parse(*args, **kwargs)

    def lock(assessment: Any) -> Any:
        events.append(("lock", len(connection.savepoint_ids)))
        return real_lock(assessment)

    monkeypatch.setattr(service, "read_template", parse)
    monkeypatch.setattr(service, "locked", lock)
    version = draft.standard_version
    data = build_template(county_std, version_label=version.label, content_hash=version.content_hash)
    assessment_import_excel(by=county_operator, assessment=draft, data=data, filename="自评.xlsx")
    (first, outside), (second, inside) = events
    assert (first, second) == ("parse", "lock")
    assert inside == outside + 1  # the lock is taken in the import's own transaction, after reading


@pytest.mark.django_db
def test_import_refused_by_the_state_does_not_read_the_workbook(
    submitted: Any, county_operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starcity.assessments.services import assessment_import_excel
    from starcity.assessments.services import assessments as service
    from starcity.core.errors import InvalidTransition

    monkeypatch.setattr(service, "read_template", None)  # never reached
    with pytest.raises(InvalidTransition):
        assessment_import_excel(by=county_operator, assessment=submitted, data=b"PK\x03\x04")
