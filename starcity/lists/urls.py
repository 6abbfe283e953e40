from django.urls import path

from starcity.lists import views, views_objections, views_onsite

app_name = "lists"

urlpatterns = [
    path("", views.list_index, name="index"),
    path("calls/<int:call_pk>/form/", views.list_form, name="form"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/level/<str:level>/", views.list_level, name="level"),
    path("<int:pk>/reform/", views.list_reform, name="reform"),
    path("<int:pk>/onsite/", views.list_start_onsite, name="onsite"),
    path("<int:pk>/notice/", views.list_publish_notice, name="notice"),
    path("<int:pk>/final/", views.list_publish_final, name="final"),
    path("<int:pk>/document/", views.list_set_document, name="document"),
    path("<int:pk>/notice.<str:kind>", views.list_notice_document, name="notice_document"),
    path("<int:pk>/entries/<int:entry_pk>/override/", views.entry_override, name="override"),
    path("<int:pk>/entries/<int:entry_pk>/letter.<str:kind>", views.entry_letter, name="letter"),
    path("<int:pk>/objections/", views_objections.objection_list, name="objections"),
    path("objections/<int:objection_pk>/", views_objections.objection_detail, name="objection"),
    path("objections/<int:objection_pk>/uphold/", views_objections.objection_uphold, name="objection_uphold"),
    path("objections/<int:objection_pk>/reject/", views_objections.objection_reject, name="objection_reject"),
    path("onsite/<int:pk>/", views_onsite.review_detail, name="review"),
    path("onsite/<int:pk>/save/", views_onsite.review_save, name="review_save"),
    path("onsite/<int:pk>/complete/", views_onsite.review_complete, name="review_complete"),
    path("onsite/<int:pk>/items/<int:item_pk>/", views_onsite.item_save, name="review_item"),
    path("onsite/<int:pk>/items/confirm-rest/", views_onsite.items_confirm_rest, name="review_confirm_rest"),
    path("onsite/<int:pk>/items/<int:item_pk>/photos/", views_onsite.photo_add, name="review_photo_add"),
    path("onsite/<int:pk>/photos/<int:photo_pk>/", views_onsite.photo_download, name="review_photo"),
    path(
        "onsite/<int:pk>/photos/<int:photo_pk>/remove/", views_onsite.photo_remove, name="review_photo_remove"
    ),
]
