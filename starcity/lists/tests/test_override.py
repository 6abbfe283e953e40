"""The office's override of one entry: a mandatory reason, the level placed again, the audit row
with from → to, restoring the rule, and the upheld objection it may follow."""

import pytest

from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.core.models import AuditEntry
from starcity.lists import services
from starcity.lists.choices import ObjectionStatus, Outcome
from starcity.lists.models import ListEntry, Objection

pytestmark = pytest.mark.django_db


def entry(code: str) -> ListEntry:
    return ListEntry.objects.select_related("application__region").get(application__region__code=code)


class TestReason:
    @pytest.mark.parametrize("reason", ["", "   "])
    def test_reason_is_mandatory_and_nothing_changes(self, formed, province_officer, reason):
        with pytest.raises(ValidationFailed) as refused:
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason=reason
            )
        assert refused.value.field == "reason"
        assert entry("370321").outcome == Outcome.PILOT
        assert not AuditEntry.objects.filter(action="list.override").exists()

    def test_same_outcome_is_refused(self, formed, province_officer):
        with pytest.raises(ValidationFailed) as refused:
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome=Outcome.PILOT, reason="x"
            )
        assert "淄博市桓台县" in str(refused.value.message)

    def test_unknown_outcome_is_refused(self, formed, province_officer):
        with pytest.raises(ValidationFailed):
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome="gold", reason="x"
            )


class TestEffect:
    def test_override_moves_the_next_into_the_freed_place_and_is_audited(self, formed, province_officer):
        services.list_entry_override(
            by=province_officer, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason="材料存在问题"
        )
        huantai, zhangdian = entry("370321"), entry("370303")
        assert (huantai.outcome, huantai.proposed_outcome, huantai.override_reason) == (
            Outcome.NOT_SELECTED,
            Outcome.PILOT,
            "材料存在问题",
        )
        assert huantai.overridden_by == province_officer and huantai.overridden_at is not None
        assert zhangdian.outcome == Outcome.PILOT and zhangdian.recheck_by is None
        row = AuditEntry.objects.get(action="list.override")
        assert (row.from_state, row.to_state, row.reason) == (
            Outcome.PILOT,
            Outcome.NOT_SELECTED,
            "材料存在问题",
        )
        assert row.target_type == "calls.application" and row.scope == huantai.application.region.path
        assert row.extra["moved"] == [{"region": "淄博市张店区", "from": "pre_pilot", "to": "pilot"}]

    def test_override_to_pre_pilot_sets_the_recheck_date(self, formed, province_officer, call):
        services.list_entry_override(
            by=province_officer, entry=entry("370322"), outcome=Outcome.PRE_PILOT, reason="x"
        )
        assert entry("370322").recheck_by == call.pre_pilot_recheck_by
        assert entry("370303").outcome == Outcome.NOT_SELECTED  # the only pre-pilot place is taken

    def test_restore_gives_the_entry_back_to_the_rule(self, formed, province_officer):
        services.list_entry_override(
            by=province_officer, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason="x"
        )
        services.list_entry_override(
            by=province_officer, entry=entry("370321"), outcome=services.RESTORE, reason="核实无误"
        )
        huantai = entry("370321")
        assert (huantai.outcome, huantai.override_reason) == (Outcome.PILOT, "")
        assert entry("370303").outcome == Outcome.PRE_PILOT
        assert AuditEntry.objects.get(action="list.restore").reason == "核实无误"

    def test_restore_of_an_entry_never_overridden_is_refused(self, formed, province_officer):
        with pytest.raises(ValidationFailed):
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome=services.RESTORE, reason="x"
            )

    def test_override_on_site_opens_a_checklist_for_a_new_pilot(self, on_site, province_officer):
        services.list_entry_override(
            by=province_officer, entry=entry("370303"), outcome=Outcome.PILOT, reason="增补"
        )
        assert entry("370303").onsite.items.exists()
        assert AuditEntry.objects.get(action="list.override").extra["onsite_created"] == ["淄博市张店区"]


class TestObjectionLink:
    def test_only_an_upheld_objection_of_the_list_may_be_named(self, in_notice, province_officer):
        objection = Objection.objects.create(
            selection_list=in_notice, name="王", phone="13800000000", text="异议"
        )
        with pytest.raises(ValidationFailed):
            services.list_entry_override(
                by=province_officer,
                entry=entry("370321"),
                outcome=Outcome.NOT_SELECTED,
                reason="x",
                objection=objection,
            )
        Objection.objects.filter(pk=objection.pk).update(
            status=ObjectionStatus.UPHELD, handling_reason="属实"
        )
        objection.refresh_from_db()
        services.list_entry_override(
            by=province_officer,
            entry=entry("370321"),
            outcome=Outcome.NOT_SELECTED,
            reason="异议属实",
            objection=objection,
        )
        assert entry("370321").override_objection == objection
        assert AuditEntry.objects.get(action="list.override").extra["objection"] == objection.pk


class TestPermissionAndState:
    @pytest.mark.parametrize("persona", ["county_operator", "observer"])
    def test_not_allowed(self, request, formed, persona):
        with pytest.raises(NotAllowed):
            services.list_entry_override(
                by=request.getfixturevalue(persona),
                entry=entry("370321"),
                outcome=Outcome.NOT_SELECTED,
                reason="x",
            )

    def test_refused_once_final(self, in_notice, province_officer):
        in_notice.status = "final"
        in_notice.save()
        with pytest.raises(InvalidTransition):
            services.list_entry_override(
                by=province_officer, entry=entry("370321"), outcome=Outcome.NOT_SELECTED, reason="x"
            )
        assert entry("370321").outcome == Outcome.PILOT


def test_a_new_pilot_on_site_is_announced_to_its_operators(
    on_site, province_officer, county_operator_same_city
):
    from starcity.notifications.models import Notification

    services.list_entry_override(
        by=province_officer, entry=entry("370303"), outcome=Outcome.PILOT, reason="增补"
    )
    told = Notification.objects.filter(kind="lists.onsite", title__contains="淄博市张店区")
    assert told.filter(recipient=county_operator_same_city).exists()
