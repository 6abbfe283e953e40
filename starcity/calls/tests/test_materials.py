"""Material pages: upload (checked by content), removal (kept), download with permission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from starcity.calls import services
from starcity.calls.models import ApplicationMaterial
from starcity.calls.tests.conftest import pdf
from starcity.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_upload_and_download(client, draft, county_operator, city_operator):
    client.force_login(county_operator)
    response = client.post(
        reverse("calls:material_upload", args=[draft.pk]), {"kind": "report", "file": pdf()}
    )
    assert response.status_code == 302
    material = ApplicationMaterial.objects.get()
    assert material.content_kind == "pdf" and material.original_name == "申请报告.pdf"
    for user in (county_operator, city_operator):
        client.force_login(user)
        download = client.get(reverse("calls:material_download", args=[draft.pk, material.pk]))
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in download["Content-Disposition"]


def test_refused_upload_names_the_file(client, draft, county_operator):
    client.force_login(county_operator)
    fake = SimpleUploadedFile("报告.pdf", b"plain text pretending")
    response = client.post(
        reverse("calls:material_upload", args=[draft.pk]), {"kind": "report", "file": fake}
    )
    assert response.status_code == 400
    assert "报告.pdf" in response.content.decode()
    assert not ApplicationMaterial.objects.exists()


def test_upload_by_the_city_is_403(client, draft, city_operator):
    client.force_login(city_operator)
    response = client.post(
        reverse("calls:material_upload", args=[draft.pk]), {"kind": "report", "file": pdf()}
    )
    assert response.status_code == 403


def test_upload_after_sending_is_409(client, with_city, county_operator):
    client.force_login(county_operator)
    response = client.post(
        reverse("calls:material_upload", args=[with_city.pk]), {"kind": "report", "file": pdf()}
    )
    assert response.status_code == 409
    assert with_city.materials.count() == 1


def test_remove_keeps_the_file_and_audits(client, complete, county_operator):
    material = complete.materials.get()
    client.force_login(county_operator)
    response = client.post(reverse("calls:material_remove", args=[complete.pk, material.pk]))
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.removed_at is not None
    assert AuditEntry.objects.filter(
        action="application.material_remove", target_id=str(complete.pk)
    ).exists()
    # removed and never submitted: gone for everyone
    assert client.get(reverse("calls:material_download", args=[complete.pk, material.pk])).status_code == 404
    assert client.get(reverse("calls:material_remove", args=[complete.pk, material.pk])).status_code == 405


def test_province_downloads_only_what_was_submitted(client, complete, province_officer, county_operator):
    material = complete.materials.get()
    client.force_login(province_officer)
    assert client.get(reverse("calls:material_download", args=[complete.pk, material.pk])).status_code == 404


def test_other_city_and_anonymous(client, submitted, county_operator_other_city):
    material = submitted.materials.get()
    url = reverse("calls:material_download", args=[submitted.pk, material.pk])
    assert "/login/" in client.get(url)["Location"]
    client.force_login(county_operator_other_city)
    assert client.get(url).status_code == 404


def test_material_of_another_application_is_404(
    client, complete, county_operator, call, county_operator_same_city, zhangdian
):
    other = services.application_create(by=county_operator_same_city, call=call, region=zhangdian)
    material = complete.materials.get()
    client.force_login(county_operator_same_city)
    assert client.get(reverse("calls:material_download", args=[other.pk, material.pk])).status_code == 404
