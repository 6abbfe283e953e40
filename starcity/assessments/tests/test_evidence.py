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


class TestAttachTransaction:
    """The file is checked, hashed and written before the transaction; a failed commit leaves no
    file behind."""

    def test_a_failing_transaction_deletes_the_stored_file(
        self, draft, county_operator, private_media, monkeypatch
    ):
        from starcity.assessments.services import evidence as module

        def broken(**kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("the audit table is unavailable")

        monkeypatch.setattr(module, "audit_record", broken)
        with pytest.raises(RuntimeError):
            services.evidence_attach(
                by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload()
            )
        assert not Evidence.objects.exists()
        assert not [path for path in private_media.rglob("*") if path.is_file()]

    def test_checking_and_hashing_run_outside_the_write_transaction(
        self, draft, county_operator, monkeypatch
    ):
        from django.db import connection

        from starcity.assessments.services import evidence as module

        depth: dict[str, int] = {}
        real_validate, real_audit = module.validate_upload, module.audit_record

        def validate(*args, **kwargs):  # type: ignore[no-untyped-def]
            depth["validate"] = len(connection.atomic_blocks)
            return real_validate(*args, **kwargs)

        def audit(**kwargs):  # type: ignore[no-untyped-def]
            depth["audit"] = len(connection.atomic_blocks)
            return real_audit(**kwargs)

        monkeypatch.setattr(module, "validate_upload", validate)
        monkeypatch.setattr(module, "audit_record", audit)
        outer = len(connection.atomic_blocks)  # the test's own transaction
        services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload()
        )
        assert depth["validate"] == outer
        assert depth["audit"] > outer

    def test_user_and_state_are_checked_again_under_the_lock(self, submitted, county_operator, private_media):
        from starcity.core.errors import InvalidTransition

        with pytest.raises(InvalidTransition):
            services.evidence_attach(
                by=county_operator, assessment=submitted, indicator_code="H01", file=pdf_upload()
            )
        assert submitted.evidence.count() == 1
        assert len([path for path in private_media.rglob("*") if path.is_file()]) == 1


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
    """Without JavaScript: the page comes back at the indicator, the outcome in a message on top."""

    def test_upload_through_the_view(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01", "file": pdf_upload()})
        assert response.status_code == 302
        assert response["Location"] == reverse("assessments:detail", args=[draft.pk]) + "#ind-H01"
        assert draft.evidence.count() == 1

    def test_disguised_exe_comes_back_at_the_indicator_naming_the_file(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(
            upload_url(draft), {"indicator_code": "H01", "file": pdf_upload("setup.pdf", EXE)}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#ind-H01")
        page = client.get(response["Location"]).content.decode()
        top = page.split('<ul class="messages">')[1].split("</ul>")[0]
        assert "msg-error" in top and "setup.pdf" in top and "H01" in top
        assert not draft.evidence.exists()

    def test_oversize_is_refused(self, client, draft, county_operator, settings):
        settings.UPLOAD_MAX_BYTES = 16
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01", "file": pdf_upload()})
        assert response.status_code == 302
        assert "证明.pdf" in client.get(response["Location"]).content.decode()
        assert not draft.evidence.exists()

    def test_missing_file_asks_to_choose_one(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01"}, follow=True)
        assert "请先选择文件" in response.content.decode()
        assert not draft.evidence.exists()


HTMX = {"HX-Request": "true"}


class TestUploadWithHtmx:
    """With htmx only the indicator's evidence block is answered: unsaved edits elsewhere on the
    page stay, errors show inline in the block, the list is refreshed on success."""

    def test_success_answers_the_block_with_the_new_file(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(
            upload_url(draft), {"indicator_code": "H01", "file": pdf_upload("网办.pdf")}, headers=HTMX
        )
        assert response.status_code == 200
        assert next(t.name for t in response.templates) == "assessments/partials/_evidence.html"
        page = response.content.decode()
        assert page.lstrip().startswith('<div class="evidence small" id="evidence-H01">')
        assert "网办.pdf" in page and 'role="status"' in page
        evidence = draft.evidence.get()
        assert reverse("assessments:evidence_download", args=[draft.pk, evidence.pk]) in page
        assert 'id="submit-check" class="submit-check" hx-swap-oob="true"' in page  # the summary too
        assert 'id="answers-form"' not in page
        assert not list(response.wsgi_request._messages)  # nothing left for the next page

    def test_refused_file_shows_inline_as_an_alert(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(
            upload_url(draft), {"indicator_code": "H01", "file": pdf_upload("setup.pdf", EXE)}, headers=HTMX
        )
        assert response.status_code == 400
        page = response.content.decode()
        alert = page.split('role="alert">')[1]
        assert "setup.pdf" in alert.split("</ul>")[0]
        assert 'id="evidence-H01"' in page
        assert not draft.evidence.exists()

    def test_no_file_chosen_says_so(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.post(upload_url(draft), {"indicator_code": "H01"}, headers=HTMX)
        assert response.status_code == 400
        assert "请先选择文件" in response.content.decode()
        assert "这个字段是必填项" not in response.content.decode()

    def test_remove_answers_the_block_without_the_file(self, client, draft, county_operator):
        evidence = services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("旧.pdf")
        )
        client.force_login(county_operator)
        url = reverse("assessments:evidence_remove", args=[draft.pk, evidence.pk])
        response = client.post(url, headers=HTMX)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="evidence-H01"' in page
        assert reverse("assessments:evidence_download", args=[draft.pk, evidence.pk]) not in page
        evidence.refresh_from_db()
        assert evidence.removed_at is not None

    def test_the_page_posts_the_upload_with_htmx_into_the_block(self, client, draft, county_operator):
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        form = page.split('<form id="upload-H01"')[1].split(">")[0]
        assert 'hx-encoding="multipart/form-data"' in form
        assert f'hx-post="{upload_url(draft)}"' in form
        assert 'hx-target="#evidence-H01"' in form and 'hx-swap="outerHTML"' in form
        assert f'action="{upload_url(draft)}"' in form  # the fallback without JavaScript
        # the file input sits in the answers form (next to its indicator) but belongs to the upload
        # form, and a chosen file does not trigger the answers form's preview
        assert 'name="file" form="upload-H01"' in page
        assert "hx-trigger=\"change[target.type!='file'] delay:300ms\"" in page


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


class TestSizeAndRemovalWording:
    MB = 1024 * 1024

    @pytest.mark.parametrize(
        ("size", "shown"),
        [
            (int(20.3 * MB), ("20.3\xa0MB", "20.0\xa0MB")),
            (20 * MB + 5000, ("20.004\xa0MB", "20.000\xa0MB")),
            (20 * MB + 1, ("20,971,521 字节", "20,971,520 字节")),
            (25 * MB, ("25.0\xa0MB", "20.0\xa0MB")),
        ],
    )
    def test_a_size_just_over_the_limit_is_told_apart_from_it(self, size, shown):
        from starcity.assessments.forms import sizes_apart

        assert sizes_apart(size, 20 * self.MB) == shown

    def test_the_upload_says_how_much_over(self, client, draft, county_operator, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.UPLOAD_MAX_BYTES = self.MB
        client.force_login(county_operator)
        big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (self.MB + 5000 - len(PDF)))
        response = client.post(
            upload_url(draft), {"indicator_code": "H01", "file": big}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400
        assert "文件“大文件.pdf”大小为 1.004\xa0MB，超过上限 1.000\xa0MB。" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_removal_asks_first_naming_the_file(self, client, draft, county_operator):
        evidence = services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("证明.pdf")
        )
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        remove = reverse("assessments:evidence_remove", args=[draft.pk, evidence.pk])
        button = page.split(f'hx-post="{remove}"')[1].split("</button>")[0]
        assert 'hx-confirm="确定移除佐证材料“证明.pdf”吗？"' in button
        form = page.split(f'<form id="remove-{evidence.pk}"')[1].split(">")[0]
        assert 'data-confirm="确定移除佐证材料“证明.pdf”吗？"' in form  # without htmx, the page script asks

    def test_the_confirmation_escapes_the_name(self, client, draft, county_operator):
        services.evidence_attach(
            by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload("甲&乙.pdf")
        )
        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert 'hx-confirm="确定移除佐证材料“甲&amp;乙.pdf”吗？"' in page


class TestPendingFiles:
    def test_a_chosen_file_not_uploaded_counts_as_unsaved(self, client, draft, county_operator):
        from django.conf import settings

        client.force_login(county_operator)
        page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
        assert 'name="file" form="upload-H01" data-code="H01"' in page
        note = page.split('class="small pending-note"')[1].split("</span>")[0]
        assert 'data-with-codes="有未上传的文件：{codes}"' in note and note.endswith(">有未上传的文件")
        assert 'if (form.dataset.dirty === "true" || pendingFiles().length)' in page  # beforeunload
        css = (settings.BASE_DIR / "static/css/starcity.css").read_text()
        assert '#answers-form[data-pending-files="true"] .save-bar .pending-note { display:inline; }' in css
