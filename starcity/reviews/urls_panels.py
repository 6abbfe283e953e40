"""Panels: the draw, invitations, scorecards, discussion and results."""

from django.urls import path

from starcity.reviews import views_panels as views

urlpatterns = [
    path("", views.home, name="home"),
    path("calls/<int:call_pk>/panels/", views.call_panels, name="call_panels"),
    path("calls/<int:call_pk>/draw/", views.call_draw, name="call_draw"),
    path("applications/<int:application_pk>/draw/", views.panel_draw, name="panel_draw"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/accept/", views.panel_accept, name="panel_accept"),
    path("panels/<int:pk>/decline/", views.panel_decline, name="panel_decline"),
    path("panels/<int:pk>/scores/", views.panel_save, name="panel_save"),
    path("panels/<int:pk>/scores/prefill/", views.panel_prefill, name="panel_prefill"),
    path("panels/<int:pk>/submit/", views.panel_submit, name="panel_submit"),
    path("panels/<int:pk>/notes/", views.panel_note, name="panel_note"),
    path("panels/<int:pk>/resolve/", views.panel_resolve, name="panel_resolve"),
    path("panels/<int:pk>/materials/<int:material_pk>/", views.material_download, name="panel_material"),
    path("panels/<int:pk>/members/<int:member_pk>/replace/", views.member_replace, name="member_replace"),
    path("panels/<int:pk>/members/<int:member_pk>/chair/", views.member_chair, name="member_chair"),
]
