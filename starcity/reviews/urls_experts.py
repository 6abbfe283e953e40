"""Expert pool, conflicts and declarations (pages of the province office; an expert's own
declarations)."""

from django.urls import path

from starcity.reviews import views_experts as views

urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create_view, name="expert_create"),
    path("experts/export/", views.expert_export, name="expert_export"),
    path("experts/template/", views.expert_template, name="expert_template"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/available/", views.expert_available, name="expert_available"),
    path("experts/<int:pk>/unavailable/", views.expert_unavailable, name="expert_unavailable"),
    path("experts/<int:pk>/conflicts/", views.expert_conflict_declare, name="expert_conflict_declare"),
    path("conflicts/mine/", views.my_conflicts, name="my_conflicts"),
    path("conflicts/mine/declare/", views.my_conflict_declare, name="my_conflict_declare"),
    path("applications/<int:pk>/conflicts/", views.application_conflicts, name="application_conflicts"),
]
