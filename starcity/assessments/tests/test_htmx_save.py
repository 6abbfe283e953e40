"""Saving through htmx: the page is not reloaded (so the long form stays where the user was);
the answer is the saved result, with the message, the pre-submission summary and the timeline
updated out of band. Without JavaScript the form still posts and redirects."""

from django.urls import reverse

from starcity.assessments.tests.conftest import full_values
from starcity.assessments.tests.test_views import form_data

HTMX = {"HX-Request": "true"}


def test_the_save_button_posts_with_htmx_and_the_form_still_posts_without(client, draft, county_operator):
    client.force_login(county_operator)
    page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    save = reverse("assessments:save", args=[draft.pk])
    button = page.split('id="save-button"')[1].split(">")[0]
    assert f'hx-post="{save}"' in button and 'hx-target="#result-panel"' in button
    assert 'hx-sync="closest form:queue last"' in button  # after a preview in flight, never lost
    assert f'<form id="answers-form" method="post" action="{save}"' in page
    assert '<ul class="messages"></ul>' in page  # where the message goes


def test_a_successful_save_answers_with_the_message_summary_and_timeline(
    client, draft, county_operator, county_std
):
    client.force_login(county_operator)
    data = form_data(county_std, full_values(county_std))
    response = client.post(reverse("assessments:save", args=[draft.pk]), data, headers=HTMX)
    assert response.status_code == 200
    draft.refresh_from_db()
    message = f"已保存。当前评估：{draft.grade_label}，总分 {draft.score}。"
    page = response.content.decode()
    assert f'<p class="msg msg-success" role="status">{message}</p>' in page
    oob = '<ul class="messages" hx-swap-oob="outerHTML:.messages">'
    assert f'{oob}<li class="msg msg-success">{message}</li></ul>' in page
    assert (
        f'id="save-status" class="small save-status" role="status" hx-swap-oob="true">{message}</span>'
        in page
    )
    assert (
        'id="submit-check" class="submit-check' in page
        and f"全部 {len(county_std.indicators)} 项指标均已填写" in page
    )
    timeline = page.split('<div id="timeline" hx-swap-oob="true">')[1]
    assert timeline.index("保存填报") < timeline.index("创建自评估")
    assert "预览" not in page


def test_a_refused_htmx_save_has_no_message(client, draft, county_operator):
    client.force_login(county_operator)
    response = client.post(reverse("assessments:save", args=[draft.pk]), {"v__H04": "abc"}, headers=HTMX)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="messages"' not in page and "save-status" not in page
    assert "abc" in page


def test_the_page_script_clears_the_flag_only_after_a_saved_answer(client, draft, county_operator):
    client.force_login(county_operator)
    page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert "event.detail.xhr.status === 200 && editsAtSave === edits" in page
    assert "if (event.detail.elt === form && editsAtSave === edits) { event.preventDefault(); }" in page
