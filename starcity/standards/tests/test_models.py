"""Stored versions are immutable: their content never changes and they are never deleted."""

import pytest
from django.db import IntegrityError, transaction

from starcity.core import clock
from starcity.standards.choices import VersionStatus
from starcity.standards.models import ImmutableVersion, StandardVersion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", "schema: other"),
        ("content_hash", "0" * 64),
        ("data", {"code": "X"}),
        ("title", "改过的标题"),
        ("version", "other"),
        ("grades", ["一星级"]),
        ("indicator_count", 1),
    ],
)
def test_saving_a_changed_content_field_raises(city_standard, field, value):
    version = StandardVersion.objects.get(pk=city_standard.pk)
    setattr(version, field, value)
    with pytest.raises(ImmutableVersion):
        version.save()
    assert getattr(StandardVersion.objects.get(pk=version.pk), field) != value


def test_bulk_update_of_content_raises(city_standard):
    with pytest.raises(ImmutableVersion):
        StandardVersion.objects.filter(pk=city_standard.pk).update(content="x")


def test_status_may_change(city_standard):
    version = StandardVersion.objects.get(pk=city_standard.pk)
    version.status = VersionStatus.SUPERSEDED
    version.superseded_at = clock.now()
    version.save()
    assert StandardVersion.objects.get(pk=version.pk).status == VersionStatus.SUPERSEDED


def test_unchanged_save_is_allowed(city_standard):
    before = StandardVersion.objects.filter(pk=city_standard.pk).values().get()
    StandardVersion.objects.get(pk=city_standard.pk).save()
    assert StandardVersion.objects.filter(pk=city_standard.pk).values().get() == before


def test_delete_raises(city_standard):
    with pytest.raises(ImmutableVersion):
        city_standard.delete()
    assert StandardVersion.objects.filter(pk=city_standard.pk).exists()


def test_database_allows_one_version_in_force_per_line(city_standard):
    duplicate = StandardVersion(
        line=city_standard.line,
        version="parallel",
        level=city_standard.level,
        title="t",
        provenance="p",
        grades=city_standard.grades,
        content="c",
        content_hash="h",
        data={},
        indicator_count=0,
        published_at=clock.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_line_level_is_fixed(city_standard):
    line = city_standard.line
    line.level = "county"
    with pytest.raises(ImmutableVersion):
        line.save()


def test_title_follows_the_language(city_standard):
    from django.utils import translation

    assert city_standard.title_en
    assert city_standard.title_for("en") == city_standard.title_en
    assert city_standard.title_for("zh-hans") == city_standard.title
    with translation.override("en"):
        assert city_standard.display_title == city_standard.title_en
    with translation.override("zh-hans"):
        assert city_standard.display_title == city_standard.title


def test_title_without_english_stays_chinese(city_standard):
    city_standard.title_en = ""  # in memory only: a stored version never changes
    assert city_standard.title_for("en") == city_standard.title
