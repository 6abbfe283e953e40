"""How an application's history reads: the attached self-assessment named by title and grade
(never an internal id), the detail lines under each entry, and the contact e-mail field."""

import re

import pytest
from django.urls import reverse

from starcity.calls import services
from starcity.calls.diff import revision_diff
from starcity.calls.forms import ApplicationForm
from starcity.calls.presentation import timeline
from starcity.calls.testing import submitted_assessment
from starcity.core.audit import audit_record, audit_timeline_for
from starcity.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GRADES = ["一星级", "二星级", "三星级", "四星级", "五星级"]


def _update(application, by, assessment):
    return services.application_update(
        by=by,
        application=application,
        target_grade=4,
        self_assessment=assessment,
        breakthrough_direction="huimin",
        contact_name="张三",
        contact_phone="0533-1234567",
        contact_email="zhang@example.cn",
    )


def _timeline_html(page: str) -> str:
    match = re.search(r'<ul class="timeline">.*?</ul>\s*</section>', page, re.S)
    assert match, "the page has a timeline"
    return match.group(0)


class TestAuditKeepsTheLabel:
    def test_attaching_stores_title_and_grade(self, complete, county_operator, huantai_assessment):
        entry = AuditEntry.objects.get(action="application.update", target_id=str(complete.pk))
        assert entry.before["self_assessment"] is None
        assert entry.after["self_assessment"] == {
            "id": huantai_assessment.pk,
            "label": f"{huantai_assessment.title} · 三星级",
        }

    def test_switching_names_both(
        self, complete, county_operator, huantai_assessment, huantai, county_standard
    ):
        other = submitted_assessment(by=county_operator, region=huantai, version=county_standard, grade=4)
        _update(complete, county_operator, other)
        entry = AuditEntry.objects.filter(action="application.update", target_id=str(complete.pk)).latest(
            "pk"
        )
        assert entry.before["self_assessment"]["id"] == huantai_assessment.pk
        assert entry.after["self_assessment"] == {"id": other.pk, "label": f"{other.title} · 四星级"}

    def test_detaching_keeps_the_old_label(self, complete, county_operator, huantai_assessment):
        _update(complete, county_operator, None)
        entry = AuditEntry.objects.filter(action="application.update", target_id=str(complete.pk)).latest(
            "pk"
        )
        assert entry.before["self_assessment"]["label"] == f"{huantai_assessment.title} · 三星级"
        assert entry.after["self_assessment"] is None


class TestTimelineReadsLabels:
    def test_new_rows(self, complete, huantai_assessment):
        lines = [line for row in timeline(audit_timeline_for(complete)) for line in row["changes"]]
        assert f"自评估：— → {huantai_assessment.title} · 三星级" in lines
        assert not any(f"#{huantai_assessment.pk}" in line for line in lines)

    def test_older_rows_that_kept_only_the_id(self, draft, county_operator, huantai_assessment):
        audit_record(
            actor=county_operator,
            action="application.update",
            target=draft,
            scope=draft.region.path,
            before={"self_assessment": None},
            after={"self_assessment": huantai_assessment.pk},
        )
        lines = [line for row in timeline(audit_timeline_for(draft)) for line in row["changes"]]
        assert f"自评估：— → {huantai_assessment.title} · 三星级" in lines

    def test_an_id_no_longer_found_stays_a_number(self, draft, county_operator):
        audit_record(
            actor=county_operator,
            action="application.update",
            target=draft,
            scope=draft.region.path,
            before={"self_assessment": None},
            after={"self_assessment": 987654},
        )
        lines = [line for row in timeline(audit_timeline_for(draft)) for line in row["changes"]]
        assert "自评估：— → #987654" in lines

    def test_the_page(self, client, complete, county_operator, huantai_assessment):
        client.force_login(county_operator)
        page = client.get(reverse("calls:application_detail", args=[complete.pk])).content.decode()
        history = _timeline_html(page)
        assert f"自评估：— → {huantai_assessment.title} · 三星级" in history
        assert f"#{huantai_assessment.pk}" not in history

    def test_detail_lines_are_not_nested_list_items(self, client, complete, county_operator):
        """Each entry is a list item with the bar; its detail lines are plain lines under it."""
        client.force_login(county_operator)
        page = client.get(reverse("calls:application_detail", args=[complete.pk])).content.decode()
        history = _timeline_html(page)
        assert history.count("<ul") == 1
        assert "<div>申报星级：— → 四星级</div>" in history
        assert "<div>任务数：0 → 1</div>" in history

    def test_more_than_twenty_changes_are_counted(self, draft, county_operator, client):
        audit_record(
            actor=county_operator,
            action="application.update",
            target=draft,
            scope=draft.region.path,
            after={f"field_{number}": number for number in range(25)},
        )
        client.force_login(county_operator)
        page = client.get(reverse("calls:application_detail", args=[draft.pk])).content.decode()
        history = _timeline_html(page)
        assert "field_19" in history and "field_20" not in history
        assert "共 25 项变更" in history


class TestRevisionsNameTheAssessment:
    def test_the_snapshot_keeps_its_title(self, submitted, huantai_assessment):
        revision = submitted.revisions.get()
        assert revision.snapshot["self_assessment"]["title"] == huantai_assessment.title

    def test_the_diff_names_titles(self):
        old = {"self_assessment": {"id": 5, "title": "桓台县自评估（甲）", "grade": 3, "score": "70.00"}}
        new = {"self_assessment": {"id": 8, "title": "桓台县自评估（乙）", "grade": 3, "score": "70.00"}}
        row = revision_diff(old, new, grades=GRADES)[0]
        assert (row.label, row.before, row.after) == ("自评估", "桓台县自评估（甲）", "桓台县自评估（乙）")

    def test_the_diff_numbers_two_with_one_title(self):
        old = {"self_assessment": {"id": 5, "title": "桓台县自评估", "grade": 3, "score": "70.00"}}
        new = {"self_assessment": {"id": 8, "title": "桓台县自评估", "grade": 3, "score": "70.00"}}
        row = revision_diff(old, new, grades=GRADES)[0]
        assert (row.before, row.after) == ("桓台县自评估（#5）", "桓台县自评估（#8）")

    def test_the_same_assessment_makes_no_row(self):
        item = {"id": 5, "title": "桓台县自评估", "grade": 3, "score": "70.00"}
        assert revision_diff({"self_assessment": item}, {"self_assessment": dict(item)}, grades=GRADES) == []


class TestContactEmailField:
    def test_wide_enough_for_an_address(self, draft):
        html = str(ApplicationForm(application=draft)["contact_email"])
        assert 'type="email"' in html and 'size="40"' in html and 'maxlength="254"' in html

    def test_longer_than_the_column_is_refused(self, draft):
        form = ApplicationForm({"contact_email": "a" * 250 + "@example.cn"}, application=draft)
        assert not form.is_valid() and "contact_email" in form.errors
