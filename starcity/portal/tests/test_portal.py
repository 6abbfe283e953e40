"""The public pages, without login: nothing before the notice, the list and the objection form
during it (to the second), the final list after, and the list notice as PDF."""

import pytest
import time_machine
from django.urls import reverse

from starcity.lists.models import ListEntry, Objection
from starcity.lists.services import objection_reject, selection_list_publish_final
from starcity.lists.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
LAST_SECOND = "2026-12-14 23:59:59+08:00"
ONE_SECOND_LATER = "2026-12-15 00:00:00+08:00"


def objection_data(**fields: str) -> dict[str, str]:
    data = {
        "name": "王先生",
        "phone": "0533-1234567",
        "email": "",
        "text": "该县材料与实际不符。",
        "website": "",
    }
    data.update(fields)
    return data


class TestBeforeNotice:
    def test_nothing_shows(self, client, on_site):
        assert on_site.call.title not in client.get(reverse("portal:index")).content.decode()
        assert client.get(reverse("portal:call", args=[on_site.call_id])).status_code == 404
        assert client.get(reverse("portal:notice_pdf", args=[on_site.call_id])).status_code == 404
        response = client.post(reverse("portal:objection", args=[on_site.call_id]), objection_data())
        assert response.status_code == 404 and not Objection.objects.exists()


class TestDuringNotice:
    def test_index_and_call_page_show_the_list_without_scores(self, client, in_notice):
        assert in_notice.call.title in client.get(reverse("portal:index")).content.decode()
        with time_machine.travel(MONDAY, tick=False):
            page = client.get(reverse("portal:call", args=[in_notice.call_id])).content.decode()
        for name in ("淄博市桓台县", "淄博市张店区", "淄博市高青县", "试点", "预试点", "未入选", "四星级"):
            assert name in page
        assert str(ListEntry.objects.get(application__region__code="370321").verified_score) not in page
        assert "2026-12-14 23:59:59" in page
        assert reverse("portal:objection", args=[in_notice.call_id]) in page

    def test_objection_at_the_last_second_is_accepted(self, client, in_notice):
        with time_machine.travel(LAST_SECOND, tick=False):
            response = client.post(
                reverse("portal:objection", args=[in_notice.call_id]), objection_data(), follow=True
            )
        assert response.status_code == 200
        assert "已收到您的异议" in response.content.decode()
        assert Objection.objects.get().name == "王先生"

    def test_objection_one_second_later_is_refused_with_the_end(self, client, in_notice):
        with time_machine.travel(ONE_SECOND_LATER, tick=False):
            response = client.post(reverse("portal:objection", args=[in_notice.call_id]), objection_data())
        assert response.status_code == 409
        assert "2026-12-14 23:59:59" in response.content.decode()
        assert not Objection.objects.exists()

    def test_objection_without_contact_is_refused_with_a_message(self, client, in_notice):
        with time_machine.travel(MONDAY, tick=False):
            response = client.post(
                reverse("portal:objection", args=[in_notice.call_id]), objection_data(phone="", email="")
            )
        assert response.status_code == 400
        assert "请至少填写联系电话或电子邮箱中的一项" in response.content.decode()
        assert not Objection.objects.exists()

    def test_objection_about_one_applicant(self, client, in_notice):
        huantai = ListEntry.objects.get(application__region__code="370321")
        with time_machine.travel(MONDAY, tick=False):
            client.post(
                reverse("portal:objection", args=[in_notice.call_id]), objection_data(entry=str(huantai.pk))
            )
        assert Objection.objects.get().entry == huantai

    def test_honeypot_saves_nothing(self, client, in_notice):
        with time_machine.travel(MONDAY, tick=False):
            response = client.post(
                reverse("portal:objection", args=[in_notice.call_id]), objection_data(website="http://spam")
            )
        assert response.status_code == 302 and not Objection.objects.exists()

    def test_get_on_the_objection_address_is_405(self, client, in_notice):
        assert client.get(reverse("portal:objection", args=[in_notice.call_id])).status_code == 405

    def test_notice_pdf_for_anyone(self, client, in_notice):
        response = client.get(reverse("portal:notice_pdf", args=[in_notice.call_id]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"


class TestAfterFinal:
    def test_final_list_without_the_form(self, client, in_notice, province_officer):
        with time_machine.travel(MONDAY, tick=False):
            client.post(reverse("portal:objection", args=[in_notice.call_id]), objection_data())
        objection_reject(by=province_officer, objection=Objection.objects.get(), reason="不属实")
        with time_machine.travel(ONE_SECOND_LATER, tick=False):
            selection_list_publish_final(by=province_officer, selection_list=in_notice)
        page = client.get(reverse("portal:call", args=[in_notice.call_id])).content.decode()
        assert "最终名单" in page and "淄博市桓台县" in page
        assert reverse("portal:objection", args=[in_notice.call_id]) not in page
        response = client.post(
            reverse("portal:objection", args=[in_notice.call_id]), objection_data(text="另一条")
        )
        assert response.status_code == 409 and Objection.objects.count() == 1


class TestPublicLoad:
    def test_the_notice_pdf_is_rendered_once_per_publication(self, client, in_notice, monkeypatch):
        from starcity.lists import documents

        rendered: list[int] = []
        real = documents.to_pdf

        def counting(document):  # type: ignore[no-untyped-def]
            rendered.append(1)
            return real(document)

        monkeypatch.setattr(documents, "to_pdf", counting)
        address = reverse("portal:notice_pdf", args=[in_notice.call_id])
        first, second = client.get(address), client.get(address)
        assert first.content == second.content and first.content.startswith(b"%PDF")
        assert len(rendered) == 1
        # a new document number changes the PDF: rendered again
        in_notice.document_number = "鲁数字办发〔2026〕12号"
        in_notice.save(update_fields=["document_number"])
        client.get(address)
        assert len(rendered) == 2

    def test_objections_are_limited_per_address(self, client, in_notice):
        address = reverse("portal:objection", args=[in_notice.call_id])
        with time_machine.travel(MONDAY, tick=False):
            for number in range(5):
                response = client.post(
                    address, objection_data(text=f"第 {number} 条异议"), REMOTE_ADDR="10.0.0.1"
                )
                assert response.status_code == 302
            refused = client.post(address, objection_data(text="第 6 条异议"), REMOTE_ADDR="10.0.0.1")
            other = client.post(address, objection_data(text="另一处的异议"), REMOTE_ADDR="10.0.0.2")
        assert refused.status_code == 429
        assert "10 分钟内最多提交 5 条异议" in refused.content.decode()
        assert other.status_code == 302
        assert Objection.objects.count() == 6
        assert not Objection.objects.filter(text="第 6 条异议").exists()

    def test_the_limit_ends_with_its_window(self, client, in_notice):
        address = reverse("portal:objection", args=[in_notice.call_id])
        with time_machine.travel(MONDAY, tick=False):
            for number in range(5):
                client.post(address, objection_data(text=f"第 {number} 条"), REMOTE_ADDR="10.0.0.1")
        with time_machine.travel("2026-12-07 10:10:01+08:00", tick=False):
            response = client.post(address, objection_data(text="稍后再提"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302


class TestReading:
    """What the public page reads like: the pilot's target grade, times that stay whole."""

    def test_a_pilot_shows_the_grade_it_is_to_create(self, client, in_notice):
        with time_machine.travel(MONDAY, tick=False):
            response = client.get(reverse("portal:call", args=[in_notice.call_id]))
        rows = {row["entry"].region: row for group in response.context["groups"] for row in group["rows"]}
        assert rows["淄博市桓台县"]["kind"] == "创建五星级试点"
        assert rows["淄博市张店区"]["kind"] == ""  # a pre-pilot creates nothing yet
        assert "创建五星级试点" in response.content.decode()

    def test_times_are_kept_whole_and_the_zone_said_once_in_the_calendar(self, client, in_notice):
        with time_machine.travel(MONDAY, tick=False):
            page = client.get(reverse("portal:call", args=[in_notice.call_id])).content.decode()
        aside = page[page.index("<aside>") : page.index("</aside>")]
        assert "（北京时间）" not in aside and "以上时间均为北京时间" in aside
        start, end = "2026-12-07 10:00:00", "2026-12-14 23:59:59"
        period = f'<span class="nowrap">{start}</span> — <span class="nowrap">{end}</span>'
        assert period in aside
        assert '<span class="nowrap">2026-12-07 10:00:00（北京时间）</span>至 ' in page
        assert "（北京时间）</span> " not in page

    def test_the_final_time_has_no_stray_space(self, client, in_notice, province_officer):
        with time_machine.travel(ONE_SECOND_LATER, tick=False):
            selection_list_publish_final(by=province_officer, selection_list=in_notice)
        page = client.get(reverse("portal:call", args=[in_notice.call_id])).content.decode()
        assert '最终名单于 <span class="nowrap">2026-12-15 00:00:00（北京时间）</span>发布。' in page
