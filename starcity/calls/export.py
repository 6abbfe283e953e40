"""The application list as an Excel workbook: the same rows as the screen, one per application."""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from starcity.calls.completeness import grade_name
from starcity.calls.models import Application
from starcity.calls.selectors import call_level


def _time(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _headers() -> list[str]:
    return [
        _("编号"),
        _("批次"),
        _("申报地区"),
        _("所属设区市"),
        _("层级"),
        _("状态"),
        _("申报星级"),
        _("修订版本"),
        _("提交省级时间"),
        _("链接"),
    ]


def application_row(application: Application, link: str) -> list[Any]:
    """One application as a row of the export (and of the list)."""
    pinned = call_level(application.call, application.level)
    version = pinned.standard_version if pinned else None
    return [
        application.pk,
        application.call.title,
        application.region.full_name,
        application.city.name,
        application.get_level_display(),
        application.get_status_display(),
        grade_name(version, application.target_grade) if application.target_grade else "",
        application.revision,
        _time(application.submitted_at),
        link,
    ]


def export_applications(rows: Iterable[Application], *, link: Callable[[Application], str]) -> bytes:
    """The workbook of the given applications (one sheet, a header row, one row each)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("申报列表")
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for application in rows:
        sheet.append(application_row(application, link(application)))
    for column, width in zip("ABCDEFGHIJ", (8, 36, 22, 12, 12, 20, 10, 10, 20, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
