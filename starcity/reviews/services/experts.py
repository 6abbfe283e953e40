"""The province's expert pool (专家库) and declared conflicts of interest.

Writes: create and edit an expert, mark them available or not, import a list from Excel (all or
nothing: every bad cell is reported by row and column; existing experts are matched by phone or
e-mail and updated, the rest created), and record a declared conflict (by the office for any
expert, or by an expert with an account for themselves). Every write is audited on the expert or
the declaration; those audit rows are visible to province staff only (`register_pool_labels`).

Reads: the pool list with its filters (the list page and its Excel export use the same query).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from starcity.accounts.choices import Role
from starcity.accounts.selectors import has_role, is_province_staff
from starcity.calls.models import Application
from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.regions.models import Region
from starcity.reviews.choices import Field
from starcity.reviews.models import DeclaredConflict, Expert
from starcity.reviews.services.members import member_vacate_for_conflict

NAME_MAX = Expert._meta.get_field("name").max_length or 64
EMPLOYER_MAX = Expert._meta.get_field("employer").max_length or 128
PHONE_MAX = Expert._meta.get_field("phone").max_length or 32
REASON_MAX = 2000
NOTES_MAX = 2000
PHONE_TEXT = re.compile(r"\+?[0-9][0-9 ()\-]{4,30}")

# The attributes whose change may put the expert in conflict with an application (see
# `starcity.reviews.conflicts`): after such a change their panels are checked again.
CONFLICT_FIELDS = frozenset({"home_region", "employer_region", "user"})

# The attributes an edit may change, in the order the audit row lists them.
EDITABLE = (
    "name",
    "employer",
    "employer_region",
    "home_region",
    "fields",
    "available",
    "phone",
    "email",
    "notes",
    "user",
)


@dataclass
class ExpertData:
    """What the office enters for one expert (from the form or one row of an Excel file)."""

    name: str
    employer: str
    home_region: Region | None
    employer_region: Region | None = None
    fields: list[str] = field(default_factory=list)
    available: bool = True
    phone: str = ""
    email: str = ""
    notes: str = ""
    user: Any = None

    def cleaned(self) -> "ExpertData":
        return ExpertData(
            name=" ".join((self.name or "").split()),
            employer=" ".join((self.employer or "").split()),
            home_region=self.home_region,
            employer_region=self.employer_region,
            fields=[code for code in Field.values if code in set(self.fields or [])],
            available=bool(self.available),
            phone=normalise_phone(self.phone),
            email=(self.email or "").strip().lower(),
            notes=(self.notes or "").strip(),
            user=self.user,
        )


def normalise_phone(phone: Any) -> str:
    """A phone number as stored: full-width digits folded, spaces at the ends dropped."""
    text = "" if phone is None else str(phone)
    text = text.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
    return text.strip()


def field_codes(texts: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes, unknown texts) of field names as people write them (优政, 惠民…, or the codes)."""
    by_text = {str(label): code for code, label in Field.choices}
    by_text.update({code: code for code in Field.values})
    codes, unknown = [], []
    for text in texts:
        text = text.strip()
        if not text:
            continue
        code = by_text.get(text) or by_text.get(text.lower())
        if code is None:
            unknown.append(text)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def fields_text() -> str:
    return "、".join(str(label) for label in Field.labels)


# -- checks ---------------------------------------------------------------------------------


def expert_problems(data: ExpertData, *, exclude: Expert | None = None) -> list[tuple[str, str]]:
    """Every problem of `data` as (field, message): required values, lengths, fields among the
    four domains, a valid e-mail and phone, phone/e-mail/account not used by another expert."""
    problems: list[tuple[str, str]] = []
    if not data.name:
        problems.append(("name", _("请填写专家姓名。")))
    elif len(data.name) > NAME_MAX:
        problems.append(("name", _("姓名不能超过 %(max)s 个字符。") % {"max": NAME_MAX}))
    if not data.employer:
        problems.append(("employer", _("请填写工作单位。")))
    elif len(data.employer) > EMPLOYER_MAX:
        problems.append(("employer", _("工作单位不能超过 %(max)s 个字符。") % {"max": EMPLOYER_MAX}))
    if data.home_region is None:
        problems.append(("home_region", _("请选择专家所在地区。")))
    if not data.fields:
        problems.append(("fields", _("请至少选择一个专业领域（%(fields)s）。") % {"fields": fields_text()}))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            problems.append(("email", _("电子邮箱“%(email)s”格式不正确。") % {"email": data.email}))
    if data.phone and (len(data.phone) > PHONE_MAX or not PHONE_TEXT.fullmatch(data.phone)):
        problems.append(("phone", _("电话“%(phone)s”格式不正确。") % {"phone": data.phone}))
    if len(data.notes) > NOTES_MAX:
        problems.append(("notes", _("备注不能超过 %(max)s 个字符。") % {"max": NOTES_MAX}))
    others = Expert.objects.exclude(pk=exclude.pk) if exclude is not None else Expert.objects.all()
    if data.phone:
        other = others.filter(phone=data.phone).first()
        if other is not None:
            problems.append(
                (
                    "phone",
                    _("电话“%(phone)s”已是专家“%(name)s”的电话。")
                    % {"phone": data.phone, "name": other.name},
                )
            )
    if data.email:
        other = others.filter(email__iexact=data.email).first()
        if other is not None:
            problems.append(
                (
                    "email",
                    _("电子邮箱“%(email)s”已是专家“%(name)s”的邮箱。")
                    % {"email": data.email, "name": other.name},
                )
            )
    if data.user is not None:
        if not has_role(data.user, Role.EXPERT):
            problems.append(("user", _("账号“%(user)s”没有评审专家角色，不能关联。") % {"user": data.user}))
        other = others.filter(user=data.user).first()
        if other is not None:
            problems.append(
                ("user", _("账号“%(user)s”已关联专家“%(name)s”。") % {"user": data.user, "name": other.name})
            )
    return problems


@dataclass(frozen=True)
class FieldProblem:
    """One refused value: the form field it belongs to, and the message (its text)."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(problems: list[tuple[str, str]]) -> None:
    """ValidationFailed listing every problem (as `FieldProblem`s), the first as its message."""
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field, errors=[FieldProblem(f, m) for f, m in problems])


def require_pool_manager(by: Any) -> None:
    if not is_province_staff(by):
        raise NotAllowed(_("只有省级工作人员可以维护专家库。"))


def snapshot(expert: Expert) -> dict[str, Any]:
    """An expert's editable attributes as JSON (regions by code, the account by username)."""
    return {
        "name": expert.name,
        "employer": expert.employer,
        "employer_region": expert.employer_region.code if expert.employer_region is not None else None,
        "home_region": expert.home_region.code if expert.home_region_id is not None else None,
        "fields": list(expert.fields or []),
        "available": expert.available,
        "phone": expert.phone,
        "email": expert.email,
        "notes": expert.notes,
        "user": expert.user.get_username() if expert.user is not None else None,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in EDITABLE if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after.get(key) for key in changed}


def _apply(expert: Expert, data: ExpertData) -> None:
    expert.name = data.name
    expert.employer = data.employer
    expert.employer_region = data.employer_region
    expert.home_region = data.home_region  # type: ignore[assignment]
    expert.fields = list(data.fields)
    expert.available = data.available
    expert.phone = data.phone
    expert.email = data.email
    expert.notes = data.notes
    expert.user = data.user


def _scope(expert: Expert) -> str:
    # Pool rows are not about a region's own work: no scope, so no region timeline shows them.
    return ""


# -- writes ---------------------------------------------------------------------------------


@transaction.atomic
def expert_create(*, by: Any, data: ExpertData) -> Expert:
    """Add an expert to the pool."""
    require_pool_manager(by)
    data = data.cleaned()
    _refuse(expert_problems(data))
    expert = Expert(created_at=clock.now(), updated_at=clock.now())
    _apply(expert, data)
    expert.save()
    audit_record(
        actor=by, action="expert.create", target=expert, scope=_scope(expert), after=snapshot(expert)
    )
    return expert


def _locked(expert: Expert) -> Expert:
    return (
        Expert.objects.select_for_update(of=("self",))
        .select_related("home_region", "employer_region", "user")
        .get(pk=expert.pk)
    )


@transaction.atomic
def expert_update(*, by: Any, expert: Expert, data: ExpertData) -> Expert:
    """Change an expert's details; the audit row lists what changed. A new home or employer
    region, or another account, may put the expert in conflict with applications whose panels
    they sit on: they are replaced there (`member_vacate_for_conflict`)."""
    require_pool_manager(by)
    expert = _locked(expert)
    data = data.cleaned()
    _refuse(expert_problems(data, exclude=expert))
    before = snapshot(expert)
    _apply(expert, data)
    expert.updated_at = clock.now()
    expert.save()
    old, new = _changes(before, snapshot(expert))
    if new:
        audit_record(
            actor=by, action="expert.update", target=expert, scope=_scope(expert), before=old, after=new
        )
    if CONFLICT_FIELDS & set(new):
        member_vacate_for_conflict(by=by, expert=expert)
    return expert


@transaction.atomic
def expert_set_available(*, by: Any, expert: Expert, available: bool) -> Expert:
    """Mark an expert available for new draws, or not (panels already drawn are unchanged)."""
    require_pool_manager(by)
    expert = _locked(expert)
    if expert.available == available:
        raise InvalidTransition(
            _("专家“%(name)s”已经是可参加评审的状态。") % {"name": expert.name}
            if available
            else _("专家“%(name)s”已经是暂不参加评审的状态。") % {"name": expert.name}
        )
    expert.available = available
    expert.updated_at = clock.now()
    expert.save(update_fields=["available", "updated_at"])
    audit_record(
        actor=by,
        action="expert.available" if available else "expert.unavailable",
        target=expert,
        scope=_scope(expert),
        from_state="unavailable" if available else "available",
        to_state="available" if available else "unavailable",
    )
    return expert


@dataclass(frozen=True)
class ImportRow:
    """One checked row of an Excel file: its row number, the data, and the expert it updates."""

    row: int
    data: ExpertData
    expert: Expert | None


@dataclass(frozen=True)
class ImportSummary:
    created: list[Expert]
    updated: list[Expert]
    unchanged: list[Expert]


@transaction.atomic
def experts_import(*, by: Any, rows: Sequence[ImportRow]) -> ImportSummary:
    """Write checked rows (see `excel.read_experts`): update the matched experts, create the rest,
    in one transaction; one audit row per expert created or changed."""
    require_pool_manager(by)
    created: list[Expert] = []
    updated: list[Expert] = []
    unchanged: list[Expert] = []
    locked = {
        e.pk: e
        for e in Expert.objects.select_for_update(of=("self",))
        .select_related("home_region", "employer_region", "user")
        .filter(pk__in=[r.expert.pk for r in rows if r.expert is not None])
    }
    # Checked again under the lock, all rows together: another import may have run meanwhile.
    problems = []
    for row in rows:
        for _field, message in expert_problems(
            row.data, exclude=locked.get(row.expert.pk) if row.expert else None
        ):
            problems.append(_("第 %(row)s 行：%(message)s") % {"row": row.row, "message": message})
    if problems:
        raise ValidationFailed(
            _("Excel 文件有 %(count)d 处错误，未导入任何内容。") % {"count": len(problems)}, errors=problems
        )
    now = clock.now()
    for row in rows:
        if row.expert is None:
            expert = Expert(created_at=now, updated_at=now)
            _apply(expert, row.data)
            expert.save()
            created.append(expert)
            audit_record(
                actor=by,
                action="expert.import",
                target=expert,
                scope=_scope(expert),
                after=snapshot(expert),
                extra={"row": row.row, "created": True},
            )
            continue
        expert = locked[row.expert.pk]
        before = snapshot(expert)
        data = row.data
        if data.user is None and expert.user_id is not None:
            data = ExpertData(**{**data.__dict__, "user": expert.user})  # a file never unlinks an account
        _apply(expert, data)
        old, new = _changes(before, snapshot(expert))
        if not new:
            unchanged.append(expert)
            continue
        expert.updated_at = now
        expert.save()
        updated.append(expert)
        audit_record(
            actor=by,
            action="expert.import",
            target=expert,
            scope=_scope(expert),
            before=old,
            after=new,
            extra={"row": row.row, "created": False},
        )
        if CONFLICT_FIELDS & set(new):
            member_vacate_for_conflict(by=by, expert=expert)
    return ImportSummary(created, updated, unchanged)


# -- declared conflicts ---------------------------------------------------------------------


def may_declare_for(by: Any, expert: Expert) -> bool:
    """The office for any expert; an expert with an account for themselves."""
    return is_province_staff(by) or (expert.user_id is not None and expert.user_id == getattr(by, "pk", None))


@transaction.atomic
def conflict_declare(
    *,
    by: Any,
    expert: Expert,
    reason: str,
    region: Region | None = None,
    application: Application | None = None,
) -> DeclaredConflict:
    """Record a conflict of `expert` with a region (the applicants in it, and those of the city it
    lies in) or with one application, and why. The expert is no longer drawn for those
    applications; on a panel already drawn for one of them they are replaced at once and their
    scores no longer count (`member_vacate_for_conflict`)."""
    if not may_declare_for(by, expert):
        raise NotAllowed(_("只能为自己申报利益冲突。"))
    expert = _locked(expert)
    reason = (reason or "").strip()
    errors = []
    if (region is None) == (application is None):
        errors.append(("target", _("请选择一个地区或一份申报（二选一）。")))
    if not reason:
        errors.append(("reason", _("请说明利益冲突的情况。")))
    elif len(reason) > REASON_MAX:
        errors.append(("reason", _("说明不能超过 %(max)s 个字符。") % {"max": REASON_MAX}))
    _refuse(errors)
    duplicate = DeclaredConflict.objects.filter(
        expert=expert, region=region, application=application
    ).exists()
    if duplicate:
        target = region.full_name if region is not None else str(application)
        raise InvalidTransition(_("已经申报过与%(target)s的利益冲突。") % {"target": target})
    declared = DeclaredConflict.objects.create(
        expert=expert,
        region=region,
        application=application,
        reason=reason,
        declared_by=by,
        declared_at=clock.now(),
    )
    audit_record(
        actor=by,
        action="conflict.declare",
        target=declared,
        scope="",
        reason=reason,
        extra={
            "expert": expert.pk,
            "region": region.code if region is not None else None,
            "application": application.pk if application is not None else None,
            "by_office": expert.user_id != getattr(by, "pk", None),
        },
    )
    member_vacate_for_conflict(by=by, expert=expert)
    return declared


# -- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolFilters:
    q: str = ""
    field: str = ""
    city: Region | None = None
    available: bool | None = None


def experts_filtered(filters: PoolFilters) -> QuerySet[Expert]:
    """The pool as the list page and its export show it (province staff only)."""
    rows = Expert.objects.select_related(
        "home_region__parent__parent", "employer_region__parent__parent", "user"
    ).order_by("name", "pk")
    if filters.q:
        text = filters.q.strip()
        rows = rows.filter(
            Q(name__icontains=text)
            | Q(employer__icontains=text)
            | Q(phone__icontains=text)
            | Q(email__icontains=text)
            | Q(notes__icontains=text)
        )
    if filters.field:
        # JSON containment is not on SQLite: match the stored list's text instead ("xingye" is
        # no other field's substring).
        rows = rows.filter(fields__icontains=f'"{filters.field}"')
    if filters.city is not None:
        rows = rows.filter(home_region__path__startswith=filters.city.path)
    if filters.available is not None:
        rows = rows.filter(available=filters.available)
    return rows


def declared_conflicts_of(expert: Expert) -> QuerySet[DeclaredConflict]:
    return DeclaredConflict.objects.filter(expert=expert).select_related(
        "region__parent__parent", "application__region__parent__parent", "application__call", "declared_by"
    )
