"""standard_version_publish: who may publish, what is stored, and every refusal."""

import hashlib

import pytest
from django.utils import translation

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.standards.choices import VersionStatus
from starcity.standards.models import StandardLine, StandardVersion
from starcity.standards.services import StandardAlreadyPublished, standard_version_publish
from starcity.standards.tests.conftest import SHIPPED, shipped_text, with_field

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return StandardLine.objects.count(), StandardVersion.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("name", SHIPPED)
def test_publish_each_shipped_file(province_admin, name):
    text = shipped_text(name)
    version = standard_version_publish(by=province_admin, content=text, source_name=name)
    version.refresh_from_db()
    assert version.content == text
    assert version.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert version.status == VersionStatus.PUBLISHED
    assert version.superseded_at is None
    assert version.published_by == province_admin
    assert version.source_name == name
    assert version.line.level == version.level
    assert version.level in {"city", "county", "community"}
    assert version.indicator_count == len(version.data["indicators"]) > 0
    assert version.grades == version.data["grades"]
    assert version.title == version.data["title"]
    assert version.provenance.strip()
    entry = AuditEntry.objects.get(action="standard.publish", target_id=str(version.pk))
    assert entry.actor == province_admin
    assert entry.after == {
        "code": version.line.code,
        "version": version.version,
        "hash": version.content_hash,
    }


def test_conftest_fixtures_publish_three_lines(city_standard, county_standard, community_standard):
    levels = {city_standard.level, county_standard.level, community_standard.level}
    assert levels == {"city", "county", "community"}
    assert StandardLine.objects.count() == 3


def test_invalid_file_lists_every_error_with_line(province_admin, broken_text):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        standard_version_publish(by=province_admin, content=broken_text, source_name="broken.yaml")
    errors = caught.value.errors
    assert len(errors) >= 2
    assert any("level" in e for e in errors)
    assert all("第 " in e and " 行" in e for e in errors)
    assert "第 " in str(caught.value.message)
    assert _counts() == before


def test_invalid_yaml_syntax_names_its_line(province_admin):
    text = "schema: starcity/standard@1\ncode: X\nversion: [1\n"
    with pytest.raises(ValidationFailed) as caught:
        standard_version_publish(by=province_admin, content=text)
    assert caught.value.errors
    assert any("行" in e for e in caught.value.errors)


def test_errors_follow_the_active_language(province_admin, broken_text):
    messages = {}
    for language in ("zh-hans", "en"):
        with translation.override(language), pytest.raises(ValidationFailed) as caught:
            standard_version_publish(by=province_admin, content=broken_text)
        messages[language] = caught.value.errors
    assert len(messages["zh-hans"]) == len(messages["en"])
    assert messages["zh-hans"] != messages["en"]


def test_same_file_twice_is_refused_as_already_published(province_admin, city_text):
    first = standard_version_publish(by=province_admin, content=city_text)
    before = _counts()
    with pytest.raises(StandardAlreadyPublished) as caught:
        standard_version_publish(by=province_admin, content=city_text)
    assert caught.value.version == first
    assert "已经发布" in str(caught.value.message)
    assert _counts() == before


def test_same_version_with_other_content_is_refused(province_admin, city_text):
    standard_version_publish(by=province_admin, content=city_text)
    before = _counts()
    changed = with_field(city_text, "title_en", "A different title")
    with pytest.raises(InvalidTransition) as caught:
        standard_version_publish(by=province_admin, content=changed)
    assert not isinstance(caught.value, StandardAlreadyPublished)
    assert "新的版本" in str(caught.value.message)
    assert _counts() == before


def test_level_of_a_line_never_changes(province_admin, city_text, county_standard):
    before = _counts()
    moved = with_field(with_field(city_text, "code", county_standard.line.code), "version", "moved-1")
    with pytest.raises(InvalidTransition) as caught:
        standard_version_publish(by=province_admin, content=moved)
    assert county_standard.line.code in str(caught.value.message)
    assert _counts() == before
    assert StandardLine.objects.get(code=county_standard.line.code).level == county_standard.level


@pytest.mark.parametrize(
    "persona", ["province_officer", "city_operator", "county_operator", "expert", "observer"]
)
def test_only_province_admin_publishes(request, persona, city_text):
    user = request.getfixturevalue(persona)
    before = _counts()
    with pytest.raises(NotAllowed):
        standard_version_publish(by=user, content=city_text)
    assert _counts() == before


def test_no_user_needs_the_explicit_system_flag(db, city_text):
    with pytest.raises(NotAllowed):
        standard_version_publish(by=None, content=city_text)
    version = standard_version_publish(by=None, content=city_text, system=True)
    assert version.published_by is None
    assert AuditEntry.objects.get(action="standard.publish").actor is None


def test_new_version_supersedes_the_previous_one(province_admin, city_text):
    old = standard_version_publish(by=province_admin, content=city_text)
    new = standard_version_publish(by=province_admin, content=with_field(city_text, "version", "2026-next"))
    old.refresh_from_db()
    assert old.status == VersionStatus.SUPERSEDED
    assert old.superseded_at == new.published_at
    assert new.status == VersionStatus.PUBLISHED
    assert old.line_id == new.line_id
    assert StandardVersion.objects.filter(line=old.line, status=VersionStatus.PUBLISHED).get() == new
    supersede = AuditEntry.objects.get(action="standard.supersede")
    assert (supersede.target_id, supersede.from_state, supersede.to_state) == (
        str(old.pk),
        "published",
        "superseded",
    )
    # The old version remains readable and scorable for records that pinned it.
    from starcity.standards.selectors import scoring_standard_for

    assert scoring_standard_for(old).version == old.version


def test_other_lines_are_not_superseded(city_standard, county_standard, province_admin, city_text):
    standard_version_publish(by=province_admin, content=with_field(city_text, "version", "2026-next"))
    county_standard.refresh_from_db()
    assert county_standard.status == VersionStatus.PUBLISHED


def test_the_file_is_parsed_before_the_transaction_takes_the_write_lock(
    province_admin, city_text, monkeypatch
):
    from django.db import connection

    from starcity.standards import services

    depths: dict[str, int] = {}
    real_load, real_line = services.load_standard, services._line_for

    def load(*args, **kwargs):  # type: ignore[no-untyped-def]
        depths["parse"] = len(connection.savepoint_ids)
        return real_load(*args, **kwargs)

    def line_for(standard):  # type: ignore[no-untyped-def]
        depths["lock"] = len(connection.savepoint_ids)
        return real_line(standard)

    monkeypatch.setattr(services, "load_standard", load)
    monkeypatch.setattr(services, "_line_for", line_for)
    standard_version_publish(by=province_admin, content=city_text)
    assert depths["lock"] == depths["parse"] + 1
