from django.urls import path

from starcity.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/communities/new/", views.community_create, name="community_create"),
]
