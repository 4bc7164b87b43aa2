from django.urls import path

from accord.meetings import views

app_name = "meetings"
S = "sessions/<str:session_id>"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new", views.round_new, name="round-new"),
    path("rounds/<str:round_id>/", views.round_detail, name="round"),
    path("caucuses/", views.caucus_list, name="caucuses"),
    path("action-items/", views.action_item_list, name="action-items"),
    path("sessions/new", views.session_new, name="session-new"),
    path(f"{S}/", views.session_detail, name="session"),
    path(f"{S}.ics", views.session_ics, name="session-ics"),
    path(f"{S}/cancel", views.session_cancel, name="session-cancel"),
    path(f"{S}/participants", views.participant_add, name="participant-add"),
    path(
        f"{S}/participants/<str:username>/remove",
        views.participant_remove,
        name="participant-remove",
    ),
    path(f"{S}/agenda", views.agenda_add, name="agenda-add"),
    path(f"{S}/agenda/panel", views.agenda_panel, name="agenda-panel"),
    path(f"{S}/agenda/subjects", views.agenda_subjects, name="agenda-subjects"),
    path(f"{S}/minutes/panel", views.minutes_panel, name="minutes-panel"),
    path(f"{S}/agenda/adopt", views.agenda_adopt, name="agenda-adopt"),
    path(f"{S}/agenda/<str:item_id>/withdraw", views.agenda_withdraw, name="agenda-withdraw"),
    path(f"{S}/minutes", views.minutes_save, name="minutes-save"),
    path(f"{S}/minutes/circulate", views.minutes_circulate, name="minutes-circulate"),
    path(f"{S}/minutes/approve", views.minutes_approve, name="minutes-approve"),
    path(f"{S}/minutes/return", views.minutes_return, name="minutes-return"),
    path(f"{S}/minutes/decisions", views.decision_add, name="decision-add"),
    path(f"{S}/minutes/actions", views.action_add, name="action-add"),
    path(
        f"{S}/minutes/actions/<str:action_id>/done", views.action_complete, name="action-complete"
    ),
    path(f"{S}/notes", views.caucus_note_add, name="caucus-note-add"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/feed/new", views.calendar_feed_create, name="calendar-feed-create"),
    path("calendar/feed/revoke", views.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar-feed"),
]
