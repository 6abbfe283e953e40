"""Writes to regions: communities under a county. Each runs in a transaction and writes an audit row."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from starcity.accounts.models import User
from starcity.core.audit import audit_record
from starcity.core.errors import ValidationFailed
from starcity.regions.choices import Kind, Level
from starcity.regions.models import Region

NAME_MAX = Region._meta.get_field("name").max_length or 64
STREET_MAX = Region._meta.get_field("street").max_length or 64
STAT_CODE_RE = re.compile(r"^\d{12}$")


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _community_problems(*, county: Region, name: str, street: str, stat_code: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not name:
        problems.append(("name", _("请填写社区名称。")))
    elif len(name) > NAME_MAX:
        problems.append(("name", _("社区名称不能超过 %(max)d 个字。") % {"max": NAME_MAX}))
    elif county.children.filter(name=name, is_active=True).exists():
        problems.append(
            ("name", _("%(county)s已有名为“%(name)s”的社区。") % {"county": county.name, "name": name})
        )
    if not street:
        problems.append(("street", _("请填写所属街道/镇。")))
    elif len(street) > STREET_MAX:
        problems.append(("street", _("所属街道/镇不能超过 %(max)d 个字。") % {"max": STREET_MAX}))
    if stat_code:
        if not STAT_CODE_RE.match(stat_code) or not stat_code.startswith(county.code):
            message = _("统计用区划代码应为 12 位数字，且以本县（市、区）代码 %(code)s 开头。")
            problems.append(("code", message % {"code": county.code}))
        elif Region.objects.filter(stat_code=stat_code).exists():
            problems.append(("code", _("统计用区划代码 %(code)s 已被使用。") % {"code": stat_code}))
    return problems


def _next_community_code(county: Region) -> str:
    """The next free code "<county code>-NNNN" under the county (the county row is locked)."""
    prefix = f"{county.code}-"
    taken = Region.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def community_create(*, by: User, county: Region, name: str, street: str, code: str | None = None) -> Region:
    """Register a community under a county-level division.

    The community gets the code "<county code>-NNNN" (next free number) and the path
    county path + code + "/". Its name must be unique among the county's active communities;
    `code` is the optional 12-digit statistical code, which must begin with the county's code.
    Every problem is reported at once, naming its field, and nothing is written.
    """
    name, street, stat_code = _clean(name), _clean(street), _clean(code).replace(" ", "")
    with transaction.atomic():
        county = Region.objects.select_for_update().get(pk=county.pk)
        if county.level != Level.COUNTY or not county.is_active:
            raise ValidationFailed(
                _("只能在县（市、区）下新增社区，%(name)s不是有效的县级区域。") % {"name": county.name},
                field="county",
            )
        problems = _community_problems(county=county, name=name, street=street, stat_code=stat_code)
        if problems:
            raise ValidationFailed(problems[0][1], field=problems[0][0], errors=problems)
        new_code = _next_community_code(county)
        community = Region.objects.create(
            code=new_code,
            name=name,
            level=Level.COMMUNITY,
            kind=Kind.COMMUNITY,
            parent=county,
            path=f"{county.path}{new_code}/",
            street=street,
            stat_code=stat_code,
        )
        audit_record(
            actor=by,
            action="region.community_create",
            target=community,
            scope=community.path,
            to_state="active",
            after={
                "code": new_code,
                "name": name,
                "street": street,
                "stat_code": stat_code,
                "county": county.code,
            },
        )
    return community
