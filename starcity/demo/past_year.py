"""Last year's call, taken all the way through at last year's dates: applications from 淄博 and
济南, formal screening, the draw, scorecards (one disagreement resolved by the chair), the
preliminary list, on-site review of the pilots, public notice with an objection rejected, and
the final list: 淄博市 and 张店区 pilots, 济南市 a pre-pilot, 桓台县 not selected (the panel
verified three stars only for the others). The public portal shows the final list and each
applicant downloads its decision letter.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser

from starcity.accounts.models import User
from starcity.calls.models import Application, Call
from starcity.calls.rules import LevelInput
from starcity.demo import applying
from starcity.demo.applying import Applicant
from starcity.demo.timeline import local, replayed_at
from starcity.lists.models import ListEntry, OnsiteReview, SelectionList
from starcity.regions.choices import Level
from starcity.reviews.models import Panel

ZIBO = Applicant(
    "370300",
    "zibo",
    4,
    "youzheng",
    (
        ("“无证明城市”建设", "推动证明材料电子化共享，实现 90% 以上证明事项免提交。", "youzheng"),
        ("城市大脑二期", "汇聚公安、交通、城管等 20 个部门数据，建成城市运行“一网统管”平台。", "qiangji"),
        ("智慧养老服务平台", "整合居家、社区、机构养老服务资源，覆盖全部街道。", "huimin"),
    ),
    ("王海燕", "0533-2286501", "zibo.dsj@example.org"),
    "淄政字〔{year}〕21号",
)
JINAN = Applicant(
    "370100",
    "jinan",
    4,
    "huimin",
    (
        ("“泉城办”掌上服务提质", "高频事项 100% 掌上可办，推出 50 个“一件事”主题服务。", "huimin"),
        ("城市运行管理服务平台", "建成市、区、街道三级联动的城市运行管理服务平台。", "youzheng"),
    ),
    ("赵倩", "0531-51705002", "jinan.dsj@example.org"),
    "济政字〔{year}〕33号",
)
ZHANGDIAN = Applicant(
    "370303",
    "zhangdian",
    4,
    "xingye",
    (
        ("工业互联网赋能中心", "为区内 300 家规上企业提供上云用数服务。", "xingye"),
        ("数字乡村示范片区", "建成 3 个数字乡村示范片区，覆盖 40 个行政村。", "huimin"),
    ),
    ("孙明", "0533-2185003", "zhangdian.dsj@example.org"),
    "张政字〔{year}〕8号",
)
HUANTAI = Applicant(
    "370321",
    "huantai",
    4,
    "huimin",
    (
        ("县域医共体远程医疗", "乡镇卫生院远程会诊、远程影像全覆盖。", "huimin"),
        ("农业生产信息化", "建设智慧农业平台，覆盖主要粮食生产功能区。", "xingye"),
    ),
    ("刘静", "0533-8215004", "huantai.dsj@example.org"),
    "桓政字〔{year}〕12号",
)
# (applicant, the panel's grade, how many indicators above it, city operator who submits)
APPLICANTS: tuple[tuple[Applicant, int, float, str], ...] = (
    (ZIBO, 3, 0.5, "zibo"),
    (JINAN, 3, 0.1, "jinan"),
    (ZHANGDIAN, 3, 0.3, "zibo"),
    (HUANTAI, 2, 0.3, "zibo"),
)
DISAGREEMENT_REGION = "370303"  # one expert of 张店区's panel reads an indicator two grades lower
RESOLUTION_REASON = "经专家组讨论，第 2 位专家依据的是上一年度数据；按申报材料中最近一年的运行数据认定。"
OBJECTION = {
    "name": "张先生",
    "phone": "13905330000",
    "text": "张店区申报材料中公共区域免费无线网络覆盖情况偏高，据我了解部分公园尚未覆盖，请予核实。",
}
OBJECTION_REASON = (
    "经核查，张店区提供了运营商出具的覆盖测试报告，现场复核组抽查了 6 处公共区域，"
    "覆盖情况与申报材料一致，异议不成立。"
)


def call_values(year: int) -> dict[str, Any]:
    """The rules and calendar of the call of `year` (all dates within that year)."""
    return {
        "year": year,
        "title": f"{year}年山东省新型智慧城市建设试点申报",
        "description": f"按照《山东省新型智慧城市试点示范建设工作方案》，组织开展{year}年度省级新型智慧城市"
        "建设试点申报。各市以市政府名义统一申报本市及所属县（市、区）。",
        "grade_offers": [[3, 4], [4, 5]],
        "opens_at": local(date(year, 3, 10), 9),
        "deadline": local(date(year, 4, 30), 17),
        "grace_minutes": 0,
        "resubmission_until": None,
        "reminder_days": [7, 3, 1],
        "panel_size": 5,
        "substitutes": 2,
        "expert_load_cap": 6,
        "aggregation_rule": "auto",
        "disagreement_threshold": 2,
        "onsite_items": 8,
        "notice_working_days": 5,
        "review_starts": date(year, 5, 8),
        "review_ends": date(year, 5, 31),
        "onsite_starts": date(year, 6, 3),
        "onsite_ends": date(year, 6, 20),
        "notice_starts": date(year, 6, 24),
        "publication_date": date(year, 7, 6),
        "pre_pilot_recheck_by": date(year + 1, 6, 30),
    }


def levels(pilots: dict[str, tuple[int, int]]) -> list[LevelInput]:
    """Both levels, pinned to the published version of each, with their quotas."""
    from starcity.standards.selectors import published_versions

    return [
        LevelInput(level, published_versions(level=level).first(), *pilots[level])
        for level in (Level.CITY, Level.COUNTY)
    ]


def seed_past_year(*, year: int, office: User) -> Call:
    """Replay the whole call of `year` (see the module docstring)."""
    from starcity.calls.services import call_close, call_create, call_publish

    with replayed_at(local(date(year, 3, 2), 9, 30)):
        call = call_create(
            by=office,
            values=call_values(year),
            levels=levels({Level.CITY: (1, 1), Level.COUNTY: (1, 1)}),
        )
    with replayed_at(local(date(year, 3, 2), 9, 40)):
        call = call_publish(by=office, call=call)
    applications = _applications(call, year)
    for number, application in enumerate(applications.values()):
        applying.accept(application, by=office, at=local(date(year, 4, 22), 10, 5 * number))
    with replayed_at(local(date(year, 5, 6), 9)):
        call = call_close(by=office, call=call)
    _review(call, applications, year, office)
    _list(call, year, office)
    _read_notifications(local(date(year, 7, 10), 9))
    return call


def _applications(call: Call, year: int) -> dict[str, Application]:
    """Each applicant assesses itself, prepares and files; counties go through 淄博市."""
    made: dict[str, Application] = {}
    for index, (applicant, _grade, _lift, _city) in enumerate(APPLICANTS):
        day = date(year, 3, 12 + index)
        assessment = applying.assessment(applicant, grade=3, seed=year * 10 + index, at=local(day, 10))
        application = applying.start(call, applicant, at=local(day + timedelta(days=12), 9))
        made[applicant.region_code] = applying.fill(
            application, applicant, at=local(day + timedelta(days=12), 15), self_assessment=assessment
        )
    for code in (ZHANGDIAN.region_code, HUANTAI.region_code):
        applicant = next(a for a, *_rest in APPLICANTS if a.region_code == code)
        made[code] = applying.send_to_city(made[code], applicant, at=local(date(year, 4, 8), 10))
        made[code] = applying.city_approve(made[code], "zibo", at=local(date(year, 4, 10), 11))
    made[ZIBO.region_code] = applying.city_approve(
        made[ZIBO.region_code], "zibo", at=local(date(year, 4, 10), 16)
    )
    made[JINAN.region_code] = applying.city_approve(
        made[JINAN.region_code], "jinan", at=local(date(year, 4, 14), 10)
    )
    applying.bundle(call, "zibo", "370300", at=local(date(year, 4, 15), 10))
    applying.bundle(call, "jinan", "370100", at=local(date(year, 4, 16), 10))
    return {code: Application.objects.get(pk=app.pk) for code, app in made.items()}


def _review(call: Call, applications: dict[str, Application], year: int, office: User) -> None:
    """The draw, every member's acceptance and scorecard, the chair's resolution."""
    from starcity.reviews.services import call_draw

    with replayed_at(local(date(year, 5, 11), 10)):
        call_draw(by=office, call=call, seed=f"demo-{year}")
    for applicant, base, lift, _city in APPLICANTS:
        panel = Panel.objects.get(application=applications[applicant.region_code])
        grades = applying.panel_profile(panel, base, lift)
        members = applying.members(panel)
        for number, member in enumerate(members):
            applying.member_accepts(member, at=local(date(year, 5, 12), 9 + number))
        for number, member in enumerate(members):
            override = None
            if applicant.region_code == DISAGREEMENT_REGION and number == 1:
                code = _tiered_code(panel)
                override = {code: max(0, grades[code] - 2)}
            applying.scorecard(
                member, grades=grades, base=base, override=override, at=local(date(year, 5, 20 + number), 15)
            )
        panel.refresh_from_db()
        if panel.status == "discussion":
            _resolve(panel, grades, at=local(date(year, 5, 28), 10))


def _tiered_code(panel: Panel) -> str:
    from starcity.reviews.conclusion import pinned_standard

    return next(ind.code for ind in pinned_standard(panel).indicators if ind.method == "tiered")


def _resolve(panel: Panel, grades: dict[str, int], *, at: datetime) -> None:
    from starcity.reviews.conclusion import panel_aggregate_preview, panel_resolve

    chair = next(m for m in applying.members(panel) if m.is_chair)
    aggregate = panel_aggregate_preview(panel)
    for code in aggregate.unresolved if aggregate else ():
        with replayed_at(at):
            panel_resolve(
                by=chair.expert.user,
                panel=panel,
                indicator=code,
                value=str(grades[code]),
                reason=RESOLUTION_REASON,
            )


def _list(call: Call, year: int, office: User) -> SelectionList:
    """The list formed, reviewed on site, noticed, objected to, and published as final."""
    from starcity.lists import services

    with replayed_at(local(date(year, 6, 2), 10)):
        selection_list = services.selection_list_form(by=office, call=call)
        services.selection_list_set_document(
            by=office,
            selection_list=selection_list,
            document_number=f"鲁数字办发〔{year}〕9号",
            issuing_office=selection_list.issuing_office,
        )
    with replayed_at(local(date(year, 6, 5), 9)):
        services.selection_list_start_onsite(by=office, selection_list=selection_list)
    reviews = OnsiteReview.objects.filter(entry__selection_list=selection_list).order_by(
        "entry__application__region__code"
    )
    for number, review in enumerate(reviews):
        _onsite(review, office, visited=date(year, 6, 10 + 2 * number))
    with replayed_at(local(date(year, 6, 24), 10)):
        services.selection_list_publish_notice(by=office, selection_list=selection_list)
    selection_list.refresh_from_db()
    _objection(selection_list, office, year)
    ends = selection_list.notice_ends_at
    assert ends is not None
    with replayed_at(local(ends.date() + timedelta(days=3), 10)):
        services.selection_list_publish_final(by=office, selection_list=selection_list)
    return selection_list


def _onsite(review: OnsiteReview, office: User, *, visited: date) -> None:
    """The team visits: every item confirmed, one tiered item found one grade better."""
    from starcity.lists import services
    from starcity.lists.services.onsite import review_standard

    standard = review_standard(review)
    region = review.entry.application.region
    items = list(review.items.order_by("id"))
    tiered = [
        item
        for item in items
        if standard.indicator(item.indicator).method == "tiered" and item.panel_value != standard.n_grades
    ]
    # the first tiered item below the top grade is found one grade better on site
    raised = {item.pk: item.panel_value + 1 for item in tiered[:1] if isinstance(item.panel_value, int)}
    with replayed_at(local(visited, 17)):
        services.onsite_review_save(
            by=office,
            review=review,
            team="省大数据局 李明（组长）、王芳；专家 周涛",
            visited_on=visited,
            summary=f"复核组听取了{region.name}的汇报，查看了城市运行管理中心和 3 个应用场景，"
            "核查了统计台账。申报材料总体真实，建设成效与专家评审意见一致。",
        )
        for item in items:
            if item.pk in raised:
                services.onsite_item_save(
                    by=office,
                    item=item,
                    confirmed=False,
                    value=str(raised[item.pk]),
                    finding="现场查看了二期平台，已覆盖全部区县，较申报材料有新进展。",
                )
            else:
                services.onsite_item_save(by=office, item=item, confirmed=True, finding="与申报材料一致。")
        services.onsite_review_complete(by=office, review=review)


def _objection(selection_list: SelectionList, office: User, year: int) -> None:
    from starcity.lists import services

    entry = ListEntry.objects.get(
        selection_list=selection_list, application__region__code=DISAGREEMENT_REGION
    )
    with replayed_at(local(date(year, 6, 26), 15, 20)):
        objection = services.objection_lodge(
            by=AnonymousUser(), selection_list=selection_list, entry=entry, **OBJECTION
        )
    with replayed_at(local(date(year, 6, 29), 11)):
        services.objection_reject(by=office, objection=objection, reason=OBJECTION_REASON)


def _read_notifications(at: datetime) -> None:
    """Last year's notifications were read last year."""
    applying.read_notifications(User.objects.all(), at=at)
