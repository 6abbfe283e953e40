from django.urls import path

from starcity.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.standard_list, name="list"),
    path("upload/", views.version_upload, name="upload"),
    path("compare/", views.version_compare, name="compare"),
    path("versions/<int:pk>/", views.version_detail, name="detail"),
    path("versions/<int:pk>/download/", views.version_download, name="download"),
]
