"""Every view against every persona: anonymous, owner, same-city, other county, other city,
province staff, expert; wrong method and wrong state."""

import pytest
from django.urls import reverse

from starcity.assessments import services
from starcity.assessments.models import SelfAssessment
from starcity.assessments.tests.conftest import pdf_upload
from starcity.core.models import AuditEntry

# name → (method, needs evidence id)
ASSESSMENT_VIEWS = {
    "detail": ("get", False),
    "template": ("get", False),
    "save": ("post", False),
    "rename": ("post", False),
    "preview": ("post", False),
    "submit": ("post", False),
    "copy": ("post", False),
    "import": ("post", False),
    "evidence_upload": ("post", False),
    "evidence_download": ("get", True),
    "evidence_remove": ("post", True),
}
POST_ONLY = [name for name, (method, _) in ASSESSMENT_VIEWS.items() if method == "post"]


@pytest.fixture
def with_evidence(draft, county_operator):  # type: ignore[no-untyped-def]
    evidence = services.evidence_attach(
        by=county_operator, assessment=draft, indicator_code="H01", file=pdf_upload()
    )
    return draft, evidence


def url_for(name: str, assessment, evidence=None) -> str:  # type: ignore[no-untyped-def]
    args = [assessment.pk, evidence.pk] if ASSESSMENT_VIEWS[name][1] else [assessment.pk]
    return reverse(f"assessments:{name}", args=args)


def call(client, name, assessment, evidence=None):  # type: ignore[no-untyped-def]
    method = ASSESSMENT_VIEWS[name][0]
    return getattr(client, method)(url_for(name, assessment, evidence))


class TestAnonymous:
    @pytest.mark.parametrize("name", list(ASSESSMENT_VIEWS))
    def test_assessment_views_redirect_to_login(self, client, with_evidence, name):
        draft, evidence = with_evidence
        response = call(client, name, draft, evidence)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize("name", ["list", "export", "create"])
    def test_list_views_redirect_to_login(self, client, db, name):
        response = client.get(reverse(f"assessments:{name}"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class TestOutsiders:
    """Operators of other counties or cities, experts, and (for drafts) province staff and
    observers do not even learn that it exists."""

    @pytest.mark.parametrize(
        "persona",
        [
            "county_operator_other_city",
            "county_operator_same_city",
            "expert",
            "province_officer",
            "observer",
        ],
    )
    @pytest.mark.parametrize("name", list(ASSESSMENT_VIEWS))
    def test_draft_is_404(self, client, request, with_evidence, persona, name):
        draft, evidence = with_evidence
        client.force_login(request.getfixturevalue(persona))
        audit_count = AuditEntry.objects.count()
        assert call(client, name, draft, evidence).status_code == 404
        assert AuditEntry.objects.count() == audit_count

    @pytest.mark.parametrize("persona", ["county_operator_other_city", "county_operator_same_city", "expert"])
    @pytest.mark.parametrize("name", ["detail", "template", "copy", "evidence_download"])
    def test_submitted_is_404(self, client, request, submitted, persona, name):
        client.force_login(request.getfixturevalue(persona))
        assert call(client, name, submitted, submitted.evidence.get()).status_code == 404

    def test_province_does_not_see_drafts(self, client, draft, province_officer):
        client.force_login(province_officer)
        assert call(client, "detail", draft).status_code == 404


class TestOwnerAndCity:
    @pytest.mark.parametrize("persona", ["county_operator", "city_operator"])
    def test_detail_is_editable(self, client, request, draft, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(url_for("detail", draft))
        assert response.status_code == 200
        assert "save" in response.context["actions"]
        assert 'id="answers-form"' in response.content.decode()

    @pytest.mark.parametrize("persona", ["county_operator", "city_operator"])
    def test_can_save_and_submit(self, client, request, draft, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.post(url_for("save", draft), {}).status_code == 302
        assert client.post(url_for("submit", draft)).status_code == 302
        assert SelfAssessment.objects.get(pk=draft.pk).status == "submitted"

    def test_template_download(self, client, draft, county_operator):
        client.force_login(county_operator)
        response = client.get(url_for("template", draft))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].startswith("attachment")

    def test_remove_evidence(self, client, with_evidence, county_operator):
        draft, evidence = with_evidence
        client.force_login(county_operator)
        assert call(client, "evidence_remove", draft, evidence).status_code == 302
        evidence.refresh_from_db()
        assert evidence.removed_at is not None


class TestProvince:
    @pytest.mark.parametrize("persona", ["province_officer", "province_admin", "observer"])
    def test_sees_submitted_read_only(self, client, request, submitted, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(url_for("detail", submitted))
        assert response.status_code == 200
        assert response.context["actions"] == ["view", "template"]
        assert 'id="answers-form"' not in response.content.decode()
        assert client.get(url_for("template", submitted)).status_code == 200

    @pytest.mark.parametrize(
        "name", ["save", "rename", "preview", "submit", "copy", "import", "evidence_upload"]
    )
    def test_cannot_act_403(self, client, submitted, province_officer, name):
        client.force_login(province_officer)
        audit_count = AuditEntry.objects.count()
        assert call(client, name, submitted).status_code == 403
        assert AuditEntry.objects.count() == audit_count

    def test_cannot_remove_evidence_403(self, client, submitted, province_officer):
        client.force_login(province_officer)
        assert call(client, "evidence_remove", submitted, submitted.evidence.get()).status_code == 403

    def test_cannot_start(self, client, province_officer):
        client.force_login(province_officer)
        assert client.get(reverse("assessments:create")).status_code == 403


class TestWrongMethod:
    @pytest.mark.parametrize("name", POST_ONLY)
    def test_get_on_post_url_is_405(self, client, with_evidence, county_operator, name):
        draft, evidence = with_evidence
        client.force_login(county_operator)
        assert client.get(url_for(name, draft, evidence)).status_code == 405

    @pytest.mark.parametrize("name", ["detail", "template", "evidence_download"])
    def test_post_on_get_url_is_405(self, client, with_evidence, county_operator, name):
        draft, evidence = with_evidence
        client.force_login(county_operator)
        assert client.post(url_for(name, draft, evidence)).status_code == 405

    @pytest.mark.parametrize("name", ["list", "export"])
    def test_post_on_lists_is_405(self, client, county_operator, name):
        client.force_login(county_operator)
        assert client.post(reverse(f"assessments:{name}")).status_code == 405


class TestWrongState:
    def test_submit_twice_is_409_and_changes_nothing(self, client, submitted, county_operator):
        client.force_login(county_operator)
        row = SelfAssessment.objects.filter(pk=submitted.pk).values().get()
        audit_count = AuditEntry.objects.count()
        response = client.post(url_for("submit", submitted))
        assert response.status_code == 409
        assert "内容已冻结" in response.content.decode()
        assert SelfAssessment.objects.filter(pk=submitted.pk).values().get() == row
        assert AuditEntry.objects.count() == audit_count

    @pytest.mark.parametrize("name", ["save", "rename", "preview", "import", "evidence_upload"])
    def test_editing_a_submitted_one_is_409(self, client, submitted, county_operator, name):
        client.force_login(county_operator)
        audit_count = AuditEntry.objects.count()
        data = (
            {"file": pdf_upload(), "indicator_code": "H01"}
            if name in {"import", "evidence_upload"}
            else {"title": "新标题"}
        )
        assert client.post(url_for(name, submitted), data).status_code == 409
        assert AuditEntry.objects.count() == audit_count

    def test_remove_evidence_of_submitted_is_409(self, client, submitted, county_operator):
        client.force_login(county_operator)
        assert call(client, "evidence_remove", submitted, submitted.evidence.get()).status_code == 409

    def test_copy_of_a_draft_is_409(self, client, draft, county_operator):
        client.force_login(county_operator)
        assert client.post(url_for("copy", draft)).status_code == 409
        assert SelfAssessment.objects.count() == 1

    def test_copy_of_submitted_redirects_to_the_new_draft(self, client, submitted, county_operator):
        client.force_login(county_operator)
        response = client.post(url_for("copy", submitted))
        copy = SelfAssessment.objects.exclude(pk=submitted.pk).get()
        assert response.status_code == 302
        assert response["Location"] == reverse("assessments:detail", args=[copy.pk])
