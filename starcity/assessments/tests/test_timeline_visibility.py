"""Region timelines never reveal drafts to those who may not see them."""

import pytest
from django.urls import reverse

from starcity.assessments.services import assessment_create
from starcity.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(county_operator, county_standard):
    return assessment_create(
        by=county_operator,
        region=Region.objects.get(code="370321"),
        standard_version=county_standard,
        title="桓台县草稿自评估",
    )


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("county_operator", True),
        ("city_operator", True),
        ("province_officer", False),
        ("observer", False),
    ],
)
def test_region_timeline_shows_draft_rows_only_to_those_who_see_the_draft(
    client, request, draft, persona, shown
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("regions:detail", args=["370321"])).content.decode()
    assert ("桓台县草稿自评估" in page) is shown


def test_submitted_copy_lists_only_copies_the_viewer_may_see(
    client, county_operator, province_officer, draft
):
    from starcity.assessments.services import assessment_copy, assessment_submit

    submitted = assessment_submit(by=county_operator, assessment=draft)
    copy = assessment_copy(by=county_operator, source=submitted)
    url = reverse("assessments:detail", args=[submitted.pk])
    copy_url = reverse("assessments:detail", args=[copy.pk])
    client.force_login(county_operator)
    assert copy_url in client.get(url).content.decode()
    client.force_login(province_officer)
    assert copy_url not in client.get(url).content.decode()
