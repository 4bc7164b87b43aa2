from django.urls import path

from accord.process import views

app_name = "process"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<str:code>/", views.body_detail, name="body"),
    path("milestones/<str:code>/met", views.milestone_met, name="milestone-met"),
    path("mechanisms/<str:code>/", views.mechanism_detail, name="mechanism"),
]
