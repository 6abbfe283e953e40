"""Expert pool, conflicts and declarations (pages of the province office)."""

urlpatterns: list = []
