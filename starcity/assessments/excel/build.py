"""Building the Excel self-assessment template.

The template is a workbook with fixed sheet names, used as identifiers whatever the language:

- ``填报说明``: what the file is, the standard and version, the region, how to fill each method;
- ``指标填报``: one row per indicator in the standard's order; the input columns are 数值 (threshold),
  分子 and 分母 (ratio), 等级 (tiered, 0..N) and 是/否 (boolean); only the input cells the
  indicator's method uses are yellow, unlocked and validated;
- ``加分与否决``: one row per bonus item, then one per veto, each with a 是/否 input;
- a very hidden sheet ``_starcity`` holding the template format and the standard's code@version,
  so a workbook made for another standard is refused.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from starcity.assessments.excel.cells import (
    COL_DENOMINATOR,
    COL_GRADE,
    COL_NOTE,
    COL_NUMBER,
    COL_NUMERATOR,
    COL_YES_NO,
    EXTRA_INPUT,
    INPUT_COLUMNS,
    MAX_NOTE_CHARS,
    SHEET_EXTRAS,
    SHEET_INDICATORS,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    TEMPLATE_FORMAT,
    Bad,
    Column,
    english,
    extra_columns,
    identity,
    indicator_columns,
    label,
    method_label,
    plain,
    set_text,
    to_decimal,
)
from starcity.scoring import Indicator, Standard, Veto, exact_text

_EXACT_DIGITS = 15  # a number with more significant digits is written as text to stay exact
_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_GREY = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


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


def _header(ws: Worksheet, columns: list[Column], *, freeze: str) -> None:
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
        set_text(cell, raw)
        return
    try:
        value = to_decimal(raw)
    except Bad:
        set_text(cell, raw)
        return
    significant = "".join(str(digit) for digit in value.as_tuple().digits).strip("0")
    if len(significant) > _EXACT_DIGITS:
        set_text(cell, plain(value))
    else:
        cell.value = plain(value) if value == value.to_integral_value() else value


def _prefill_yes_no(cell: Cell, raw: object) -> None:
    if raw is True or raw is False:
        cell.value = _("是") if raw else _("否")
    elif raw is not None:
        set_text(cell, raw)


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


def _write_indicators(
    ws: Worksheet, standard: Standard, values: Mapping[str, object], notes: Mapping[str, str]
) -> None:
    """One row per indicator; each method's input cells yellow, unlocked and validated; the note
    cell yellow, unlocked and filled with the note already written."""
    columns = indicator_columns()
    _header(ws, columns, freeze="D2")
    grades = len(standard.grades)
    domains = {domain.code: label(domain) for domain in standard.domains}
    validations = _validations(grades)
    for row, indicator in enumerate(standard.indicators, start=2):
        method = indicator.method
        described = [
            indicator.code,
            domains.get(indicator.domain, indicator.domain),
            label(indicator),
            indicator.definition,
            indicator.unit,
            method_label(method),
            _rule_text(indicator, grades),
        ]
        _describe(ws, row, columns, described)
        for letter in INPUT_COLUMNS[method]:
            _input(ws[f"{letter}{row}"])
            validations[letter].add(f"{letter}{row}")
        note = ws[f"{COL_NOTE}{row}"]
        _input(note)  # yellow like every cell that is read back
        set_text(note, notes.get(indicator.code) or None)
        _prefill_indicator(ws, row, method, values.get(indicator.code))
    for validation in validations.values():
        if validation.sqref:
            ws.add_data_validation(validation)
    _protect(ws)


def _write_extras(ws: Worksheet, standard: Standard, values: Mapping[str, Any]) -> None:
    """One row per bonus item, then one per veto, with a 是/否 input each."""
    columns = extra_columns()
    _header(ws, columns, freeze="A2")
    validation = _yes_no_validation()
    answers = {**(values.get("bonus") or {}), **(values.get("vetoes") or {})}  # codes are unique
    rows = [
        (item.code, _("加分项"), label(item), _("加{points}分").format(points=exact_text(item.points)))
        for item in standard.bonus
    ] + [(veto.code, _("否决项"), label(veto), _veto_rule(veto)) for veto in standard.vetoes]
    for row, described in enumerate(rows, start=2):
        _describe(ws, row, columns, described)
        _input(ws[f"{EXTRA_INPUT}{row}"])
        validation.add(f"{EXTRA_INPUT}{row}")
        _prefill_yes_no(ws[f"{EXTRA_INPUT}{row}"], answers.get(described[0]))
    if validation.sqref:
        ws.add_data_validation(validation)
    _protect(ws)


def _describe(ws: Worksheet, row: int, columns: list[Column], texts: Sequence[object]) -> None:
    """The descriptive cells of a row (as text), and the row's borders and wrapping."""
    for column, value in zip(columns, texts, strict=False):
        set_text(ws[f"{column.letter}{row}"], value)
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
    title = standard.title_en if english() and standard.title_en else standard.title
    grades = "; ".join(f"{i}={name}" for i, name in enumerate(standard.grades, start=1))
    top = len(standard.grades)
    code = identity(standard)
    lines = [
        (_("用途"), _("本文件用于离线填报智慧城市星级评价自评数据，填好后在系统中上传。")),
        (_("评价标准"), title),
        (_("标准版本"), version_label or code),
        *([(_("标准代码"), code)] if version_label and version_label != code else []),
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
        (_("说明/备注"), _notes_text()),
        (_("加分与否决"), _("在“加分与否决”表的“是/否”列选择；不填视为“否”。")),
        (
            _("读取范围"),
            _("只读取黄色的填报单元格；其他列仅供参考，修改不会生效。不填的指标视为缺失（0级）。"),
        ),
        (
            _("上传"),
            _("上传时整份文件一并检查：有任何错误则全部不导入，并按工作表、行号、列号列出全部错误。"),
        ),
        (_("工作表"), _sheets_text()),
        (_("注意"), _("请勿修改指标代码或删除工作表；本文件只能用于上述标准版本。")),
    ]
    return lines


def _notes_text() -> str:
    return _("“说明/备注”列即各指标的说明，最多 {limit} 个字，随数据一并导入；清空即删除说明。").format(
        limit=MAX_NOTE_CHARS
    )


def _sheets_text() -> str:
    """The sheets by their fixed (Chinese) names, which error messages use in every language; the
    English text gives each name's meaning once, here."""
    return _("{instructions}：本说明；{indicators}：每个指标一行；{extras}：加分项和否决项。").format(
        instructions=SHEET_INSTRUCTIONS, indicators=SHEET_INDICATORS, extras=SHEET_EXTRAS
    )


def _write_instructions(
    ws: Worksheet, standard: Standard, version_label: str, region_name: str, content_hash: str
) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws["A1"] = _("智慧城市星级评价自评填报模板")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 90
    for row, (heading, text) in enumerate(
        _instruction_lines(standard, version_label, region_name, content_hash), start=3
    ):
        set_text(ws[f"A{row}"], heading)
        set_text(ws[f"B{row}"], text)
        ws[f"A{row}"].font = _BOLD
        ws[f"A{row}"].alignment = _WRAP
        ws[f"B{row}"].alignment = _WRAP


def _write_meta(ws: Worksheet, standard: Standard, version_label: str, content_hash: str) -> None:
    """The very hidden identity of the template: format, standard code@version, label, hash."""
    rows = [("format", TEMPLATE_FORMAT), ("standard", identity(standard)), ("version_label", version_label)]
    rows.append(("content_hash", content_hash))
    for row, (key, value) in enumerate(rows, start=1):
        set_text(ws[f"A{row}"], key)
        set_text(ws[f"B{row}"], value)
    ws.sheet_state = "veryHidden"


def build_template(
    standard: Standard,
    *,
    version_label: str,
    region_name: str = "",
    values: Mapping[str, Any] | None = None,
    content_hash: str = "",
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An .xlsx self-assessment template for `standard`, prefilled from a values@1 mapping and the
    notes by indicator code, if given.

    `content_hash` (the stored standard version's SHA-256, optional) is shown and recorded, so that
    `parse_template` given a hash can refuse a workbook made from different content.

    Texts follow the active language (Chinese by default, English when it starts with "en");
    sheet names are fixed Chinese identifiers. Prefilled numbers stay exact: a number Excel
    cannot hold exactly (more than 15 significant digits) is written as text, which reads back.
    """
    values = values or {}
    wb = Workbook()
    _write_instructions(wb.active, standard, version_label, region_name, content_hash)
    _write_indicators(wb.create_sheet(SHEET_INDICATORS), standard, values.get("values") or {}, notes or {})
    _write_extras(wb.create_sheet(SHEET_EXTRAS), standard, values)
    _write_meta(wb.create_sheet(SHEET_META), standard, version_label, content_hash)
    wb.properties.title = _("智慧城市星级评价自评填报模板")
    wb.properties.subject = identity(standard)
    return save(wb)


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
