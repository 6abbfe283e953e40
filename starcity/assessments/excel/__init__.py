"""Excel self-assessment template (build and read back) and the province's assessment list export.

- `build`: the template (instructions, one row per indicator, bonus and veto rows, and a very
  hidden identity sheet) in the active language;
- `read`: reading a filled template back, all or nothing, every problem placed on its cell;
- `archive`: opening an upload within limits (zip parts, unpacked size, rows);
- `cells`: the sheet and column names, errors, and the rules for one cell;
- `export`: the province's list of self-assessments.
"""

from starcity.assessments.excel.build import build_template
from starcity.assessments.excel.cells import (
    SHEET_EXTRAS,
    SHEET_INDICATORS,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    CellError,
    ExcelImportError,
)
from starcity.assessments.excel.export import export_assessments
from starcity.assessments.excel.read import TemplateReading, parse_template, read_template

__all__ = [
    "SHEET_EXTRAS",
    "SHEET_INDICATORS",
    "SHEET_INSTRUCTIONS",
    "SHEET_META",
    "CellError",
    "ExcelImportError",
    "TemplateReading",
    "build_template",
    "export_assessments",
    "parse_template",
    "read_template",
]
