"""The workbench sections of the lists: what waits for the office, and the applicants' results."""

import pytest
import time_machine

from starcity.lists.services import objection_lodge, selection_list_publish_final
from starcity.lists.tests.conftest import MONDAY
from starcity.lists.workbench import list_sections

pytestmark = pytest.mark.django_db


def titles(sections) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {str(s.title): [f"{item.title} {item.badge}" for item in s.items] for s in sections}


def test_office_sees_a_call_ready_to_form(call, three, province_officer):
    shown = titles(list_sections(province_officer))
    assert shown["入选名单"] == [f"{call.title} 可形成初步名单"]


def test_office_sees_open_reviews(on_site, province_officer):
    assert titles(list_sections(province_officer))["待完成的现场复核"] == ["淄博市桓台县现场复核 待复核"]


def test_office_sees_objections_and_the_notice(in_notice, province_officer):
    with time_machine.travel(MONDAY, tick=False):
        objection = objection_lodge(
            by=None, selection_list=in_notice, name="王", phone="13800000000", text="异议"
        )
        shown = titles(list_sections(province_officer))
    assert shown["待处理的异议"] == [f"异议 #{objection.pk} 待处理"]
    assert shown["入选名单"] == [f"{in_notice.call.title} 公示中"]
    with time_machine.travel("2026-12-15 08:00:00+08:00", tick=False):
        assert titles(list_sections(province_officer))["入选名单"] == [
            f"{in_notice.call.title} 公示期已结束，可发布最终名单"
        ]


def test_operators_see_their_results_once_final(
    in_notice, province_officer, county_operator, county_operator_other_city
):
    assert list_sections(county_operator) == []
    with time_machine.travel("2026-12-15 08:00:00+08:00", tick=False):
        selection_list_publish_final(by=province_officer, selection_list=in_notice)
    assert titles(list_sections(county_operator)) == {"入选结果": ["淄博市桓台县 试点"]}
    assert list_sections(county_operator_other_city) == []
