"""Evidence files: checked by content, stored privately, downloaded only with permission."""

import pytest
from django.urls import reverse

from starcity.assessments import services
from starcity.assessments.models import Evidence
from starcity.assessments.tests.conftest import EXE, PDF, docx_bytes, pdf_upload
from starcity.core.errors import NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry


def upload_url(assessment):  # type: ignore[no-untyped-def]
    return reverse("assessments:evidence_upload", args=[assessment.pk])


class TestAttach:
    def test_pdf_is_stored_privately_under_a_random_name(self, draft, county_operator, private_media):
        evidence = services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("../../材料.pdf")
        )
        assert evidence.original_name == "材料.pdf"
        assert evidence.content_type == "application/pdf"
        assert evidence.size == len(PDF)
        assert "材料" not in evidence.file.name and evidence.file.name.endswith(".pdf")
        stored = private_media / evidence.file.name
        assert stored.read_bytes() == PDF
        entry = AuditEntry.objects.get(action="evidence.attach")
        assert entry.after["evidence"]["sha256"] == evidence.sha256

    def test_docx_is_accepted(self, draft, county_operator):
        from django.core.files.uploadedfile import SimpleUploadedFile

        file = SimpleUploadedFile("方案.docx", docx_bytes())
        evidence = services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=file
        )
        assert evidence.content_type.endswith("wordprocessingml.document")

    def test_exe_renamed_pdf_is_refused_and_nothing_stored(self, draft, county_operator, private_media):
        with pytest.raises(ValidationFailed) as caught:
            services.evidence_attach(
                by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("报告.pdf", EXE)
            )
        assert "报告.pdf" in str(caught.value)
        assert not Evidence.objects.exists()
        assert not AuditEntry.objects.filter(action="evidence.attach").exists()
        assert not list(private_media.rglob("*.*"))

    def test_oversize_is_refused(self, draft, county_operator, settings):
        settings.UPLOAD_MAX_BYTES = 16
        with pytest.raises(ValidationFailed) as caught:
            services.evidence_attach(
                by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload()
            )
        assert "证明.pdf" in str(caught.value)
        assert not Evidence.objects.exists()

    def test_unknown_indicator_is_refused(self, draft, county_operator):
        with pytest.raises(ValidationFailed) as caught:
            services.evidence_attach(
                by=county_operator, assessment=draft, indicator_code="ZZ9", file=pdf_upload()
            )
        assert "ZZ9" in str(caught.value)

    def test_outside_region_is_refused(self, draft, county_operator_other_city):
        with pytest.raises(NotAllowed):
            services.evidence_attach(
                by=county_operator_other_city, assessment=draft, indicator_code="H01", file=pdf_upload()
            )
        assert not Evidence.objects.exists()


class TestRemove:
    def test_removal_is_soft_and_audited(self, draft, county_operator):
        evidence = services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload()
        )
        services.evidence_remove(by=county_operator, evidence=evidence)
        evidence.refresh_from_db()
        assert evidence.removed_at is not None and evidence.removed_by == county_operator
        assert evidence.file.storage.exists(evidence.file.name)
        assert AuditEntry.objects.filter(action="evidence.remove").count() == 1


class TestUploadView:
    def test_upload_through_the_view(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01", "file": pdf_upload()})
        assert response.status_code == 302
        assert draft.evidence.count() == 1

    def test_disguised_exe_gets_400_naming_the_file(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(
            upload_url(draft), {"indicator_code": "H01", "file": pdf_upload("setup.pdf", EXE)}
        )
        assert response.status_code == 400
        assert "setup.pdf" in response.content.decode()
        assert not draft.evidence.exists()

    def test_oversize_gets_400(self, client, draft, county_operator, settings):
        settings.UPLOAD_MAX_BYTES = 16
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01", "file": pdf_upload()})
        assert response.status_code == 400
        assert not draft.evidence.exists()

    def test_missing_file_gets_400(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01"})
        assert response.status_code == 400


class TestDownload:
    @pytest.fixture
    def evidence(self, draft, county_operator):  # type: ignore[no-untyped-def]
        return services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("证明.pdf")
        )

    def url(self, evidence):  # type: ignore[no-untyped-def]
        return reverse("assessments:evidence_download", args=[evidence.assessment_id, evidence.pk])

    def test_owner_downloads_as_attachment(self, client, evidence, county_operator):
        client.force_login(county_operator)
        response = client.get(self.url(evidence))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"

    @pytest.mark.parametrize("persona", ["county_operator_other_city", "county_operator_same_city", "expert"])
    def test_others_get_404(self, client, evidence, persona, request):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(self.url(evidence)).status_code == 404

    def test_province_cannot_download_a_draft(self, client, evidence, province_officer):
        client.force_login(province_officer)
        assert client.get(self.url(evidence)).status_code == 404

    def test_province_downloads_from_a_submitted_one(self, client, submitted, province_officer):
        client.force_login(province_officer)
        response = client.get(self.url(submitted.evidence.get()))
        assert response.status_code == 200

    def test_removed_file_is_gone(self, client, evidence, county_operator):
        services.evidence_remove(by=county_operator, evidence=evidence)
        client.force_login(county_operator)
        assert client.get(self.url(evidence)).status_code == 404

    def test_evidence_under_another_assessment_id_is_404(
        self, client, evidence, city_operator, county_standard
    ):
        from starcity.assessments.tests.conftest import region

        other = services.assessment_create(
            by=city_operator, region=region("370303"), standard_version=county_standard
        )
        client.force_login(city_operator)
        url = reverse("assessments:evidence_download", args=[other.pk, evidence.pk])
        assert client.get(url).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, evidence):
        response = client.get(self.url(evidence))
        assert response.status_code == 302 and "login" in response["Location"]
