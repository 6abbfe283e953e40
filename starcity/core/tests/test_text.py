"""Lists in messages are written the way the language writes them: "甲、乙" or "a, b"."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from starcity.core.errors import ValidationFailed
from starcity.core.tests.test_uploads import PNG, upload
from starcity.core.text import clauses, enumeration
from starcity.core.uploads import validate_upload


def test_enumeration_and_clauses_follow_the_language():
    with translation.override("zh-hans"):
        assert enumeration(["甲", "乙", "丙"]) == "甲、乙、丙"
        assert clauses(["甲", "乙"]) == "甲；乙"
    with translation.override("en"):
        assert enumeration(["a", "b", "c"]) == "a, b, c"
        assert clauses(["a", "b"]) == "a; b"
    assert enumeration([]) == ""


@pytest.mark.parametrize(("language", "listed"), [("zh-hans", "pdf、xlsx"), ("en", "pdf, xlsx")])
def test_upload_refusal_lists_the_allowed_kinds_in_the_language(language, listed):
    with translation.override(language), pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("a.png", PNG), allowed={"xlsx", "pdf"})
    assert listed in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("zh-hans", "、"), ("en", ", ")])
def test_membership_level_message_lists_levels_in_the_language(
    monkeypatch, county_operator, language, separator
):
    from starcity.accounts import models
    from starcity.accounts.choices import Role
    from starcity.regions.choices import Level

    monkeypatch.setitem(models.ROLE_LEVELS, Role.COUNTY_OPERATOR, (Level.PROVINCE, Level.CITY))
    membership = county_operator.memberships.get()
    with translation.override(language):
        listed = separator.join(str(level.label) for level in (Level.PROVINCE, Level.CITY))
        with pytest.raises(ValidationError) as caught:
            membership.clean()
    assert listed in str(caught.value)
