"""The admin shows standards read-only: versions are published only through the service."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, province_admin):
    """A province administrator with every model permission (the admin site checks the role)."""
    province_admin.is_staff = province_admin.is_superuser = True
    province_admin.save()
    client.force_login(province_admin)
    return client


def test_versions_can_be_viewed_not_added_changed_or_deleted(superuser_client, city_standard):
    version_url = reverse("admin:standards_standardversion_change", args=[city_standard.pk])
    assert superuser_client.get(reverse("admin:standards_standardversion_changelist")).status_code == 200
    page = superuser_client.get(version_url)
    assert page.status_code == 200
    assert b'name="content"' not in page.content
    assert superuser_client.get(reverse("admin:standards_standardversion_add")).status_code == 403
    delete_url = reverse("admin:standards_standardversion_delete", args=[city_standard.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(version_url, {"title": "x"}).status_code == 403


def test_lines_are_read_only(superuser_client, city_standard):
    line_url = reverse("admin:standards_standardline_change", args=[city_standard.line.pk])
    assert superuser_client.get(line_url).status_code == 200
    assert superuser_client.get(reverse("admin:standards_standardline_add")).status_code == 403
