"""Pages of the channels. Ids in paths are public ids (UUIDs), never primary keys."""

from django.urls import path

from accord.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_index, name="index"),
    path("attachments/<str:attachment_id>", views.attachment_download, name="attachment"),
    path("<str:code>/", views.channel_detail, name="detail"),
    path("<str:code>/send", views.message_send, name="send"),
    path("<str:code>/topics", views.topic_create, name="topic_create"),
    path("<str:code>/handover", views.handover, name="handover"),
    path("<str:code>/health", views.health, name="health"),
    path("<str:code>/transcript.json", views.transcript_json, name="transcript_json"),
    path("<str:code>/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path(
        "<str:code>/messages/<str:message_id>/acknowledge",
        views.message_acknowledge,
        name="acknowledge",
    ),
    path(
        "<str:code>/messages/<str:message_id>/translate",
        views.message_translate,
        name="translate",
    ),
]
