"""The list pages for the office: forming, the ranking page, overrides (reason required), the
steps, documents and letters, on-site review and objections, through their addresses."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from starcity.core.models import AuditEntry
from starcity.lists.choices import ListStatus, ObjectionStatus, OnsiteStatus, Outcome
from starcity.lists.models import ListEntry, Objection, OnsitePhoto, OnsiteReview, SelectionList
from starcity.lists.services import selection_list_form
from starcity.lists.testing import ranked_application
from starcity.lists.tests.conftest import MONDAY, ZIBO_COUNTIES, complete_reviews, photo_upload

pytestmark = pytest.mark.django_db
AFTER = "2026-12-15 00:00:00+08:00"


@pytest.fixture
def office(client, province_officer):  # type: ignore[no-untyped-def]
    client.force_login(province_officer)
    return client


def entry(code: str) -> ListEntry:
    return ListEntry.objects.get(application__region__code=code)


class TestIndexAndForm:
    def test_index_offers_forming_when_the_call_has_no_list(self, office, call, three):
        page = office.get(reverse("lists:index")).content.decode()
        assert call.title in page and reverse("lists:form", args=[call.pk]) in page

    def test_form_redirects_to_the_list(self, office, call, three):
        response = office.post(reverse("lists:form", args=[call.pk]))
        selection_list = SelectionList.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "lists:detail", args=[selection_list.pk]
        )

    def test_form_refused_with_pending_panels_names_them(self, office, call, three, province_officer):
        from starcity.lists.testing import accepted_application

        accepted_application(call=call, region="370323", by=province_officer)
        response = office.post(reverse("lists:form", args=[call.pk]))
        assert response.status_code == 409
        assert "淄博市沂源县" in response.content.decode()
        assert not SelectionList.objects.exists()

    def test_operator_sees_own_results_after_final_only(
        self, client, in_notice, province_officer, county_operator
    ):
        client.force_login(county_operator)
        assert "淄博市桓台县" not in client.get(reverse("lists:index")).content.decode()
        with time_machine.travel(AFTER, tick=False):
            from starcity.lists.services import selection_list_publish_final

            selection_list_publish_final(by=province_officer, selection_list=in_notice)
        page = client.get(reverse("lists:index")).content.decode()
        assert "淄博市桓台县" in page
        assert reverse("lists:letter", args=[in_notice.pk, entry("370321").pk, "pdf"]) in page
        assert "淄博市张店区" not in page  # another county's result


class TestDetailAndLevel:
    def test_detail_shows_the_steps_from_the_domain(self, office, formed):
        page = office.get(reverse("lists:detail", args=[formed.pk])).content.decode()
        assert reverse("lists:onsite", args=[formed.pk]) in page
        assert reverse("lists:reform", args=[formed.pk]) in page
        assert reverse("lists:notice", args=[formed.pk]) not in page

    def test_blocked_step_is_shown_with_its_reason(self, office, on_site):
        page = office.get(reverse("lists:detail", args=[on_site.pk])).content.decode()
        assert "disabled" in page and "以下拟入选试点的现场复核尚未完成：淄博市桓台县" in page

    def test_observer_sees_no_buttons(self, client, formed, observer):
        client.force_login(observer)
        page = client.get(reverse("lists:detail", args=[formed.pk])).content.decode()
        assert reverse("lists:onsite", args=[formed.pk]) not in page

    def test_level_page_lists_the_ranking(self, office, formed):
        page = office.get(reverse("lists:level", args=[formed.pk, "county"])).content.decode()
        assert page.index("淄博市桓台县") < page.index("淄博市张店区") < page.index("淄博市高青县")
        assert reverse("lists:override", args=[formed.pk, entry("370321").pk]) in page

    def test_unknown_level_is_404(self, office, formed):
        assert office.get(reverse("lists:level", args=[formed.pk, "city"])).status_code == 404

    def test_ranking_page_queries_do_not_grow_with_rows(self, office, call, province_officer):
        for code in ZIBO_COUNTIES[:3]:
            ranked_application(call=call, region=code, by=province_officer, grade=3)
        selection_list = selection_list_form(by=province_officer, call=call)
        address = reverse("lists:level", args=[selection_list.pk, "county"])
        office.get(address)
        with CaptureQueriesContext(connection) as few:
            office.get(address)
        for code in ZIBO_COUNTIES[3:]:
            ranked_application(call=call, region=code, by=province_officer, grade=3)
        selection_list_form(by=province_officer, call=call)
        with CaptureQueriesContext(connection) as many:
            response = office.get(address)
        assert response.content.decode().count('id="entry-') == len(ZIBO_COUNTIES)
        assert len(many) == len(few)


class TestOverride:
    def test_reason_required_rerenders_with_the_error(self, office, formed):
        target = entry("370321")
        response = office.post(
            reverse("lists:override", args=[formed.pk, target.pk]),
            {f"entry-{target.pk}-outcome": Outcome.NOT_SELECTED, f"entry-{target.pk}-reason": ""},
        )
        assert response.status_code == 400
        assert "请填写调整理由" in response.content.decode()
        assert entry("370321").outcome == Outcome.PILOT
        assert not AuditEntry.objects.filter(action="list.override").exists()

    def test_override_with_reason(self, office, formed):
        target = entry("370321")
        response = office.post(
            reverse("lists:override", args=[formed.pk, target.pk]),
            {f"entry-{target.pk}-outcome": Outcome.NOT_SELECTED, f"entry-{target.pk}-reason": "材料不实"},
        )
        assert response.status_code == 302 and response["Location"].endswith(f"#entry-{target.pk}")
        assert entry("370321").outcome == Outcome.NOT_SELECTED
        page = office.get(response["Location"]).content.decode()
        assert "材料不实" in page

    def test_override_naming_an_upheld_objection(self, office, in_notice, province_officer):
        objection = Objection.objects.create(
            selection_list=in_notice,
            name="王",
            phone="13800000000",
            text="x",
            status=ObjectionStatus.UPHELD,
            handling_reason="属实",
        )
        target = entry("370321")
        office.post(
            reverse("lists:override", args=[in_notice.pk, target.pk]),
            {
                f"entry-{target.pk}-outcome": Outcome.NOT_SELECTED,
                f"entry-{target.pk}-reason": "异议成立",
                f"entry-{target.pk}-objection": str(objection.pk),
            },
        )
        assert entry("370321").override_objection == objection
        page = office.get(reverse("lists:objection", args=[objection.pk])).content.decode()
        assert "淄博市桓台县" in page


class TestSteps:
    def test_walk_from_preliminary_to_final(self, office, formed, province_officer):
        assert office.post(reverse("lists:onsite", args=[formed.pk])).status_code == 302
        complete_reviews(formed, province_officer)
        with time_machine.travel(MONDAY, tick=False):
            office.force_login(province_officer)  # a session of the travelled-to day
            response = office.post(reverse("lists:notice", args=[formed.pk]), follow=True)
        assert "2026-12-14 23:59:59" in response.content.decode()
        with time_machine.travel(AFTER, tick=False):
            office.force_login(province_officer)
            assert office.post(reverse("lists:final", args=[formed.pk])).status_code == 302
        assert SelectionList.objects.get(pk=formed.pk).status == ListStatus.FINAL

    def test_document_number(self, office, formed):
        response = office.post(
            reverse("lists:document", args=[formed.pk]),
            {"document_number": "鲁数字办发〔2026〕12号", "issuing_office": "数字山东建设专项小组办公室"},
        )
        assert response.status_code == 302
        assert SelectionList.objects.get(pk=formed.pk).document_number == "鲁数字办发〔2026〕12号"
        bad = office.post(
            reverse("lists:document", args=[formed.pk]), {"document_number": "x", "issuing_office": ""}
        )
        assert bad.status_code == 400

    def test_notice_documents_download(self, office, formed):
        response = office.get(reverse("lists:notice_document", args=[formed.pk, "docx"]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert response.content[:2] == b"PK"
        assert office.get(reverse("lists:notice_document", args=[formed.pk, "exe"])).status_code == 404


class TestLetters:
    def test_office_downloads_any_letter_in_any_state(self, office, formed):
        response = office.get(reverse("lists:letter", args=[formed.pk, entry("370322").pk, "pdf"]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert "filename*=UTF-8''" in response["Content-Disposition"]

    @pytest.mark.parametrize(
        ("persona", "code", "status"),
        [
            ("county_operator", "370321", 200),
            ("city_operator", "370321", 200),
            ("city_operator", "370303", 200),
            ("county_operator", "370303", 404),
            ("county_operator_same_city", "370321", 404),
            ("county_operator_other_city", "370321", 404),
            ("expert", "370321", 404),
            ("observer", "370321", 403),
        ],
    )
    def test_applicants_download_their_own_once_final(
        self, client, request, in_notice, province_officer, persona, code, status
    ):
        from starcity.lists.services import selection_list_publish_final

        with time_machine.travel(AFTER, tick=False):
            selection_list_publish_final(by=province_officer, selection_list=in_notice)
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("lists:letter", args=[in_notice.pk, entry(code).pk, "docx"]))
        assert response.status_code == status


class TestOnsitePages:
    def test_fill_an_item_with_a_bad_value_names_the_indicator(self, office, on_site):
        review = OnsiteReview.objects.get()
        item = review.items.get(indicator="Z01")
        response = office.post(
            reverse("lists:review_item", args=[review.pk, item.pk]),
            {f"item-{item.pk}-decision": "adjust", f"item-{item.pk}-value": ""},
        )
        assert response.status_code == 400
        assert "Z01" in response.content.decode()

    def test_fill_photo_and_complete(self, office, on_site, private_media):
        review = OnsiteReview.objects.get()
        office.post(
            reverse("lists:review_save", args=[review.pk]),
            {"team": "张三", "visited_on": "2026-11-20", "summary": "情况属实"},
        )
        first = review.items.first()
        response = office.post(
            reverse("lists:review_photo_add", args=[review.pk, first.pk]), {"file": photo_upload()}
        )
        assert response.status_code == 302
        photo = OnsitePhoto.objects.get()
        download = office.get(reverse("lists:review_photo", args=[review.pk, photo.pk]))
        assert download.status_code == 200 and download["Content-Type"] == "image/png"
        assert download["X-Content-Type-Options"] == "nosniff"
        for item in review.items.all():
            office.post(
                reverse("lists:review_item", args=[review.pk, item.pk]),
                {f"item-{item.pk}-decision": "confirm"},
            )
        response = office.post(reverse("lists:review_complete", args=[review.pk]))
        assert response.status_code == 302
        assert OnsiteReview.objects.get().status == OnsiteStatus.COMPLETED

    def test_complete_too_early_lists_what_is_missing(self, office, on_site):
        review = OnsiteReview.objects.get()
        response = office.post(reverse("lists:review_complete", args=[review.pk]))
        assert response.status_code == 400
        assert "以下指标尚未确认或调整" in response.content.decode()

    def test_not_an_image_is_refused_on_the_page(self, office, on_site):
        from starcity.lists.tests.conftest import pdf_upload

        review = OnsiteReview.objects.get()
        item = review.items.first()
        response = office.post(
            reverse("lists:review_photo_add", args=[review.pk, item.pk]), {"file": pdf_upload()}
        )
        assert response.status_code == 400 and "不是允许的类型" in response.content.decode()


class TestObjectionPages:
    def test_uphold_and_reject_need_a_reason(self, office, in_notice):
        objection = Objection.objects.create(
            selection_list=in_notice, name="王", phone="13800000000", text="x"
        )
        address = reverse("lists:objection_uphold", args=[objection.pk])
        assert office.post(address, {"reason": ""}).status_code == 400
        assert office.post(address, {"reason": "属实"}).status_code == 302
        assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.UPHELD
        again = office.post(reverse("lists:objection_reject", args=[objection.pk]), {"reason": "x"})
        assert again.status_code == 409


class TestIndexForOthers:
    def test_an_expert_sees_no_results_section(self, client, formed, expert):
        client.force_login(expert)
        page = client.get(reverse("lists:index")).content.decode()
        assert "本地区的入选结果" not in page and formed.call.title not in page

    def test_an_observer_may_not_download_the_draft_notice(self, client, formed, observer):
        client.force_login(observer)
        assert client.get(reverse("lists:notice_document", args=[formed.pk, "pdf"])).status_code == 403
