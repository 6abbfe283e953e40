"""Excel self-assessment template (build and read back) and the province's assessment list export.

The template is a workbook with fixed sheet names, used as identifiers whatever the language:

- ``填报说明``: what the file is, the standard and version, the region, how to fill each method;
- ``指标填报``: one row per indicator in the standard's order; the input columns are 数值 (threshold),
  分子 and 分母 (ratio), 等级 (tiered, 0..N) and 是/否 (boolean); only the input cells the
  indicator's method uses are yellow, unlocked and validated;
- ``加分与否决``: one row per bonus item, then one per veto, each with a 是/否 input;
- a very hidden sheet ``_starcity`` holding the template format and the standard's code@version,
  so a workbook made for another standard is refused.

Reading back is all or nothing: every problem in the file is collected, each naming the sheet,
row, column letter and code, and either a complete ``starcity/values@1`` mapping is returned or
:class:`ExcelImportError` is raised with all of them. No Django model is used here.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from starcity.scoring import (
    BonusItem,
    Domain,
    Indicator,
    Standard,
    ValuesInvalid,
    Veto,
    exact_text,
    values_from_mapping,
)

__all__ = [
    "SHEET_EXTRAS",
    "SHEET_INDICATORS",
    "SHEET_INSTRUCTIONS",
    "CellError",
    "ExcelImportError",
    "build_template",
    "export_assessments",
    "parse_template",
]

SHEET_INSTRUCTIONS = "填报说明"
SHEET_INDICATORS = "指标填报"
SHEET_EXTRAS = "加分与否决"
SHEET_META = "_starcity"
TEMPLATE_FORMAT = "starcity/assessment-template@1"
VALUES_SCHEMA = "starcity/values@1"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a template is a few hundred kB; refuse zip bombs before parsing

# 指标填报 columns; the input columns each method reads.
COL_CODE, COL_NUMBER, COL_NUMERATOR, COL_DENOMINATOR, COL_GRADE, COL_YES_NO = "A", "H", "I", "J", "K", "L"
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "threshold": (COL_NUMBER,),
    "ratio": (COL_NUMERATOR, COL_DENOMINATOR),
    "tiered": (COL_GRADE,),
    "boolean": (COL_YES_NO,),
}
ALL_INPUTS = (COL_NUMBER, COL_NUMERATOR, COL_DENOMINATOR, COL_GRADE, COL_YES_NO)
# 加分与否决 columns.
EXTRA_INPUT = "E"  # the code is in column A, as on 指标填报

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_EXACT_DIGITS = 15  # a number with more significant digits is written as text to stay exact
_TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√"})
_FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×"})
_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_GREY = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


# ---------------------------------------------------------------------------------------------
# Texts


def _english() -> bool:
    return (get_language() or "").lower().startswith("en")


def _label(obj: Domain | Indicator | BonusItem | Veto) -> str:
    """The English name of a standard item in English when it has one, else its name."""
    return obj.name_en if _english() and obj.name_en else obj.name


def _identity(standard: Standard) -> str:
    return f"{standard.code}@{standard.version}"


# ---------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded workbook: where (sheet, row, column letter, code) and what.

    `row` is None and `column` "" when the problem concerns the whole file or sheet.
    """

    sheet: str
    row: int | None
    column: str
    code: str
    message: str

    def __str__(self) -> str:
        """`指标填报 第12行 J列 (H05): 分母必须大于0`, leaving out what does not apply."""
        parts = [self.sheet] if self.sheet else []
        if self.row is not None:
            parts.append(_("第{row}行").format(row=self.row))
        if self.column:
            parts.append(_("{column}列").format(column=self.column))
        if self.code:
            parts.append(f"({self.code})")
        where = " ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class ExcelImportError(Exception):
    """An uploaded workbook was refused; `.errors` lists every problem found in it."""

    def __init__(self, errors: Iterable[CellError]) -> None:
        self.errors: list[CellError] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class _Bad(Exception):
    """A cell that cannot be read as what its column needs; the message says why."""


# ---------------------------------------------------------------------------------------------
# Numbers and answers


def _plain(value: Decimal) -> int | str:
    """The canonical form of a number: an int when integral, else a plain decimal string.

    No context arithmetic (such as `normalize`) is used, so no digit is ever rounded away.
    """
    if value == value.to_integral_value():
        return int(value)
    return format(value, "f").rstrip("0")


def _normalise(text: str) -> str:
    """Full-width digits, points and signs folded to ASCII (NFKC); surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", text).strip()


def _to_decimal(raw: object) -> Decimal:
    """A cell's number, exactly as the user meant it.

    Integers are taken as they are; binary floats (openpyxl's numeric cells) through their
    shortest 15-significant-digit spelling, so 83.5 is 83.5 and 0.1+0.2 is 0.3; text must read
    `-?[0-9]+(.[0-9]+)?` after folding full-width characters and trimming spaces.
    """
    if isinstance(raw, bool):
        raise _Bad(_("应填写数字，不能填写是/否"))
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise _Bad(_("不是有效的数字"))
        return Decimal(format(raw, ".15g"))
    if isinstance(raw, str):
        text = _normalise(raw)
        if _DECIMAL.fullmatch(text):
            return Decimal(text)
        raise _Bad(_("“{text}”不是数字").format(text=raw.strip()))
    raise _Bad(_("不是数字（请勿填写日期或其他格式）"))


def _grade(top: int) -> Callable[[object], int]:
    """A reader for tiered grades: an integer in 0..top."""

    def read(raw: object) -> int:
        try:
            value = _to_decimal(raw)
        except _Bad:
            value = None
        if value is None or value != value.to_integral_value() or not 0 <= value <= top:
            raise _Bad(_("等级必须是0到{top}的整数").format(top=top))
        return int(value)

    return read


def _yes_no(raw: object) -> bool:
    """是/否 read generously: 是/否, Y/N, yes/no, true/false, 1/0 in any case; nothing else."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = _normalise(str(raw)).lower()
    if text in _TRUE_WORDS or text == _("是").lower():
        return True
    if text in _FALSE_WORDS or text == _("否").lower():
        return False
    raise _Bad(_("“{text}”无法识别，请填写“是”或“否”").format(text=str(raw).strip()))


# ---------------------------------------------------------------------------------------------
# Template: building


@dataclass(frozen=True)
class _Column:
    letter: str
    title: str
    width: int


def _indicator_columns() -> list[_Column]:
    titles = [
        (_("指标代码"), 10),
        (_("领域"), 10),
        (_("指标名称"), 30),
        (_("定义"), 30),
        (_("单位"), 7),
        (_("方法"), 8),
        (_("阈值或分级说明"), 36),
        (_("数值"), 11),
        (_("分子"), 11),
        (_("分母"), 11),
        (_("等级"), 8),
        (_("是/否"), 8),
        (_("说明/备注"), 30),
    ]
    return [_Column(get_column_letter(i), t, w) for i, (t, w) in enumerate(titles, start=1)]


def _extra_columns() -> list[_Column]:
    titles = [(_("代码"), 10), (_("类别"), 10), (_("名称"), 34), (_("规则"), 24), (_("是/否"), 8)]
    titles.append((_("说明/备注"), 30))
    return [_Column(get_column_letter(i), t, w) for i, (t, w) in enumerate(titles, start=1)]


def _method_label(method: str) -> str:
    return {"threshold": _("数值"), "ratio": _("比值"), "tiered": _("分级"), "boolean": _("是否")}[method]


def _rule_text(indicator: Indicator, grades: int) -> str:
    """The grading rule in one line: `1星≥50; 2星≥65; …`, `1=…; 2=…`, or what 是 earns."""
    method = indicator.method
    if method == "tiered":
        return "; ".join(f"{i}={tier}" for i, tier in enumerate(indicator.tiers, start=1))
    if method == "boolean":
        return _("是={top}级; 否=0级").format(top=grades)
    sign = "≤" if indicator.direction == "lower" else "≥"
    steps = [
        _("{grade}星{sign}{value}").format(grade=i, sign=sign, value=exact_text(t))
        for i, t in enumerate(indicator.thresholds, start=1)
    ]
    text = "; ".join(steps)
    if method == "ratio":
        text = "; ".join([_("比值=100×分子÷分母"), text])
    return text


def _header(ws: Worksheet, columns: list[_Column], *, freeze: str) -> None:
    """The bold header row, column widths, frozen panes, and landscape printing one page wide."""
    for column in columns:
        cell = ws[f"{column.letter}1"]
        cell.value = column.title
        cell.font = _BOLD
        cell.fill = _GREY
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[column.letter].width = column.width
    ws.freeze_panes = freeze
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _text(cell: Cell, value: object) -> None:
    """A text cell that is never taken for a formula, even when it starts with `=`; None stays blank."""
    if value is None or value == "":
        cell.value = None
        return
    cell.value = str(value)
    cell.data_type = "s"


def _input(cell: Cell) -> None:
    cell.fill = _YELLOW
    cell.protection = Protection(locked=False)


def _protect(ws: Worksheet) -> None:
    """Lock everything but the input cells; no password, columns and rows can still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validations(grades: int) -> dict[str, DataValidation]:
    """One data validation per kind of input cell; cells are added as rows are written."""
    error_title = _("输入有误")
    return {
        COL_NUMBER: DataValidation(
            type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
            error=_("请填写数字（不带单位和百分号）"), errorTitle=error_title, showErrorMessage=True,
        ),
        COL_NUMERATOR: DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0",
            error=_("分子须为不小于0的数字"), errorTitle=error_title, showErrorMessage=True,
        ),
        COL_DENOMINATOR: DataValidation(
            type="decimal", operator="greaterThan", formula1="0",
            error=_("分母须为大于0的数字"), errorTitle=error_title, showErrorMessage=True,
        ),
        COL_GRADE: DataValidation(
            type="list", formula1='"{}"'.format(",".join(str(g) for g in range(grades + 1))),
            error=_("等级必须是0到{top}的整数").format(top=grades), errorTitle=error_title,
            showErrorMessage=True,
        ),
        COL_YES_NO: _yes_no_validation(),
    }  # fmt: skip


def _yes_no_validation() -> DataValidation:
    return DataValidation(
        type="list",
        formula1='"{},{}"'.format(_("是"), _("否")),
        error=_("请选择“是”或“否”"),
        errorTitle=_("输入有误"),
        showErrorMessage=True,
    )


def _prefill_number(cell: Cell, raw: object) -> None:
    """A number as a number when Excel can hold it exactly, else as text (which reads back)."""
    if raw is None:
        return
    if isinstance(raw, Fraction):
        raw = Decimal(raw.numerator) / Decimal(raw.denominator)
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        _text(cell, raw)
        return
    try:
        value = _to_decimal(raw)
    except _Bad:
        _text(cell, raw)
        return
    significant = "".join(str(digit) for digit in value.as_tuple().digits).strip("0")
    if len(significant) > _EXACT_DIGITS:
        _text(cell, _plain(value))
    else:
        cell.value = _plain(value) if value == value.to_integral_value() else value


def _prefill_yes_no(cell: Cell, raw: object) -> None:
    if raw is True or raw is False:
        cell.value = _("是") if raw else _("否")
    elif raw is not None:
        _text(cell, raw)


def _prefill_indicator(ws: Worksheet, row: int, method: str, raw: object) -> None:
    if raw is None:
        return
    if method == "ratio" and isinstance(raw, Mapping):
        _prefill_number(ws[f"{COL_NUMERATOR}{row}"], raw.get("numerator"))
        _prefill_number(ws[f"{COL_DENOMINATOR}{row}"], raw.get("denominator"))
    elif method == "boolean":
        _prefill_yes_no(ws[f"{COL_YES_NO}{row}"], raw)
    else:
        column = COL_GRADE if method == "tiered" else INPUT_COLUMNS[method][0]
        _prefill_number(ws[f"{column}{row}"], raw)


def _write_indicators(ws: Worksheet, standard: Standard, values: Mapping[str, object]) -> None:
    """One row per indicator; each method's input cells yellow, unlocked and validated."""
    columns = _indicator_columns()
    _header(ws, columns, freeze="D2")
    grades = len(standard.grades)
    domains = {domain.code: _label(domain) for domain in standard.domains}
    validations = _validations(grades)
    for row, indicator in enumerate(standard.indicators, start=2):
        method = indicator.method
        described = [
            indicator.code,
            domains.get(indicator.domain, indicator.domain),
            _label(indicator),
            indicator.definition,
            indicator.unit,
            _method_label(method),
            _rule_text(indicator, grades),
        ]
        _describe(ws, row, columns, described)
        for letter in INPUT_COLUMNS[method]:
            _input(ws[f"{letter}{row}"])
            validations[letter].add(f"{letter}{row}")
        ws[f"M{row}"].protection = Protection(locked=False)
        _prefill_indicator(ws, row, method, values.get(indicator.code))
    for validation in validations.values():
        if validation.sqref:
            ws.add_data_validation(validation)
    _protect(ws)


def _write_extras(ws: Worksheet, standard: Standard, values: Mapping[str, Any]) -> None:
    """One row per bonus item, then one per veto, with a 是/否 input each."""
    columns = _extra_columns()
    _header(ws, columns, freeze="A2")
    validation = _yes_no_validation()
    answers = {**(values.get("bonus") or {}), **(values.get("vetoes") or {})}  # codes are unique
    rows = [
        (item.code, _("加分项"), _label(item), _("加{points}分").format(points=exact_text(item.points)))
        for item in standard.bonus
    ] + [(veto.code, _("否决项"), _label(veto), _veto_rule(veto)) for veto in standard.vetoes]
    for row, described in enumerate(rows, start=2):
        _describe(ws, row, columns, described)
        _input(ws[f"{EXTRA_INPUT}{row}"])
        validation.add(f"{EXTRA_INPUT}{row}")
        ws[f"F{row}"].protection = Protection(locked=False)
        _prefill_yes_no(ws[f"{EXTRA_INPUT}{row}"], answers.get(described[0]))
    if validation.sqref:
        ws.add_data_validation(validation)
    _protect(ws)


def _describe(ws: Worksheet, row: int, columns: list[_Column], texts: Sequence[object]) -> None:
    """The descriptive cells of a row (as text), and the row's borders and wrapping."""
    for column, value in zip(columns, texts, strict=False):
        _text(ws[f"{column.letter}{row}"], value)
    for column in columns:
        ws[f"{column.letter}{row}"].alignment = _WRAP
        ws[f"{column.letter}{row}"].border = _BORDER


def _veto_rule(veto: Veto) -> str:
    if veto.effect == "cap":
        return _("最高评为{cap}级").format(cap=veto.cap)
    return _("一票否决（评为0级）")


def _instruction_lines(
    standard: Standard, version_label: str, region_name: str, content_hash: str
) -> list[tuple[str, str]]:
    title = standard.title_en if _english() and standard.title_en else standard.title
    grades = "; ".join(f"{i}={name}" for i, name in enumerate(standard.grades, start=1))
    top = len(standard.grades)
    lines = [
        (_("用途"), _("本文件用于离线填报智慧城市星级评价自评数据，填好后在系统中上传。")),
        (_("评价标准"), title),
        (_("标准版本"), version_label),
        (_("标准代码"), _identity(standard)),
        *([(_("内容哈希"), content_hash)] if content_hash else []),
        (_("地区"), region_name or _("（未指定）")),
        (_("等级"), "; ".join([_("0=未达到"), grades])),
        (_("数值"), _("在“数值”列填写一个数，不带单位和百分号，例如 83.5。")),
        (
            _("比值"),
            _("分别填写“分子”和“分母”，系统按 100×分子÷分母 计算；分母必须大于0，分子不能为负数。"),
        ),
        (_("分级"), _("在“等级”列填写达到的等级（0到{top}），各级含义见“阈值或分级说明”。").format(top=top)),
        (_("是否"), _("在“是/否”列选择“是”或“否”。")),
        (_("加分与否决"), _("在“加分与否决”表的“是/否”列选择；不填视为“否”。")),
        (
            _("读取范围"),
            _("只读取黄色的填报单元格；其他列仅供参考，修改不会生效。不填的指标视为缺失（0级）。"),
        ),
        (
            _("上传"),
            _("上传时整份文件一并检查：有任何错误则全部不导入，并按工作表、行号、列号列出全部错误。"),
        ),
        (_("注意"), _("请勿修改指标代码或删除工作表；本文件只能用于上述标准版本。")),
    ]
    return lines


def _write_instructions(
    ws: Worksheet, standard: Standard, version_label: str, region_name: str, content_hash: str
) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws["A1"] = _("智慧城市星级评价自评填报模板")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 90
    for row, (label, text) in enumerate(
        _instruction_lines(standard, version_label, region_name, content_hash), start=3
    ):
        _text(ws[f"A{row}"], label)
        _text(ws[f"B{row}"], text)
        ws[f"A{row}"].font = _BOLD
        ws[f"A{row}"].alignment = _WRAP
        ws[f"B{row}"].alignment = _WRAP


def _write_meta(ws: Worksheet, standard: Standard, version_label: str, content_hash: str) -> None:
    """The very hidden identity of the template: format, standard code@version, label, hash."""
    rows = [("format", TEMPLATE_FORMAT), ("standard", _identity(standard)), ("version_label", version_label)]
    rows.append(("content_hash", content_hash))
    for row, (key, value) in enumerate(rows, start=1):
        _text(ws[f"A{row}"], key)
        _text(ws[f"B{row}"], value)
    ws.sheet_state = "veryHidden"


def build_template(
    standard: Standard,
    *,
    version_label: str,
    region_name: str = "",
    values: Mapping[str, Any] | None = None,
    content_hash: str = "",
) -> bytes:
    """An .xlsx self-assessment template for `standard`, prefilled from a values@1 mapping if given.

    `content_hash` (the stored standard version's SHA-256, optional) is shown and recorded, so that
    `parse_template` given a hash can refuse a workbook made from different content.

    Texts follow the active language (Chinese by default, English when it starts with "en");
    sheet names are fixed Chinese identifiers. Prefilled numbers stay exact: a number Excel
    cannot hold exactly (more than 15 significant digits) is written as text, which reads back.
    """
    values = values or {}
    wb = Workbook()
    _write_instructions(wb.active, standard, version_label, region_name, content_hash)
    _write_indicators(wb.create_sheet(SHEET_INDICATORS), standard, values.get("values") or {})
    _write_extras(wb.create_sheet(SHEET_EXTRAS), standard, values)
    _write_meta(wb.create_sheet(SHEET_META), standard, version_label, content_hash)
    wb.properties.title = _("智慧城市星级评价自评填报模板")
    wb.properties.subject = _identity(standard)
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Template: reading


@dataclass
class _Sheet:
    """Cell access for one sheet: cached values, with formulas checked in a second reading."""

    name: str
    values: Worksheet
    formulas: Worksheet

    def get(self, row: int, column: str) -> object:
        """The cell's value; None when blank; `_Bad` for a formula error or an uncomputed formula."""
        cell = self.values[f"{column}{row}"]
        if cell.data_type == "e":
            raise _Bad(_("公式出错：{error}").format(error=cell.value))
        value = cell.value
        if value is None and self.formulas[f"{column}{row}"].data_type == "f":
            raise _Bad(_("公式没有计算结果，请直接填写数值"))
        if isinstance(value, str) and not _normalise(value):
            return None
        return value

    def filled(self, row: int, column: str) -> bool:
        try:
            return self.get(row, column) is not None
        except _Bad:
            return True


_INVALID = object()


@dataclass
class _Row:
    """One row being read: reads cells through a parser and records problems against the row."""

    sheet: _Sheet
    row: int
    code: str
    errors: list[CellError]

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.sheet.name, self.row, column, self.code, message))

    def read(self, column: str, parse: Callable[[object], Any]) -> Any:
        """The parsed cell; None when blank; `_INVALID` (problem recorded) when unreadable."""
        try:
            raw = self.sheet.get(self.row, column)
            return None if raw is None else parse(raw)
        except _Bad as bad:
            self.error(column, str(bad))
            return _INVALID


def _read_ratio(row: _Row) -> object:
    """Both parts or neither; numerator ≥ 0 and denominator > 0; each part checked on its own."""
    numerator = row.read(COL_NUMERATOR, _to_decimal)
    denominator = row.read(COL_DENOMINATOR, _to_decimal)
    valid = True
    if (numerator is None) != (denominator is None):
        row.error(COL_NUMERATOR if numerator is None else COL_DENOMINATOR, _("比值指标须同时填写分子和分母"))
        valid = False
    if isinstance(numerator, Decimal) and numerator < 0:
        row.error(COL_NUMERATOR, _("分子不能为负数"))
        valid = False
    if isinstance(denominator, Decimal) and denominator <= 0:
        row.error(COL_DENOMINATOR, _("分母必须大于0"))
        valid = False
    if not (valid and isinstance(numerator, Decimal) and isinstance(denominator, Decimal)):
        return None
    return {"numerator": _plain(numerator), "denominator": _plain(denominator)}


def _read_answer(row: _Row, method: str, grades: int) -> object:
    """The indicator's value for the values file, or None when blank or wrong (problem recorded).

    A filled cell that the method does not use is a problem, so that nothing is silently dropped.
    """
    titles = {column.letter: column.title for column in _indicator_columns()}
    for column in ALL_INPUTS:
        if column not in INPUT_COLUMNS[method] and row.sheet.filled(row.row, column):
            message = _("{method}类指标不使用“{column}”列，请清空此单元格")
            row.error(column, message.format(method=_method_label(method), column=titles[column]))
    if method == "ratio":
        return _read_ratio(row)
    if method == "tiered":
        value = row.read(COL_GRADE, _grade(grades))
    elif method == "boolean":
        value = row.read(COL_YES_NO, _yes_no)
    else:
        value = row.read(COL_NUMBER, _to_decimal)
        value = _plain(value) if isinstance(value, Decimal) else value
    return None if value is _INVALID else value


def _row_code(sheet: _Sheet, row: int, inputs: tuple[str, ...], errors: list[CellError]) -> str | None:
    """The code in column A; None for a blank row or (problem recorded) a row without a code."""
    try:
        raw = sheet.get(row, COL_CODE)
    except _Bad as bad:
        errors.append(CellError(sheet.name, row, COL_CODE, "", str(bad)))
        return None
    code = _normalise(str(raw)) if raw is not None else ""
    if not code and any(sheet.filled(row, column) for column in inputs):
        errors.append(CellError(sheet.name, row, COL_CODE, "", _("已填写数据但缺少代码")))
    return code or None


def _known_row(
    sheet: _Sheet, row: int, code: str, known: Iterable[str], seen: dict[str, int], errors: list[CellError]
) -> bool:
    """Whether a coded row can be read: its code is in the standard and not already seen."""
    if code not in known:
        errors.append(
            CellError(sheet.name, row, COL_CODE, code, _("标准中没有代码“{code}”").format(code=code))
        )
        return False
    if code in seen:
        message = _("代码重复，已在第{row}行填写").format(row=seen[code])
        errors.append(CellError(sheet.name, row, COL_CODE, code, message))
        return False
    seen[code] = row
    return True


def _read_indicators(
    sheet: _Sheet, standard: Standard, errors: list[CellError]
) -> tuple[dict[str, object], dict[str, int]]:
    """The values of 指标填报 by code, and the row of each code (blank rows skipped)."""
    indicators = {indicator.code: indicator for indicator in standard.indicators}
    values: dict[str, object] = {}
    rows: dict[str, int] = {}
    for row in range(2, sheet.values.max_row + 1):
        code = _row_code(sheet, row, ALL_INPUTS, errors)
        if code is None or not _known_row(sheet, row, code, indicators, rows, errors):
            continue
        value = _read_answer(_Row(sheet, row, code, errors), indicators[code].method, len(standard.grades))
        if value is not None:
            values[code] = value
    return values, rows


def _read_extras(
    sheet: _Sheet, standard: Standard, errors: list[CellError]
) -> tuple[dict[str, bool], dict[str, bool], dict[str, int]]:
    """The bonus and veto answers of 加分与否决 by code, and the row of each code."""
    bonus_codes = {item.code for item in standard.bonus}
    veto_codes = {veto.code for veto in standard.vetoes}
    bonus: dict[str, bool] = {}
    vetoes: dict[str, bool] = {}
    rows: dict[str, int] = {}
    for row in range(2, sheet.values.max_row + 1):
        code = _row_code(sheet, row, (EXTRA_INPUT,), errors)
        if code is None or not _known_row(sheet, row, code, bonus_codes | veto_codes, rows, errors):
            continue
        answer = _Row(sheet, row, code, errors).read(EXTRA_INPUT, _yes_no)
        if isinstance(answer, bool):
            (bonus if code in bonus_codes else vetoes)[code] = answer
    return bonus, vetoes, rows


def _open_workbooks(data: bytes) -> tuple[Workbook, Workbook]:
    """The workbook read for values and for formulas; `_Bad` when it is not a readable .xlsx."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Bad(_("这是旧版 .xls 或加密的 Excel 文件，请另存为不加密的 .xlsx 文件后上传"))
    if not data.startswith(b"PK\x03\x04"):
        raise _Bad(_("文件不是 Excel 工作簿（.xlsx），请上传从系统下载并填写的模板"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _Bad(_("文件已损坏或不是有效的 .xlsx 工作簿，无法读取")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _Bad(_("文件解压后过大，请只保留模板中的三个工作表后重新上传"))
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # untrusted input: any failure to read is a corrupt file, not a crash
        raise _Bad(_("文件已损坏或不是有效的 .xlsx 工作簿，无法读取")) from exc
    return values, formulas


def _check_meta(
    values: Workbook, standard: Standard, version_label: str, content_hash: str
) -> list[CellError]:
    """The workbook must be this system's template for this very standard (code@version)."""
    if SHEET_META not in values.sheetnames:
        return [CellError("", None, "", "", _("这不是本系统生成的填报模板（缺少模板标识），请重新下载模板"))]
    ws = values[SHEET_META]
    meta = {str(key): str(value) for key, value in ws.iter_rows(max_col=2, values_only=True) if key}
    if meta.get("format") != TEMPLATE_FORMAT:
        return [CellError("", None, "", "", _("模板格式不受支持，请重新下载模板"))]
    found = meta.get("standard", "")
    recorded = meta.get("content_hash", "")
    if found != _identity(standard) or (content_hash and recorded and recorded != content_hash):
        message = _("此文件是按标准 {found} 生成的，不能用于 {expected}（{label}），请重新下载模板")
        label = version_label or _identity(standard)
        return [
            CellError(
                "", None, "", "", message.format(found=found, expected=_identity(standard), label=label)
            )
        ]
    return []


def _structure(
    data: bytes, standard: Standard, version_label: str, content_hash: str
) -> tuple[list[CellError], list[_Sheet]]:
    """File-level problems (not an xlsx, another standard, missing sheets), or the two data sheets."""
    try:
        values, formulas = _open_workbooks(data)
    except _Bad as bad:
        return [CellError("", None, "", "", str(bad))], []
    errors = _check_meta(values, standard, version_label, content_hash)
    for name in (SHEET_INDICATORS, SHEET_EXTRAS):
        if name not in values.sheetnames:
            errors.append(CellError(name, None, "", "", _("缺少工作表“{name}”").format(name=name)))
    if errors:
        return errors, []
    return [], [_Sheet(name, values[name], formulas[name]) for name in (SHEET_INDICATORS, SHEET_EXTRAS)]


def _engine_errors(
    mapping: dict[str, Any], standard: Standard, places: dict[str, tuple[str, int, str]]
) -> list[CellError]:
    """What the scoring engine refuses in the mapping, placed on the row of the code concerned."""
    try:
        values_from_mapping(mapping, standard, strict=False)
    except ValuesInvalid as invalid:
        lang = "en" if _english() else "zh"
        errors = []
        for problem in invalid.errors:
            code = problem.subject or problem.path.rsplit(".", 1)[-1]
            sheet, row, column = places.get(code, ("", None, ""))
            errors.append(CellError(sheet, row, column, code if sheet else "", problem.message(lang)))
        return errors
    return []


def _places(
    standard: Standard, indicator_rows: dict[str, int], extra_rows: dict[str, int]
) -> dict[str, tuple[str, int, str]]:
    """Where each code's input sits, to point the engine's problems at a cell."""
    places: dict[str, tuple[str, int, str]] = {}
    for indicator in standard.indicators:
        if indicator.code in indicator_rows:
            column = INPUT_COLUMNS[indicator.method][0]
            places[indicator.code] = (SHEET_INDICATORS, indicator_rows[indicator.code], column)
    for code, row in extra_rows.items():
        places[code] = (SHEET_EXTRAS, row, EXTRA_INPUT)
    return places


def parse_template(
    data: bytes | IO[bytes], standard: Standard, *, version_label: str, content_hash: str = ""
) -> dict[str, Any]:
    """The `starcity/values@1` mapping filled in an uploaded template, or ExcelImportError.

    Rules: the file must be an .xlsx made by `build_template` for this standard's code@version
    (and, when both know it, for the same content hash); such file-level problems stop the
    reading there. Only input cells are read. Blank rows, and indicators without a row or a
    value, are left out (they count as missing; bonus items and vetoes left blank count as 否).
    Unknown or repeated codes, text or formula errors in number cells, a ratio with one part, a
    negative numerator, a denominator ≤ 0, a grade outside 0..N, an unrecognised 是/否, and a
    value in a column the method does not use are all problems; then the scoring engine checks
    the mapping too. Every problem is collected; nothing is returned unless there is none.
    Numbers come back as ints when whole, else as exact decimal strings ("83.5").
    """
    raw = data if isinstance(data, bytes | bytearray) else data.read()
    errors, sheets = _structure(bytes(raw), standard, version_label, content_hash)
    if errors:
        raise ExcelImportError(errors)
    indicators, extras = sheets
    values, indicator_rows = _read_indicators(indicators, standard, errors)
    bonus, vetoes, extra_rows = _read_extras(extras, standard, errors)
    mapping = {"schema": VALUES_SCHEMA, "values": values, "bonus": bonus, "vetoes": vetoes}
    errors.extend(_engine_errors(mapping, standard, _places(standard, indicator_rows, extra_rows)))
    if errors:
        raise ExcelImportError(errors)
    return mapping


# ---------------------------------------------------------------------------------------------
# Province list export


def _export_columns() -> list[tuple[str, str, int]]:
    return [
        ("region_code", _("区划代码"), 12),
        ("region_name", _("地区"), 14),
        ("city_name", _("所属市"), 12),
        ("level_label", _("层级"), 8),
        ("standard_label", _("评价标准"), 30),
        ("status_label", _("状态"), 10),
        ("grade", _("等级"), 7),
        ("grade_name", _("等级名称"), 10),
        ("score", _("总分"), 9),
        ("submitted_at", _("提交时间"), 17),
        ("submitted_by", _("提交人"), 12),
    ]


def _score(cell: Cell, raw: object) -> None:
    """A score as a number shown with 2 decimals (rounded half up); text that is no number as text."""
    cell.number_format = "0.00"
    if raw is None or raw == "":
        return
    try:
        cell.value = Decimal(str(raw)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        _text(cell, raw)


def _local_time(moment: datetime | None) -> datetime | None:
    """An aware moment as Asia/Shanghai wall time (Excel has no time zones); naive ones as given."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.replace(tzinfo=None)


def _write_export_row(
    ws: Worksheet, row: int, data: Mapping[str, Any], keys: list[str], domains: list[str]
) -> None:
    """One assessment; text always as text, so a name starting with `=` is never a formula."""
    for index, key in enumerate(keys, start=1):
        cell = ws.cell(row=row, column=index)
        value = data.get(key)
        if key == "score":
            _score(cell, value)
        elif key == "submitted_at":
            cell.value = _local_time(value)
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif key == "grade":
            cell.value = value
        else:
            _text(cell, value)
    scores = data.get("domain_scores") or {}
    for index, domain in enumerate(domains, start=len(keys) + 1):
        _score(ws.cell(row=row, column=index), scores.get(domain))


def _safe_sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")
    return cleaned[:31] or "Sheet1"


def export_assessments(rows: list[dict[str, Any]], *, title: str) -> bytes:
    """An .xlsx list of assessments for the province, one row per assessment, in the given order.

    Columns: region code, region, city, level, standard, status, grade, grade name, score (a
    number shown with 2 decimals), submitted at (Asia/Shanghai, `YYYY-MM-DD HH:MM`), submitted by,
    then one score column per domain name met in `domain_scores`, in first-seen order. The header
    row is bold and frozen, with an autofilter. Text is always written as text, never as a formula.
    """
    columns = _export_columns()
    domains = list(dict.fromkeys(name for data in rows for name in (data.get("domain_scores") or {})))
    wb = Workbook()
    ws = wb.active
    ws.title = _safe_sheet_title(title)
    wb.properties.title = title
    headers = [(label, width) for _key, label, width in columns] + [(name, 10) for name in domains]
    for index, (label, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        _text(cell, label)
        cell.font = _BOLD
        ws.column_dimensions[get_column_letter(index)].width = width
    keys = [key for key, _label, _width in columns]
    for row, data in enumerate(rows, start=2):
        _write_export_row(ws, row, data, keys, domains)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    return _save(wb)
