from django.urls import path

from accord.process import views

app_name = "process"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<str:code>/", views.body_detail, name="body"),
    path("mechanisms/<str:code>/", views.mechanism_detail, name="mechanism"),
]
