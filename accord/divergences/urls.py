app_name = "divergences"
urlpatterns: list = []
