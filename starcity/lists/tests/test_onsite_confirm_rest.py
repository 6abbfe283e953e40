"""On-site checklist in fewer steps: the items not yet answered confirmed in one step (one
audited service call), and after each save the page comes back to the item (or section) and
says so there, once, instead of at the top of a long page."""

import re

import pytest
from django.urls import reverse

from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.models import OnsiteItem, OnsiteReview
from starcity.lists.tests.conftest import complete_reviews, photo_upload

pytestmark = pytest.mark.django_db


def review() -> OnsiteReview:
    return OnsiteReview.objects.get(entry__application__region__code="370321")


def item(code: str) -> OnsiteItem:
    return review().items.get(indicator=code)


def block(page: str, element_id: str) -> str:
    """The HTML of one item block or section of the page (up to the next one)."""
    start = page.index(f'id="{element_id}"')
    following = re.search(r'<(div class="indicator"|section)', page[start + 1 :])
    return page[start : start + 1 + following.start()] if following else page[start:]


def top_messages(page: str) -> str:
    found = re.search(r'<ul class="messages">.*?</ul>', page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def office(client, province_officer):  # type: ignore[no-untyped-def]
    client.force_login(province_officer)
    return client


class TestService:
    def test_confirms_only_the_items_not_answered_in_one_audit_row(self, on_site, province_officer):
        services.onsite_item_save(
            by=province_officer, item=item("H01"), confirmed=False, value="92.5", finding="抽查"
        )
        services.onsite_item_save(by=province_officer, item=item("Z01"), confirmed=True, finding="属实")
        confirmed = services.onsite_items_confirm_rest(by=province_officer, review=review())
        assert [each.indicator for each in confirmed] == ["H18", "Z02"]
        h01, z01 = item("H01"), item("Z01")
        assert (h01.confirmed, h01.adjusted_value, h01.finding) == (
            False,
            {"numerator": "92.5", "denominator": "100"},
            "抽查",
        )
        assert (z01.confirmed, z01.finding) == (True, "属实")
        assert all(each.answered for each in review().items.all())
        row = AuditEntry.objects.get(action="onsite.items_confirm_rest")
        assert row.actor == province_officer
        assert row.extra["confirmed"] == ["H18", "Z02"]
        assert row.before == {
            "H18": {"confirmed": None, "value": None},
            "Z02": {"confirmed": None, "value": None},
        }
        assert row.after["H18"] == {"confirmed": True, "value": None}

    def test_the_review_can_then_be_completed(self, on_site, province_officer):
        from starcity.core import clock

        today = clock.local_now().date()
        services.onsite_review_save(
            by=province_officer, review=review(), team="张三", visited_on=today, summary="属实"
        )
        services.onsite_items_confirm_rest(by=province_officer, review=review())
        completed = services.onsite_review_complete(by=province_officer, review=review())
        assert completed.grade_after == completed.grade_before

    def test_refused_when_nothing_is_left(self, on_site, province_officer):
        services.onsite_items_confirm_rest(by=province_officer, review=review())
        before = AuditEntry.objects.count()
        with pytest.raises(InvalidTransition) as refused:
            services.onsite_items_confirm_rest(by=province_officer, review=review())
        assert "均已确认或调整" in str(refused.value.message)
        assert AuditEntry.objects.count() == before

    def test_refused_on_a_completed_review(self, on_site, province_officer):
        complete_reviews(on_site, province_officer)
        with pytest.raises(InvalidTransition):
            services.onsite_items_confirm_rest(by=province_officer, review=review())

    def test_observers_may_not(self, on_site, observer):
        with pytest.raises(NotAllowed):
            services.onsite_items_confirm_rest(by=observer, review=review())
        assert not review().items.filter(confirmed=True).exists()


class TestConfirmRestPage:
    def test_button_shows_while_items_are_left(self, office, on_site, province_officer):
        address = reverse("lists:review_confirm_rest", args=[review().pk])
        page = office.get(reverse("lists:review", args=[review().pk])).content.decode()
        assert page.count(address) == 2  # atop the checklist and beside the completion
        assert "已确认或调整 0 / 4 项" in page
        services.onsite_items_confirm_rest(by=province_officer, review=review())
        page = office.get(reverse("lists:review", args=[review().pk])).content.decode()
        assert address not in page and "已确认或调整 4 / 4 项" in page

    def test_observer_sees_no_button(self, client, on_site, observer):
        client.force_login(observer)
        page = client.get(reverse("lists:review", args=[review().pk])).content.decode()
        assert reverse("lists:review_confirm_rest", args=[review().pk]) not in page

    def test_confirms_and_comes_back_to_the_checklist_with_the_note(self, office, on_site):
        pk = review().pk
        response = office.post(reverse("lists:review_confirm_rest", args=[pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("lists:review", args=[pk]) + "#checklist"
        assert AuditEntry.objects.filter(action="onsite.items_confirm_rest").count() == 1
        page = office.get(response["Location"]).content.decode()
        note = "已将其余 4 项确认为专家组核定值：H01、H18、Z01、Z02。"
        assert note in block(page, "checklist")
        assert note not in top_messages(page)
        again = office.get(reverse("lists:review", args=[pk])).content.decode()
        assert note not in again

    def test_from_the_completion_section_it_comes_back_there(self, office, on_site):
        pk = review().pk
        response = office.post(reverse("lists:review_confirm_rest", args=[pk]), {"place": "complete"})
        assert response["Location"].endswith("#complete")
        page = office.get(response["Location"]).content.decode()
        assert "已将其余 4 项" in block(page, "complete")

    def test_an_unknown_place_comes_back_to_the_checklist(self, office, on_site):
        response = office.post(
            reverse("lists:review_confirm_rest", args=[review().pk]), {"place": "javascript:alert(1)"}
        )
        assert response["Location"].endswith("#checklist")

    def test_nothing_left_is_409_with_the_way_back_and_no_audit_row(self, office, on_site, province_officer):
        services.onsite_items_confirm_rest(by=province_officer, review=review())
        before = AuditEntry.objects.count()
        response = office.post(reverse("lists:review_confirm_rest", args=[review().pk]))
        assert response.status_code == 409
        page = response.content.decode()
        assert "均已确认或调整" in page and reverse("lists:review", args=[review().pk]) in page
        assert AuditEntry.objects.count() == before

    def test_the_lists_timeline_names_the_confirmed_items(self, office, on_site):
        office.post(reverse("lists:review_confirm_rest", args=[review().pk]))
        page = office.get(reverse("lists:detail", args=[on_site.pk])).content.decode()
        assert "确认其余现场复核项" in page and "确认为专家组核定值：H01、H18、Z01、Z02" in page


class TestSavedNoteBesideTheItem:
    def test_item_save_comes_back_to_the_item_and_says_so_there(self, office, on_site):
        pk, z01 = review().pk, item("Z01")
        response = office.post(
            reverse("lists:review_item", args=[pk, z01.pk]), {f"item-{z01.pk}-decision": "confirm"}
        )
        assert response["Location"] == reverse("lists:review", args=[pk]) + f"#item-{z01.pk}"
        page = office.get(response["Location"]).content.decode()
        assert "已保存指标 Z01 的复核结果。" in block(page, f"item-{z01.pk}")
        assert "已保存指标 Z01" not in block(page, f"item-{item('H01').pk}")
        assert "已保存指标 Z01" not in top_messages(page)
        assert "已保存指标 Z01" not in office.get(reverse("lists:review", args=[pk])).content.decode()

    def test_photo_upload_says_so_beside_the_item(self, office, on_site):
        pk, h18 = review().pk, item("H18")
        response = office.post(reverse("lists:review_photo_add", args=[pk, h18.pk]), {"file": photo_upload()})
        assert response["Location"].endswith(f"#item-{h18.pk}")
        page = office.get(response["Location"]).content.decode()
        assert "已上传照片。" in block(page, f"item-{h18.pk}")

    def test_a_note_of_another_review_is_not_shown(self, office, on_site):
        session = office.session
        session["lists.onsite_note"] = {"review": review().pk + 1000, "place": "checklist", "text": "别处"}
        session.save()
        page = office.get(reverse("lists:review", args=[review().pk])).content.decode()
        assert "别处" not in page
