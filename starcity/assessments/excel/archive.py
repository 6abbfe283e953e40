"""Opening an uploaded workbook without letting it tie up the server.

openpyxl's normal mode builds every cell up to the last row any cell touches, and reads the
whole file: one stray cell at M200000 in a 20 kB template took about a minute and 500 MB. So
the zip is checked first (number of parts, unpacked size, size of each XML part), the workbook
is opened read-only (streamed from the zip), a sheet that declares far more rows than the
template has is refused, and only the rows a template can have are read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from starcity.assessments.excel.cells import Bad, CellError, file_error

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a template is a few hundred kB; refuse zip bombs before parsing
MAX_ENTRIES = 200  # a template has about a dozen parts; one saved again by Excel or WPS a few dozen
MAX_XML_PART_BYTES = 4 * 1024 * 1024  # a sheet of a template is tens of kB
ROW_MARGIN = 500  # blank or note rows a user may add below or between the template's rows

Cells = dict[tuple[int, str], tuple[Any, str]]
"""Non-blank cells of a sheet: (row, column letter) → (value, openpyxl data type)."""


def _damaged() -> Bad:
    return Bad(_("文件已损坏或不是有效的 .xlsx 工作簿，无法读取"))


def check_archive(data: bytes) -> None:
    """`Bad` unless `data` is a zip within the limits: it is read only after this check."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Bad(_("这是旧版 .xls 或加密的 Excel 文件，请另存为不加密的 .xlsx 文件后上传"))
    if not data.startswith(b"PK\x03\x04"):
        raise Bad(_("文件不是 Excel 工作簿（.xlsx），请上传从系统下载并填写的模板"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _damaged() from exc
    if len(members) > MAX_ENTRIES:
        message = _("文件包含 {count} 个部件，远多于填报模板，请重新下载模板填写后上传")
        raise Bad(message.format(count=len(members)))
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise Bad(_("文件解压后过大，请只保留模板中的三个工作表后重新上传"))
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")) and member.file_size > MAX_XML_PART_BYTES:
            message = _("文件中的“{part}”解压后过大，请删除模板以外的行、列和内容后重新上传")
            raise Bad(message.format(part=member.filename))


@contextmanager
def opened(data: bytes, *, data_only: bool) -> Iterator[Workbook]:
    """The workbook opened read-only (cells are parsed only when rows are read), then closed."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # untrusted input: any failure to read is a corrupt file, not a crash
        raise _damaged() from exc
    try:
        yield workbook
    finally:
        workbook.close()


def row_limit(template_rows: int) -> int:
    """The last row read on a sheet whose template has `template_rows` rows (header included)."""
    return template_rows + ROW_MARGIN


def too_many_rows(name: str, template_rows: int) -> CellError:
    """The sheet is refused as a whole (CellError names it): it has far more rows than its template."""
    message = _("工作表超过 {limit} 行，远多于模板的 {rows} 行，请删除多余的行后重新上传")
    return file_error(message.format(limit=row_limit(template_rows), rows=template_rows), name)


def declares_too_many_rows(worksheet: Any, template_rows: int) -> bool:
    """Whether the sheet's recorded size (Excel and openpyxl always write it) is too large."""
    declared = getattr(worksheet, "max_row", None)
    return isinstance(declared, int) and declared > row_limit(template_rows)


def read_cells(worksheet: Any, *, template_rows: int, columns: int) -> Cells:
    """The non-blank cells of rows 2 to one past the row limit, in the first `columns` columns.

    Rows further down are never parsed; a cell in the row past the limit tells the caller that
    the sheet is larger than it declared. `Bad` when the sheet's XML cannot be read.
    """
    letters = [get_column_letter(index) for index in range(1, columns + 1)]
    cells: Cells = {}
    try:
        rows = worksheet.iter_rows(min_row=2, max_row=row_limit(template_rows) + 1, max_col=columns)
        for number, row in enumerate(rows, start=2):
            for letter, cell in zip(letters, row, strict=False):
                if cell.value is not None:
                    cells[(number, letter)] = (cell.value, cell.data_type)
    except Exception as exc:  # a malformed cell is only met while the rows are parsed
        raise _damaged() from exc
    return cells


def read_meta(workbook: Workbook, name: str) -> dict[str, str]:
    """The key/value rows of the hidden identity sheet (a handful of rows)."""
    try:
        rows = workbook[name].iter_rows(max_row=20, max_col=2, values_only=True)
        return {str(key)[:100]: str(value)[:200] for key, value in rows if key}
    except Exception as exc:
        raise _damaged() from exc
