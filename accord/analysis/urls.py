from django.urls import path

from accord.analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:document_id>/preferences", views.preferences, name="preferences"),
    path("<str:document_id>/share", views.share, name="share"),
    path("<str:document_id>/pairwise", views.pairwise, name="pairwise"),
    path("<str:document_id>/frontier", views.frontier, name="frontier"),
    path("<str:document_id>/table", views.table, name="table"),
]
