from django.http import HttpResponse
from django.test import RequestFactory

from starcity.core.errors import InvalidTransition, NotAllowed
from starcity.core.views import refusals_shown_by


def _page(request, exc, kwargs):
    return HttpResponse(f"{exc.message}|{kwargs.get('pk')}", status=exc.status)


def test_a_refusal_becomes_the_app_s_status_page_with_its_status():
    @refusals_shown_by(_page)
    def view(request, pk):
        raise InvalidTransition("已经提交")

    response = view(RequestFactory().post("/x/"), pk=7)
    assert response.status_code == 409
    assert response.content.decode() == "已经提交|7"


def test_the_view_s_own_answer_passes_through_and_other_refusals_keep_their_status():
    @refusals_shown_by(_page)
    def fine(request):
        return HttpResponse("ok")

    @refusals_shown_by(_page)
    def forbidden(request):
        raise NotAllowed("无权")

    request = RequestFactory().get("/x/")
    assert fine(request).content == b"ok"
    assert forbidden(request).status_code == 403
