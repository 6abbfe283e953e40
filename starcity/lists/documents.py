"""The decision letter of each applicant and the list notice, as official documents.

Documents are written in the programme's language (settings.LANGUAGE_CODE, Chinese) whatever
the reader's interface language: they are the office's official text.
"""

import hashlib
import json
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.documents import OfficialDocument, Table, chinese_date, to_docx, to_pdf
from starcity.lists.choices import ListStatus, OnsiteStatus, Outcome
from starcity.lists.models import ListEntry, SelectionList
from starcity.lists.selectors import PublicRow, call_levels_of, levels_of, published_rows
from starcity.regions.choices import Level
from starcity.standards.selectors import scoring_standard_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def issued_on(selection_list: SelectionList) -> date:
    """The date a document carries: the final publication's (or the notice's, for the notice
    during the period), else today (a draft the office previews)."""
    moment = selection_list.final_published_at or selection_list.notice_published_at or clock.now()
    return timezone.localtime(moment).date()


def grade_name(selection_list: SelectionList, level: str, grade: int | None) -> str:
    """A grade as the pinned standard names it (四星级); 未达星级 for 0."""
    if not grade:
        return _("未达星级")
    levels = call_levels_of(selection_list.call)
    names = scoring_standard_for(levels[level].standard_version).grades if level in levels else ()
    return names[grade - 1] if 0 < grade <= len(names) else _("%(grade)d星级") % {"grade": grade}


def _steps(entry: ListEntry) -> str:
    steps = [_("形式审查"), _("专家综合评估")]
    review = getattr(entry, "onsite", None)
    if review is not None and review.status == OnsiteStatus.COMPLETED:
        steps.append(_("现场复核"))
    if entry.selection_list.notice_published_at is not None:
        steps.append(_("公示"))
    return "、".join(steps[:-1]) + _("和") + steps[-1]


def _recheck(entry: ListEntry) -> str:
    if entry.recheck_by is None:
        return _("复核时间另行通知。")
    return _("我办将于%(date)s前组织复核，复核合格的正式列为下一年度试点。") % {
        "date": chinese_date(entry.recheck_by)
    }


def letter_title(entry: ListEntry) -> str:
    call, region = entry.selection_list.call, entry.application.region.full_name
    if entry.outcome == Outcome.PILOT:
        target = grade_name(entry.selection_list, entry.level, entry.application.target_grade)
        return _("关于将%(region)s列为%(year)d年创建%(target)s新型智慧城市建设试点的通知") % {
            "region": region,
            "year": call.year,
            "target": target,
        }
    if entry.outcome == Outcome.PRE_PILOT:
        return _("关于将%(region)s列为%(year)d年新型智慧城市建设预试点的通知") % {
            "region": region,
            "year": call.year,
        }
    return _("关于%(region)s%(year)d年新型智慧城市建设试点申报结果的通知") % {
        "region": region,
        "year": call.year,
    }


def _outcome_paragraph(entry: ListEntry) -> str:
    call, region = entry.selection_list.call, entry.application.region.full_name
    if entry.outcome == Outcome.PILOT:
        return _(
            "二、同意将%(region)s列为%(year)d年创建%(target)s新型智慧城市建设试点。请按照试点工作任务书，"
            "在优政、惠民、兴业等领域选择优势方向重点突破，探索长效运营模式，按期接受中期评估和验收。"
        ) % {
            "region": region,
            "year": call.year,
            "target": grade_name(entry.selection_list, entry.level, entry.application.target_grade),
        }
    if entry.outcome == Outcome.PRE_PILOT:
        return _(
            "二、将%(region)s列为%(year)d年新型智慧城市建设预试点。请围绕优政、惠民、兴业、强基等领域夯实建设基础。%(recheck)s"
        ) % {"region": region, "year": call.year, "recheck": _recheck(entry)}
    return _(
        "二、%(region)s未列入%(year)d年新型智慧城市建设试点名单。请继续推进智慧城市建设，学习借鉴试点地区的经验做法。"
    ) % {"region": region, "year": call.year}


def letter_document(entry: ListEntry) -> OfficialDocument:
    """The decision letter of one entry, addressed to the government of its city."""
    with translation.override(settings.LANGUAGE_CODE):
        selection_list = entry.selection_list
        application = entry.application
        region = application.region.full_name
        grade = grade_name(selection_list, entry.level, entry.verified_grade)
        return OfficialDocument(
            office=selection_list.issuing_office,
            number=selection_list.document_number,
            title=letter_title(entry),
            addressee=_("%(city)s人民政府：") % {"city": application.city.name},
            paragraphs=(
                _(
                    "你市报送的%(region)s%(year)d年新型智慧城市建设试点申报材料收悉。经%(steps)s，现将有关事项通知如下。"
                )
                % {"region": region, "year": selection_list.call.year, "steps": _steps(entry)},
                _("一、经评估，%(region)s智慧城市建设水平评定为%(grade)s（总分 %(score)s 分）。")
                % {"region": region, "grade": grade, "score": entry.verified_score},
                _outcome_paragraph(entry),
            ),
            closing=(_("特此通知。"),),
            issued_on=issued_on(selection_list),
        )


def pilot_kind(selection_list: SelectionList, row: PublicRow) -> str:
    """What a pilot is for, as published: 创建四星级试点 (its target grade); "—" when the
    published row does not hold the target grade."""
    if not row.target_grade:
        return "—"
    return _("创建%(grade)s试点") % {"grade": grade_name(selection_list, row.level, row.target_grade)}


def _rows(selection_list: SelectionList, entries: list[PublicRow], level: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for number, entry in enumerate(entries, start=1):
        cells = [str(number), entry.region]
        if level != Level.CITY:
            cells.append(entry.city)
        cells.append(grade_name(selection_list, level, entry.grade))
        if entry.outcome == Outcome.PILOT:
            cells.append(pilot_kind(selection_list, entry))
        if entry.outcome == Outcome.PRE_PILOT:
            cells.append(chinese_date(entry.recheck_by) if entry.recheck_by else _("另行通知"))
        rows.append(tuple(cells))
    return tuple(rows)


CHINESE_NUMBERS = "一二三四五六七八九十"


def notice_tables(selection_list: SelectionList) -> tuple[Table, ...]:
    """One table per level and outcome: pilots (with the grade each is to create), pre-pilots
    (with their re-check date) and places not selected, as published (the office's draft before
    the notice)."""
    entries = published_rows(selection_list)
    tables: list[Table] = []
    headings: dict[str, str] = {
        Outcome.PILOT: _("%(level)s试点（%(count)d个）"),
        Outcome.PRE_PILOT: _("%(level)s预试点（%(count)d个）"),
        Outcome.NOT_SELECTED: _("%(level)s未入选（%(count)d个）"),
    }
    for level in levels_of(selection_list.call):
        for outcome in Outcome.values:
            chosen = [e for e in entries if e.level == level and e.outcome == outcome]
            columns = [_("序号"), _("地区")]
            if level != Level.CITY:
                columns.append(_("所属设区市"))
            columns.append(_("评定星级"))
            if outcome == Outcome.PILOT:
                columns.append(_("试点类别"))
            if outcome == Outcome.PRE_PILOT:
                columns.append(_("复核截止"))
            number = (
                CHINESE_NUMBERS[len(tables)] if len(tables) < len(CHINESE_NUMBERS) else str(len(tables) + 1)
            )
            heading = headings[outcome] % {"level": _level_word(level), "count": len(chosen)}
            tables.append(
                Table(
                    heading=f"{number}、{heading}",
                    columns=tuple(columns),
                    rows=_rows(selection_list, chosen, level),
                    empty_text=_("无。"),
                )
            )
    return tuple(tables)


def _level_word(level: str) -> str:
    return _("市级") if level == Level.CITY else _("县级")


def notice_title(selection_list: SelectionList) -> str:
    if selection_list.status == ListStatus.FINAL:
        return _("关于公布%(call)s入选名单的通知") % {"call": selection_list.call.title}
    return _("关于%(call)s入选名单的公示") % {"call": selection_list.call.title}


def portal_address(selection_list: SelectionList) -> str:
    return settings.SITE_URL + reverse("portal:call", args=[selection_list.call_id])


def notice_document(selection_list: SelectionList) -> OfficialDocument:
    """The list notice: during the notice period the 公示 with its period and how to object;
    once final the notice publishing the list."""
    with translation.override(settings.LANGUAGE_CODE):
        call = selection_list.call
        if selection_list.status == ListStatus.FINAL:
            paragraphs: tuple[str, ...] = (
                _("经形式审查、专家综合评估、现场复核和公示，现将%(call)s入选名单公布如下。")
                % {"call": call.title},
            )
            closing: tuple[str, ...] = (
                _("请试点地区按照试点工作任务书组织实施；预试点地区按期做好复核准备。"),
            )
        else:
            paragraphs = (
                _("经形式审查、专家综合评估和现场复核，现将%(call)s入选名单予以公示。")
                % {"call": call.title},
                _notice_period(selection_list),
                _(
                    "公示期间，任何单位和个人如有异议，可通过%(address)s提出，并提供真实姓名（或单位名称）和联系方式；"
                    "匿名或无联系方式的异议不予受理。"
                )
                % {"address": portal_address(selection_list)},
            )
            closing = ()
        return OfficialDocument(
            office=selection_list.issuing_office,
            number=selection_list.document_number,
            title=notice_title(selection_list),
            paragraphs=paragraphs,
            tables=notice_tables(selection_list),
            closing=closing,
            issued_on=issued_on(selection_list),
        )


def _notice_period(selection_list: SelectionList) -> str:
    start, end = selection_list.notice_published_at, selection_list.notice_ends_at
    days = selection_list.call.notice_working_days
    if start is None or end is None:
        return _("公示期为发布之日起 %(days)d 个工作日。") % {"days": days}
    return _("公示期为%(start)s至%(end)s（%(days)d个工作日）。") % {
        "start": chinese_date(timezone.localtime(start).date()),
        "end": chinese_date(timezone.localtime(end).date()),
        "days": days,
    }


def render(document: OfficialDocument, kind: str) -> tuple[bytes, str]:
    """The document as file bytes and content type ("docx" or "pdf")."""
    if kind == "docx":
        return to_docx(document), DOCX
    return to_pdf(document), PDF


PUBLIC_PDF_SECONDS = 7 * 24 * 3600


def _public_pdf_key(selection_list: SelectionList) -> str:
    """The cache key of the public notice PDF: the list and a digest of everything the document
    prints (state, dates, document number and office, the call's title, the published rows), so
    a republication or a new document number makes a new PDF."""
    printed = [
        selection_list.status,
        selection_list.notice_published_at.isoformat() if selection_list.notice_published_at else None,
        selection_list.notice_ends_at.isoformat() if selection_list.notice_ends_at else None,
        selection_list.final_published_at.isoformat() if selection_list.final_published_at else None,
        selection_list.document_number,
        selection_list.issuing_office,
        selection_list.call.title,
        selection_list.call.notice_working_days,
        sorted(
            (level, item.standard_version_id) for level, item in call_levels_of(selection_list.call).items()
        ),
        selection_list.published_entries,
        settings.SITE_URL,
        settings.LANGUAGE_CODE,
    ]
    digest = hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return f"lists:notice-pdf:{selection_list.pk}:{digest[:32]}"


def public_notice_pdf(selection_list: SelectionList) -> bytes:
    """The published list notice as PDF bytes for the public, rendered once per publication and
    kept in the cache (the portal serves it to anyone without rendering it per request)."""
    key = _public_pdf_key(selection_list)
    data = cache.get(key)
    if data is None:
        data = to_pdf(notice_document(selection_list))
        cache.set(key, data, PUBLIC_PDF_SECONDS)
    return data


def letter_filename(entry: ListEntry, kind: str) -> tuple[str, str]:
    """(file name, plain ASCII fallback) of a decision letter."""
    call = entry.selection_list.call
    with translation.override(settings.LANGUAGE_CODE):
        name = _("%(year)d年入选决定-%(region)s.%(kind)s") % {
            "year": call.year,
            "region": entry.application.region.full_name,
            "kind": kind,
        }
    return name, f"decision-{call.year}-{entry.application.region.code}.{kind}"


def notice_filename(selection_list: SelectionList, kind: str) -> tuple[str, str]:
    call = selection_list.call
    with translation.override(settings.LANGUAGE_CODE):
        word = _("最终名单") if selection_list.status == ListStatus.FINAL else _("名单公示")
        name = f"{call.year}{word}.{kind}"
    return name, f"list-{call.year}-{selection_list.status}.{kind}"
