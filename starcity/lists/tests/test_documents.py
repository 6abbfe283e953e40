"""Decision letters and the list notice, opened as files: Word read back with python-docx,
PDF checked for its header and its Chinese text (pdftotext when the machine has it)."""

import io
import shutil
import subprocess

import pytest
import time_machine
from docx import Document

from starcity.lists import documents, services
from starcity.lists.choices import Outcome
from starcity.lists.models import ListEntry
from starcity.lists.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
AFTER = "2026-12-15 09:00:00+08:00"


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def final(in_notice, province_officer):
    services.selection_list_set_document(
        by=province_officer,
        selection_list=in_notice,
        document_number="鲁数字办发〔2026〕12号",
        issuing_office="数字山东建设专项小组办公室",
    )
    with time_machine.travel(AFTER, tick=False):
        return services.selection_list_publish_final(by=province_officer, selection_list=in_notice)


def entry(code: str) -> ListEntry:
    return ListEntry.objects.select_related(
        "selection_list__call", "application__region__parent", "application__city"
    ).get(application__region__code=code)


class TestLetters:
    def test_pilot_letter_in_word(self, final):
        data, content_type = documents.render(documents.letter_document(entry("370321")), "docx")
        assert content_type.endswith("wordprocessingml.document")
        text = docx_text(data)
        assert "数字山东建设专项小组办公室文件" in text
        assert "鲁数字办发〔2026〕12号" in text
        assert "关于将淄博市桓台县列为2026年创建五星级新型智慧城市建设试点的通知" in text
        assert "淄博市人民政府：" in text
        assert "评定为四星级" in text
        assert "经形式审查、专家综合评估、现场复核和公示" in text
        assert text.rstrip().endswith("2026年12月15日")

    def test_pre_pilot_letter_names_the_recheck_date(self, final):
        text = docx_text(documents.render(documents.letter_document(entry("370303")), "docx")[0])
        assert "关于将淄博市张店区列为2026年新型智慧城市建设预试点的通知" in text
        assert "2027年9月30日前组织复核" in text

    def test_not_selected_letter(self, final):
        text = docx_text(documents.render(documents.letter_document(entry("370322")), "docx")[0])
        assert "未列入2026年新型智慧城市建设试点名单" in text
        assert "未达星级" not in text and "二星级" in text

    def test_east_asian_font_is_set_on_runs(self, final):
        data, _ = documents.render(documents.letter_document(entry("370321")), "docx")
        document = Document(io.BytesIO(data))
        fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    def test_pilot_letter_as_pdf(self, final):
        data, content_type = documents.render(documents.letter_document(entry("370321")), "pdf")
        assert content_type == "application/pdf" and data.startswith(b"%PDF")
        text = pdf_text(data)
        if text is not None:
            compact = "".join(text.split())
            assert "淄博市人民政府" in compact
            assert "鲁数字办发〔2026〕12号" in compact
            assert "2026年12月15日" in compact

    def test_letters_are_in_chinese_whatever_the_reader_language(self, final):
        from django.utils import translation

        with translation.override("en"):
            text = docx_text(documents.render(documents.letter_document(entry("370321")), "docx")[0])
        assert "特此通知。" in text


class TestNotice:
    def test_notice_during_the_period_has_tables_per_level_and_outcome(self, in_notice):
        text = docx_text(documents.render(documents.notice_document(in_notice), "docx")[0])
        assert "关于2026年山东省新型智慧城市试点申报入选名单的公示" in text
        assert "公示期为2026年12月7日至2026年12月14日（5个工作日）" in text
        assert (
            "一、县级试点（1个）" in text
            and "二、县级预试点（1个）" in text
            and "三、县级未入选（1个）" in text
        )
        assert "1 | 淄博市桓台县 | 淄博市 | 四星级" in text
        assert "1 | 淄博市张店区 | 淄博市 | 三星级 | 2027年9月30日" in text
        assert "/public/calls/" in text

    def test_final_notice_pdf(self, final):
        data, _ = documents.render(documents.notice_document(final), "pdf")
        assert data.startswith(b"%PDF")
        text = pdf_text(data)
        if text is not None:
            assert "关于公布" in "".join(text.split())

    def test_empty_outcome_table_says_none(self, call, province_officer):
        from starcity.lists.testing import ranked_application

        ranked_application(call=call, region="370321", by=province_officer, grade=4, target_grade=5)
        with time_machine.travel(MONDAY, tick=False):
            selection_list = services.selection_list_form(by=province_officer, call=call)
        text = docx_text(documents.render(documents.notice_document(selection_list), "docx")[0])
        assert "二、县级预试点（0个）\n无。" in text
        assert ListEntry.objects.get().outcome == Outcome.PILOT
