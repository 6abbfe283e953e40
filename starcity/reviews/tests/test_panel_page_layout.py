"""The panel pages stay readable: flagged indicators summarised at the top with links to their
discussion and the chair's resolution form; tables show a tiered value as its grade and an
indicator as its code and a short name (full texts as titles); the office's overview keeps its
row actions apart."""

import re

import pytest
from django.urls import reverse

from starcity.reviews.display import compact_value, rule_short_label, short_name
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    score_and_submit,
    standard_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def section(page, anchor):
    """The HTML of the <section id=anchor> of the page."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def flagged_panel(scenario):
    """A panel in discussion: the third expert grades a tiered indicator 1, the others 3."""
    standard = standard_of(scenario)
    tiered = next(ind for ind in standard.indicators if ind.method == "tiered")
    panel = drawn_panel(scenario)
    active = accept_all(panel)
    score_and_submit(scenario, active[0], 3)
    score_and_submit(scenario, active[1], 3)
    score_and_submit(scenario, active[2], 3, overrides={tiered.code: 1})
    return panel, active, tiered


# ---------------------------------------------------------------- pure helpers


def test_short_names_drop_a_trailing_note_and_cut_long_names():
    assert short_name("政务服务事项全程网办率（“一网通办”）") == "政务服务事项全程网办率"
    assert short_name("社会保障卡“一卡通”与社保服务网办") == "社会保障卡“一卡通”与…"
    assert short_name("数据安全保障") == "数据安全保障"
    assert short_name("（试行）") == "（试行）"  # nothing left without the note: kept
    english = "Share of government services fully handled online across the county"
    assert len(short_name(english)) <= 36 and short_name(english).endswith("…")


def test_compact_values_show_a_tier_by_its_grade(scenario):
    standard = standard_of(scenario)
    tiered = next(ind for ind in standard.indicators if ind.method == "tiered")
    threshold = next(ind for ind in standard.indicators if ind.method == "threshold")
    assert compact_value(tiered, 3, "3（全文）") == ("3", tiered.tiers[2])
    assert compact_value(tiered, 0, "0") == ("0", "未达到第 1 档")
    assert compact_value(tiered, None, "—") == ("—", "")
    assert compact_value(threshold, 85, "85 个") == ("85 个", "")
    assert rule_short_label("trimmed_mean") == "去高低取平均" and rule_short_label("other") == "other"


# ---------------------------------------------------------------- the panel page


def test_chair_sees_the_flagged_indicators_first_with_links_to_the_resolution_form(client, scenario):
    panel, active, tiered = flagged_panel(scenario)
    chair = active[0]
    assert chair.is_chair
    page = client.force_login(chair.expert.user) or client.get(url("panel_detail", panel.pk)).content.decode()
    box = section(page, "disagreements")
    assert page.index('id="disagreements"') < page.index('id="scores"') < page.index('id="aggregate"')
    assert "共 1 项，1 项待组长确定" in box and "您是评审组长" in box
    assert f'href="#discuss-{tiered.code}"' in box and f'href="#resolve-{tiered.code}"' in box
    assert "各专家评级 3、3、1，相差 2 级" in box
    assert f'id="resolve-{tiered.code}"' in section(page, "discussion")


def test_members_and_the_office_see_the_summary_without_the_resolution_link(client, scenario):
    panel, active, tiered = flagged_panel(scenario)
    for user in (active[1].expert.user, scenario.officer):
        client.force_login(user)
        box = section(client.get(url("panel_detail", panel.pk)).content.decode(), "disagreements")
        assert f'href="#discuss-{tiered.code}"' in box and "#resolve-" not in box


def test_a_note_leads_back_to_its_discussion(client, scenario):
    panel, active, tiered = flagged_panel(scenario)
    client.force_login(active[1].expert.user)
    response = client.post(url("panel_note", panel.pk), {"indicator": tiered.code, "text": "材料支持 3 档"})
    assert response["Location"] == url("panel_detail", panel.pk) + f"#discuss-{tiered.code}"


def test_the_aggregate_shows_tier_grades_and_short_names_with_full_texts_as_titles(client, scenario):
    panel, _active, tiered = flagged_panel(scenario)
    standard = standard_of(scenario)
    client.force_login(scenario.officer)
    page = client.get(url("panel_detail", panel.pk)).content.decode()
    aggregate = section(page, "aggregate")
    tier_three = tiered.tiers[2]
    row = aggregate[aggregate.index(f'id="agg-{tiered.code}"') :]
    row = row[: row.index("</tr>")]
    assert f'title="{tier_three}"' in row and f"3（{tier_three}）" not in row
    assert re.search(r">\s*1\s*<", row) and "等级 " not in row  # the grade is the value
    assert f'title="{tiered.code} {tiered.name}"' in row
    assert 'title="去掉一个最高分和一个最低分后取平均"' not in row  # three scores: the median
    for ind in standard.indicators:
        assert f"{ind.code}</code> {short_name(ind.name)}<" in aggregate
    scores = section(page, "scores")
    assert f"3（{tier_three}）" not in scores and f'title="{tier_three}"' in scores


def test_the_office_overview_keeps_the_row_actions_apart(client, scenario):
    panel = drawn_panel(scenario)
    client.force_login(scenario.officer)
    page = client.get(url("call_panels", scenario.call.pk)).content.decode()
    detail = url("panel_detail", panel.pk)
    conflicts = url("application_conflicts", scenario.application.pk)
    cell = page[page.index(detail) - 200 : page.index(conflicts)]
    assert '<div class="actions">' in cell  # a flex row with a gap between them
