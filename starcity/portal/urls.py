from django.urls import path

from starcity.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_index, name="index"),
    path("calls/<int:call_pk>/", views.portal_call, name="call"),
    path("calls/<int:call_pk>/objections/", views.portal_objection, name="objection"),
    path("calls/<int:call_pk>/notice.pdf", views.portal_notice_pdf, name="notice_pdf"),
]
