from django.urls import path

from accord.web import views

app_name = "web"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("favicon.ico", views.favicon, name="favicon"),
]
