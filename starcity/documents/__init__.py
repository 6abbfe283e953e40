"""Official documents (公文): one neutral model of a document, written as Word (.docx) and as
PDF in the Chinese official layout (GB/T 9704: red issuing-office mark, document number, red
rule, centred title, addressee, indented body, issuing office and date at the bottom right).

Apps build an `OfficialDocument` (text already in the programme's language) and call
`to_docx` / `to_pdf`; nothing here knows a domain.
"""

from starcity.documents.model import OfficialDocument, Table, chinese_date
from starcity.documents.pdf import to_pdf
from starcity.documents.word import to_docx

__all__ = ["OfficialDocument", "Table", "chinese_date", "to_docx", "to_pdf"]
