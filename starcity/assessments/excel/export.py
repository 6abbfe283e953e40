"""The province's list of self-assessments as an .xlsx file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from starcity.assessments.excel.build import save
from starcity.assessments.excel.cells import LOCAL_TZ, set_text

_BOLD = Font(bold=True)


# Keys a row may leave out: their column is written only when some row has the key.
OPTIONAL_KEYS = frozenset({"id", "title", "url", "latest"})
_MAX_LINK = 2000  # longer targets are not made links (Excel refuses them)


def _export_columns(present: set[str]) -> list[tuple[str, str, int]]:
    """(key, header, width) of the fixed columns; the optional ones only when `present`."""
    columns = [
        ("id", "ID", 8),
        ("region_code", _("区划代码"), 12),
        ("region_name", _("地区"), 14),
        ("city_name", _("所属市"), 12),
        ("level_label", _("层级"), 8),
        ("title", _("标题"), 30),
        ("standard_label", _("评价标准"), 30),
        ("status_label", _("状态"), 10),
        ("latest", _("最新"), 6),
        ("grade", _("等级"), 7),
        ("grade_name", _("等级名称"), 10),
        ("score", _("总分"), 9),
        ("submitted_at", _("提交时间"), 17),
        ("submitted_by", _("提交人"), 12),
        ("url", _("链接"), 40),
    ]
    return [column for column in columns if column[0] not in OPTIONAL_KEYS or column[0] in present]


def _link(cell: Cell, raw: object) -> None:
    """The address as text, and a hyperlink when it is an absolute http(s) address."""
    set_text(cell, raw)
    text = "" if raw is None else str(raw)
    if text.startswith(("https://", "http://")) and len(text) <= _MAX_LINK:
        cell.hyperlink = text
        cell.style = "Hyperlink"


def _whole(cell: Cell, raw: object) -> None:
    """An integer (such as the ID or the grade) as a number; anything else as text."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        cell.value = raw
    else:
        set_text(cell, raw)


def _score(cell: Cell, raw: object) -> None:
    """A score as a number shown with 2 decimals (rounded half up); text that is no number as text."""
    cell.number_format = "0.00"
    if raw is None or raw == "":
        return
    try:
        cell.value = Decimal(str(raw)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        set_text(cell, raw)


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
        elif key in ("grade", "id"):
            _whole(cell, value)
        elif key == "url":
            _link(cell, value)
        elif key == "latest":
            set_text(cell, _("是") if value else _("否"))
        else:
            set_text(cell, value)
    scores = data.get("domain_scores") or {}
    for index, domain in enumerate(domains, start=len(keys) + 1):
        _score(ws.cell(row=row, column=index), scores.get(domain))


def _safe_sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")
    return cleaned[:31] or "Sheet1"


def export_assessments(rows: list[dict[str, Any]], *, title: str) -> bytes:
    """An .xlsx list of assessments for the province, one row per assessment, in the given order.

    Columns: ID, region code, region, city, level, title, standard, status, latest (是/否: the
    newest submission of its region and standard line), grade, grade name, score (a number shown
    with 2 decimals), submitted at (Asia/Shanghai, `YYYY-MM-DD HH:MM`), submitted by, link (a
    hyperlink when the `url` is an absolute http(s) address), then one score column per domain
    name met in `domain_scores`, in first-seen order. ID, title, latest and link are written only
    when some row has the key `id`, `title`, `latest` or `url`. The header row is bold and
    frozen, with an autofilter. Text is always written as text, never as a formula.
    """
    columns = _export_columns({key for data in rows for key in data})
    domains = list(dict.fromkeys(name for data in rows for name in (data.get("domain_scores") or {})))
    wb = Workbook()
    ws = wb.active
    ws.title = _safe_sheet_title(title)
    wb.properties.title = title
    headers = [(label, width) for _key, label, width in columns] + [(name, 10) for name in domains]
    for index, (label, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        set_text(cell, label)
        cell.font = _BOLD
        ws.column_dimensions[get_column_letter(index)].width = width
    keys = [key for key, _label, _width in columns]
    for row, data in enumerate(rows, start=2):
        _write_export_row(ws, row, data, keys, domains)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    return save(wb)
