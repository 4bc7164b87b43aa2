"""The process's pages, served by the layer that composes them.

The URL names keep their ``process:`` namespace (``process:home``, ``process:body``...):
they name the process's pages, which every app links to; only the module that serves
them moved (decision 0059).
"""

from django.urls import path

from accord.dashboard import views

app_name = "process"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/", views.desk, name="desk"),
    path("desk/badge", views.desk_badge, name="desk-badge"),
    path("bodies/<str:code>/", views.body_detail, name="body"),
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("roadmap/gantt.svg", views.gantt_svg, name="gantt-svg"),
    path("roadmap/burndown.svg", views.burndown_svg, name="burndown-svg"),
    path("milestones/<str:code>/met", views.milestone_met, name="milestone-met"),
    path("roadmap/extend", views.milestone_extend, name="milestone-extend"),
    path("mechanisms/<str:code>/", views.mechanism_detail, name="mechanism"),
]
