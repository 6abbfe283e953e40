"""The answers form's unsaved-changes guard and htmx save, in a real browser (Playwright driving
Debian's Chromium)."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from starcity.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("e2e_db")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
LEAVING_IS_GUARDED = """() => {
  const event = new Event("beforeunload", {cancelable: true});
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


@pytest.fixture
def on_draft(browser_page: Page, county_operator: Any, county_standard: Any) -> Callable[..., None]:
    """on_draft(steps): run `steps` on a new draft's page, logged in as 桓台县's county operator."""
    from starcity.assessments.services import assessment_create
    from starcity.regions.models import Region

    draft = assessment_create(
        by=county_operator, region=Region.objects.get(code="370321"), standard_version=county_standard
    )

    def run(steps: Callable[[Page], None]) -> None:
        page = browser_page
        page.goto("/login/")
        page.locator("#id_username").fill(county_operator.username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".topbar .who")).to_contain_text(county_operator.username)
        page.goto(f"/assessments/{draft.pk}/")
        steps(page)

    return run


def idle(page: Page) -> None:
    page.wait_for_timeout(400)  # past the preview's 300 ms delay
    page.wait_for_function("() => document.querySelector('.htmx-request') === null")


def test_a_refused_save_keeps_the_page_dirty_and_a_good_one_does_not_reload(on_draft: Any) -> None:
    on_draft(_refused_then_saved)


def _refused_then_saved(page: Page) -> None:
    form, panel = page.locator("#answers-form"), page.locator("#result-panel")
    page.evaluate("window.__samePage = true")
    page.locator('input[name="v__H04"]').fill("abc")
    page.locator('input[name="n__H01"]').fill("-1")
    page.locator('input[name="d__H01"]').fill("4")
    page.locator("#save-button").click()
    idle(page)
    # both errors at once, in the panel and beside their fields; still unsaved
    expect(panel).to_contain_text("以下内容有误")
    expect(page.locator("#checks-H04")).to_contain_text("abc")
    expect(page.locator("#checks-H01")).to_contain_text("H01")
    expect(page.locator("#grade-H01")).to_have_text("有误")
    expect(form).to_have_attribute("data-dirty", "true")
    assert page.evaluate(LEAVING_IS_GUARDED)
    # corrected and saved: no reload (the page's state survives), the flag is cleared
    page.locator('input[name="v__H04"]').fill("80")
    page.locator('input[name="n__H01"]').fill("90")
    page.locator("#ind-Q10").scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    page.locator("#save-button").click()
    idle(page)
    expect(panel).to_contain_text("已保存。当前评估：")
    expect(page.locator(".messages")).to_contain_text("已保存。当前评估：")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    expect(panel).not_to_contain_text("预览")  # the preview of the edit made just before is skipped
    expect(form).not_to_have_attribute("data-dirty", "true")
    assert page.evaluate("window.__samePage") is True
    # not back at the top (the emptied error slots only shrink the page a little)
    assert page.evaluate("window.scrollY") > scrolled - 500
    assert not page.evaluate(LEAVING_IS_GUARDED)
    expect(page.locator("#timeline")).to_contain_text("保存填报")


def test_a_chosen_file_not_yet_uploaded_is_an_unsaved_change(on_draft: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "证明.pdf"
    pdf.write_bytes(PDF)
    on_draft(lambda page: _chosen_file(page, pdf))


def _chosen_file(page: Page, pdf: Path) -> None:
    note = page.locator(".save-bar .pending-note")
    expect(note).to_be_hidden()
    page.locator("#file-H02").set_input_files(str(pdf))
    expect(note).to_be_visible()
    expect(note).to_have_text(re.compile(r"有未上传的文件：H02$"))
    expect(page.locator("#answers-form")).not_to_have_attribute("data-dirty", "true")
    assert page.evaluate(LEAVING_IS_GUARDED)
    page.locator("#ind-H02").get_by_role("button", name="上传").click()
    expect(page.locator("#evidence-H02 [role=status]")).to_contain_text("已上传“证明.pdf”")
    expect(note).to_be_hidden()
    assert not page.evaluate(LEAVING_IS_GUARDED)
    # removing asks first, naming the file
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator("#ind-H02").get_by_role("button", name="移除").click()
    expect(page.locator("#evidence-H02")).to_contain_text("已移除佐证材料")
    assert dialogs == ["确定移除佐证材料“证明.pdf”吗？"]
