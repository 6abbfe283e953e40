"""Every list view against every persona: anonymous, operators, experts, observers, province
staff; GET on POST-only addresses; no audit row written by a refusal."""

import pytest
import time_machine
from django.urls import reverse

from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.models import ListEntry, OnsitePhoto, OnsiteReview
from starcity.lists.tests.conftest import MONDAY, complete_reviews, photo_upload

# name → (method, kind of arguments)
VIEWS = {
    "detail": ("get", "list"),
    "level": ("get", "level"),
    "objections": ("get", "list"),
    "notice_document": ("get", "notice_document"),
    "reform": ("post", "list"),
    "onsite": ("post", "list"),
    "notice": ("post", "list"),
    "final": ("post", "list"),
    "document": ("post", "list"),
    "override": ("post", "entry"),
    "objection": ("get", "objection"),
    "objection_uphold": ("post", "objection"),
    "objection_reject": ("post", "objection"),
    "review": ("get", "review"),
    "review_save": ("post", "review"),
    "review_complete": ("post", "review"),
    "review_item": ("post", "item"),
    "review_confirm_rest": ("post", "review"),
    "review_photo_add": ("post", "item"),
    "review_photo": ("get", "photo"),
    "review_photo_remove": ("post", "photo"),
}
POST_ONLY = [name for name, (method, _) in VIEWS.items() if method == "post"]
GETS = [name for name, (method, _) in VIEWS.items() if method == "get"]


@pytest.fixture
def world(formed, province_officer):  # type: ignore[no-untyped-def]
    """A list in notice with a completed review, a photo and an objection."""
    services.selection_list_start_onsite(by=province_officer, selection_list=formed)
    review = OnsiteReview.objects.get()
    photo = services.onsite_photo_add(by=province_officer, item=review.items.first(), file=photo_upload())
    complete_reviews(formed, province_officer)
    with time_machine.travel(MONDAY, tick=False):
        services.selection_list_publish_notice(by=province_officer, selection_list=formed)
        objection = services.objection_lodge(
            by=None, selection_list=formed, name="王", phone="13800000000", text="异议内容"
        )
    return {
        "list": formed,
        "entry": ListEntry.objects.get(application__region__code="370321"),
        "objection": objection,
        "review": review,
        "item": review.items.first(),
        "photo": OnsitePhoto.objects.get(pk=photo.pk),
    }


def url(name: str, world) -> str:  # type: ignore[no-untyped-def]
    kind = VIEWS[name][1]
    args = {
        "list": [world["list"].pk],
        "level": [world["list"].pk, "county"],
        "notice_document": [world["list"].pk, "docx"],
        "entry": [world["list"].pk, world["entry"].pk],
        "objection": [world["objection"].pk],
        "review": [world["review"].pk],
        "item": [world["review"].pk, world["item"].pk],
        "photo": [world["review"].pk, world["photo"].pk],
    }[kind]
    return reverse(f"lists:{name}", args=args)


def call(client, name, world):  # type: ignore[no-untyped-def]
    return getattr(client, VIEWS[name][0])(url(name, world))


@pytest.mark.django_db
class TestAnonymous:
    @pytest.mark.parametrize("name", list(VIEWS))
    def test_redirects_to_login(self, client, world, name):
        response = call(client, name, world)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_index_and_form_redirect_to_login(self, client, world):
        assert reverse("accounts:login") in client.get(reverse("lists:index"))["Location"]
        assert (
            reverse("accounts:login")
            in client.post(reverse("lists:form", args=[world["list"].call_id]))["Location"]
        )


@pytest.mark.django_db
class TestOutsiders:
    @pytest.mark.parametrize(
        "persona", ["county_operator", "city_operator", "county_operator_other_city", "expert"]
    )
    @pytest.mark.parametrize("name", list(VIEWS))
    def test_office_pages_are_404(self, client, request, world, persona, name):
        client.force_login(request.getfixturevalue(persona))
        before = AuditEntry.objects.count()
        assert call(client, name, world).status_code == 404
        assert AuditEntry.objects.count() == before

    def test_form_is_404_for_an_operator(self, client, world, county_operator):
        client.force_login(county_operator)
        assert client.post(reverse("lists:form", args=[world["list"].call_id])).status_code == 404


@pytest.mark.django_db
class TestObserver:
    @pytest.mark.parametrize("name", GETS)
    def test_reads(self, client, world, observer, name):
        client.force_login(observer)
        assert call(client, name, world).status_code == 200

    @pytest.mark.parametrize("name", POST_ONLY)
    def test_may_never_act(self, client, world, observer, name):
        client.force_login(observer)
        before = AuditEntry.objects.count()
        assert call(client, name, world).status_code == 403
        assert AuditEntry.objects.count() == before


@pytest.mark.django_db
class TestMethods:
    @pytest.mark.parametrize("name", POST_ONLY)
    def test_get_on_a_post_url_is_405(self, client, world, province_officer, name):
        client.force_login(province_officer)
        assert client.get(url(name, world)).status_code == 405

    def test_get_on_form_is_405(self, client, world, province_officer):
        client.force_login(province_officer)
        assert client.get(reverse("lists:form", args=[world["list"].call_id])).status_code == 405


@pytest.mark.django_db
class TestWrongState:
    """In notice: re-forming, going on site, publishing the notice again and filling a completed
    review are refused with 409, and nothing is written."""

    @pytest.mark.parametrize(
        "name",
        ["reform", "onsite", "notice", "review_complete", "review_confirm_rest", "review_photo_remove"],
    )
    def test_409_and_nothing_written(self, client, world, province_officer, name):
        before = AuditEntry.objects.count()
        with time_machine.travel(MONDAY, tick=False):
            client.force_login(province_officer)
            response = call(client, name, world)
        assert response.status_code == 409
        assert AuditEntry.objects.count() == before

    def test_item_save_on_a_completed_review_is_409(self, client, world, province_officer):
        client.force_login(province_officer)
        response = client.post(url("review_item", world), {f"item-{world['item'].pk}-decision": "confirm"})
        assert response.status_code == 409
        assert "已于" in response.content.decode()

    def test_final_before_the_end_is_409_with_the_end_shown(self, client, world, province_officer):
        with time_machine.travel(MONDAY, tick=False):
            client.force_login(province_officer)
            response = call(client, "final", world)
        assert response.status_code == 409
        assert "2026-12-14 23:59:59" in response.content.decode()

    def test_letter_of_an_operator_before_final_is_404(self, client, world, county_operator):
        client.force_login(county_operator)
        response = client.get(reverse("lists:letter", args=[world["list"].pk, world["entry"].pk, "pdf"]))
        assert response.status_code == 404
