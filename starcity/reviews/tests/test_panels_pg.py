"""Concurrency on PostgreSQL (skipped elsewhere): two experts saving at once lose nothing, one
expert saving from two tabs loses nothing, and the last two submissions arriving together
conclude the panel exactly once."""

import threading

import pytest
from django.db import connection, connections

from starcity.core.models import AuditEntry
from starcity.reviews.choices import MemberStatus, PanelStatus
from starcity.reviews.models import Score
from starcity.reviews.services import scorecard_save, scorecard_submit
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    score_and_submit,
    standard_of,
    values_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("regions_restored_after", "regions_reloaded"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def run_together(*jobs):
    """Run the jobs in threads (each with its own connection) released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_two_experts_saving_at_once_lose_nothing(scenario):
    standard = standard_of(scenario)
    first, second, _third = accept_all(drawn_panel(scenario))
    values = values_for(standard, 3)
    run_together(
        lambda: scorecard_save(
            by=first.expert.user, member=first, standard=standard, values=values, comments={}
        ),
        lambda: scorecard_save(
            by=second.expert.user, member=second, standard=standard, values=values, comments={}
        ),
    )
    for member in (first, second):
        assert Score.objects.filter(member=member, value__isnull=False).count() == len(standard.indicators)


def test_one_expert_saving_twice_at_once_loses_nothing(scenario):
    standard = standard_of(scenario)
    member = accept_all(drawn_panel(scenario))[0]
    values = values_for(standard, 3)
    codes = [ind.code for ind in standard.indicators]
    half = len(codes) // 2
    first_half = {code: values[code] for code in codes[:half]}
    second_half = {code: values[code] for code in codes[half:]}
    run_together(
        lambda: scorecard_save(
            by=member.expert.user, member=member, standard=standard, values=first_half, comments={}
        ),
        lambda: scorecard_save(
            by=member.expert.user, member=member, standard=standard, values=second_half, comments={}
        ),
    )
    assert Score.objects.filter(member=member, value__isnull=False).count() == len(codes)


def test_last_two_submissions_together_conclude_once(scenario):
    standard = standard_of(scenario)
    panel = drawn_panel(scenario)
    first, second, third = accept_all(panel)
    score_and_submit(scenario, first, 3)
    for member in (second, third):
        scorecard_save(
            by=member.expert.user,
            member=member,
            standard=standard,
            values=values_for(standard, 3),
            comments={},
        )
    run_together(
        lambda: scorecard_submit(by=second.expert.user, member=second, standard=standard),
        lambda: scorecard_submit(by=third.expert.user, member=third, standard=standard),
    )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.CONCLUDED
    assert set(panel.members.filter(role="member").values_list("status", flat=True)) == {
        MemberStatus.SUBMITTED
    }
    assert AuditEntry.objects.filter(action="panel.conclude", target_id=str(panel.pk)).count() == 1
