"""List test data: a county-level call with quotas, and accepted applications of 淄博's counties
whose panels concluded (built directly; the panel's own services are tested in reviews)."""

import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from starcity.calls.testing import make_call
from starcity.core import clock
from starcity.lists.testing import ranked_application

ZIBO_COUNTIES = ["370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Photos go to a fresh private folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """The cache (public PDFs, objection counts per address) starts empty in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(province_officer, county_standard):
    """A county-level call whose submissions closed yesterday: 1 pilot and 1 pre-pilot,
    pre-pilots re-checked by 2027-09-30."""
    now = clock.now()
    return make_call(
        by=province_officer,
        versions={"county": county_standard},
        opens_at=now - timedelta(days=40),
        deadline=now - timedelta(days=1),
        quotas={"county": (1, 1)},
        pre_pilot_recheck_by=date(2027, 9, 30),
        notice_working_days=5,
        onsite_items=4,
    )


@pytest.fixture
def three(call, province_officer):
    """桓台县 (grade 4), 张店区 (grade 3), 高青县 (grade 2: not eligible for a 4-star pilot)."""
    return {
        "huantai": ranked_application(
            call=call, region="370321", by=province_officer, grade=4, target_grade=5
        ),
        "zhangdian": ranked_application(call=call, region="370303", by=province_officer, grade=3),
        "gaoqing": ranked_application(call=call, region="370322", by=province_officer, grade=2),
    }


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def photo_upload(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


__all__ = ["ZIBO_COUNTIES", "io", "pdf_upload", "photo_upload", "png_bytes"]


MONDAY = "2026-12-07 10:00:00+08:00"  # notice published then ends 2026-12-14 23:59:59 (5 working days)


@pytest.fixture
def formed(call, three, province_officer):
    """The preliminary list of `call`: 桓台县 pilot, 张店区 pre-pilot, 高青县 not selected."""
    from starcity.lists.services import selection_list_form

    return selection_list_form(by=province_officer, call=call)


def complete_reviews(selection_list, by):  # type: ignore[no-untyped-def]
    """Confirm every item of every open review and complete it."""
    from starcity.core import clock
    from starcity.lists import services
    from starcity.lists.models import OnsiteReview

    for review in OnsiteReview.objects.filter(entry__selection_list=selection_list, status="open"):
        services.onsite_review_save(
            by=by, review=review, team="张三、李四", visited_on=clock.local_now().date(), summary="情况属实。"
        )
        for item in review.items.all():
            services.onsite_item_save(by=by, item=item, confirmed=True, finding="与材料一致")
        services.onsite_review_complete(by=by, review=review)


@pytest.fixture
def on_site(formed, province_officer):
    """The list on site (the pilot's checklist open)."""
    from starcity.lists.services import selection_list_start_onsite

    return selection_list_start_onsite(by=province_officer, selection_list=formed)


@pytest.fixture
def in_notice(on_site, province_officer):
    """The list in notice since Monday 2026-12-07 10:00 (ends 2026-12-14 23:59:59)."""
    import time_machine

    from starcity.lists.services import selection_list_publish_notice

    complete_reviews(on_site, province_officer)
    with time_machine.travel(MONDAY, tick=False):
        return selection_list_publish_notice(by=province_officer, selection_list=on_site)
