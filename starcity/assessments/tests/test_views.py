"""Pages: start, fill (form, live preview, save), submit, read-only snapshot, timeline."""

import json

from django.conf import settings
from django.urls import reverse

from starcity.assessments.choices import Status
from starcity.assessments.forms import field_names
from starcity.assessments.models import Answer, SelfAssessment
from starcity.assessments.tests.conftest import first_of, full_values
from starcity.core.models import AuditEntry


def form_data(standard, values: dict, bonus=(), vetoes=()) -> dict:  # type: ignore[no-untyped-def]
    """POST data of the answers form for a values mapping."""
    data: dict = {}
    for code, value in values.items():
        names = field_names(code)
        method = standard.indicator(code).method
        if method == "ratio":
            data[names["numerator"]], data[names["denominator"]] = value["numerator"], value["denominator"]
        elif method == "boolean":
            data[names["value"]] = "yes" if value else "no"
        else:
            data[names["value"]] = str(value)
    data.update({f"bonus__{code}": "on" for code in bonus})
    data.update({f"veto__{code}": "on" for code in vetoes})
    return data


class TestCreateView:
    def test_form_offers_only_actable_regions(self, client, county_operator, county_standard, city_standard):
        client.force_login(county_operator)
        response = client.get(reverse("assessments:create"))
        assert response.status_code == 200
        codes = {region.code for region in response.context["form"].fields["region"].queryset}
        assert "370321" in codes and "370303" not in codes and "370300" not in codes

    def test_post_creates_and_redirects(self, client, county_operator, huantai, county_standard):
        client.force_login(county_operator)
        response = client.post(
            reverse("assessments:create"), {"region": huantai.pk, "standard_version": county_standard.pk}
        )
        assessment = SelfAssessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])

    def test_level_mismatch_is_a_form_error(self, client, county_operator, huantai, city_standard):
        client.force_login(county_operator)
        response = client.post(
            reverse("assessments:create"), {"region": huantai.pk, "standard_version": city_standard.pk}
        )
        assert response.status_code == 400
        assert "桓台县" in response.content.decode()
        assert not SelfAssessment.objects.exists()

    def test_region_outside_reach_is_refused(self, client, county_operator, county_standard):
        from starcity.assessments.tests.conftest import region

        client.force_login(county_operator)
        response = client.post(
            reverse("assessments:create"),
            {"region": region("370114").pk, "standard_version": county_standard.pk},
        )
        assert response.status_code == 400
        assert not SelfAssessment.objects.exists()

    def test_second_draft_is_a_form_error(self, client, draft, county_operator, huantai, county_standard):
        client.force_login(county_operator)
        response = client.post(
            reverse("assessments:create"), {"region": huantai.pk, "standard_version": county_standard.pk}
        )
        assert response.status_code == 400
        assert SelfAssessment.objects.count() == 1


class TestDetail:
    def test_draft_page_groups_inputs_by_domain(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        response = client.get(reverse("assessments:detail", args=[draft.pk]))
        page = response.content.decode()
        sections = response.context["sections"]
        assert [s["code"] for s in sections] == [d.code for d in county_std.domains]
        tiered = first_of(county_std, "tiered")
        assert tiered.tiers[0] in page
        assert f'name="{field_names(first_of(county_std, "ratio").code)["denominator"]}"' in page
        assert "hx-trigger=\"change[target.type!='file'] delay:300ms\"" in page
        assert 'id="radar-options"' in page
        assert "创建自评估" in page  # the timeline

    def test_submitted_page_shows_the_snapshot(self, client, submitted, county_operator, county_std):
        client.force_login(county_operator)
        response = client.get(reverse("assessments:detail", args=[submitted.pk]))
        page = response.content.decode()
        assert response.context["form"] is None
        assert response.context["actions"] == ["view", "template", "copy"]
        assert "证明.pdf" in page
        assert submitted.snapshot_result["grade_name"] in page
        threshold = first_of(county_std, "threshold")
        assert full_values(county_std)[threshold.code] in page
        assert reverse("assessments:copy", args=[submitted.pk]) in page
        assert reverse("assessments:save", args=[submitted.pk]) not in page


class TestSaveView:
    def test_save_stores_values_and_redirects(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        values = full_values(county_std)
        response = client.post(
            reverse("assessments:save", args=[draft.pk]), form_data(county_std, values, ["B01"])
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.grade >= 1
        assert draft.bonus == {"B01": True}
        assert Answer.objects.filter(assessment=draft).count() == len(county_std.indicators)
        page = client.get(response["Location"]).content.decode()
        assert f"已保存。当前评估：{draft.grade_name}，总分 {draft.score}。" in page

    def test_grade_zero_reads_as_no_grade_not_zero_stars(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(reverse("assessments:save", args=[draft.pk]), {}, follow=True)
        page = response.content.decode()
        assert "已保存。当前评估：未达星级，总分 0.00。" in page
        assert "0 星" not in page

    def test_failed_save_puts_the_detail_address_back(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        threshold = first_of(county_std, "threshold")
        response = client.post(
            reverse("assessments:save", args=[draft.pk]), {field_names(threshold.code)["value"]: "abc"}
        )
        assert response.status_code == 400
        detail = reverse("assessments:detail", args=[draft.pk])
        page = response.content.decode()
        assert f'history.replaceState(null, "", "{detail}")' in page
        assert f'action="{reverse("assessments:save", args=[draft.pk])}"' in page

    def test_the_save_bar_sticks_and_unsaved_edits_are_guarded(self, client, draft, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        form = page.split('id="answers-form"')[1].split("</form>")[0]
        assert form.count('type="submit" class="btn"') == 1
        assert '<div class="save-bar"' in form
        assert 'addEventListener("beforeunload"' in page
        assert "form.dataset.dirty" in page and 'form.addEventListener("input", mark)' in page
        assert "有未保存的修改" in form
        css = (settings.BASE_DIR / "static/css/starcity.css").read_text()
        assert ".save-bar { position:sticky; bottom:0;" in css

    def test_bad_number_is_400_naming_the_indicator_and_nothing_written(
        self, client, filled, county_operator, county_std
    ):
        client.force_login(county_operator)
        threshold = first_of(county_std, "threshold")
        values = full_values(county_std)
        values[threshold.code] = "85%"
        answers = list(Answer.objects.filter(assessment=filled).values())
        audit_count = AuditEntry.objects.count()
        response = client.post(reverse("assessments:save", args=[filled.pk]), form_data(county_std, values))
        assert response.status_code == 400
        page = response.content.decode()
        assert threshold.code in page and threshold.name in page and "85%" in page
        assert list(Answer.objects.filter(assessment=filled).values()) == answers
        assert AuditEntry.objects.count() == audit_count

    def test_zero_denominator_is_refused(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        ratio = first_of(county_std, "ratio")
        data = form_data(county_std, {ratio.code: {"numerator": "5", "denominator": "0"}})
        response = client.post(reverse("assessments:save", args=[draft.pk]), data)
        assert response.status_code == 400
        assert ratio.code in response.content.decode()
        assert not Answer.objects.filter(assessment=draft).exists()

    def test_tier_out_of_range_is_refused(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        tiered = first_of(county_std, "tiered")
        response = client.post(
            reverse("assessments:save", args=[draft.pk]), {field_names(tiered.code)["value"]: "9"}
        )
        assert response.status_code == 400
        assert tiered.code in response.content.decode()

    def test_htmx_save_returns_the_panel(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        data = form_data(county_std, full_values(county_std))
        response = client.post(
            reverse("assessments:save", args=[draft.pk]), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert next(t.name for t in response.templates) == "assessments/partials/_result.html"
        assert "已保存" in response.content.decode()


class TestPreview:
    def url(self, assessment):  # type: ignore[no-untyped-def]
        return reverse("assessments:preview", args=[assessment.pk])

    def test_preview_scores_without_saving(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        audit_count = AuditEntry.objects.count()
        data = form_data(county_std, full_values(county_std))
        response = client.post(self.url(draft), data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        panel = response.context["panel"]
        assert panel["grade"] >= 1
        options = json.loads(
            response.content.decode()
            .split('id="radar-options" type="application/json">')[1]
            .split("</script>")[0]
        )
        assert options["series"][0]["type"] == "radar"
        assert len(options["radar"]["indicator"]) == len(county_std.domains)
        assert not Answer.objects.filter(assessment=draft).exists()
        assert AuditEntry.objects.count() == audit_count

    def test_preview_shows_plan_and_limits(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        response = client.post(self.url(draft), form_data(county_std, full_values(county_std)))
        panel = response.context["panel"]
        assert panel["plan"]["steps"]
        assert "→" in panel["plan"]["steps"][0]
        assert panel["limits"]

    def test_preview_of_bad_input_lists_the_error(self, client, draft, county_operator, county_std):
        client.force_login(county_operator)
        threshold = first_of(county_std, "threshold")
        response = client.post(self.url(draft), {field_names(threshold.code)["value"]: "1e3"})
        assert response.status_code == 400
        assert threshold.code in response.content.decode()


class TestSubmitView:
    def test_submit_then_read_only(self, client, filled, county_operator):
        client.force_login(county_operator)
        response = client.post(reverse("assessments:submit", args=[filled.pk]))
        assert response.status_code == 302
        filled.refresh_from_db()
        assert filled.status == Status.SUBMITTED
        page = client.get(reverse("assessments:detail", args=[filled.pk])).content.decode()
        assert 'id="answers-form"' not in page
        assert "提交" in page


class TestTimeline:
    def test_timeline_lists_every_step(self, client, submitted, county_operator):
        client.force_login(county_operator)
        response = client.get(reverse("assessments:detail", args=[submitted.pk]))
        labels = [entry["label"] for entry in response.context["timeline"]]
        assert labels == ["提交自评估", "上传佐证材料", "保存填报", "创建自评估"]
        saved = response.context["timeline"][2]
        assert any("→" in change for change in saved["changes"])


class TestWorkbench:
    def test_operator_sees_drafts_and_a_start_link(self, draft, county_operator):
        from starcity.accounts.workbench import sections_for

        sections = [s for s in sections_for(county_operator) if s.title == "待完成的自评估"]
        assert sections and sections[0].items[0].url == reverse("assessments:detail", args=[draft.pk])
        assert sections[0].actions[0][1] == reverse("assessments:create")

    def test_province_sees_recent_submissions(self, submitted, province_officer):
        from starcity.accounts.workbench import sections_for

        sections = [s for s in sections_for(province_officer) if s.title == "最近提交的自评估"]
        assert sections[0].items[0].url == reverse("assessments:detail", args=[submitted.pk])

    def test_workbench_page_renders(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.get(reverse("accounts:workbench"))
        assert response.status_code == 200
        assert draft.title in response.content.decode()


def test_english_page_renders(client, filled, county_operator, county_std):
    client.force_login(county_operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    response = client.get(reverse("assessments:detail", args=[filled.pk]))
    assert response.status_code == 200
    domain = county_std.domains[0]
    assert response.context["sections"][0]["name"] == (domain.name_en or domain.name)
