"""Two operators at once lose nothing (PostgreSQL only: SQLite serialises every writer).

Each thread has its own database connection; a barrier makes them start together. Whatever the
order the database lets them in, exactly one transition wins and the other is refused cleanly.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from starcity.calls import services
from starcity.calls.choices import ApplicationStatus as S
from starcity.calls.models import ApplicationRevision
from starcity.calls.testing import submitted_assessment
from starcity.calls.tests.conftest import fill, region
from starcity.core.errors import DomainError
from starcity.core.models import AuditEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("regions_restored_after", "regions_reloaded"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, two connections)"
    ),
]


def race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released together; each result is its return value or error."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except DomainError as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def second_city_operator(make_user):
    return make_user("zibo_city_2", "city_operator", "370300")


@pytest.fixture
def two_approved(approved, call, county_operator_same_city, county_standard, city_operator):
    zhangdian = region("370303")
    assessment = submitted_assessment(by=county_operator_same_city, region=zhangdian, version=county_standard)
    other = services.application_create(by=county_operator_same_city, call=call, region=zhangdian)
    fill(other, county_operator_same_city, assessment)
    services.application_send_to_city(by=county_operator_same_city, application=other)
    services.application_city_approve(by=city_operator, application=other)
    return [approved, other]


def test_two_operators_submit_the_bundle_at_once(
    two_approved, call, zibo, city_operator, second_city_operator
):
    results = race(
        lambda: services.bundle_submit(by=city_operator, call=call, city=zibo),
        lambda: services.bundle_submit(by=second_city_operator, call=call, city=zibo),
    )
    winners = [r for r in results if isinstance(r, services.BundleResult)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1
    assert len(winners[0].submitted) == 2
    for application in two_approved:
        application.refresh_from_db()
        assert application.status == S.SUBMITTED and application.revision == 1
        assert ApplicationRevision.objects.filter(application=application).count() == 1
        assert (
            AuditEntry.objects.filter(action="application.submit", target_id=str(application.pk)).count() == 1
        )


def test_a_return_and_the_bundle_at_once(approved, call, zibo, city_operator, second_city_operator):
    results = race(
        lambda: services.application_city_return(by=city_operator, application=approved, reason="再核对一次"),
        lambda: services.bundle_submit(by=second_city_operator, call=call, city=zibo),
    )
    approved.refresh_from_db()
    returned, bundled = results
    if approved.status == S.SUBMITTED:
        assert isinstance(returned, DomainError) and isinstance(bundled, services.BundleResult)
        assert ApplicationRevision.objects.filter(application=approved).count() == 1
    else:
        assert approved.status == S.CITY_RETURNED
        assert isinstance(bundled, DomainError) and not isinstance(returned, DomainError)
        assert not ApplicationRevision.objects.exists()
    transitions = AuditEntry.objects.filter(
        target_id=str(approved.pk), action__in=["application.submit", "application.city_return"]
    )
    assert transitions.count() == 1


def test_two_editors_save_at_once(complete, county_operator, make_user):
    other = make_user("huantai_2", "county_operator", "370321")
    tasks_a = [{"title": "甲任务", "description": "", "domain": "huimin"}]
    tasks_b = [{"title": "乙任务", "description": "", "domain": "youzheng"}]
    results = race(
        lambda: services.application_save_tasks(by=county_operator, application=complete, tasks=tasks_a),
        lambda: services.application_save_tasks(by=other, application=complete, tasks=tasks_b),
    )
    assert not any(isinstance(r, DomainError) for r in results)
    complete.refresh_from_db()
    assert complete.tasks in (tasks_a, tasks_b)
    saves = AuditEntry.objects.filter(action="application.tasks", target_id=str(complete.pk))
    assert saves.count() == 3  # the fixture's save, then both (serialised by the row lock)
