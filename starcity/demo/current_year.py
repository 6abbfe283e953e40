"""This year's call, in progress: opened three weeks ago, closing in forty days.

Every role finds work: 桓台县 has a draft to complete; 临淄区's application waits for 淄博市's
review; 章丘区's, submitted by 济南市, waits for the province's formal screening; 青岛市's and
潍坊市's were accepted and their panels drawn: the demo expert has an invitation to answer
(潍坊市) and a scorecard half filled (青岛市), other experts have accepted, declined (a
substitute took the place) or submitted. One expert declared a conflict with 潍坊市.
"""

from datetime import date, timedelta
from typing import Any

from starcity.accounts.models import User
from starcity.calls.models import Application, Call
from starcity.demo import applying
from starcity.demo.applying import Applicant
from starcity.demo.past_year import levels
from starcity.demo.timeline import days_from, local, replayed_at
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.reviews.models import Expert, Panel

QINGDAO = Applicant(
    "370200",
    "qingdao",
    5,
    "xingye",
    (
        ("工业互联网标识解析二级节点", "建成 10 个行业二级节点，标识注册量突破 50 亿。", "xingye"),
        ("海洋大数据平台", "汇聚海洋观测、航运、渔业数据，开放 200 个数据集。", "qiangji"),
    ),
    ("周晓", "0532-85915001", "qingdao.dsj@example.org"),
    "青政字〔{year}〕17号",
)
WEIFANG = Applicant(
    "370700",
    "weifang",
    4,
    "huimin",
    (
        ("“潍V”城市服务平台", "整合 300 项城市服务，实现“一码通城”。", "huimin"),
        ("智慧农业示范", "建设寿光蔬菜全产业链大数据平台。", "xingye"),
    ),
    ("马丽", "0536-8786002", "weifang.dsj@example.org"),
    "潍政字〔{year}〕26号",
)
ZHANGQIU = Applicant(
    "370114",
    "zhangqiu",
    4,
    "youzheng",
    (
        ("“一网统管”区级分中心", "接入济南市城市运行管理平台，建成区级分中心。", "youzheng"),
        ("智慧文旅", "建设明水古城智慧景区，实现分时预约和客流监测全覆盖。", "xingye"),
    ),
    ("高峰", "0531-83215003", "zhangqiu.dsj@example.org"),
    "章政字〔{year}〕5号",
)
LINZI = Applicant(
    "370305",
    "linzi",
    4,
    "xingye",
    (
        ("化工园区智慧安监", "园区重大危险源在线监测全覆盖，实现风险预警闭环处置。", "xingye"),
        ("齐文化数字博物馆", "建设线上展陈和沉浸式体验，推出 20 个数字文创产品。", "huimin"),
    ),
    ("韩磊", "0533-7185004", "linzi.dsj@example.org"),
    "临政字〔{year}〕9号",
)
HUANTAI = Applicant(
    "370321",
    "huantai",
    4,
    "huimin",
    (("县域医共体远程医疗", "乡镇卫生院远程会诊、远程影像全覆盖，推动优质医疗资源下沉。", "huimin"),),
    ("刘静", "0533-8215004", "huantai.dsj@example.org"),
    "桓政字〔{year}〕3号",
)
REVIEWED = ((QINGDAO, 4), (WEIFANG, 3))  # accepted, panel drawn: (applicant, the panel's grade)
DECLINE_REASON = "该时间段在外地参加学术会议，无法按期完成评审。"
CONFLICT = ("expert_sun", "370700", "曾受聘为潍坊市新型智慧城市规划编制咨询专家（近两年内）。")


def call_values(year: int, today: date) -> dict[str, Any]:
    """The call of `year`: open since 20 days before `today`, closing 40 days after it."""
    deadline = today + timedelta(days=40)
    return {
        "year": year,
        "title": f"{year}年山东省新型智慧城市建设试点申报",
        "description": f"按照《山东省新型智慧城市试点示范建设工作方案》，组织开展{year}年度省级新型智慧城市"
        "建设试点申报。各市以市政府名义统一申报本市及所属县（市、区）。",
        "grade_offers": [[3, 4], [4, 5]],
        "opens_at": local(today - timedelta(days=20), 9),
        "deadline": local(deadline, 17),
        "grace_minutes": 30,
        "resubmission_until": local(deadline + timedelta(days=10), 17),
        "reminder_days": [7, 3, 1],
        "panel_size": 5,
        "substitutes": 2,
        "expert_load_cap": 6,
        "aggregation_rule": "auto",
        "disagreement_threshold": 2,
        "onsite_items": 8,
        "notice_working_days": 5,
        "review_starts": deadline + timedelta(days=12),
        "review_ends": deadline + timedelta(days=30),
        "onsite_starts": deadline + timedelta(days=35),
        "onsite_ends": deadline + timedelta(days=50),
        "notice_starts": deadline + timedelta(days=55),
        "publication_date": deadline + timedelta(days=70),
        "pre_pilot_recheck_by": deadline + timedelta(days=340),
    }


def seed_current_year(*, year: int, today: date, office: User) -> Call:
    """Build this year's call in progress (see the module docstring)."""
    from starcity.calls.services import call_create, call_publish

    with replayed_at(days_from(today, -21, 10)):
        call = call_create(
            by=office,
            values=call_values(year, today),
            levels=levels({Level.CITY: (2, 2), Level.COUNTY: (4, 4)}),
        )
        call = call_publish(by=office, call=call)
    reviewed = [
        _accepted(call, applicant, number, today, office) for number, (applicant, _g) in enumerate(REVIEWED)
    ]
    applying.read_notifications([office], at=days_from(today, -11, 12))  # the bundles it screened
    _declare_conflict(today)
    _panels(call, reviewed, today, office)
    _chain(call, today)
    _read_answered(call, today)
    return call


def _eligible_assessment(application: Application, applicant: Applicant, *, today: date, days: int) -> Any:
    """The applicant's newest submitted self-assessment that qualifies it, made when missing."""
    from starcity.calls.selectors import eligible_assessments

    for found in eligible_assessments(application):
        if found.grade >= applicant.target - 1:
            return found
    return applying.assessment(
        applicant, grade=applicant.target - 1, seed=int(applicant.region_code), at=days_from(today, days, 11)
    )


def _prepared(
    call: Call, applicant: Applicant, today: date, days: int, *, report: bool = True
) -> Application:
    """The applicant starts its application `days` days from `today` and fills it."""
    application = applying.start(call, applicant, at=days_from(today, days, 9))
    assessment = _eligible_assessment(application, applicant, today=today, days=days - 2)
    return applying.fill(
        application, applicant, at=days_from(today, days, 15), self_assessment=assessment, report=report
    )


def _accepted(call: Call, applicant: Applicant, number: int, today: date, office: User) -> Application:
    """A city's own application, approved and submitted by itself, accepted by the province."""
    application = _prepared(call, applicant, today, -16 + number)
    application = applying.city_approve(
        application, applicant.operator, at=days_from(today, -14 + number, 10)
    )
    applying.bundle(call, applicant.operator, applicant.region_code, at=days_from(today, -14 + number, 11))
    application.refresh_from_db()
    return applying.accept(application, by=office, at=days_from(today, -11, 10 + number))


def _declare_conflict(today: date) -> None:
    from starcity.reviews.services.experts import conflict_declare

    username, region_code, reason = CONFLICT
    expert = Expert.objects.get(user__username=username)
    with replayed_at(days_from(today, -10, 9)):
        conflict_declare(
            by=expert.user, expert=expert, reason=reason, region=Region.objects.get(code=region_code)
        )


def _panels(call: Call, reviewed: list[Application], today: date, office: User) -> None:
    """The draw (a seed that puts the demo expert on both panels), then the members' answers."""
    from starcity.reviews.services import call_draw

    demo_expert = Expert.objects.get(user__username="expert")
    seed = applying.draw_seed(call, {app.pk: demo_expert.pk for app in reviewed}, prefix=f"demo-{call.year}")
    with replayed_at(days_from(today, -9, 10)):
        call_draw(by=office, call=call, seed=seed)
    qingdao, weifang = (Panel.objects.get(application=app) for app in reviewed)
    _qingdao(qingdao, demo_expert, today)
    _weifang(weifang, demo_expert, today)


def _others(panel: Panel, demo_expert: Expert) -> list[Any]:
    return [m for m in applying.members(panel) if m.expert_id != demo_expert.pk]


def _qingdao(panel: Panel, demo_expert: Expert, today: date) -> None:
    """Two members submitted, one accepted, one still to answer; the demo expert accepted and
    scored the first twenty indicators."""
    base = dict(REVIEWED)[QINGDAO]
    grades = applying.panel_profile(panel, base)
    first, second, third, _fourth = _others(panel, demo_expert)
    mine = next(m for m in applying.members(panel) if m.expert_id == demo_expert.pk)
    for number, member in enumerate((first, second, third, mine)):
        applying.member_accepts(member, at=days_from(today, -8, 9 + number))
    applying.scorecard(first, grades=grades, base=base, at=days_from(today, -4, 16))
    applying.scorecard(second, grades=grades, base=base, at=days_from(today, -3, 11))
    applying.scorecard(mine, grades=grades, base=base, at=days_from(today, -2, 20), submit=False, only=20)


def _weifang(panel: Panel, demo_expert: Expert, today: date) -> None:
    """The demo expert is invited; one member accepted, one declined (a substitute is invited in
    their place), one accepted and began scoring."""
    base = dict(REVIEWED)[WEIFANG]
    grades = applying.panel_profile(panel, base)
    first, second, third, _fourth = _others(panel, demo_expert)
    applying.member_accepts(first, at=days_from(today, -7, 10))
    applying.member_declines(second, DECLINE_REASON, at=days_from(today, -7, 15))
    applying.member_accepts(third, at=days_from(today, -6, 9))
    applying.scorecard(third, grades=grades, base=base, at=days_from(today, -5, 17), submit=False, only=12)


def _chain(call: Call, today: date) -> None:
    """章丘区 submitted by 济南市, 临淄区 with 淄博市, 桓台县 a draft."""
    zhangqiu = _prepared(call, ZHANGQIU, today, -12)
    zhangqiu = applying.send_to_city(zhangqiu, ZHANGQIU, at=days_from(today, -6, 10))
    applying.city_approve(zhangqiu, "jinan", at=days_from(today, -4, 15))
    applying.bundle(call, "jinan", "370100", at=days_from(today, -3, 10))
    linzi = _prepared(call, LINZI, today, -9)
    applying.send_to_city(linzi, LINZI, at=days_from(today, -2, 16))
    huantai = applying.start(call, HUANTAI, at=days_from(today, -5, 9))
    applying.fill(huantai, HUANTAI, at=days_from(today, -5, 10), report=False)


def _read_answered(call: Call, today: date) -> None:
    """Experts who answered every invitation of the call have read their notifications."""
    from starcity.reviews.choices import MemberStatus

    answered = User.objects.filter(expert__memberships__panel__call=call).exclude(
        expert__memberships__status=MemberStatus.INVITED
    )
    applying.read_notifications(answered.distinct(), at=days_from(today, -1, 20))
