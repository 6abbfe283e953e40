"""The audit log is append-only and its actions have translated names."""

import pytest
from django.template import Context, Template
from django.utils import translation

from starcity.core.audit import action_label, audit_record, audit_timeline_for, audit_timeline_for_scope
from starcity.core.models import AuditEntry
from starcity.regions.models import Region

pytestmark = pytest.mark.django_db


def test_an_audit_row_cannot_be_changed_or_deleted(county_operator):
    region = Region.objects.get(code="370321")
    entry = audit_record(actor=county_operator, action="region.load", target=region, scope=region.path)
    entry.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


def test_timelines_by_object_and_by_region_subtree(county_operator):
    county = Region.objects.get(code="370321")
    city = Region.objects.get(code="370300")
    other = Region.objects.get(code="370114")
    audit_record(actor=county_operator, action="region.load", target=county, scope=county.path)
    audit_record(actor=None, action="region.load", target=other, scope=other.path)
    assert [e.target_id for e in audit_timeline_for(county)] == [str(county.pk)]
    assert [e.target_id for e in audit_timeline_for_scope(city.path, user=county_operator)] == [
        str(county.pk)
    ]


def test_action_labels_are_translated_and_unknown_actions_show_their_code():
    assert action_label("assessment.submit") == "提交自评估"
    assert action_label("no.such.action") == "no.such.action"
    with translation.override("en"):
        assert Template("{% load audit %}{{ a|action_label }}").render(
            Context({"a": "assessment.submit"})
        ) == ("Submit self-assessment")
