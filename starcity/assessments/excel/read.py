"""Reading a filled template back.

Reading is all or nothing: every problem in the file is collected, each naming the sheet, row,
column letter and code, and either a complete ``starcity/values@1`` mapping is returned or
:class:`ExcelImportError` is raised with all of them. No Django model is used here.

The file is read twice, both times read-only and only as far as the template's rows go: once
for the values (a formula's cached result), once for the formulas, because a formula Excel never
computed (its cached result is missing) must be refused rather than read as a blank cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from starcity.assessments.excel.archive import (
    Cells,
    check_archive,
    declares_too_many_rows,
    opened,
    read_cells,
    read_meta,
    row_limit,
    too_many_rows,
)
from starcity.assessments.excel.cells import (
    ALL_INPUTS,
    COL_CODE,
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
    SHEET_META,
    TEMPLATE_FORMAT,
    TEMPLATE_FORMAT_WITHOUT_NOTES,
    VALUES_SCHEMA,
    Bad,
    CellError,
    ExcelImportError,
    english,
    extra_columns,
    file_error,
    grade_reader,
    identity,
    indicator_columns,
    method_label,
    normalise,
    plain,
    to_decimal,
    yes_no,
)
from starcity.scoring import Standard, ValuesInvalid, values_from_mapping

_INVALID = object()


@dataclass
class _Sheet:
    """Cell access for one sheet: cached values, with formulas checked in a second reading."""

    name: str
    values: Cells
    formulas: set[tuple[int, str]]

    def rows(self) -> list[int]:
        """The rows that have any cell filled, top to bottom."""
        return sorted({row for row, _column in self.values} | {row for row, _column in self.formulas})

    def get(self, row: int, column: str) -> object:
        """The cell's value; None when blank; `Bad` for a formula error or an uncomputed formula."""
        value, data_type = self.values.get((row, column), (None, "n"))
        if data_type == "e":
            raise Bad(_("公式出错：{error}").format(error=value))
        if value is None and (row, column) in self.formulas:
            raise Bad(_("公式没有计算结果，请直接填写数值"))
        if isinstance(value, str) and not normalise(value):
            return None
        return value

    def filled(self, row: int, column: str) -> bool:
        try:
            return self.get(row, column) is not None
        except Bad:
            return True


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
        except Bad as bad:
            self.error(column, str(bad))
            return _INVALID


def _read_ratio(row: _Row) -> object:
    """Both parts or neither; numerator ≥ 0 and denominator > 0; each part checked on its own."""
    numerator = row.read(COL_NUMERATOR, to_decimal)
    denominator = row.read(COL_DENOMINATOR, to_decimal)
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
    return {"numerator": plain(numerator), "denominator": plain(denominator)}


def _read_answer(row: _Row, method: str, grades: int) -> object:
    """The indicator's value for the values file, or None when blank or wrong (problem recorded).

    A filled cell that the method does not use is a problem, so that nothing is silently dropped.
    """
    titles = {column.letter: column.title for column in indicator_columns()}
    for column in ALL_INPUTS:
        if column not in INPUT_COLUMNS[method] and row.sheet.filled(row.row, column):
            message = _("{method}类指标不使用“{column}”列，请清空此单元格")
            row.error(column, message.format(method=method_label(method), column=titles[column]))
    if method == "ratio":
        return _read_ratio(row)
    if method == "tiered":
        value = row.read(COL_GRADE, grade_reader(grades))
    elif method == "boolean":
        value = row.read(COL_YES_NO, yes_no)
    else:
        value = row.read(COL_NUMBER, to_decimal)
        value = plain(value) if isinstance(value, Decimal) else value
    return None if value is _INVALID else value


def note_text(raw: object) -> str:
    """A note cell as text (a number or date typed there as it reads), trimmed; `Bad` when it is
    longer than a note may be (the web form's limit)."""
    if isinstance(raw, datetime | date | time):
        text = raw.isoformat(sep=" ") if isinstance(raw, datetime) else raw.isoformat()
    elif isinstance(raw, float):
        text = format(raw, ".15g")  # as Excel shows it: 0.1 + 0.2 reads 0.3
    else:
        text = str(raw)
    text = text.strip()
    if len(text) > MAX_NOTE_CHARS:
        message = _("说明最多 {limit} 个字，此处有 {count} 个字")
        raise Bad(message.format(limit=MAX_NOTE_CHARS, count=len(text)))
    return text


def _row_code(sheet: _Sheet, row: int, inputs: tuple[str, ...], errors: list[CellError]) -> str | None:
    """The code in column A; None for a blank row or (problem recorded) a row without a code."""
    try:
        raw = sheet.get(row, COL_CODE)
    except Bad as bad:
        errors.append(CellError(sheet.name, row, COL_CODE, "", str(bad)))
        return None
    code = normalise(str(raw))[:64] if raw is not None else ""
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
) -> tuple[dict[str, object], dict[str, str], dict[str, int]]:
    """The values and the notes of 指标填报 by code, and the row of each code (blank rows
    skipped; a row's blank note reads as "")."""
    indicators = {indicator.code: indicator for indicator in standard.indicators}
    values: dict[str, object] = {}
    notes: dict[str, str] = {}
    rows: dict[str, int] = {}
    for row in sheet.rows():
        code = _row_code(sheet, row, ALL_INPUTS, errors)
        if code is None or not _known_row(sheet, row, code, indicators, rows, errors):
            continue
        reading = _Row(sheet, row, code, errors)
        value = _read_answer(reading, indicators[code].method, len(standard.grades))
        if value is not None:
            values[code] = value
        note = reading.read(COL_NOTE, note_text)
        if note is not _INVALID:
            notes[code] = note or ""
    return values, notes, rows


def _read_extras(
    sheet: _Sheet, standard: Standard, errors: list[CellError]
) -> tuple[dict[str, bool], dict[str, bool], dict[str, int]]:
    """The bonus and veto answers of 加分与否决 by code, and the row of each code."""
    bonus_codes = {item.code for item in standard.bonus}
    veto_codes = {veto.code for veto in standard.vetoes}
    bonus: dict[str, bool] = {}
    vetoes: dict[str, bool] = {}
    rows: dict[str, int] = {}
    for row in sheet.rows():
        code = _row_code(sheet, row, (EXTRA_INPUT,), errors)
        if code is None or not _known_row(sheet, row, code, bonus_codes | veto_codes, rows, errors):
            continue
        answer = _Row(sheet, row, code, errors).read(EXTRA_INPUT, yes_no)
        if isinstance(answer, bool):
            (bonus if code in bonus_codes else vetoes)[code] = answer
    return bonus, vetoes, rows


def _check_meta(
    meta: dict[str, str] | None, standard: Standard, version_label: str, content_hash: str
) -> list[CellError]:
    """The workbook must be this system's template for this very standard (code@version)."""
    if meta is None:
        return [file_error(_("这不是本系统生成的填报模板（缺少模板标识），请重新下载模板"))]
    if meta.get("format") not in (TEMPLATE_FORMAT, TEMPLATE_FORMAT_WITHOUT_NOTES):
        return [file_error(_("模板格式不受支持，请重新下载模板"))]
    found, expected = meta.get("standard", ""), identity(standard)
    recorded = meta.get("content_hash", "")
    if found != expected:
        return [file_error(_standard_mismatch(found, expected, version_label))]
    if content_hash and recorded and recorded != content_hash:
        message = _("此文件所依据的标准 {found} 内容与当前版本不同（内容哈希不一致），请重新下载模板")
        return [file_error(message.format(found=found))]
    return []


def _standard_mismatch(found: str, expected: str, version_label: str) -> str:
    """Another standard's template: the version's label is named only when it says more than its
    code@version does."""
    if version_label and version_label != expected:
        message = _("此文件是按标准 {found} 生成的，不能用于 {expected}（{label}），请重新下载模板")
        return message.format(found=found, expected=expected, label=version_label)
    message = _("此文件是按标准 {found} 生成的，不能用于 {expected}，请重新下载模板")
    return message.format(found=found, expected=expected)


def _template_rows(standard: Standard) -> dict[str, tuple[int, int]]:
    """Per data sheet: the template's number of rows (header included) and of columns."""
    extras = len(standard.bonus) + len(standard.vetoes)
    return {
        SHEET_INDICATORS: (len(standard.indicators) + 1, len(indicator_columns())),
        SHEET_EXTRAS: (extras + 1, len(extra_columns())),
    }


def _sheet_problems(
    workbook: Any, meta: dict[str, str] | None, standard: Standard, version_label: str, content_hash: str
) -> list[CellError]:
    """Another standard's template, a missing sheet, or a sheet declaring far too many rows."""
    errors = _check_meta(meta, standard, version_label, content_hash)
    for name, (rows, _columns) in _template_rows(standard).items():
        if name not in workbook.sheetnames:
            errors.append(file_error(_("缺少工作表“{name}”").format(name=name), name))
        elif declares_too_many_rows(workbook[name], rows):
            errors.append(too_many_rows(name, rows))
    return errors


def _grids(workbook: Any, shapes: dict[str, tuple[int, int]]) -> dict[str, Cells]:
    return {
        name: read_cells(workbook[name], template_rows=rows, columns=columns)
        for name, (rows, columns) in shapes.items()
    }


def _structure(
    data: bytes, standard: Standard, version_label: str, content_hash: str
) -> tuple[list[CellError], list[_Sheet], str]:
    """File-level problems (not an xlsx, another standard, missing sheets, far too many rows),
    or the two data sheets; and the template's format."""
    shapes = _template_rows(standard)
    try:
        check_archive(data)
        with opened(data, data_only=True) as workbook:
            meta = read_meta(workbook, SHEET_META) if SHEET_META in workbook.sheetnames else None
            errors = _sheet_problems(workbook, meta, standard, version_label, content_hash)
            if errors:
                return errors, [], ""
            values = _grids(workbook, shapes)
        with opened(data, data_only=False) as workbook:
            formulas = _grids(workbook, shapes)
    except Bad as bad:
        return [file_error(str(bad))], [], ""
    for name, (rows, _columns) in shapes.items():
        if any(row > row_limit(rows) for row, _column in values[name]):
            errors.append(too_many_rows(name, rows))
    sheets = [
        _Sheet(name, values[name], {place for place, (_v, kind) in formulas[name].items() if kind == "f"})
        for name in shapes
    ]
    return errors, sheets, (meta or {}).get("format", "")


def _engine_errors(
    mapping: dict[str, Any], standard: Standard, places: dict[str, tuple[str, int, str]]
) -> list[CellError]:
    """What the scoring engine refuses in the mapping, placed on the row of the code concerned."""
    try:
        values_from_mapping(mapping, standard, strict=False)
    except ValuesInvalid as invalid:
        lang = "en" if english() else "zh"
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


@dataclass(frozen=True)
class TemplateReading:
    """What a filled template holds: the `starcity/values@1` mapping, and the notes by indicator
    code. `notes_complete`: the template carried the notes already written, so a blank note
    clears one; a template made before notes were carried (format @1) did not, and only the
    notes written in it count."""

    values: dict[str, Any]
    notes: dict[str, str]
    notes_complete: bool


def read_template(
    data: bytes | IO[bytes], standard: Standard, *, version_label: str, content_hash: str = ""
) -> TemplateReading:
    """The values and notes filled in an uploaded template, or ExcelImportError.

    Rules: the file must be an .xlsx made by `build_template` for this standard's code@version
    (and, when both know it, for the same content hash), within the size limits (zip parts,
    unpacked size, and rows: a sheet may have at most 500 rows more than the template); such
    file-level problems stop the reading there. Only input cells and the note column are read.
    Blank rows, and indicators without a row or a value, are left out (they count as missing;
    bonus items and vetoes left blank count as 否). Unknown or repeated codes, text or formula
    errors in number cells, numbers longer than 40 characters or 30 digits, a ratio with one
    part, a negative numerator, a denominator ≤ 0, a grade outside 0..N, an unrecognised 是/否, a
    value in a column the method does not use, and a note longer than 1000 characters are all
    problems; then the scoring engine checks the mapping too. Every problem is collected; nothing
    is returned unless there is none. Numbers come back as ints when whole, else as exact decimal
    strings ("83.5"); notes trimmed, "" when blank.
    """
    raw = data if isinstance(data, bytes | bytearray) else data.read()
    errors, sheets, template_format = _structure(bytes(raw), standard, version_label, content_hash)
    if errors:
        raise ExcelImportError(errors)
    indicators, extras = sheets
    values, notes, indicator_rows = _read_indicators(indicators, standard, errors)
    bonus, vetoes, extra_rows = _read_extras(extras, standard, errors)
    mapping = {"schema": VALUES_SCHEMA, "values": values, "bonus": bonus, "vetoes": vetoes}
    errors.extend(_engine_errors(mapping, standard, _places(standard, indicator_rows, extra_rows)))
    if errors:
        raise ExcelImportError(errors)
    complete = template_format == TEMPLATE_FORMAT
    return TemplateReading(mapping, notes if complete else {k: v for k, v in notes.items() if v}, complete)


def parse_template(
    data: bytes | IO[bytes], standard: Standard, *, version_label: str, content_hash: str = ""
) -> dict[str, Any]:
    """The `starcity/values@1` mapping filled in an uploaded template (see `read_template`)."""
    return read_template(data, standard, version_label=version_label, content_hash=content_hash).values
