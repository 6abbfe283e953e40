"""The demo expert pool: twelve experts with logins, living across the province (two in 淄博,
so conflicts of interest show on 淄博's applications), whose fields cover the four domains.

The demo `expert` account is one of them. Accounts are made like the other demo accounts; the
pool entries through the pool's own service, by the province officer. Idempotent: an expert
whose account already has a pool entry is left alone.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from starcity.accounts.choices import OrgKind, Role
from starcity.accounts.models import User
from starcity.demo.seed import DemoAccount, demo_account, password_hash
from starcity.demo.timeline import replayed_at
from starcity.regions.models import Region
from starcity.reviews.models import Expert

EXPERT_TRIES = "expert pool member (home: {home}); {queue}"


@dataclass(frozen=True)
class DemoExpert:
    username: str
    name: str
    home_code: str  # where the expert lives; the employer is in the same city
    employer: str
    fields: tuple[str, ...]
    phone: str


EXPERTS = (
    DemoExpert("expert", "王立新", "370102", "山东大学", ("youzheng", "huimin"), "0531-88360001"),
    DemoExpert("expert_li", "李红梅", "370303", "山东理工大学", ("huimin", "qiangji"), "0533-27860002"),
    DemoExpert("expert_zhang", "张伟", "370321", "淄博市信息技术研究院", ("xingye",), "0533-82160003"),
    DemoExpert("expert_liu", "刘洋", "370202", "青岛大学", ("qiangji", "xingye"), "0532-85950004"),
    DemoExpert("expert_chen", "陈静", "370602", "烟台大学", ("huimin",), "0535-69020005"),
    DemoExpert("expert_yang", "杨帆", "370705", "潍坊学院", ("youzheng",), "0536-87850006"),
    DemoExpert("expert_zhao", "赵磊", "370811", "济宁学院", ("xingye", "huimin"), "0537-36160007"),
    DemoExpert("expert_huang", "黄敏", "370902", "山东农业大学", ("qiangji",), "0538-82490008"),
    DemoExpert(
        "expert_zhou", "周涛", "371002", "哈尔滨工业大学（威海）", ("youzheng", "qiangji"), "0631-56870009"
    ),
    DemoExpert("expert_wu", "吴刚", "371302", "临沂大学", ("xingye",), "0539-82580010"),
    DemoExpert("expert_xu", "徐丽", "371402", "德州学院", ("huimin", "youzheng"), "0534-85870011"),
    DemoExpert("expert_sun", "孙强", "371502", "聊城大学", ("qiangji", "youzheng"), "0635-82390012"),
)


def _account_spec(spec: DemoExpert) -> DemoAccount:
    return DemoAccount(
        spec.username, spec.name, Role.EXPERT, spec.home_code, spec.employer, OrgKind.EXPERT_AFFILIATION
    )


@transaction.atomic
def seed_experts(*, by: User, at: datetime) -> list[tuple[DemoAccount, User]]:
    """The expert accounts and their pool entries (added by `by`, a province officer, at `at`)."""
    from starcity.reviews.services.experts import ExpertData, expert_create

    password = password_hash()
    made = []
    for spec in EXPERTS:
        home = Region.objects.select_related("parent").get(code=spec.home_code)
        account = _account_spec(spec)
        user = demo_account(account, home, password)
        made.append((account, user))
        if Expert.objects.filter(user=user).exists():
            continue
        data = ExpertData(
            name=user.display_name or spec.name,
            employer=spec.employer,
            home_region=home,
            employer_region=home,
            fields=list(spec.fields),
            phone=spec.phone,
            notes="演示专家",
            user=user,
        )
        with replayed_at(at):
            expert_create(by=by, data=data)
    return made


def expert_tries(user: User) -> str:
    """What an expert account can try now: its open invitations and scorecards, from the panels."""
    from starcity.reviews import selectors

    expert = selectors.expert_of(user)
    if expert is None:
        return ""
    queue = selectors.expert_queue(user)
    parts = []
    for status, label in (("invited", "invitation"), ("accepted", "scorecard"), ("submitted", "scored")):
        regions = [
            row.application.region.name
            for row in queue
            if row.member.status == status and row.panel.status == "scoring"
        ]
        if regions:
            parts.append(f"{label}: {'、'.join(regions)}")
    declared = [c.region.name for c in expert.declared_conflicts.select_related("region") if c.region]
    if declared:
        parts.append(f"declared a conflict: {'、'.join(declared)}")
    home = expert.home_region.full_name
    return EXPERT_TRIES.format(home=home, queue="; ".join(parts) or "nothing waiting")
