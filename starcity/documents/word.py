"""Official documents as Word files (python-docx), with East Asian fonts set on every run so
Word does not fall back to a Latin font for Chinese text."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from starcity.documents.model import OfficialDocument, Table, chinese_date

RED = RGBColor(0xD0, 0x00, 0x00)
FANGSONG = "仿宋_GB2312"  # body (三号仿宋)
XIAOBIAOSONG = "方正小标宋简体"  # title and the issuing-office mark
HEITI = "黑体"  # first-level headings
LATIN = "Times New Roman"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号


def _font(run, east_asia: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(
    document,
    text: str,
    east_asia: str,
    size: float,
    *,
    align=None,
    indent: bool = False,
    bold: bool = False,
    color=None,
    space_after: float = 0,
):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    form = paragraph.paragraph_format
    form.space_before = Pt(0)
    form.space_after = Pt(space_after)
    form.line_spacing = Pt(28)  # 固定值 28 磅
    if indent:
        form.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), east_asia, size, bold=bold, color=color)
    return paragraph


def _red_rule(document) -> None:
    """A red line under the document number (a paragraph's bottom border)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(12)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "D00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(document, table: Table) -> None:
    _paragraph(document, table.heading, HEITI, BODY_PT, space_after=6)
    if not table.rows:
        if table.empty_text:
            _paragraph(document, table.empty_text, FANGSONG, BODY_PT, indent=True)
        return
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(title), HEITI, 14)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), FANGSONG, 14)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()


def to_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx file (A4, official margins and fonts)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)

    _paragraph(
        document,
        doc.shown_mark,
        XIAOBIAOSONG,
        doc.mark_pt,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        space_after=18,
    )
    if doc.number:
        _paragraph(document, doc.number, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(document)
    _paragraph(document, doc.title, XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    if doc.addressee:
        _paragraph(document, doc.addressee, FANGSONG, BODY_PT)
    for text in doc.paragraphs:
        _paragraph(document, text, FANGSONG, BODY_PT, indent=True)
    for table in doc.tables:
        _table(document, table)
    for text in doc.closing:
        _paragraph(document, text, FANGSONG, BODY_PT, indent=True)
    document.add_paragraph()
    _paragraph(document, doc.office, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, chinese_date(doc.issued_on), FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for text in doc.notes:
        _paragraph(document, text, FANGSONG, 14, indent=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
