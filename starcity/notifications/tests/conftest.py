"""Notification test data: rows written through `notify`, or directly when a test needs a
stored link that `notify` would refuse or a precise time."""

from datetime import timedelta

import pytest

from starcity.core import clock
from starcity.notifications.models import Notification


def note(user, title="待处理事项", url="/assessments/", minutes_ago=0, read=False, body=""):  # type: ignore[no-untyped-def]
    """One notification for `user`, created `minutes_ago` minutes before now."""
    moment = clock.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=user,
        kind="test.kind",
        title=title,
        body=body,
        url=url,
        created_at=moment,
        read_at=moment if read else None,
    )


@pytest.fixture
def with_email(county_operator, city_operator):  # type: ignore[no-untyped-def]
    """The two operators with e-mail addresses."""
    county_operator.email = "huantai@example.cn"
    county_operator.save(update_fields=["email"])
    city_operator.email = "zibo@example.cn"
    city_operator.save(update_fields=["email"])
    return county_operator, city_operator
