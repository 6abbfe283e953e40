"""Call and application test data, built through the real services and the shared personas.

Times: the call opens on 2026-09-01 and closes on 2026-10-20 23:59:59 (Beijing time); tests that
depend on the clock freeze it with time_machine.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from starcity.calls import services
from starcity.calls.testing import make_call, submitted_assessment
from starcity.regions.models import Region

BEIJING = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2026, 9, 1, 9, 0, 0, tzinfo=BEIJING)
DEADLINE = datetime(2026, 10, 20, 23, 59, 59, tzinfo=BEIJING)
BEFORE = datetime(2026, 10, 10, 10, 0, 0, tzinfo=BEIJING)  # inside the application period
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def pdf(name: str = "申请报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Materials go to a fresh private folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def clock_at():
    """clock_at(moment) freezes time at `moment` (ticking off) until the test ends."""
    travellers = []

    def _at(moment: datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _at
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def during(clock_at):
    """The clock stands inside the application period."""
    clock_at(BEFORE)


@pytest.fixture
def call(during, province_officer, city_standard, county_standard):
    """A published call open to cities and counties, deadline 2026-10-20 23:59:59."""
    return make_call(
        by=province_officer,
        versions={"city": city_standard, "county": county_standard},
        opens_at=OPENS,
        deadline=DEADLINE,
    )


@pytest.fixture
def huantai():
    return region("370321")


@pytest.fixture
def zhangdian():
    return region("370303")


@pytest.fixture
def zibo():
    return region("370300")


@pytest.fixture
def huantai_assessment(during, county_operator, huantai, county_standard):
    """A submitted self-assessment of 桓台县 at three stars on the pinned county standard."""
    return submitted_assessment(by=county_operator, region=huantai, version=county_standard, grade=3)


@pytest.fixture
def draft(call, county_operator, huantai):
    """桓台县's draft application."""
    return services.application_create(by=county_operator, call=call, region=huantai)


def fill(application, by, assessment, *, target: int = 4):
    """Make the application complete through the services."""
    services.application_update(
        by=by,
        application=application,
        target_grade=target,
        self_assessment=assessment,
        breakthrough_direction="huimin",
        contact_name="张三",
        contact_phone="0533-1234567",
        contact_email="zhang@example.cn",
    )
    services.application_save_tasks(
        by=by,
        application=application,
        tasks=[{"title": "一网通办提质", "description": "全程网办率达到 90%", "domain": "huimin"}],
    )
    services.material_attach(by=by, application=application, kind="report", file=pdf())
    application.refresh_from_db()
    return application


@pytest.fixture
def complete(draft, county_operator, huantai_assessment):
    """桓台县's draft, complete."""
    return fill(draft, county_operator, huantai_assessment)


@pytest.fixture
def with_city(complete, county_operator):
    return services.application_send_to_city(by=county_operator, application=complete)


@pytest.fixture
def approved(with_city, city_operator):
    return services.application_city_approve(by=city_operator, application=with_city)


@pytest.fixture
def submitted(approved, city_operator, call, zibo):
    services.bundle_submit(by=city_operator, call=call, city=zibo)
    approved.refresh_from_db()
    return approved
