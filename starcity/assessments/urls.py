from django.urls import path

from starcity.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("export/", views.assessment_export, name="export"),
    path("new/", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/save/", views.assessment_save, name="save"),
    path("<int:pk>/rename/", views.assessment_rename, name="rename"),
    path("<int:pk>/preview/", views.assessment_preview, name="preview"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/copy/", views.assessment_copy, name="copy"),
    path("<int:pk>/template/", views.assessment_template, name="template"),
    path("<int:pk>/import/", views.assessment_import, name="import"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/evidence/<int:evidence_pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
