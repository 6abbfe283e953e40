"""Official documents as PDF (WeasyPrint), typeset with the Noto CJK fonts of the machine
(Debian fonts-noto-cjk: serif for the body, sans for headings). The page's HTML template lives
beside this module (`official.html`), so the helper needs no app of its own."""

from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine, Template

from starcity.documents.model import OfficialDocument, chinese_date

TEMPLATE = Path(__file__).with_name("official.html")


@lru_cache(maxsize=1)
def _template() -> Template:
    return Engine.get_default().from_string(TEMPLATE.read_text(encoding="utf-8"))


def to_html(doc: OfficialDocument) -> str:
    """The document as the HTML the PDF is printed from."""
    return _template().render(Context({"doc": doc, "issued": chinese_date(doc.issued_on)}))


def to_pdf(doc: OfficialDocument) -> bytes:
    """The document as a PDF file (A4, official margins)."""
    from weasyprint import HTML

    return bytes(HTML(string=to_html(doc)).write_pdf())
