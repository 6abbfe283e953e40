"""The draw, the expert's queue and the office's overview read in a constant number of queries,
whatever the number of applications (writes are bulk inserts, batched by the database's limits)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from starcity.accounts.models import User
from starcity.calls.models import Application
from starcity.calls.testing import make_call
from starcity.regions.models import Region
from starcity.reviews.selectors import expert_queue, panels_overview, panels_visible_to
from starcity.reviews.services import call_draw
from starcity.reviews.tests.test_panel_views_scenario import make_pool

pytestmark = pytest.mark.django_db


def add_applications(call, by, count, start):
    """`count` accepted county-level applications of made-up communities (rows written directly:
    the draw reads only the application, its region and its city)."""
    counties = list(Region.objects.filter(level="county").select_related("parent").order_by("code"))
    regions = []
    for i in range(start, start + count):
        county = counties[i % len(counties)]
        code = f"{county.code}{i:06d}"
        regions.append(
            Region(
                code=code,
                name=f"社区{i}",
                level="community",
                kind="community",
                parent=county,
                path=f"{county.path}{code}/",
            )
        )
    Region.objects.bulk_create(regions)
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                region=region,
                city=region.parent.parent,
                level="county",
                status="accepted",
                created_by=by,
                revision=1,
            )
            for region in regions
        ]
    )


def reads(captured):
    return [q["sql"] for q in captured if not q["sql"].startswith("INSERT")]


def test_constant_queries(province_officer, county_standard):
    make_pool(12)
    counts = []
    for size in (10, 40):
        call = make_call(
            by=province_officer, versions={"county": county_standard}, year=2000 + size, expert_load_cap=100
        )
        add_applications(call, province_officer, size, start=size * 1000)
        officer = User.objects.get(pk=province_officer.pk)  # memberships not cached yet
        with CaptureQueriesContext(connection) as draw:
            panels = call_draw(by=officer, call=call, seed="q")
        assert len(panels) == size
        expert_user = panels[0].members.first().expert.user
        with CaptureQueriesContext(connection) as queue:
            rows = expert_queue(expert_user)
        assert rows
        with CaptureQueriesContext(connection) as overview:
            assert len(panels_overview(call)) == size
        with CaptureQueriesContext(connection) as visible:
            list(panels_visible_to(expert_user))
        counts.append((reads(draw.captured_queries), len(queue), len(overview), len(visible)))
    assert counts[0][1:] == counts[1][1:]
    assert len(counts[0][0]) == len(counts[1][0])
