"""The self-assessment acceptance flow, in a real browser against the live server.

1. 桓台县's county operator logs in through the login form, starts a self-assessment of 桓台县
   against the published county standard, fills indicators of every method (threshold number,
   ratio, tiered grade, yes/no) and watches the live result panel and the indicators' grade pills
   (htmx) move from no grade to 三星级, saves from the sticky save bar, attaches a PDF to one
   indicator through htmx (an unsaved edit elsewhere survives it; a missing file is refused
   inline), reads the pre-submission summary, submits (accepting the confirm dialog, which repeats
   the summary) and sees the frozen, read-only record.
2. A province officer logs in, finds the submitted self-assessment in the list (filtered by
   淄博市), opens it and sees the grade and the PDF in the evidence list.
3. The county operator of another city (章丘区, 济南) gets 404 for the assessment and for its
   evidence file.
"""

import os
import re
from pathlib import Path
from typing import Any

import pytest

from starcity.conftest import PASSWORD

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser fixture explains; STARCITY_REQUIRE_BROWSER=1 makes it an error
    if os.environ.get("STARCITY_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip("the Playwright package is not installed; browser tests skipped", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("e2e_db")]

REGION_NAME = "淄博市桓台县"
PDF_NAME = "H01-网办统计.pdf"
NO_GRADE = "☆☆☆☆☆"
THREE_STARS = "★★★☆☆"
# The indicators filled first, one of each input method, each at its 3rd-tier value.
SHOWCASE = {"threshold": "H04", "ratio": "H01", "tiered": "H05", "boolean": "Q10"}


def minimal_pdf() -> bytes:
    """A small, well-formed one-page PDF (header, objects, cross-reference table, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def grade3_inputs(standard: Any) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(code, method, [(field name, value)]) for every indicator at its 3rd-tier value; a field
    value of "check" means: tick the radio button named so with that value."""
    from starcity.assessments.forms import YES, field_names
    from starcity.scoring import exact_text

    rows = []
    for indicator in standard.indicators:
        names = field_names(indicator.code)
        if indicator.method == "threshold":
            fields = [(names["value"], exact_text(indicator.thresholds[2]))]
        elif indicator.method == "ratio":
            numerator = exact_text(indicator.thresholds[2])
            fields = [(names["numerator"], numerator), (names["denominator"], "100")]
        elif indicator.method == "tiered":
            fields = [(names["value"], "3")]
        else:
            fields = [(names["value"], YES)]
        rows.append((indicator.code, indicator.method, fields))
    return rows


def fill_indicator(page: Page, method: str, fields: list[tuple[str, str]]) -> None:
    form = page.locator("#answers-form")
    for name, value in fields:
        if method in ("tiered", "boolean"):
            form.locator(f'input[type="radio"][name="{name}"][value="{value}"]').check()
        else:
            form.locator(f'input[name="{name}"]').fill(value)


def wait_htmx_idle(page: Page) -> None:
    """No htmx request in flight (htmx marks the requesting element with .htmx-request)."""
    page.wait_for_function("() => document.querySelector('.htmx-request') === null")


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".topbar .who")).to_contain_text(username)


def log_out(page: Page) -> None:
    page.locator(".topbar").get_by_role("button", name="退出").click()
    expect(page.locator("#id_username")).to_be_visible()


def option_value(page: Page, select: str, text: str) -> str:
    option = page.locator(f"{select} option").filter(has_text=text)
    expect(option).to_have_count(1)
    return option.get_attribute("value") or ""


def test_county_operator_fills_and_submits_then_province_officer_sees_it(
    browser_page: Page, county_operator, province_officer, county_standard, tmp_path: Path
) -> None:
    from starcity.standards.selectors import scoring_standard_for

    page = browser_page
    standard = scoring_standard_for(county_standard)
    inputs = grade3_inputs(standard)
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(minimal_pdf())

    # -- 1. the county operator logs in and starts a self-assessment of 桓台县
    log_in(page, county_operator.username)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="自评估").click()
    page.get_by_role("link", name="开展自评估").click()
    expect(page.get_by_role("heading", name="开展自评估")).to_be_visible()
    page.locator("#id_region").select_option(option_value(page, "#id_region", "桓台县"))
    page.locator("#id_standard_version").select_option(
        option_value(page, "#id_standard_version", county_standard.title)
    )
    page.get_by_role("button", name="创建草稿").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    found = re.search(r"/assessments/\d+/$", page.url)
    assert found is not None
    detail_path = found.group(0)
    expect(page.locator(".messages")).to_contain_text("已创建自评估草稿")
    expect(page.locator("h1 .badge")).to_have_text("草稿")

    # -- 2. the live result panel: nothing filled yet, no grade
    panel = page.locator("#result-panel")
    expect(page.locator("#answers-form .indicator")).to_have_count(len(standard.indicators))
    expect(panel.locator(".stars")).to_have_text(NO_GRADE)
    grade_before = panel.locator(".grade-big").inner_text()
    assert "三星级" not in grade_before
    expect(panel).to_contain_text(f"未填写的指标（{len(standard.indicators)} 项）")

    # one indicator of each method first: the panel is recomputed (preview) with 4 values
    by_code = {code: (method, fields) for code, method, fields in inputs}
    for method, code in SHOWCASE.items():
        assert by_code[code][0] == method, f"{code} is no longer a {method} indicator"
        fill_indicator(page, *by_code[code])
    expect(panel).to_contain_text("预览：按当前填写内容计算，尚未保存。")
    expect(panel).to_contain_text(f"未填写的指标（{len(standard.indicators) - len(SHOWCASE)} 项）")
    # the preview also updates the grade pills in the form (out of band); unfilled ones say so
    expect(page.locator("#grade-H04")).to_have_text("当前等级 3")
    expect(page.locator("#grade-H02")).to_have_text("未填")
    expect(page.locator("#answers-form")).to_have_attribute("data-dirty", "true")

    # then every other indicator at its 3rd tier: the panel rises to 三星级
    rest = [(method, fields) for code, method, fields in inputs if code not in SHOWCASE.values()]
    rest.sort(key=lambda item: item[0] in ("tiered", "boolean"))  # a radio last: it fires change
    for method, fields in rest:
        fill_indicator(page, method, fields)
    expect(panel.locator(".grade-big")).to_have_text("三星级")
    expect(panel.locator(".stars")).to_have_text(THREE_STARS)
    expect(panel).not_to_contain_text("未填写的指标")
    grade_after = panel.locator(".grade-big").inner_text()
    assert grade_after != grade_before
    wait_htmx_idle(page)

    # -- 3. save from the sticky bar (in view wherever the long form is scrolled to, not only
    #       at its end): the stored result is the previewed one
    page.locator("#ind-H02").scroll_into_view_if_needed()
    save = page.locator(".save-bar").get_by_role("button", name="保存草稿")
    expect(save).to_be_in_viewport()
    save.click()
    expect(page.locator(".messages")).to_contain_text("已保存。当前评估：三星级")
    expect(page.locator("#answers-form")).not_to_have_attribute("data-dirty", "true")
    expect(panel.locator(".grade-big")).to_have_text("三星级")
    expect(panel).not_to_contain_text("预览")
    expect(page.locator('input[name="n__H01"]')).to_have_value(by_code["H01"][1][0][1])
    expect(page.locator('input[type="radio"][name="v__Q10"][value="yes"]')).to_be_checked()

    # -- 4. a PDF for H01 through htmx. Choosing the file neither previews nor marks the answers
    #       form as edited; an unsaved note elsewhere survives the upload (no page load); only
    #       H01's evidence block and the pre-submission summary change.
    answers = page.locator("#answers-form")
    page.locator("#file-H01").set_input_files(str(pdf))
    page.wait_for_timeout(800)  # longer than the preview's 300 ms delay
    expect(panel).not_to_contain_text("预览")
    expect(answers).not_to_have_attribute("data-dirty", "true")
    note = page.locator('textarea[name="note__H04"]')
    note.fill("见统计年报")
    expect(answers).to_have_attribute("data-dirty", "true")
    page.locator("#ind-H01").get_by_role("button", name="上传").click()
    expect(page.locator("#evidence-H01 [role=status]")).to_contain_text(f"已上传“{PDF_NAME}”")
    expect(page.locator("#ind-H01").get_by_role("link", name=PDF_NAME)).to_be_visible()
    expect(note).to_have_value("见统计年报")
    expect(answers).to_have_attribute("data-dirty", "true")
    summary = page.locator("#submit-check")
    expect(summary).to_contain_text(f"{len(standard.indicators) - 1} 项已填指标没有佐证材料")
    # uploading without a file is refused inline, in that indicator's block
    page.locator("#ind-H04").get_by_role("button", name="上传").click()
    expect(page.locator("#evidence-H04 [role=alert]")).to_contain_text("请先选择文件")
    expect(page.locator(".messages")).not_to_contain_text("请先选择文件")  # inline, no reload
    wait_htmx_idle(page)
    # the note is saved with the next save
    page.locator(".save-bar").get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator('textarea[name="note__H04"]')).to_have_value("见统计年报")

    # -- 5. submit, accepting the confirm() dialog
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    expect(page.locator("#submit-check")).to_contain_text(f"全部 {len(standard.indicators)} 项指标均已填写")
    page.on("dialog", accept)
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已提交")
    assert dialogs and "提交后不能再修改" in dialogs[0]
    assert "项已填指标没有佐证材料" in dialogs[0]
    expect(page.locator("h1 .badge")).to_have_text("已提交")
    expect(page.get_by_text("本自评估已提交")).to_be_visible()
    expect(page.locator("#answers-form")).to_have_count(0)
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(page.locator('input[type="file"]')).to_have_count(0)
    expect(page.get_by_role("button", name="提交", exact=True)).to_have_count(0)
    expect(panel.locator(".grade-big")).to_have_text("三星级")
    expect(page.locator("#ind-H01").get_by_role("link", name=PDF_NAME)).to_be_visible()

    # -- 6. the province officer finds it in the list (filtered by 淄博市) and opens it
    log_out(page)
    log_in(page, province_officer.username)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="自评估").click()
    city = page.locator('select[name="city"]')
    if city.count():
        city.select_option(label="淄博市")
        page.get_by_role("button", name="筛选").click()
        expect(page).to_have_url(re.compile(r"[?&]city="))
    row = page.locator("tbody tr").filter(has_text=REGION_NAME)
    expect(row).to_have_count(1)
    expect(row.locator(".badge-submitted")).to_have_text("已提交")
    expect(row.locator(".badge-latest")).to_have_text("最新")
    expect(row.locator(".stars")).to_have_text(THREE_STARS)
    row.locator(f'a[href$="{detail_path}"]').click()
    expect(page).to_have_url(re.compile(re.escape(detail_path) + "$"))
    expect(page.locator("h1 .badge")).to_have_text("已提交")
    expect(panel.locator(".grade-big")).to_have_text("三星级")
    expect(panel.locator(".stars")).to_have_text(THREE_STARS)
    expect(page.locator("#answers-form")).to_have_count(0)
    evidence = page.locator("#ind-H01").get_by_role("link", name=PDF_NAME)
    expect(evidence).to_be_visible()

    # the link serves the PDF itself, as an attachment
    response = page.request.get(evidence.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.body() == pdf.read_bytes()


@pytest.fixture
def submitted_with_pdf(county_operator, county_standard):
    """桓台县's self-assessment, filled at grade 3 with a PDF for H01 and submitted (via services)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from starcity.assessments.services import (
        assessment_create,
        assessment_save_answers,
        assessment_submit,
        evidence_attach,
    )
    from starcity.regions.models import Region
    from starcity.standards.selectors import scoring_standard_for

    standard = scoring_standard_for(county_standard)
    values: dict[str, Any] = {}
    for code, method, fields in grade3_inputs(standard):
        if method == "ratio":
            values[code] = {"numerator": fields[0][1], "denominator": fields[1][1]}
        elif method == "tiered":
            values[code] = int(fields[0][1])
        elif method == "boolean":
            values[code] = True
        else:
            values[code] = fields[0][1]
    draft = assessment_create(
        by=county_operator, region=Region.objects.get(code="370321"), standard_version=county_standard
    )
    draft = assessment_save_answers(by=county_operator, assessment=draft, values=values, bonus={}, vetoes={})
    upload = SimpleUploadedFile(PDF_NAME, minimal_pdf(), content_type="application/pdf")
    evidence = evidence_attach(by=county_operator, assessment=draft, indicator_code="H01", file=upload)
    assessment = assessment_submit(by=county_operator, assessment=draft)
    assert assessment.grade == 3
    return assessment, evidence


def test_county_operator_of_another_city_gets_404(
    browser, browser_page: Page, live_server, submitted_with_pdf, county_operator, county_operator_other_city
) -> None:
    assessment, evidence = submitted_with_pdf
    detail_url = f"/assessments/{assessment.pk}/"
    evidence_url = f"/assessments/{assessment.pk}/evidence/{evidence.pk}/"

    # control: 桓台县's own operator sees the assessment and may download the file
    own = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        own_page = own.new_page()
        log_in(own_page, county_operator.username)
        response = own_page.goto(detail_url)
        assert response is not None and response.status == 200
        download = own_page.request.get(evidence_url)
        assert download.status == 200
        assert download.body() == minimal_pdf()
    finally:
        own.close()

    # 章丘区 (济南) is another city: the assessment and its file do not exist for its operator
    page = browser_page
    log_in(page, county_operator_other_city.username)
    response = page.goto(detail_url)
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(REGION_NAME)
    response = page.goto(evidence_url)
    assert response is not None and response.status == 404
    assert not response.headers.get("content-disposition")
    # nor does it appear in that operator's list
    page.goto("/assessments/")
    expect(page.locator("tbody")).not_to_contain_text(REGION_NAME)
