"""Observers and lists: only observers of the province read the office pages (lists are
province-wide); an observer of a city is the public here. Objectors' phone numbers and e-mail
addresses are for province staff only, never for observers."""

import pytest
import time_machine
from django.urls import reverse

from starcity.accounts.choices import Role
from starcity.core.audit import audit_timeline_for_scope
from starcity.lists import services, workflow
from starcity.lists.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
PHONE, EMAIL = "13912345678", "wang@example.com"


@pytest.fixture
def city_observer(make_user):  # type: ignore[no-untyped-def]
    return make_user("zibo_observer", Role.OBSERVER, "370300", org_name="淄博市观察员")


@pytest.fixture
def objection(in_notice):  # type: ignore[no-untyped-def]
    with time_machine.travel(MONDAY, tick=False):
        return services.objection_lodge(
            by=None, selection_list=in_notice, name="王先生", phone=PHONE, email=EMAIL, text="材料不实"
        )


def test_roles(observer, city_observer, province_officer, province_admin):
    assert workflow.role_of(observer) == workflow.VIEWER
    assert workflow.role_of(city_observer) == workflow.PUBLIC
    assert workflow.role_of(province_officer) == workflow.OFFICE
    assert workflow.role_of(province_admin) == workflow.OFFICE


class TestCityObserver:
    @pytest.mark.parametrize("name", ["detail", "objections"])
    def test_list_pages_are_404(self, client, city_observer, in_notice, name):
        client.force_login(city_observer)
        assert client.get(reverse(f"lists:{name}", args=[in_notice.pk])).status_code == 404

    def test_objection_and_review_are_404(self, client, city_observer, objection, in_notice):
        client.force_login(city_observer)
        assert client.get(reverse("lists:objection", args=[objection.pk])).status_code == 404
        review = in_notice.entries.get(application__region__code="370321").onsite
        assert client.get(reverse("lists:review", args=[review.pk])).status_code == 404

    def test_index_lists_no_call(self, client, city_observer, in_notice):
        client.force_login(city_observer)
        page = client.get(reverse("lists:index")).content.decode()
        assert in_notice.call.title not in page

    def test_the_audit_rows_of_objections_are_hidden(self, city_observer, observer, objection):
        lodged = "objection.lodge"
        assert not audit_timeline_for_scope("370000/", user=city_observer).filter(action=lodged).exists()
        assert audit_timeline_for_scope("370000/", user=observer).filter(action=lodged).exists()


class TestObjectorContact:
    def test_the_province_observer_reads_the_objection_without_contact(self, client, observer, objection):
        client.force_login(observer)
        response = client.get(reverse("lists:objection", args=[objection.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and "材料不实" in page and "王先生" in page
        assert PHONE not in page and EMAIL not in page

    @pytest.mark.parametrize("persona", ["province_officer", "province_admin"])
    def test_province_staff_read_the_contact(self, client, request, objection, persona):
        client.force_login(request.getfixturevalue(persona))
        page = client.get(reverse("lists:objection", args=[objection.pk])).content.decode()
        assert PHONE in page and EMAIL in page
