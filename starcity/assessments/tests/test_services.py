"""Services: create, save, submit, copy — rules, all-or-nothing, audit."""

from decimal import Decimal

import pytest
from django.db import transaction

from starcity.assessments import services
from starcity.assessments.choices import Status
from starcity.assessments.models import Answer, Evidence, FrozenAssessment, SelfAssessment
from starcity.assessments.selectors import assessment_result, values_mapping_of
from starcity.assessments.tests.conftest import first_of, full_values, pdf_upload
from starcity.conftest import STANDARDS_DIR
from starcity.core.audit import audit_timeline_for
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.standards.services import standard_version_publish


def publish_new_county_version(by):  # type: ignore[no-untyped-def]
    text = (STANDARDS_DIR / "sd-county.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2019-trial-derived"', 'version: "2026-revised"', 1)
    assert "2026-revised" in text
    return standard_version_publish(by=by, content=text, source_name="sd-county-2026.yaml")


class TestCreate:
    def test_operator_creates_a_draft_with_audit(self, draft, county_operator):
        assert draft.status == Status.DRAFT
        assert draft.created_by == county_operator
        assert draft.grade == 0 and draft.score == Decimal("0")
        entry = audit_timeline_for(draft).get()
        assert entry.action == "assessment.create"
        assert entry.actor == county_operator
        assert entry.scope == draft.region.path

    def test_level_mismatch_is_refused(self, county_operator, huantai, city_standard):
        with pytest.raises(ValidationFailed) as caught:
            services.assessment_create(by=county_operator, region=huantai, standard_version=city_standard)
        assert caught.value.field == "standard_version"
        assert not SelfAssessment.objects.exists()

    def test_outside_region_is_refused(self, county_operator_other_city, huantai, county_standard):
        with pytest.raises(NotAllowed):
            services.assessment_create(
                by=county_operator_other_city, region=huantai, standard_version=county_standard
            )
        assert not SelfAssessment.objects.exists()
        assert not AuditEntry.objects.filter(action="assessment.create").exists()

    def test_province_officer_cannot_start(self, province_officer, huantai, county_standard):
        with pytest.raises(NotAllowed):
            services.assessment_create(by=province_officer, region=huantai, standard_version=county_standard)

    def test_city_operator_may_start_for_a_county_of_the_city(self, city_operator, huantai, county_standard):
        assessment = services.assessment_create(
            by=city_operator, region=huantai, standard_version=county_standard
        )
        assert assessment.region == huantai

    def test_superseded_version_is_refused(self, county_operator, huantai, county_standard, province_admin):
        publish_new_county_version(province_admin)
        county_standard.refresh_from_db()
        with pytest.raises(ValidationFailed) as caught:
            services.assessment_create(by=county_operator, region=huantai, standard_version=county_standard)
        assert "SD-COUNTY@2019-trial-derived" in str(caught.value)

    def test_one_draft_per_region_and_version(self, draft, county_operator, huantai, county_standard):
        with pytest.raises(InvalidTransition):
            services.assessment_create(by=county_operator, region=huantai, standard_version=county_standard)
        assert SelfAssessment.objects.count() == 1


class TestSave:
    def test_save_stores_exact_values_and_caches_grade(self, filled, county_std):
        threshold = first_of(county_std, "threshold")
        answer = Answer.objects.get(assessment=filled, indicator_code=threshold.code)
        assert answer.number == full_values(county_std)[threshold.code]
        assert filled.grade == assessment_result(filled)["grade"]
        assert filled.score == Decimal(assessment_result(filled)["score"])
        assert filled.bonus == {"B01": True}

    def test_decimal_text_round_trips_exactly(self, draft, county_operator, county_std):
        code = first_of(county_std, "threshold").code
        services.assessment_save_answers(
            by=county_operator, assessment=draft, values={code: "83.50"}, bonus={}, vetoes={}
        )
        assert Answer.objects.get(assessment=draft, indicator_code=code).number == "83.50"
        draft.refresh_from_db()
        assert values_mapping_of(draft)["values"] == {code: "83.50"}

    def test_bad_values_name_the_indicator_and_write_nothing(self, filled, county_operator, county_std):
        threshold = first_of(county_std, "threshold")
        ratio = first_of(county_std, "ratio")
        before_answers = list(Answer.objects.filter(assessment=filled).values())
        audit_count = AuditEntry.objects.count()
        values = full_values(county_std)
        values[threshold.code] = "八十"
        values[ratio.code] = {"numerator": "1", "denominator": "0"}
        with pytest.raises(services.AnswersInvalid) as caught:
            services.assessment_save_answers(
                by=county_operator, assessment=filled, values=values, bonus={}, vetoes={}
            )
        text = " ".join(caught.value.errors)
        assert threshold.code in text and threshold.name in text
        assert ratio.code in text
        assert set(caught.value.by_code) == {threshold.code, ratio.code}
        assert list(Answer.objects.filter(assessment=filled).values()) == before_answers
        assert AuditEntry.objects.count() == audit_count
        filled.refresh_from_db()
        assert filled.bonus == {"B01": True}

    def test_unknown_indicator_is_refused(self, draft, county_operator):
        with pytest.raises(services.AnswersInvalid) as caught:
            services.assessment_save_answers(
                by=county_operator, assessment=draft, values={"X99": "1"}, bonus={}, vetoes={}
            )
        assert "X99" in caught.value.errors[0]

    def test_save_audits_before_and_after_of_changed_answers(self, filled, county_operator, county_std):
        code = first_of(county_std, "threshold").code
        values = full_values(county_std)
        old = values[code]
        values[code] = "99.5"
        services.assessment_save_answers(
            by=county_operator, assessment=filled, values=values, bonus={"B01": True}, vetoes={}
        )
        entry = AuditEntry.objects.filter(action="assessment.save").first()
        assert set(entry.after) == {code}
        assert entry.before[code]["value"] == old
        assert entry.after[code]["value"] == "99.5"

    def test_notes_are_kept_when_not_given(self, draft, county_operator, county_std):
        code = first_of(county_std, "threshold").code
        services.assessment_save_answers(
            by=county_operator,
            assessment=draft,
            values={code: "1"},
            bonus={},
            vetoes={},
            notes={code: "见附件"},
        )
        services.assessment_save_answers(
            by=county_operator, assessment=draft, values={code: "2"}, bonus={}, vetoes={}
        )
        assert Answer.objects.get(assessment=draft, indicator_code=code).note == "见附件"

    def test_other_city_operator_cannot_save(self, draft, county_operator_other_city):
        with pytest.raises(NotAllowed):
            services.assessment_save_answers(
                by=county_operator_other_city, assessment=draft, values={}, bonus={}, vetoes={}
            )


class TestSubmit:
    def test_submit_freezes_values_evidence_and_result(self, filled, county_operator, county_standard):
        expected = assessment_result(filled)
        evidence = services.evidence_attach(
            by=county_operator, assessment=filled, indicator_code="H01", file=pdf_upload()
        )
        done = services.assessment_submit(by=county_operator, assessment=filled)
        done.refresh_from_db()
        assert done.status == Status.SUBMITTED
        assert done.submitted_by == county_operator and done.submitted_at is not None
        assert done.snapshot_result == expected
        assert done.snapshot_values["standard"] == county_standard.label
        assert done.snapshot_values["values"] == values_mapping_of(filled)["values"]
        assert done.snapshot_evidence == [evidence.as_snapshot()]
        assert done.snapshot_standard_hash == county_standard.content_hash
        assert assessment_result(done) == expected
        entry = AuditEntry.objects.filter(action="assessment.submit").get()
        assert (entry.from_state, entry.to_state) == ("draft", "submitted")

    @pytest.mark.parametrize("action", ["save", "upload", "import", "submit"])
    def test_submitted_cannot_change(self, submitted, county_operator, county_std, action):
        answers = list(Answer.objects.filter(assessment=submitted).values())
        row = SelfAssessment.objects.filter(pk=submitted.pk).values().get()
        audit_count = AuditEntry.objects.count()
        calls = {
            "save": lambda: services.assessment_save_answers(
                by=county_operator, assessment=submitted, values={}, bonus={}, vetoes={}
            ),
            "upload": lambda: services.evidence_attach(
                by=county_operator, assessment=submitted, indicator_code="H01", file=pdf_upload()
            ),
            "import": lambda: services.assessment_import_excel(
                by=county_operator, assessment=submitted, data=b"x"
            ),
            "submit": lambda: services.assessment_submit(by=county_operator, assessment=submitted),
        }
        with pytest.raises(InvalidTransition):
            calls[action]()
        assert list(Answer.objects.filter(assessment=submitted).values()) == answers
        assert SelfAssessment.objects.filter(pk=submitted.pk).values().get() == row
        assert AuditEntry.objects.count() == audit_count

    def test_evidence_of_submitted_cannot_be_removed(self, submitted, county_operator):
        evidence = submitted.evidence.get()
        with pytest.raises(InvalidTransition):
            services.evidence_remove(by=county_operator, evidence=evidence)
        evidence.refresh_from_db()
        assert evidence.removed_at is None

    def test_save_is_no_back_door(self, submitted):
        row = SelfAssessment.objects.get(pk=submitted.pk)
        row.snapshot_result = {"grade": 5}
        with pytest.raises(FrozenAssessment):
            row.save()
        row = SelfAssessment.objects.get(pk=submitted.pk)
        row.status = Status.DRAFT
        with pytest.raises(FrozenAssessment):
            row.save()
        with pytest.raises(FrozenAssessment):
            SelfAssessment.objects.get(pk=submitted.pk).delete()

    def test_unchanged_save_of_submitted_row_is_harmless(self, submitted):
        row = SelfAssessment.objects.filter(pk=submitted.pk).values().get()
        SelfAssessment.objects.get(pk=submitted.pk).save()
        assert SelfAssessment.objects.filter(pk=submitted.pk).values().get() == row

    def test_notes_are_frozen_in_the_snapshot(self, filled, county_operator, county_std):
        code = first_of(county_std, "threshold").code
        services.assessment_save_answers(
            by=county_operator,
            assessment=filled,
            values=full_values(county_std),
            bonus={},
            vetoes={},
            notes={code: "见统计年鉴第 3 页"},
        )
        done = services.assessment_submit(by=county_operator, assessment=filled)
        done.refresh_from_db()
        assert done.snapshot_notes == {code: "见统计年鉴第 3 页"}
        entry = AuditEntry.objects.get(action="assessment.submit")
        assert entry.extra["empty"] == 0 and entry.extra["empty_core"] == []
        assert entry.extra["without_evidence"] == len(county_std.indicators)


class TestFrozenParts:
    """Answers and evidence of a submitted assessment refuse every write, one by one or in bulk."""

    def test_editing_a_note_after_submit_is_refused(self, submitted):
        answer = Answer.objects.filter(assessment=submitted).first()
        before = answer.note
        answer.note = "事后补充的说明"
        with pytest.raises(FrozenAssessment):
            answer.save()
        with pytest.raises(FrozenAssessment):
            Answer.objects.filter(pk=answer.pk).update(note="事后补充的说明")
        assert Answer.objects.get(pk=answer.pk).note == before

    def test_bulk_writes_of_answers_are_refused(self, submitted):
        answers = list(Answer.objects.filter(assessment=submitted))
        count = len(answers)
        with pytest.raises(FrozenAssessment):
            Answer.objects.filter(assessment=submitted).delete()
        with pytest.raises(FrozenAssessment):
            answers[0].delete()
        for answer in answers:
            answer.note = "x"
        with pytest.raises(FrozenAssessment), transaction.atomic():  # bulk_update runs in atomic
            Answer.objects.bulk_update(answers, ["note"])
        with pytest.raises(FrozenAssessment):
            Answer.objects.bulk_create([Answer(assessment=submitted, indicator_code="ZZ1", number="1")])
        assert Answer.objects.filter(assessment=submitted).count() == count
        assert not Answer.objects.filter(assessment=submitted, note="x").exists()

    def test_evidence_rows_are_refused_too(self, submitted, county_operator):
        evidence = submitted.evidence.get()
        evidence.original_name = "换了名字.pdf"
        with pytest.raises(FrozenAssessment):
            evidence.save()
        with pytest.raises(FrozenAssessment):
            Evidence.objects.filter(pk=evidence.pk).update(
                removed_at=submitted.submitted_at, removed_by=county_operator
            )
        with pytest.raises(FrozenAssessment):
            evidence.delete()
        assert Evidence.objects.get(pk=evidence.pk).original_name == "证明.pdf"

    def test_drafts_stay_writable(self, filled):
        assert Answer.objects.filter(assessment=filled).update(note="草稿说明") > 0

    def test_submitted_page_shows_the_frozen_note(self, client, filled, county_operator, county_std):
        from django.db.models import QuerySet
        from django.urls import reverse

        code = first_of(county_std, "threshold").code
        services.assessment_save_answers(
            by=county_operator,
            assessment=filled,
            values=full_values(county_std),
            bonus={},
            vetoes={},
            notes={code: "提交时的说明"},
        )
        done = services.assessment_submit(by=county_operator, assessment=filled)
        # the row changed behind the guards' back (raw SQL, a restore…): the page does not care
        QuerySet(model=Answer).filter(assessment=done, indicator_code=code).update(note="事后改的说明")
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[done.pk])).content.decode()
        assert "提交时的说明" in page and "事后改的说明" not in page


class TestRename:
    def test_operator_renames_a_draft_with_audit(self, draft, county_operator):
        services.assessment_rename(by=county_operator, assessment=draft, title="  桓台县 2026 年自评  ")
        draft.refresh_from_db()
        assert draft.title == "桓台县 2026 年自评"
        entry = AuditEntry.objects.get(action="assessment.rename")
        assert entry.after == {"title": "桓台县 2026 年自评"} and entry.before["title"]

    def test_blank_title_is_refused(self, draft, county_operator):
        title = draft.title
        with pytest.raises(ValidationFailed):
            services.assessment_rename(by=county_operator, assessment=draft, title="   ")
        draft.refresh_from_db()
        assert draft.title == title

    def test_unchanged_title_writes_no_audit(self, draft, county_operator):
        services.assessment_rename(by=county_operator, assessment=draft, title=draft.title)
        assert not AuditEntry.objects.filter(action="assessment.rename").exists()

    def test_submitted_keeps_its_title(self, submitted, county_operator):
        with pytest.raises(InvalidTransition):
            services.assessment_rename(by=county_operator, assessment=submitted, title="新标题")
        assert SelfAssessment.objects.get(pk=submitted.pk).title == submitted.title

    def test_outsider_cannot_rename(self, draft, county_operator_other_city):
        with pytest.raises(NotAllowed):
            services.assessment_rename(by=county_operator_other_city, assessment=draft, title="x")


class TestMessages:
    def test_negative_ratio_names_the_indicator_once(self, draft, county_operator, county_std):
        ratio = first_of(county_std, "ratio")
        with pytest.raises(services.AnswersInvalid) as caught:
            services.assessment_save_answers(
                by=county_operator,
                assessment=draft,
                values={ratio.code: {"numerator": "-1", "denominator": "5"}},
                bonus={},
                vetoes={},
            )
        message = caught.value.errors[0]
        assert message.count(ratio.code) == 1, message
        assert [text.rstrip("。") for text in caught.value.by_code[ratio.code]] == [
            "比率的分子和分母不能为负"
        ]


class TestCopy:
    def test_copy_starts_a_new_draft_with_answers_and_evidence(self, submitted, county_operator):
        copy = services.assessment_copy(by=county_operator, source=submitted)
        assert copy.status == Status.DRAFT
        assert copy.copied_from == submitted
        assert copy.standard_version == submitted.standard_version
        assert values_mapping_of(copy)["values"] == submitted.snapshot_values["values"]
        assert copy.bonus == submitted.bonus
        assert copy.grade == submitted.grade
        assert [e.sha256 for e in copy.evidence.all()] == [e["sha256"] for e in submitted.snapshot_evidence]
        assert AuditEntry.objects.filter(action="assessment.copy", target_id=str(copy.pk)).exists()

    def test_copy_of_superseded_uses_the_current_version(self, submitted, county_operator, province_admin):
        new_version = publish_new_county_version(province_admin)
        copy = services.assessment_copy(
            by=county_operator, source=SelfAssessment.objects.get(pk=submitted.pk)
        )
        assert copy.standard_version == new_version
        assert values_mapping_of(copy)["values"] == submitted.snapshot_values["values"]

    def test_copy_on_a_new_version_is_titled_after_it(self, submitted, county_operator, province_admin):
        new_version = publish_new_county_version(province_admin)
        copy = services.assessment_copy(
            by=county_operator, source=SelfAssessment.objects.get(pk=submitted.pk)
        )
        assert new_version.label in copy.title
        assert submitted.standard_version.label not in copy.title
        assert "副本" not in copy.title

    def test_copy_on_the_same_version_is_marked_as_a_copy(self, submitted, county_operator):
        copy = services.assessment_copy(by=county_operator, source=submitted)
        assert copy.title == f"{submitted.title}（副本）"

    def test_copy_carries_the_frozen_notes(self, filled, county_operator, county_std):
        code = first_of(county_std, "threshold").code
        services.assessment_save_answers(
            by=county_operator,
            assessment=filled,
            values=full_values(county_std),
            bonus={},
            vetoes={},
            notes={code: "沿用的说明"},
        )
        done = services.assessment_submit(by=county_operator, assessment=filled)
        copy = services.assessment_copy(by=county_operator, source=done)
        assert Answer.objects.get(assessment=copy, indicator_code=code).note == "沿用的说明"

    def test_draft_cannot_be_copied(self, draft, county_operator):
        with pytest.raises(InvalidTransition):
            services.assessment_copy(by=county_operator, source=draft)

    def test_second_copy_while_a_draft_is_open_is_refused(self, submitted, county_operator):
        services.assessment_copy(by=county_operator, source=submitted)
        with pytest.raises(InvalidTransition):
            services.assessment_copy(by=county_operator, source=submitted)

    def test_viewer_cannot_copy(self, submitted, province_officer):
        with pytest.raises(NotAllowed):
            services.assessment_copy(by=province_officer, source=submitted)

    def test_other_region_draft_stays_untouched(self, submitted, county_operator_same_city):
        with pytest.raises(NotAllowed):
            services.assessment_copy(by=county_operator_same_city, source=submitted)
        assert SelfAssessment.objects.count() == 1
