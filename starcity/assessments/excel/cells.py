"""What the template's builder and reader share: sheet and column names, errors, and the cell rules.

The readers here turn one cell's raw value (as openpyxl gives it) into what the values file
holds, or raise :class:`Bad` with a message saying why not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from starcity.scoring import BonusItem, Domain, Indicator, Standard, Veto

SHEET_INSTRUCTIONS = "填报说明"
SHEET_INDICATORS = "指标填报"
SHEET_EXTRAS = "加分与否决"
SHEET_META = "_starcity"
TEMPLATE_FORMAT = "starcity/assessment-template@2"
# Templates made before notes were filled in and read back: still accepted; only the notes written
# in them count (a blank note there keeps the note already saved).
TEMPLATE_FORMAT_WITHOUT_NOTES = "starcity/assessment-template@1"
VALUES_SCHEMA = "starcity/values@1"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# 指标填报 columns; the input columns each method reads.
COL_CODE, COL_NUMBER, COL_NUMERATOR, COL_DENOMINATOR, COL_GRADE, COL_YES_NO = "A", "H", "I", "J", "K", "L"
COL_NOTE = "M"
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "threshold": (COL_NUMBER,),
    "ratio": (COL_NUMERATOR, COL_DENOMINATOR),
    "tiered": (COL_GRADE,),
    "boolean": (COL_YES_NO,),
}
ALL_INPUTS = (COL_NUMBER, COL_NUMERATOR, COL_DENOMINATOR, COL_GRADE, COL_YES_NO)
# 加分与否决 columns: the code is in column A, as on 指标填报.
EXTRA_INPUT = "E"

# A number is stored as text of at most 64 characters (Answer.number); the web form allows 40.
MAX_NUMBER_CHARS = 40
MAX_NUMBER_DIGITS = 30
# A note (说明/备注) is at most this many characters, in the web form and in the template alike.
MAX_NOTE_CHARS = 1000

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√"})
_FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×"})


# ---------------------------------------------------------------------------------------------
# Texts


def english() -> bool:
    return (get_language() or "").lower().startswith("en")


def label(obj: Domain | Indicator | BonusItem | Veto) -> str:
    """The English name of a standard item in English when it has one, else its name."""
    return obj.name_en if english() and obj.name_en else obj.name


def identity(standard: Standard) -> str:
    return f"{standard.code}@{standard.version}"


def method_label(method: str) -> str:
    return {"threshold": _("数值"), "ratio": _("比值"), "tiered": _("分级"), "boolean": _("是否")}[method]


@dataclass(frozen=True)
class Column:
    letter: str
    title: str
    width: int


def indicator_columns() -> list[Column]:
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
    return [Column(get_column_letter(i), t, w) for i, (t, w) in enumerate(titles, start=1)]


def extra_columns() -> list[Column]:
    """The columns of 加分与否决; bonus items and vetoes have no note (neither on the web page), so
    the sheet offers none that would be dropped on import."""
    titles = [(_("代码"), 10), (_("类别"), 10), (_("名称"), 34), (_("规则"), 24), (_("是/否"), 8)]
    return [Column(get_column_letter(i), t, w) for i, (t, w) in enumerate(titles, start=1)]


def set_text(cell: Cell, value: object) -> None:
    """A text cell that is never taken for a formula, even when it starts with `=`; None stays blank."""
    if value is None or value == "":
        cell.value = None
        return
    cell.value = str(value)
    cell.data_type = "s"


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


class Bad(Exception):
    """A cell (or file) that cannot be read as what is needed; the message says why."""


def file_error(message: str, sheet: str = "") -> CellError:
    """A problem of the whole file (or, with `sheet`, of a whole sheet)."""
    return CellError(sheet, None, "", "", message)


# ---------------------------------------------------------------------------------------------
# Numbers and answers


def plain(value: Decimal) -> int | str:
    """The canonical form of a number: an int when integral, else a plain decimal string.

    No context arithmetic (such as `normalize`) is used, so no digit is ever rounded away.
    """
    if value == value.to_integral_value():
        return int(value)
    return format(value, "f").rstrip("0")


def normalise(text: str) -> str:
    """Full-width digits, points and signs folded to ASCII (NFKC); surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", text).strip()


def _too_long() -> Bad:
    return Bad(
        _("数字过长：最多 {chars} 个字符、{digits} 位数字").format(
            chars=MAX_NUMBER_CHARS, digits=MAX_NUMBER_DIGITS
        )
    )


def _bounded(value: Decimal) -> Decimal:
    """`value` when its plain spelling fits the stored answer: ≤ 40 characters, ≤ 30 digits."""
    if not value.is_finite():
        raise Bad(_("不是有效的数字"))
    if value and abs(value.adjusted()) > MAX_NUMBER_DIGITS:  # spelled out, it has more digits
        raise _too_long()
    text = str(plain(value))
    if len(text) > MAX_NUMBER_CHARS or sum(ch.isdigit() for ch in text) > MAX_NUMBER_DIGITS:
        raise _too_long()
    return value


def to_decimal(raw: object) -> Decimal:
    """A cell's number, exactly as the user meant it, and short enough to be stored.

    Integers are taken as they are; binary floats (openpyxl's numeric cells) through their
    shortest 15-significant-digit spelling, so 83.5 is 83.5 and 0.1+0.2 is 0.3; text must read
    `-?[0-9]+(.[0-9]+)?` after folding full-width characters and trimming spaces. Text over 40
    characters, and a number whose plain spelling has more than 30 digits, are refused.
    """
    if isinstance(raw, bool):
        raise Bad(_("应填写数字，不能填写是/否"))
    if isinstance(raw, int | Decimal):
        return _bounded(Decimal(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise Bad(_("不是有效的数字"))
        return _bounded(Decimal(format(raw, ".15g")))
    if isinstance(raw, str):
        if len(raw) > 4 * MAX_NUMBER_CHARS:  # no folding of a huge text
            raise _too_long()
        text = normalise(raw)
        if len(text) > MAX_NUMBER_CHARS:
            raise _too_long()
        if _DECIMAL.fullmatch(text):
            return _bounded(Decimal(text))
        raise Bad(_("“{text}”不是数字").format(text=raw.strip()))
    raise Bad(_("不是数字（请勿填写日期或其他格式）"))


def grade_reader(top: int) -> Callable[[object], int]:
    """A reader for tiered grades: an integer in 0..top."""

    def read(raw: object) -> int:
        try:
            value = to_decimal(raw)
        except Bad:
            value = None
        if value is None or value != value.to_integral_value() or not 0 <= value <= top:
            raise Bad(_("等级必须是0到{top}的整数").format(top=top))
        return int(value)

    return read


def yes_no(raw: object) -> bool:
    """是/否 read generously: 是/否, Y/N, yes/no, true/false, 1/0 in any case; nothing else."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = normalise(str(raw))[: 4 * MAX_NUMBER_CHARS].lower()
    if text in _TRUE_WORDS or text == _("是").lower():
        return True
    if text in _FALSE_WORDS or text == _("否").lower():
        return False
    shown = str(raw).strip()
    shown = shown if len(shown) <= MAX_NUMBER_CHARS else shown[:MAX_NUMBER_CHARS] + "…"
    raise Bad(_("“{text}”无法识别，请填写“是”或“否”").format(text=shown))
