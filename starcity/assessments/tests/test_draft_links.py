"""A refused second draft (on start and on copy) links to the draft already open, for those who
may see it."""

from django.test import RequestFactory
from django.urls import reverse

from starcity.assessments import views
from starcity.assessments.models import SelfAssessment
from starcity.assessments.services import assessment_create
from starcity.assessments.services.guards import DraftExists


def test_start_links_to_the_open_draft(client, draft, county_operator, huantai, county_standard):
    client.force_login(county_operator)
    response = client.post(
        reverse("assessments:create"), {"region": huantai.pk, "standard_version": county_standard.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="{reverse("assessments:detail", args=[draft.pk])}"' in page
    assert f"继续填写已有的草稿“{draft.title}”" in page


def test_copy_links_to_the_open_draft(client, submitted, county_operator):
    client.force_login(county_operator)
    first = client.post(reverse("assessments:copy", args=[submitted.pk]))
    copy = SelfAssessment.objects.get(copied_from=submitted)
    assert first.status_code == 302
    response = client.post(reverse("assessments:copy", args=[submitted.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert f'<a class="btn" href="{reverse("assessments:detail", args=[copy.pk])}">' in page
    assert f"继续填写已有的草稿“{copy.title}”" in page


def test_no_link_for_someone_who_may_not_see_the_draft(draft, county_operator_other_city):
    request = RequestFactory().post("/")
    request.user = county_operator_other_city
    request.htmx = False  # type: ignore[attr-defined]
    response = views.problem_response(request, DraftExists("x", draft=draft))
    assert reverse("assessments:detail", args=[draft.pk]) not in response.content.decode()


def test_a_lost_race_names_the_draft_too(county_operator, huantai, county_standard, monkeypatch):
    """The database refuses the second draft (created between the check and the insert): the
    refusal still names the open one."""
    from starcity.assessments.services import assessments as service

    first = assessment_create(by=county_operator, region=huantai, standard_version=county_standard)
    monkeypatch.setattr(service, "refuse_second_draft", lambda region, version: None)  # saw nothing
    try:
        assessment_create(by=county_operator, region=huantai, standard_version=county_standard)
    except DraftExists as exc:
        assert exc.draft == first
    else:  # pragma: no cover
        raise AssertionError("a second draft was created")
