"""A whole selection year for one county, in a real browser against the live server (issue 3).

Set up through fixtures and services: the regions, the published county standard, the users
(桓台县's county operator, 淄博's city operator, a province officer, five experts living outside
淄博市 whose fields cover the four domains), the call (open now until two hours from now, county
level, panels of five, one pilot place) and 桓台县's submitted self-assessment at 三星级.

Walked through the browser, as the people concerned would, each logging in on the login page:

1. 桓台县's operator starts the application to the call, picks the self-assessment and the
   target grade (四星级), fills the breakthrough direction and contacts, uploads the application
   report, fills the draft task book, sees the completeness check turn green and sends it to
   the city.
2. 淄博's city operator approves it and submits the city's bundle (统一提交), attributed to 淄博市
   on behalf of 桓台县.
3. The province officer screens it (形式审查通过) and draws the panel: five experts.
4. Each expert accepts the invitation (signing the no-conflict declaration), scores every
   indicator and submits; one grades the tiered indicator H05 two tiers lower, so H05 is
   flagged for discussion; the chair settles it with a reason and the panel concludes.
5. The office cannot form the list while the call is open (the button says why); time moves
   past the deadline; the office forms the preliminary list (桓台县 proposed as 试点), starts
   the on-site review, fills the checklist (the flagged indicator is on it) and completes it,
   and publishes the notice.
6. An anonymous visitor lodges an objection on the public page, with contact details; the
   office rejects it with a reason.
7. Time moves past the notice period (time_machine moves the live server's clock too, only
   forward); the office publishes the final list; a fresh anonymous browser sees it on the
   public page, 桓台县 as 试点, and 桓台县's operator finds its result with the letter.

STARCITY_E2E_SHOTS=<folder> also saves screenshots of the key pages there.
"""

import os
import re
from datetime import timedelta
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

REGION = "淄博市桓台县"
REPORT_NAME = "桓台县申请报告.pdf"
FLAGGED = "H05"  # a tiered indicator: one expert grades it two tiers below the others
# (username, expert name, home region outside 淄博市, fields); together they cover the four domains
EXPERTS = [
    ("expert_li", "李明", "370100", ["youzheng", "huimin"]),
    ("expert_zhang", "张华", "370200", ["xingye", "qiangji"]),
    ("expert_wang", "王芳", "370600", ["huimin", "xingye"]),
    ("expert_zhao", "赵强", "370700", ["youzheng", "qiangji"]),
    ("expert_sun", "孙丽", "370800", ["huimin", "qiangji"]),
]


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


# ---------------------------------------------------------------- page helpers


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".topbar .who")).to_contain_text(username)


def log_out(page: Page) -> None:
    page.locator(".topbar").get_by_role("button", name="退出").click()
    expect(page.locator("#id_username")).to_be_visible()


def switch_to(page: Page, username: str) -> None:
    """Log the current user out (if any) and `username` in, through the login page."""
    if page.locator(".topbar").get_by_role("button", name="退出").count():
        log_out(page)
    log_in(page, username)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def flash(page: Page) -> Any:
    return expect(page.locator(".messages"))


def open_notification(page: Page, title: str) -> None:
    """Open one's notifications from the top bar and follow the unread one titled so."""
    page.locator(".topbar .nav-inbox").click()
    expect(page.get_by_role("heading", name="我的通知")).to_be_visible()
    item = page.locator(".inbox-item.unread").filter(has_text=title).first
    item.locator("button.inbox-title").click()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot into $STARCITY_E2E_SHOTS, when set (for looking at the pages)."""
    folder = os.environ.get("STARCITY_E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def scorecard_inputs(standard: Any, dissent: bool) -> list[tuple[str, str, str]]:
    """(field name, kind, value) per indicator: every value at its 3rd tier, as the
    self-assessment has it; a dissenting expert grades FLAGGED at tier 1."""
    from starcity.scoring import exact_text

    rows = []
    for indicator in standard.indicators:
        name = f"v__{indicator.code}"
        if indicator.method == "tiered":
            grade = "1" if dissent and indicator.code == FLAGGED else "3"
            rows.append((name, "select", grade))
        elif indicator.method == "boolean":
            rows.append((name, "select", "yes"))
        else:  # threshold: the number; ratio: the percentage (the thresholds are percentages)
            rows.append((name, "text", exact_text(indicator.thresholds[2])))
    return rows


# ---------------------------------------------------------------- set-up


@pytest.fixture
def selection_year(
    make_user, province_officer, city_operator, county_operator, county_standard
) -> dict[str, Any]:
    """The call, 桓台县's submitted self-assessment at grade 3 and the expert pool."""
    from starcity.accounts.choices import Role
    from starcity.calls.testing import make_call, submitted_assessment
    from starcity.core import clock
    from starcity.regions.models import Region
    from starcity.reviews.testing import make_expert

    call = make_call(
        by=province_officer,
        versions={"county": county_standard},
        quotas={"county": (1, 0)},
        panel_size=5,
        deadline=clock.now() + timedelta(hours=2),
    )
    assessment = submitted_assessment(
        by=county_operator, region=Region.objects.get(code="370321"), version=county_standard, grade=3
    )
    assert assessment.grade == 3
    experts = {}
    for username, name, home, fields in EXPERTS:
        user = make_user(username, Role.EXPERT, home, org_name=f"{name}所在单位")
        experts[username] = make_expert(name, home, user=user, employer=f"{name}所在单位", fields=fields)
    return {"call": call, "assessment": assessment, "experts": experts}


# ---------------------------------------------------------------- the walk


def test_one_county_from_draft_to_the_published_final_list(
    browser,
    browser_page: Page,
    live_server,
    selection_year,
    province_officer,
    city_operator,
    county_operator,
    county_standard,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    import time_machine

    from starcity.lists.models import SelectionList
    from starcity.standards.selectors import scoring_standard_for

    page = browser_page
    call = selection_year["call"]
    standard = scoring_standard_for(county_standard)
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    report = tmp_path / REPORT_NAME
    report.write_bytes(minimal_pdf())

    # -- 1. 桓台县 prepares its application
    log_in(page, county_operator.username)
    nav(page, "申报")
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(call.title)
    page.get_by_role("button", name="为桓台县发起申报").click()
    expect(page).to_have_url(re.compile(r"/calls/applications/\d+/$"))
    application_path = re.sub(r"^https?://[^/]+", "", page.url)
    flash(page).to_contain_text("已创建申报草稿")
    expect(page.locator("h1 .badge")).to_have_text("草稿")
    checklist = page.locator("#checklist")
    expect(checklist.locator("li.missing")).to_have_count(6)

    content = page.locator("#content")
    content.locator("#id_target_grade").select_option("4")
    assessment_option = content.locator("#id_self_assessment option").filter(has_text="三星级")
    expect(assessment_option).to_have_count(1)
    content.locator("#id_self_assessment").select_option(assessment_option.get_attribute("value") or "")
    content.locator("#id_breakthrough_direction").select_option(label="惠民")
    content.locator("#id_contact_name").fill("刘洋")
    content.locator("#id_contact_phone").fill("0533-8211234")
    content.locator("#id_contact_email").fill("liuyang@huantai.example.cn")
    content.get_by_role("button", name="保存申报信息").click()
    flash(page).to_contain_text("已保存申报信息")

    materials = page.locator("#materials")
    materials.locator("select[name=kind]").select_option(label="申请报告")
    materials.locator("input[type=file]").set_input_files(str(report))
    materials.get_by_role("button", name="上传").click()
    flash(page).to_contain_text(f"已上传“{REPORT_NAME}”")
    expect(page.locator("#materials").get_by_role("link", name=REPORT_NAME)).to_be_visible()

    tasks = page.locator("#tasks")
    tasks.locator("#task-title-1").fill("一网通办提质增效")
    tasks.locator("#task-domain-1").select_option(label="惠民")
    tasks.locator("#task-description-1").fill("政务服务事项全程网办率达到 95% 以上。")
    tasks.locator("#task-title-2").fill("城市运行一网统管")
    tasks.locator("#task-domain-2").select_option(label="优政")
    tasks.get_by_role("button", name="保存任务书").click()
    flash(page).to_contain_text("已保存任务书")
    expect(page.locator("#task-title-2")).to_have_value("城市运行一网统管")

    expect(checklist).to_have_class(re.compile(r"\bcomplete\b"))
    expect(checklist.locator("li.missing")).to_have_count(0)
    shot(page, "01-county-application-draft")
    page.locator("#actions").get_by_role("button", name="报送市级审核").click()
    flash(page).to_contain_text("已报送市级审核")
    expect(page.locator("h1 .badge")).to_have_text("待市级审核")

    # -- 2. 淄博 approves it and submits the city's bundle
    switch_to(page, city_operator.username)
    nav(page, "申报")
    page.get_by_role("link", name="申报列表").click()
    row = page.locator("tbody tr").filter(has_text=REGION)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待市级审核")
    # the city was notified: the notification leads to the application
    open_notification(page, "桓台县")
    expect(page).to_have_url(re.compile(re.escape(application_path) + "$"))
    page.locator("#actions").get_by_role("button", name="市级审核通过").click()
    flash(page).to_contain_text("已审核通过，待统一提交省级")
    page.get_by_role("link", name="前往统一提交页").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("淄博市统一提交")
    bundle_row = page.locator("tbody tr").filter(has_text=REGION)
    expect(bundle_row.locator(".badge-ok")).to_have_text("将提交")
    shot(page, "02-city-bundle")
    page.get_by_role("button", name="统一提交省级（1 份）").click()
    assert dialogs and "将向省级统一提交 1 份申报" in dialogs[-1]
    expect(page.locator("tbody tr").filter(has_text=REGION)).not_to_contain_text("将提交")
    page.locator("tbody tr").filter(has_text=REGION).get_by_role("link", name=REGION).click()
    expect(page.locator("#attribution")).to_have_text("由淄博市代桓台县提交")
    expect(page.locator("h1 .badge").first).to_have_text("已提交，待形式审查")

    # -- 3. the province screens it and draws the panel
    switch_to(page, province_officer.username)
    nav(page, "申报")
    page.get_by_role("link", name="申报列表").click()
    page.locator("tbody tr").filter(has_text=REGION).get_by_role("link", name=REGION).click()
    expect(page.locator("#content")).to_contain_text(REPORT_NAME)
    page.locator("#actions").get_by_role("button", name="形式审查通过").click()
    flash(page).to_contain_text("形式审查已通过")
    expect(page.locator("h1 .badge").first).to_have_text("形式审查通过")

    nav(page, "专家评审")
    page.locator("#calls").get_by_role("link", name=call.title).click()
    page.get_by_role("button", name="为 1 份待抽取的申报抽取评审专家").click()
    flash(page).to_contain_text("已为 1 份申报抽取评审专家")
    panel_row = page.locator("tbody tr").filter(has_text=REGION)
    members = panel_row.locator("ul.inline-list > li")
    expect(members).to_have_count(5)
    for _username, name, _home, _fields in EXPERTS:
        expect(panel_row).to_contain_text(name)
    chair_item = members.filter(has=page.locator(".pill", has_text="组长"))
    expect(chair_item).to_have_count(1)
    chair_name = chair_item.inner_text().split()[0]
    chair = next(username for username, name, _h, _f in EXPERTS if name == chair_name)
    dissenter = next(username for username, _n, _h, _f in EXPERTS if username != chair)
    shot(page, "03-office-panels")

    # -- 4. each expert accepts, scores every indicator and submits
    for username, _name, _home, _fields in EXPERTS:
        switch_to(page, username)
        if username == chair:  # the chair from the main menu, the others from the invitation
            nav(page, "专家评审")
            expect(page).to_have_url(re.compile(r"/reviews/$"))
            queue_row = page.locator("#queue tbody tr").filter(has_text=REGION)
            expect(queue_row).to_contain_text("待确认")
            expect(queue_row.locator(".pill")).to_have_text("组长")
            queue_row.get_by_role("link", name="答复邀请").click()
        else:  # an invitation to one application leads straight to its panel's page
            open_notification(page, f"评审邀请：{REGION}")
            expect(page).to_have_url(re.compile(r"/reviews/panels/\d+/$"))
        invitation = page.locator("#invitation")
        expect(invitation).to_contain_text("无利益冲突声明")
        expect(page.locator("#scorecard")).to_have_count(0)
        invitation.get_by_role("checkbox").check()
        invitation.get_by_role("button", name="签署声明并接受邀请").click()
        flash(page).to_contain_text("已签署无利益冲突声明并接受邀请")

        card = page.locator("#scorecard")
        for field, kind, value in scorecard_inputs(standard, dissent=username == dissenter):
            if kind == "select":
                card.locator(f'select[name="{field}"]').select_option(value)
            else:
                card.locator(f'input[name="{field}"]').fill(value)
        if username == dissenter:
            card.locator(f'textarea[name="c__{FLAGGED}"]').fill("佐证材料只能证明达到第 1 档。")
        card.get_by_role("button", name="保存评分").click()
        expect(page.locator("#scorecard [role=status]")).to_have_text("评分已保存。")
        expect(page.locator("#scorecard")).to_contain_text("全部指标都已填写核定值。")
        if username == EXPERTS[0][0]:
            shot(page, "04-expert-scorecard")
        page.locator("#scorecard").get_by_role("button", name="提交评分").click()
        flash(page).to_contain_text("评分已提交")
        expect(page.locator("#scorecard")).to_have_count(0)

    # the chair sees H05 flagged (grades 3, 3, 3, 3 and 1) and settles it with a reason
    switch_to(page, chair)
    nav(page, "专家评审")
    page.locator("#queue tbody tr").filter(has_text=REGION).get_by_role("link", name=REGION).click()
    expect(page.locator("h1")).to_contain_text("分歧讨论中")
    flagged = page.locator(f"#agg-{FLAGGED}")
    expect(flagged.locator(".badge-warn")).to_have_text("评级相差 2 级，待讨论")
    expect(page.locator("#aggregate .badge-warn")).to_have_count(1)
    item = page.locator(f"#discuss-{FLAGGED}")
    expect(item.locator("h3 .badge-warn")).to_have_text("待确定")
    shot(page, "05-chair-discussion")
    item.locator('select[name="value"]').select_option("3")
    reason = "四位专家核定为第 3 档，现场材料可以佐证；第 1 档的评分未考虑已上线的系统。"
    item.locator('textarea[name="reason"]').fill(reason)
    item.get_by_role("button", name="确定取值").click()
    flash(page).to_contain_text("的取值")
    expect(page.locator("h1")).to_contain_text("评审完成")
    expect(flagged).to_contain_text("已由组长确定")
    expect(flagged).to_contain_text("取值 3")
    expect(flagged).to_contain_text(reason)
    expect(page.locator("#aggregate .grade-big")).to_have_text("三星级")
    shot(page, "06-panel-concluded")

    # -- 5. the office forms the preliminary list once the call's deadline has passed, reviews
    #       on site and publishes the notice
    switch_to(page, province_officer.username)
    nav(page, "入选名单")
    call_row = page.locator("tbody tr").filter(has_text=call.title)
    expect(call_row.get_by_role("button", name="形成初步名单")).to_be_disabled()
    expect(call_row).to_contain_text("申报尚未截止")
    shot(page, "07-lists-before-deadline")
    travel = time_machine.travel(call.deadline + timedelta(minutes=1), tick=True)
    traveller = travel.start()  # it moves the live server's clock too; only forward
    request.addfinalizer(travel.stop)
    page.reload()
    call_row.get_by_role("button", name="形成初步名单").click()
    flash(page).to_contain_text("已形成初步名单")
    expect(page.locator("h1 .badge")).to_have_text("初步名单")
    page.get_by_role("link", name="排名与调整").click()
    entry = page.locator("tbody tr").filter(has_text=REGION)
    expect(entry).to_contain_text("三星级")
    expect(entry.locator(".badge")).to_have_text("试点")
    shot(page, "08-ranking")
    page.get_by_role("link", name=call.title).click()

    page.get_by_role("button", name="开始现场复核").click()
    flash(page).to_contain_text("已开始现场复核")
    page.get_by_role("link", name=REGION).click()
    review_form = page.locator("form[action$='/save/']")
    review_form.get_by_label("复核组成员").fill("省大数据局：陈刚、周敏")
    today = page.evaluate("() => new Date().toLocaleDateString('sv', {timeZone: 'Asia/Shanghai'})")
    review_form.get_by_label("复核日期").fill(today)
    review_form.get_by_label("复核结论").fill("现场核实，各项建设情况与申报材料一致。")
    review_form.get_by_role("button", name="保存复核信息").click()
    flash(page).to_contain_text("已保存")
    items = page.locator("div.indicator[id^=item-]")
    # the checklist: the indicators of most weight, and the flagged one
    flagged_item = items.filter(has=page.locator("strong", has_text=FLAGGED))
    expect(flagged_item.locator(".pill")).to_contain_text("专家评分分歧")
    count = items.count()
    assert count >= 2
    for number in range(count):
        item_block = page.locator("div.indicator[id^=item-]").nth(number)
        item_block.get_by_label("确认专家组核定值").check()
        item_block.locator("textarea").fill("现场查看系统运行情况，与核定值一致。")
        item_block.get_by_role("button", name="保存此项").click()
        expect(page.locator("div.indicator[id^=item-]").nth(number).locator(".badge-ok")).to_have_text(
            "已确认"
        )
    shot(page, "09-onsite-checklist")
    page.get_by_role("button", name="完成现场复核").click()
    expect(page.locator("h1 .badge")).to_have_text("已完成")
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("button", name="发布公示").click()
    flash(page).to_contain_text("名单已公示，公示期至")
    expect(page.locator("h1 .badge")).to_have_text("公示中")

    # -- 6. an anonymous visitor objects on the public page; the office rejects it
    log_out(page)
    nav(page, "公开信息")
    page.get_by_role("link", name=call.title).click()
    public_row = page.locator("tbody tr").filter(has_text=REGION)
    expect(public_row.locator(".badge")).to_have_text("试点")
    objection = page.locator("#objection")
    objection.get_by_label("姓名或单位名称").fill("王先生")
    objection.get_by_label("联系电话").fill("13800000000")
    objection.get_by_label("涉及的申报地区（可选）").select_option(label=REGION)
    objection.get_by_label("异议内容").fill("桓台县的政务服务事项网办率数据与公开数据不符，请核实。")
    shot(page, "10-public-notice")
    objection.get_by_role("button", name="提交异议").click()
    flash(page).to_contain_text("已收到您的异议")

    log_in(page, province_officer.username)
    nav(page, "入选名单")
    page.locator("tbody tr").filter(has_text=call.title).get_by_role("link", name="查看名单").click()
    page.get_by_role("link", name="全部异议").click()
    page.locator("a[href*='/lists/objections/']").first.click()
    expect(page.locator("h1 .badge")).to_have_text("待处理")
    expect(page.locator("body")).to_contain_text("13800000000")
    page.get_by_label("处理意见").fill("经核实，网办率以省政务服务平台统计为准，申报数据无误。")
    page.get_by_role("button", name="异议不成立").click()
    expect(page.locator("h1 .badge")).to_have_text("异议不成立")
    expect(page.locator("body")).to_contain_text("申报数据无误")

    # -- 7. after the notice period the office publishes the final list
    selection_list = SelectionList.objects.get(call=call)
    assert selection_list.notice_ends_at is not None
    traveller.move_to(selection_list.notice_ends_at + timedelta(minutes=1), tick=True)
    switch_to(page, province_officer.username)
    nav(page, "入选名单")
    page.locator("tbody tr").filter(has_text=call.title).get_by_role("link", name="查看名单").click()
    page.get_by_role("button", name="发布最终名单").click()
    flash(page).to_contain_text("最终名单已发布")
    expect(page.locator("h1 .badge")).to_have_text("已发布最终名单")

    public = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        visitor = public.new_page()
        visitor.goto("/public/")
        visitor.get_by_role("link", name=call.title).click()
        expect(visitor.locator("h1 .badge")).to_have_text("已发布最终名单")
        expect(visitor.get_by_role("heading", name="最终名单", exact=True)).to_be_visible()
        final_row = visitor.locator("tbody tr").filter(has_text=REGION)
        expect(final_row).to_have_count(1)
        expect(final_row).to_contain_text("淄博市")
        expect(final_row).to_contain_text("三星级")
        expect(final_row.locator(".badge")).to_have_text("试点")
        expect(visitor.locator("#objection")).to_have_count(0)
        expect(visitor.locator(".topbar")).not_to_contain_text("退出")
        shot(visitor, "11-public-final")
    finally:
        public.close()

    # 桓台县's operator finds its result, with the decision letter
    switch_to(page, county_operator.username)
    nav(page, "入选名单")
    own = page.locator("tbody tr").filter(has_text=REGION)
    expect(own.locator(".badge")).to_have_text("试点")
    expect(own.get_by_role("link", name="PDF")).to_be_visible()
