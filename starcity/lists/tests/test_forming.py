"""Forming the preliminary list: ranking per level with quotas and eligibility, refusals, forming
again with overrides kept, and the audit trail."""

from datetime import date

import pytest

from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.choices import ListStatus, Outcome
from starcity.lists.models import ListEntry, SelectionList
from starcity.lists.testing import (
    accepted_application,
    concluded_panel,
    raised,
    ranked_application,
    standard_of,
)
from starcity.reviews.choices import PanelStatus

pytestmark = pytest.mark.django_db


def rows(selection_list, level="county"):  # type: ignore[no-untyped-def]
    return [
        (e.application.region.code, e.rank, e.verified_grade, e.eligible, e.proposed_outcome, e.outcome)
        for e in ListEntry.objects.filter(selection_list=selection_list, level=level)
        .select_related("application__region")
        .order_by("rank")
    ]


class TestForm:
    def test_ranks_by_grade_applies_eligibility_and_quotas(self, formed):
        assert formed.status == ListStatus.PRELIMINARY
        assert rows(formed) == [
            ("370321", 1, 4, True, Outcome.PILOT, Outcome.PILOT),
            ("370303", 2, 3, True, Outcome.PRE_PILOT, Outcome.PRE_PILOT),
            ("370322", 3, 2, False, Outcome.NOT_SELECTED, Outcome.NOT_SELECTED),
        ]

    def test_pre_pilots_get_the_calls_recheck_date(self, formed):
        entries = {e.application.region.code: e for e in formed.entries.select_related("application__region")}
        assert entries["370303"].recheck_by == date(2027, 9, 30)
        assert entries["370321"].recheck_by is None

    def test_verified_grade_and_score_come_from_the_panel(self, formed, three):
        entry = ListEntry.objects.get(application=three["huantai"])
        assert (entry.verified_grade, entry.verified_score) == (
            three["huantai"].panel.verified_grade,
            three["huantai"].panel.verified_score,
        )

    def test_score_breaks_a_grade_tie_then_region_code(self, call, province_officer):
        standard = standard_of(call, "county")
        ranked_application(call=call, region="370323", by=province_officer, grade=3)
        ranked_application(call=call, region="370302", by=province_officer, grade=3)
        ranked_application(call=call, region="370305", by=province_officer, values=raised(standard, 3, 3))
        selection_list = services.selection_list_form(by=province_officer, call=call)
        assert [row[:2] for row in rows(selection_list)] == [("370305", 1), ("370302", 2), ("370323", 3)]
        assert [row[5] for row in rows(selection_list)] == [
            Outcome.PILOT,
            Outcome.PRE_PILOT,
            Outcome.NOT_SELECTED,
        ]

    def test_writes_an_audit_row_with_counts(self, formed, province_officer):
        row = AuditEntry.objects.get(action="list.form")
        assert row.actor == province_officer
        assert row.target_id == str(formed.pk)
        assert row.extra["counts"] == {"county": {"pilot": 1, "pre_pilot": 1, "not_selected": 1}}
        assert row.scope == "370000/"

    def test_refused_while_a_panel_has_not_concluded_naming_each(self, call, three, province_officer):
        late = accepted_application(call=call, region="370323", by=province_officer)
        concluded_panel(application=late, by=province_officer, status=PanelStatus.SCORING)
        undrawn = accepted_application(call=call, region="370302", by=province_officer)
        with pytest.raises(InvalidTransition) as refused:
            services.selection_list_form(by=province_officer, call=call)
        assert "2 份" in str(refused.value.message)
        assert "淄博市沂源县" in str(refused.value.message) and "淄博市淄川区" in str(refused.value.message)
        assert len(refused.value.errors) == 2
        assert not SelectionList.objects.exists()
        assert undrawn.pk

    def test_refused_without_any_concluded_application(self, call, province_officer):
        with pytest.raises(InvalidTransition):
            services.selection_list_form(by=province_officer, call=call)
        assert not SelectionList.objects.exists()

    @pytest.mark.parametrize("persona", ["county_operator", "city_operator", "observer", "expert"])
    def test_only_province_staff_form_a_list(self, request, call, three, persona):
        with pytest.raises(NotAllowed):
            services.selection_list_form(by=request.getfixturevalue(persona), call=call)
        assert not SelectionList.objects.exists()

    def test_province_admin_may_form(self, call, three, province_admin):
        assert services.selection_list_form(by=province_admin, call=call).entries.count() == 3


class TestReform:
    def test_takes_new_applications_and_keeps_overrides(self, formed, call, province_officer):
        gaoqing = ListEntry.objects.get(application__region__code="370322")
        services.list_entry_override(
            by=province_officer, entry=gaoqing, outcome=Outcome.PRE_PILOT, reason="地方特色突出"
        )
        ranked_application(call=call, region="370305", by=province_officer, grade=5, target_grade=5)
        again = services.selection_list_form(by=province_officer, call=call)
        assert again.pk == formed.pk
        assert rows(again) == [
            ("370305", 1, 5, True, Outcome.PILOT, Outcome.PILOT),
            ("370321", 2, 4, True, Outcome.NOT_SELECTED, Outcome.NOT_SELECTED),  # the override took the place
            ("370303", 3, 3, True, Outcome.NOT_SELECTED, Outcome.NOT_SELECTED),
            ("370322", 4, 2, False, Outcome.NOT_SELECTED, Outcome.PRE_PILOT),
        ]
        kept = ListEntry.objects.get(pk=gaoqing.pk)
        assert kept.override_reason == "地方特色突出"
        assert AuditEntry.objects.filter(action="list.reform").count() == 1

    def test_refused_once_on_site_and_nothing_changes(self, on_site, call, province_officer):
        before = AuditEntry.objects.count()
        with pytest.raises(InvalidTransition):
            services.selection_list_form(by=province_officer, call=call)
        assert AuditEntry.objects.count() == before
        assert SelectionList.objects.get(pk=on_site.pk).status == ListStatus.ONSITE
