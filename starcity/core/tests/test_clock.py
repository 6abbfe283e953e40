from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from starcity.core import clock


def test_override_fixes_the_time_inside_the_block_only():
    moment = datetime(2025, 10, 20, 23, 59, 59, tzinfo=UTC)
    with clock.override(moment):
        assert clock.now() == moment
        assert clock.local_now().hour == 7  # 07:59:59 on the 21st in Beijing
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)


def test_override_nests_and_restores():
    first, second = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC)
    with clock.override(first):
        with clock.override(second):
            assert clock.now() == second
        assert clock.now() == first


def test_override_refuses_a_naive_datetime():
    with pytest.raises(ValueError), clock.override(datetime(2025, 1, 1)):
        pass
