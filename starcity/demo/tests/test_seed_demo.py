"""`seed_demo` creates the demo accounts, the expert pool, self-assessments, last year's call
taken through to its final list and this year's call in progress, and is idempotent."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from starcity.accounts.models import Membership, Organisation, User
from starcity.assessments.models import SelfAssessment
from starcity.calls.models import Application, ApplicationMaterial, ApplicationRevision, Call
from starcity.core.models import AuditEntry
from starcity.demo.experts import EXPERTS
from starcity.demo.seed import ACCOUNTS, DEMO_PASSWORD
from starcity.lists.models import ListEntry, Objection, OnsiteItem, OnsiteReview, SelectionList
from starcity.notifications.models import Notification
from starcity.reviews.models import DeclaredConflict, Expert, Panel, PanelMember, Resolution, Score

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
MODELS = (
    User,
    Organisation,
    Membership,
    SelfAssessment,
    Expert,
    DeclaredConflict,
    Call,
    Application,
    ApplicationRevision,
    ApplicationMaterial,
    Panel,
    PanelMember,
    Score,
    Resolution,
    SelectionList,
    ListEntry,
    OnsiteReview,
    OnsiteItem,
    Objection,
    Notification,
    AuditEntry,
)


def run() -> str:
    out = io.StringIO()
    call_command("load_standards", stdout=io.StringIO())
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def seeded(private):
    """The demo seeded on 2026-11-29 at 10:00 (Beijing), the clock staying there."""
    with time_machine.travel(TODAY, tick=False):
        output = run()
        yield output


def application(year: int, code: str) -> Application:
    return Application.objects.select_related("call").get(call__year=year, region__code=code)


def test_seed_demo_twice_creates_everything_once(seeded):
    first = counts()
    with time_machine.travel(TODAY, tick=False):
        second = run()
    assert counts() == first
    assert first["User"] == len(ACCOUNTS) + 1 + len(EXPERTS) - 1  # the community operator; `expert` once
    assert first["Expert"] == len(EXPERTS)
    assert first["Call"] == 2
    for output in (seeded, second):
        assert DEMO_PASSWORD in output
        for username in ("huantai", "jinan", "expert", "expert_li"):
            assert username in output
    assert "invitation: 潍坊市; scorecard: 青岛市" in seeded
    assert "selection years left as they are" in second


def test_seed_on_a_fresh_database_at_the_turn_of_the_year(private):
    with time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=SHANGHAI), tick=False):
        run()
    past, current = Call.objects.get(year=2026), Call.objects.get(year=2027)
    assert (past.status, SelectionList.objects.get(call=past).status) == ("closed", "final")
    assert current.status == "published"
    assert current.opens_at < datetime(2027, 1, 4, tzinfo=SHANGHAI) < current.deadline


def _last_year_was_taken_through_to_the_final_list() -> None:
    call = Call.objects.get(year=2025)
    assert call.status == "closed"
    selection_list = SelectionList.objects.get(call=call)
    assert selection_list.status == "final"
    assert selection_list.notice_ends_at < selection_list.final_published_at
    outcomes = {
        entry.application.region.code: entry.outcome
        for entry in ListEntry.objects.filter(selection_list=selection_list).select_related(
            "application__region"
        )
    }
    assert outcomes == {
        "370300": "pilot",
        "370100": "pre_pilot",
        "370303": "pilot",
        "370321": "not_selected",
    }
    assert not ListEntry.objects.filter(selection_list=selection_list).exclude(override_reason="").exists()
    reviews = OnsiteReview.objects.filter(entry__selection_list=selection_list)
    assert sorted(reviews.values_list("status", flat=True)) == ["completed", "completed"]
    assert OnsiteItem.objects.filter(review__in=reviews, confirmed=False).count() == 2
    objection = Objection.objects.get(selection_list=selection_list)
    assert (objection.status, objection.entry.application.region.code) == ("rejected", "370303")
    panels = Panel.objects.filter(call=call)
    assert set(panels.values_list("status", flat=True)) == {"concluded"}
    resolution = Resolution.objects.get(panel__call=call)
    assert resolution.panel.application.region.code == "370303"
    # last year's story happened last year, and its notifications were read then
    assert AuditEntry.objects.filter(action="list.final_publish").get().created_at.year == 2025
    assert not Notification.objects.filter(created_at__year=2025, read_at__isnull=True).exists()


def _conflicted_experts_sit_on_no_panel_of_their_city() -> None:
    for panel in Panel.objects.select_related("application__city"):
        homes = PanelMember.objects.filter(panel=panel).values_list("expert__home_region__path", flat=True)
        assert not [home for home in homes if home.startswith(panel.application.city.path)], panel


def _this_year_is_in_progress_with_work_for_every_role() -> None:
    drafts = SelfAssessment.objects.filter(status="draft").values_list("region__code", flat=True)
    assert sorted(drafts) == ["370300", "370303"]  # 淄博市 and 张店区, towards five stars
    submitted = SelfAssessment.objects.filter(status="submitted")
    assert (submitted.filter(submitted_at__year=2025).count(), submitted.count()) == (4, 9)
    call = Call.objects.get(year=2026)
    assert call.status == "published"
    assert call.opens_at < TODAY < call.deadline
    statuses = {
        app.region.code: app.status for app in Application.objects.filter(call=call).select_related("region")
    }
    assert statuses == {
        "370321": "draft",
        "370305": "with_city",
        "370114": "submitted",
        "370200": "accepted",
        "370700": "accepted",
    }
    submitted = AuditEntry.objects.get(
        action="application.submit", target_id=str(application(2026, "370114").pk)
    )
    assert submitted.extra["submitted_by_region"] == "济南市"
    assert submitted.actor.username == "jinan"
    demo_expert = Expert.objects.get(user__username="expert")
    mine = {
        m.panel.application.region.code: m
        for m in PanelMember.objects.filter(expert=demo_expert, panel__call=call).select_related(
            "panel__application__region"
        )
    }
    assert mine["370700"].status == "invited"
    assert mine["370200"].status == "accepted"
    assert 0 < Score.objects.filter(member=mine["370200"]).count() < 60
    assert PanelMember.objects.filter(panel__call=call, status="declined").count() == 1
    assert DeclaredConflict.objects.filter(
        expert__user__username="expert_sun", region__code="370700"
    ).exists()
    # the declared conflict keeps expert_sun off 潍坊's panel (other panels may draw them: the
    # draw depends on the applications' ids, which differ between databases)
    assert not PanelMember.objects.filter(
        panel__call=call, panel__application__region__code="370700", expert__user__username="expert_sun"
    ).exists()


def _huantai_draft_is_ready_to_complete() -> None:
    from starcity.calls.completeness import missing_items
    from starcity.calls.selectors import eligible_assessments

    draft = application(2026, "370321")
    missing = missing_items(draft)
    assert len(missing) == 2  # the self-assessment to pick and the report to upload
    newest = eligible_assessments(draft).first()
    assert newest is not None
    assert (newest.grade, newest.submitted_at.year) == (3, 2026)


def _demo_accounts_log_in_with_the_printed_password(client: Client) -> None:
    usernames = [spec.username for spec in ACCOUNTS] + ["community"] + [spec.username for spec in EXPERTS]
    for username in usernames:
        assert client.login(username=username, password=DEMO_PASSWORD), username


WORKBENCH_SHOWS = {
    "admin": "济南市章丘区",
    "province": "济南市章丘区",
    "zibo": "淄博市临淄区",
    "jinan": "济南市：参加",
    "huantai": "淄博市桓台县",
    "zhangqiu": "济南市已审核通过章丘区的申报",
    "linzi": "新的申报批次",
    "zhangdian": "淄博市张店区",
    "qingdao": "青岛市的申报已通过形式审查",
    "weifang": "潍坊市的申报已通过形式审查",
    "expert": "潍坊市",
    "observer": "现行建设标准",
    "community": "开展自评估",
}


def _every_demo_account_workbench_shows_something(client: Client) -> None:
    from starcity.accounts.workbench import sections_for

    assert set(WORKBENCH_SHOWS) == {spec.username for spec in ACCOUNTS} | {"community"}
    for username, shown in WORKBENCH_SHOWS.items():
        user = User.objects.get(username=username)
        assert any(section.items or section.actions for section in sections_for(user)), username
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, username
        assert shown in response.content.decode(), username


def _the_demo_pages_open_for_their_accounts(client: Client) -> None:
    from django.urls import reverse

    pages = [
        ("huantai", reverse("calls:application_detail", args=[application(2026, "370321").pk])),
        ("zibo", reverse("calls:application_detail", args=[application(2026, "370305").pk])),
        ("province", reverse("calls:application_detail", args=[application(2026, "370114").pk])),
        ("province", reverse("reviews:call_panels", args=[Call.objects.get(year=2026).pk])),
        ("expert", reverse("reviews:home")),
        ("expert", reverse("reviews:panel_detail", args=[application(2026, "370200").panel.pk])),
        ("expert", reverse("reviews:panel_detail", args=[application(2026, "370700").panel.pk])),
        ("zibo", reverse("lists:index")),
        ("province", reverse("lists:detail", args=[SelectionList.objects.get().pk])),
    ]
    for username, url in pages:
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, (username, url)


def _the_final_list_is_public_and_applicants_download_their_letters(client: Client) -> None:
    from django.urls import reverse

    selection_list = SelectionList.objects.get()
    page = client.get(reverse("portal:call", args=[selection_list.call_id]))
    assert page.status_code == 200
    assert "淄博市张店区" in page.content.decode()
    assert selection_list.call.title in client.get(reverse("portal:index")).content.decode()
    entry = ListEntry.objects.get(selection_list=selection_list, application__region__code="370321")
    client.force_login(User.objects.get(username="huantai"))
    letter = client.get(reverse("lists:letter", args=[selection_list.pk, entry.pk, "docx"]))
    assert letter.status_code == 200
    assert letter.content[:2] == b"PK"


def test_the_demo_tells_last_years_story_and_this_years(seeded):
    """Last year taken through to its final list, this year in progress, experts never on a
    panel of their own city, 桓台县's draft ready to complete."""
    _last_year_was_taken_through_to_the_final_list()
    _this_year_is_in_progress_with_work_for_every_role()
    _conflicted_experts_sit_on_no_panel_of_their_city()
    _huantai_draft_is_ready_to_complete()


def test_every_demo_account_has_something_to_look_at_and_do(seeded, client):
    """Every account logs in with the printed password; its workbench shows its work; the pages
    the printed table points to open; the public portal shows the final list and the applicants
    download their decision letters."""
    _demo_accounts_log_in_with_the_printed_password(client)
    _every_demo_account_workbench_shows_something(client)
    _the_demo_pages_open_for_their_accounts(client)
    client.logout()
    _the_final_list_is_public_and_applicants_download_their_letters(client)
