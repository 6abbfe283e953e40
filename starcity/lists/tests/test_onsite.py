"""On-site review: checklists of the proposed pilots, items confirmed or adjusted (checked per
method, errors naming the indicator), photos stored privately, and completion re-scoring the
panel's values (a changed grade re-ranks the list; eligibility can drop a pilot)."""

import pytest

from starcity.core import clock
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.choices import ListStatus, OnsiteStatus, Outcome
from starcity.lists.models import ListEntry, OnsiteItem, OnsitePhoto, OnsiteReview
from starcity.lists.tests.conftest import complete_reviews, pdf_upload, photo_upload
from starcity.notifications.models import Notification

pytestmark = pytest.mark.django_db


def review_of(code: str) -> OnsiteReview:
    return OnsiteReview.objects.select_related("entry").get(entry__application__region__code=code)


def item(review: OnsiteReview, code: str) -> OnsiteItem:
    return review.items.get(indicator=code)


def fill(review: OnsiteReview, by) -> None:  # type: ignore[no-untyped-def]
    services.onsite_review_save(
        by=by, review=review, team="张三", visited_on=clock.local_now().date(), summary="属实"
    )
    for each in review.items.all():
        services.onsite_item_save(by=by, item=each, confirmed=True)


class TestStart:
    def test_pilots_get_a_checklist_with_the_heaviest_and_flagged_indicators(self, call, province_officer):
        from starcity.lists.testing import ranked_application

        ranked_application(
            call=call, region="370321", by=province_officer, grade=4, target_grade=5, flagged=("Q10",)
        )
        ranked_application(call=call, region="370303", by=province_officer, grade=3)
        formed = services.selection_list_form(by=province_officer, call=call)
        started = services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        assert started.status == ListStatus.ONSITE and started.onsite_started_at is not None
        review = review_of("370321")
        assert review.grade_before == 4 and review.status == OnsiteStatus.OPEN
        assert [(i.indicator, i.why) for i in review.items.all()] == [
            ("H01", "weight"),
            ("H18", "weight"),
            ("Z01", "weight"),
            ("Z02", "weight"),
            ("Q10", "flagged"),
        ]
        assert item(review, "Z01").panel_value == 4
        assert item(review, "Q10").panel_value is True
        assert not OnsiteReview.objects.filter(entry__application__region__code="370303").exists()
        assert AuditEntry.objects.get(action="list.onsite_start").extra["reviews"] == ["淄博市桓台县"]

    def test_the_pilots_operators_are_told(
        self, formed, province_officer, county_operator, city_operator, county_operator_same_city
    ):
        services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        told = set(
            Notification.objects.filter(kind="lists.onsite").values_list("recipient__username", flat=True)
        )
        assert told == {county_operator.username, city_operator.username}
        huantai = ListEntry.objects.get(application__region__code="370321")
        urls = set(Notification.objects.filter(kind="lists.onsite").values_list("url", flat=True))
        assert urls == {f"/calls/applications/{huantai.application_id}/"}

    def test_start_twice_is_refused(self, on_site, province_officer):
        with pytest.raises(InvalidTransition):
            services.selection_list_start_onsite(by=province_officer, selection_list=on_site)
        assert OnsiteReview.objects.count() == 1

    def test_operators_may_not_start(self, formed, city_operator):
        with pytest.raises(NotAllowed):
            services.selection_list_start_onsite(by=city_operator, selection_list=formed)


class TestItems:
    def test_confirm_and_adjust_each_method(self, on_site, province_officer):
        review = review_of("370321")
        services.onsite_item_save(
            by=province_officer, item=item(review, "H01"), confirmed=False, value="92.5", finding="抽查"
        )
        services.onsite_item_save(by=province_officer, item=item(review, "H18"), confirmed=False, value="81")
        services.onsite_item_save(by=province_officer, item=item(review, "Z01"), confirmed=False, value="3")
        services.onsite_item_save(by=province_officer, item=item(review, "Z02"), confirmed=True)
        assert item(review, "H01").adjusted_value == {"numerator": "92.5", "denominator": "100"}
        assert item(review, "H01").finding == "抽查"
        assert item(review, "H18").adjusted_value == "81"
        assert item(review, "Z01").adjusted_value == 3
        assert (item(review, "Z02").confirmed, item(review, "Z02").adjusted_value) == (True, None)
        assert AuditEntry.objects.filter(action="onsite.item_save").count() == 4

    @pytest.mark.parametrize(
        ("code", "value", "words"),
        [
            ("Z01", "9", "Z01"),
            ("Z01", "三", "Z01"),
            ("H18", "abc", "H18"),
            ("H18", "1e3", "H18"),
            ("H18", "81.1234567", "H18"),
            ("H18", "Infinity", "H18"),
            ("H01", "", "H01"),
            ("H01", "-5", "H01"),
        ],
    )
    def test_bad_values_name_the_indicator_and_change_nothing(
        self, on_site, province_officer, code, value, words
    ):
        review = review_of("370321")
        with pytest.raises(ValidationFailed) as refused:
            services.onsite_item_save(
                by=province_officer, item=item(review, code), confirmed=False, value=value
            )
        assert words in str(refused.value.message)
        assert item(review, code).confirmed is None
        assert not AuditEntry.objects.filter(action="onsite.item_save").exists()

    def test_boolean_values(self, call, province_officer):
        from starcity.lists.testing import ranked_application

        ranked_application(
            call=call, region="370321", by=province_officer, grade=4, target_grade=5, flagged=("Q10",)
        )
        formed = services.selection_list_form(by=province_officer, call=call)
        services.selection_list_start_onsite(by=province_officer, selection_list=formed)
        q10 = item(review_of("370321"), "Q10")
        services.onsite_item_save(by=province_officer, item=q10, confirmed=False, value="no")
        assert item(review_of("370321"), "Q10").adjusted_value is False
        with pytest.raises(ValidationFailed) as refused:
            services.onsite_item_save(by=province_officer, item=q10, confirmed=False, value="maybe")
        assert "Q10" in str(refused.value.message)

    def test_values_are_read_as_the_experts_scorecards_read_them(self, on_site, province_officer):
        """The on-site team and the experts type values the same way: one parser."""
        from starcity.lists.services.onsite import review_standard
        from starcity.lists.values import entry_from_input
        from starcity.reviews.services import entry_from_text

        review = review_of("370321")
        standard = review_standard(review)
        for code, text in (("H01", "92.50"), ("H18", "081"), ("Z01", "3")):
            indicator = standard.indicator_map[code]
            assert entry_from_input(standard, code, text) == entry_from_text(indicator, text, code)


class TestPhotos:
    def test_photo_is_stored_privately_and_can_be_removed(self, on_site, province_officer, private_media):
        h01 = item(review_of("370321"), "H01")
        photo = services.onsite_photo_add(by=province_officer, item=h01, file=photo_upload())
        assert (private_media / photo.file.name).exists()
        assert photo.content_type == "image/png" and photo.original_name == "现场.png"
        services.onsite_photo_remove(by=province_officer, photo=photo)
        assert OnsitePhoto.objects.get(pk=photo.pk).removed_at is not None
        with pytest.raises(InvalidTransition):
            services.onsite_photo_remove(by=province_officer, photo=photo)

    def test_a_pdf_named_png_is_refused_and_nothing_stored(self, on_site, province_officer, private_media):
        with pytest.raises(ValidationFailed):
            services.onsite_photo_add(
                by=province_officer, item=item(review_of("370321"), "H01"), file=pdf_upload()
            )
        assert not OnsitePhoto.objects.exists()
        assert not list(private_media.rglob("*.*"))


class TestComplete:
    def test_refused_until_every_item_and_the_visit_are_given(self, on_site, province_officer):
        review = review_of("370321")
        with pytest.raises(ValidationFailed) as refused:
            services.onsite_review_complete(by=province_officer, review=review)
        assert any("H01" in str(error) and "Z02" in str(error) for error in refused.value.errors)
        assert any("复核组成员" in str(error) for error in refused.value.errors)
        assert review_of("370321").status == OnsiteStatus.OPEN

    def test_confirmed_values_keep_the_grade(self, on_site, province_officer):
        review = review_of("370321")
        fill(review, province_officer)
        services.onsite_review_complete(by=province_officer, review=review)
        review = review_of("370321")
        assert (review.status, review.grade_before, review.grade_after) == (OnsiteStatus.COMPLETED, 4, 4)
        assert review.result["grade"] == 4 and review.completed_by == province_officer
        assert ListEntry.objects.get(pk=review.entry_id).outcome == Outcome.PILOT

    def test_an_adjustment_lowering_the_grade_drops_the_pilot_and_re_ranks(self, on_site, province_officer):
        review = review_of("370321")
        fill(review, province_officer)
        services.onsite_item_save(by=province_officer, item=item(review, "H01"), confirmed=False, value="10")
        services.onsite_review_complete(by=province_officer, review=review)
        review = review_of("370321")
        huantai = ListEntry.objects.get(pk=review.entry_id)
        assert review.grade_after < 4
        assert huantai.verified_grade == review.grade_after
        assert str(huantai.verified_score) == review.result["score"]
        # 桓台县 asked for 5 stars: below 4 it is no longer eligible; 张店区 becomes the pilot
        assert (huantai.eligible, huantai.outcome) == (False, Outcome.NOT_SELECTED)
        zhangdian = ListEntry.objects.get(application__region__code="370303")
        assert zhangdian.outcome == Outcome.PILOT and zhangdian.rank == 1
        assert review_of("370303").status == OnsiteStatus.OPEN  # the new pilot's checklist
        row = AuditEntry.objects.get(action="onsite.complete")
        assert row.before["grade"] == 4 and row.after["grade"] == review.grade_after
        assert row.extra["adjusted"] == {"H01": {"numerator": "10", "denominator": "100"}}
        assert {"region": "淄博市张店区", "from": "pre_pilot", "to": "pilot"} in row.extra["moved"]

    def test_a_completed_review_is_frozen(self, on_site, province_officer):
        complete_reviews(on_site, province_officer)
        review = review_of("370321")
        with pytest.raises(InvalidTransition):
            services.onsite_item_save(by=province_officer, item=item(review, "H01"), confirmed=True)
        with pytest.raises(InvalidTransition):
            services.onsite_review_complete(by=province_officer, review=review)

    def test_observers_may_not_fill(self, on_site, observer):
        with pytest.raises(NotAllowed):
            services.onsite_item_save(by=observer, item=item(review_of("370321"), "H01"), confirmed=True)
