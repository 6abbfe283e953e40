from starcity.reviews import urls_experts, urls_panels

app_name = "reviews"
urlpatterns = [*urls_experts.urlpatterns, *urls_panels.urlpatterns]
