from django.urls import path

from starcity.calls.views import applications, bundle, calls

app_name = "calls"

urlpatterns = [
    path("", calls.call_list, name="list"),
    path("new/", calls.call_create, name="create"),
    path("<int:pk>/", calls.call_detail, name="detail"),
    path("<int:pk>/edit/", calls.call_edit, name="edit"),
    path("<int:pk>/publish/", calls.call_publish, name="publish"),
    path("<int:pk>/calendar/", calls.call_calendar, name="calendar"),
    path("<int:pk>/close/", calls.call_close, name="close"),
    path("<int:pk>/extensions/", calls.extension_grant, name="extend"),
    path("<int:pk>/apply/", calls.application_start, name="apply"),
    path("<int:pk>/bundle/", bundle.bundle_detail, name="bundle"),
    path("<int:pk>/bundle/submit/", bundle.bundle_submit, name="bundle_submit"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/export/", applications.application_export, name="application_export"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/save/", applications.application_save, name="application_save"),
    path("applications/<int:pk>/tasks/", applications.application_tasks, name="application_tasks"),
    path("applications/<int:pk>/materials/", applications.material_upload, name="material_upload"),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/",
        applications.material_download,
        name="material_download",
    ),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/remove/",
        applications.material_remove,
        name="material_remove",
    ),
    path("applications/<int:pk>/send-to-city/", applications.application_send_to_city, name="send_to_city"),
    path("applications/<int:pk>/approve/", applications.application_city_approve, name="city_approve"),
    path("applications/<int:pk>/return/", applications.application_city_return, name="city_return"),
    path("applications/<int:pk>/accept/", applications.application_accept, name="accept"),
    path(
        "applications/<int:pk>/province-return/",
        applications.application_province_return,
        name="province_return",
    ),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="withdraw"),
]
