"""The content of an official document, independent of the file format."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Table:
    """A table under a heading: column titles and rows of text."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty_text: str = ""


@dataclass(frozen=True)
class OfficialDocument:
    """An official document: the issuing office's mark ("…文件"), its number, the title, the
    addressee, body paragraphs, tables, closing paragraphs, and the signature (office, date)."""

    office: str
    title: str
    issued_on: date
    number: str = ""
    mark: str = ""  # the red issuing-office mark; the office's name followed by 文件 when empty
    addressee: str = ""
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    closing: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  # small print under the signature (e.g. 公开方式)

    @property
    def shown_mark(self) -> str:
        return self.mark or f"{self.office}文件"

    @property
    def mark_pt(self) -> int:
        """The mark's size in points: as large as one line of the type area allows (156 mm,
        about 440 pt, minus letter spacing), between 20 and 36 pt."""
        length = max(len(self.shown_mark), 1)
        return max(20, min(36, int(420 / length)))


def chinese_date(day: date) -> str:
    """A date as official documents write it: 2026年12月5日."""
    return f"{day.year}年{day.month}月{day.day}日"
