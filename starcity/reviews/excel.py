"""The expert pool as Excel: the import template, reading a filled one back, and the export.

Reading is all or nothing: every bad cell is reported by row and column (第 3 行 D 列（所在地区）：…)
and nothing is written unless the whole file is valid. Columns are found by their header, in the
Chinese of the template or in the language it was downloaded in; other columns are ignored, so an
export can be edited and imported again. Rows are matched to existing experts by phone, else by
e-mail; the others are new experts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from starcity.assessments.excel.archive import check_archive, opened
from starcity.assessments.excel.build import save
from starcity.assessments.excel.cells import Bad, set_text
from starcity.core.errors import ValidationFailed
from starcity.regions.models import Region
from starcity.regions.resolver import regions_resolve
from starcity.reviews.models import Expert
from starcity.reviews.services.experts import (
    ExpertData,
    ImportRow,
    expert_problems,
    field_codes,
    fields_text,
    normalise_phone,
)

MAX_ROWS = 2000
YES_TEXTS = {"是", "yes", "y", "true", "1", "可以", "可参加"}
NO_TEXTS = {"否", "no", "n", "false", "0", "不可以", "暂不参加"}
FIELD_SEPARATORS = str.maketrans(dict.fromkeys(",，;；/ \u3000|", "、"))


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese source text (gettext_noop)
    width: int
    required: bool = False


COLUMNS = (
    Column("name", gettext_noop("姓名"), 12, True),
    Column("employer", gettext_noop("工作单位"), 28, True),
    Column("employer_region", gettext_noop("单位所属区域"), 18),
    Column("home_region", gettext_noop("所在地区"), 18, True),
    Column("fields", gettext_noop("专业领域"), 22, True),
    Column("available", gettext_noop("可参加评审"), 12),
    Column("phone", gettext_noop("电话"), 16),
    Column("email", gettext_noop("电子邮箱"), 26),
    Column("notes", gettext_noop("备注"), 30),
)
EXPORT_ONLY = (
    Column("id", gettext_noop("编号"), 8),
    Column("user", gettext_noop("关联账号"), 14),
)
PROBLEM_FIELD_COLUMN = {
    "name": "name",
    "employer": "employer",
    "home_region": "home_region",
    "employer_region": "employer_region",
    "fields": "fields",
    "phone": "phone",
    "email": "email",
    "notes": "notes",
}


def _sheet_title() -> str:
    return _("专家名单")


# -- writing --------------------------------------------------------------------------------


def _header(ws: Any, columns: Iterable[Column]) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        set_text(cell, _(column.header))
        cell.font = bold
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def _available_list(ws: Any, column_index: int, last_row: int) -> None:
    letter = get_column_letter(column_index)
    rule = DataValidation(type="list", formula1=f'"{_("是")},{_("否")}"', allow_blank=True)
    rule.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(rule)


def build_template() -> bytes:
    """The import template: the list sheet with its headers, and the instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title()
    _header(ws, COLUMNS)
    _available_list(ws, [c.key for c in COLUMNS].index("available") + 1, MAX_ROWS + 1)
    notes = wb.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 100
    lines = [
        _("专家库导入模板填写说明"),
        _("1. 每行一位专家，从第 2 行开始填写；不要修改第 1 行的列名，可以增加其他列（导入时忽略）。"),
        _("2. 姓名、工作单位、所在地区、专业领域必填。"),
        _("3. 所在地区、单位所属区域填写设区市或县（市、区）的名称，如“淄博市张店区”“张店区”“济南市”。"),
        _("4. 专业领域从 %(fields)s 中选择，多个领域用顿号分隔。") % {"fields": fields_text()},
        _("5. 可参加评审填“是”或“否”，不填视为“是”。"),
        _("6. 电话或电子邮箱与专家库中已有专家相同的行将更新该专家的信息，其余行新增专家。"),
        _("7. 整个文件一并检查：有任何错误则不导入任何内容，并按行、列列出全部错误。"),
        _("8. 每个文件最多 %(max)s 行。") % {"max": MAX_ROWS},
    ]
    for row, line in enumerate(lines, start=1):
        cell = notes.cell(row=row, column=1)
        set_text(cell, line)
        cell.alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True)
    return save(wb)


def export_experts(experts: Iterable[Expert]) -> bytes:
    """The (filtered) pool as a workbook with the template's columns, plus id and account: it can
    be edited and imported again."""
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title()
    columns = (EXPORT_ONLY[0], *COLUMNS, EXPORT_ONLY[1])
    _header(ws, columns)
    row = 1
    for expert in experts:
        row += 1
        values = {
            "id": expert.pk,
            "name": expert.name,
            "employer": expert.employer,
            "employer_region": expert.employer_region.full_name if expert.employer_region is not None else "",
            "home_region": expert.home_region.full_name,
            "fields": "、".join(expert.field_labels),
            "available": _("是") if expert.available else _("否"),
            "phone": expert.phone,
            "email": expert.email,
            "notes": expert.notes,
            "user": expert.user.get_username() if expert.user is not None else "",
        }
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=index)
            if column.key == "id":
                cell.value = values["id"]
            else:
                set_text(cell, values[column.key])
    _available_list(ws, [c.key for c in columns].index("available") + 1, max(row, 2))
    return save(wb)


# -- reading --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ".0" (phones typed as numbers), spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_keys(values: tuple[Any, ...]) -> dict[int, str]:
    """{column index (0-based): key} of the known headers of row 1."""
    names: dict[str, str] = {}
    for column in (*COLUMNS, *EXPORT_ONLY):
        names[column.header] = column.key
        names[_(column.header)] = column.key
        names[_(column.header).lower()] = column.key
    found: dict[int, str] = {}
    for index, value in enumerate(values):
        key = names.get(_text(value)) or names.get(_text(value).lower())
        if key is not None and key not in found.values():
            found[index] = key
    return found


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[int, int, str]] = []

    def add(self, row: int, column: int | None, header: str, message: str) -> None:
        if column is None:
            text = _("第 %(row)s 行：%(message)s") % {"row": row, "message": message}
        else:
            text = _("第 %(row)s 行 %(column)s 列（%(header)s）：%(message)s") % {
                "row": row,
                "column": get_column_letter(column + 1),
                "header": header,
                "message": message,
            }
        self.items.append((row, column if column is not None else -1, text))

    def raise_if_any(self) -> None:
        if self.items:
            messages = [text for _row, _column, text in sorted(self.items, key=lambda item: item[:2])]
            raise ValidationFailed(
                _("Excel 文件有 %(count)d 处错误，未导入任何内容。") % {"count": len(messages)},
                field="file",
                errors=messages,
            )


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed(
        _("Excel 文件无法导入：%(reason)s。") % {"reason": message}, field="file", errors=[]
    )


def read_experts(data: bytes) -> list[ImportRow]:
    """The checked rows of a filled template, or ValidationFailed listing every bad cell."""
    try:
        check_archive(data)
    except Bad as exc:
        raise _file_error(str(exc)) from exc
    try:
        with opened(data, data_only=True) as wb:
            ws = wb[_sheet_title()] if _sheet_title() in wb.sheetnames else wb.worksheets[0]
            if (ws.max_row or 0) > MAX_ROWS + 1:
                raise _file_error(_("超过 %(max)s 行，请分成多个文件导入") % {"max": MAX_ROWS})
            raw_rows = [tuple(r) for r in ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, values_only=True)]
    except Bad as exc:
        raise _file_error(str(exc)) from exc
    if not raw_rows:
        raise _file_error(_("文件中没有内容"))
    keys = _header_keys(raw_rows[0])
    missing = [_(column.header) for column in COLUMNS if column.required and column.key not in keys.values()]
    if missing:
        raise _file_error(_("第 1 行缺少以下列：%(columns)s") % {"columns": "、".join(missing)})
    column_of = {key: index for index, key in keys.items()}
    header_of = {column.key: _(column.header) for column in (*COLUMNS, *EXPORT_ONLY)}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(raw_rows[1:], start=2):
        cells = {key: _text(values[index]) if index < len(values) else "" for index, key in keys.items()}
        if any(cells.get(column.key) for column in COLUMNS):
            rows.append((number, cells))
    if not rows:
        raise _file_error(_("没有需要导入的专家（从第 2 行开始填写）"))
    return _check_rows(rows, column_of, header_of)


def _check_rows(
    rows: list[tuple[int, dict[str, str]]], column_of: dict[str, int], header_of: dict[str, str]
) -> list[ImportRow]:
    errors = _Errors()

    reported: set[tuple[int, str]] = set()

    def add(row: int, key: str, message: str) -> None:
        reported.add((row, key))
        errors.add(row, column_of.get(key), header_of.get(key, key), message)

    names = sorted(
        {cells.get(key, "") for _n, cells in rows for key in ("home_region", "employer_region")} - {""}
    )
    resolved = dict(zip(names, regions_resolve(names=names), strict=True)) if names else {}
    phones = {e.phone: e for e in Expert.objects.exclude(phone="").select_related("user")}
    emails = {e.email.lower(): e for e in Expert.objects.exclude(email="").select_related("user")}
    by_name = {(e.name, e.employer): e for e in Expert.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    checked: list[ImportRow] = []
    for number, cells in rows:
        bad = False
        regions: dict[str, Region | None] = {}
        for key in ("home_region", "employer_region"):
            text = cells.get(key, "")
            if not text:
                regions[key] = None
                continue
            match = resolved[text]
            if not match.is_resolved:
                add(number, key, match.error)
                bad = True
            regions[key] = match.region
        field_texts = cells.get("fields", "").translate(FIELD_SEPARATORS).split("、")
        codes, unknown = field_codes(field_texts)
        for text in unknown:
            add(
                number,
                "fields",
                _("“%(text)s”不是专业领域，应为 %(fields)s") % {"text": text, "fields": fields_text()},
            )
            bad = True
        available_text = cells.get("available", "").lower()
        available = True
        if available_text in {t.lower() for t in NO_TEXTS} | {_("否").lower()}:
            available = False
        elif available_text and available_text not in {t.lower() for t in YES_TEXTS} | {_("是").lower()}:
            add(number, "available", _("“%(text)s”应为“是”或“否”") % {"text": cells.get("available", "")})
            bad = True
        data = ExpertData(
            name=cells.get("name", ""),
            employer=cells.get("employer", ""),
            home_region=regions["home_region"],
            employer_region=regions["employer_region"],
            fields=codes,
            available=available,
            phone=normalise_phone(cells.get("phone", "")),
            email=cells.get("email", ""),
            notes=cells.get("notes", ""),
        ).cleaned()
        # The same person twice: the same phone, e-mail, or (without either) name and employer.
        anonymous = not data.phone and not data.email and data.name and data.employer
        identity = f"{data.name}|{data.employer}" if anonymous else ""
        for key, value in (("phone", data.phone), ("email", data.email), ("name", identity)):
            if not value:
                continue
            earlier = seen.get((key, value))
            if earlier is not None:
                message = {
                    "phone": _("与第 %(row)s 行的电话相同"),
                    "email": _("与第 %(row)s 行的电子邮箱相同"),
                    "name": _("与第 %(row)s 行的姓名和工作单位相同"),
                }[key] % {"row": earlier}
                add(number, key, message)
                bad = True
            else:
                seen[(key, value)] = number
        expert = (phones.get(data.phone) if data.phone else None) or (
            emails.get(data.email) if data.email else None
        )
        if expert is None and not data.phone and not data.email:
            namesake = by_name.get((data.name, data.employer))
            if namesake is not None:
                add(
                    number,
                    "phone",
                    _("专家库中已有同名同单位的专家“%(name)s”，请填写电话或电子邮箱以确认是否为同一人")
                    % {"name": namesake.name},
                )
                bad = True
        for problem_field, message in expert_problems(data, exclude=expert):
            key = PROBLEM_FIELD_COLUMN.get(problem_field, "name")
            if (number, key) in reported:
                continue  # the cell's own problem is already listed
            if problem_field == "home_region":
                message = _("请填写专家所在地区")
            add(number, key, message.rstrip("。"))
            bad = True
        if not bad:
            checked.append(ImportRow(row=number, data=data, expert=expert))
    errors.raise_if_any()
    return checked
