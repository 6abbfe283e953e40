"""Starting and filling an application: one per region, eligibility, task book, materials,
and the completeness check that lists every missing item at once."""

from datetime import timedelta

import pytest

from starcity.assessments.services import assessment_create
from starcity.calls import services
from starcity.calls.choices import ApplicationStatus
from starcity.calls.completeness import missing_items
from starcity.calls.models import Application, ApplicationMaterial
from starcity.calls.testing import submitted_assessment
from starcity.calls.tests.conftest import DEADLINE, fill, pdf, region
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_county_operator_starts_its_county(self, draft, huantai, zibo):
        assert draft.status == ApplicationStatus.DRAFT
        assert draft.region == huantai and draft.city == zibo and draft.level == "county"
        assert AuditEntry.objects.filter(action="application.create", target_id=str(draft.pk)).count() == 1

    def test_city_operator_starts_the_citys_own(self, call, city_operator, zibo):
        application = services.application_create(by=city_operator, call=call, region=zibo)
        assert application.level == "city" and application.city == zibo

    def test_city_operator_cannot_start_a_countys(self, call, city_operator, huantai):
        with pytest.raises(NotAllowed):
            services.application_create(by=city_operator, call=call, region=huantai)

    def test_one_active_application_per_region(self, draft, call, county_operator, huantai):
        with pytest.raises(services.ApplicationExists) as error:
            services.application_create(by=county_operator, call=call, region=huantai)
        assert error.value.existing == draft
        assert Application.objects.count() == 1

    def test_withdrawn_one_frees_the_region(self, draft, call, county_operator, huantai):
        services.application_withdraw(by=county_operator, application=draft, reason="重新准备")
        again = services.application_create(by=county_operator, call=call, region=huantai)
        assert again.pk != draft.pk

    def test_call_not_open_to_the_level(
        self, during, province_officer, city_standard, county_operator, huantai
    ):
        from starcity.calls.testing import make_call

        city_only = make_call(by=province_officer, versions={"city": city_standard})
        with pytest.raises(NotAllowed):
            services.application_create(by=county_operator, call=city_only, region=huantai)

    def test_after_the_deadline_names_it(self, call, county_operator, huantai, clock_at):
        clock_at(DEADLINE + timedelta(seconds=1))
        with pytest.raises(services.DeadlinePassed) as error:
            services.application_create(by=county_operator, call=call, region=huantai)
        assert "2026-10-20 23:59:59（北京时间）" in str(error.value.message)


class TestContent:
    def test_complete_application_has_nothing_missing(self, complete):
        assert missing_items(complete) == []

    def test_every_missing_item_is_listed_at_once(self, draft):
        missing = missing_items(draft)
        assert missing == [
            "未选择申报星级。",
            "未选择自评估（须为已提交的自评估）。",
            "未上传申请报告。",
            "未选择突破方向（优政、惠民、兴业）。",
            "任务书（草案）至少需要一项任务。",
            "未填写联系人。",
            "未填写联系电话。",
            "未填写联系人电子邮箱。",
        ]

    def test_eligibility_names_the_grade_needed_and_the_grade_held(
        self, draft, county_operator, huantai_assessment
    ):
        with pytest.raises(ValidationFailed) as error:
            services.application_update(
                by=county_operator,
                application=draft,
                target_grade=5,
                self_assessment=huantai_assessment,
                breakthrough_direction="",
                contact_name="",
                contact_phone="",
                contact_email="",
            )
        assert error.value.field == "self_assessment"
        assert str(error.value.message) == "申报五星级须自评估达到四星级，所选自评估为三星级。"
        draft.refresh_from_db()
        assert draft.target_grade is None

    def test_grade_not_offered(self, draft, county_operator):
        with pytest.raises(ValidationFailed) as error:
            services.application_update(
                by=county_operator,
                application=draft,
                target_grade=3,
                self_assessment=None,
                breakthrough_direction="",
                contact_name="",
                contact_phone="",
                contact_email="",
            )
        assert error.value.field == "target_grade"
        assert "四星级、五星级" in str(error.value.message)

    def test_draft_assessment_is_refused(self, draft, county_operator, huantai, county_standard):
        other = assessment_create(by=county_operator, region=huantai, standard_version=county_standard)
        with pytest.raises(ValidationFailed) as error:
            services.application_update(
                by=county_operator,
                application=draft,
                target_grade=4,
                self_assessment=other,
                breakthrough_direction="",
                contact_name="",
                contact_phone="",
                contact_email="",
            )
        assert "已提交" in str(error.value.message)

    def test_another_regions_assessment_is_refused(
        self, draft, county_operator, county_operator_same_city, county_standard
    ):
        other = submitted_assessment(
            by=county_operator_same_city, region=region("370303"), version=county_standard, grade=4
        )
        with pytest.raises(ValidationFailed):
            services.application_update(
                by=county_operator,
                application=draft,
                target_grade=4,
                self_assessment=other,
                breakthrough_direction="",
                contact_name="",
                contact_phone="",
                contact_email="",
            )

    def test_update_is_audited_with_before_and_after(self, complete, county_operator):
        entry = AuditEntry.objects.filter(action="application.update", target_id=str(complete.pk)).get()
        assert entry.before["target_grade"] is None and entry.after["target_grade"] == 4

    def test_tasks_every_bad_row_named(self, draft, county_operator):
        with pytest.raises(ValidationFailed) as error:
            services.application_save_tasks(
                by=county_operator,
                application=draft,
                tasks=[
                    {"title": "", "description": "无名", "domain": "huimin"},
                    {"title": "甲", "description": "", "domain": "nowhere"},
                    {"title": "甲", "description": "", "domain": "huimin"},
                ],
            )
        assert error.value.errors == [
            "任务书第 1 项缺少任务名称。",
            "任务书第 2 项未选择所属领域。",
            "任务书第 3 项的名称与第 2 项重复。",
        ]
        draft.refresh_from_db()
        assert draft.tasks == []

    def test_material_is_checked_by_content(self, draft, county_operator):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf" * 10)
        with pytest.raises(ValidationFailed):
            services.material_attach(by=county_operator, application=draft, kind="report", file=fake)
        assert not ApplicationMaterial.objects.exists()

    def test_material_removal_keeps_the_row(self, draft, county_operator):
        material = services.material_attach(by=county_operator, application=draft, kind="report", file=pdf())
        services.material_remove(by=county_operator, material=material)
        material.refresh_from_db()
        assert material.removed_at is not None and material.removed_by == county_operator
        assert material.file.storage.exists(material.file.name)
        assert "未上传申请报告。" in missing_items(draft)
        with pytest.raises(InvalidTransition):
            services.material_remove(by=county_operator, material=material)

    def test_no_editing_once_sent(self, with_city, county_operator):
        with pytest.raises(InvalidTransition):
            services.application_save_tasks(by=county_operator, application=with_city, tasks=[])

    def test_city_may_not_edit_a_countys(self, draft, city_operator):
        with pytest.raises(NotAllowed):
            services.application_save_tasks(by=city_operator, application=draft, tasks=[])

    def test_fill_helper(self, draft, county_operator, huantai_assessment):
        application = fill(draft, county_operator, huantai_assessment)
        assert application.target_grade == 4 and application.tasks[0]["domain"] == "huimin"
