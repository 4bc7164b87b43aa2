from django.urls import path

from accord.drafting import (
    export_views,
    import_views,
    language_views,
    proposal_views,
    provision_views,
    referral_views,
    revision_views,
    views,
)

app_name = "drafting"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new", views.document_create, name="create"),
    path("import", views.document_import, name="import"),
    path("import/", import_views.import_page, name="import_page"),
    path("referrals/", referral_views.referral_list, name="referrals"),
    path(
        "referrals/<str:referral_id>/decide", referral_views.referral_decide, name="referral_decide"
    ),
    path("languages/<str:version_id>/", language_views.version_detail, name="language_version"),
    path(
        "languages/<str:version_id>/translate",
        language_views.provision_translate,
        name="translate",
    ),
    path(
        "languages/<str:version_id>/export.<str:fmt>",
        language_views.version_export,
        name="language_export",
    ),
    path("<str:document_id>/languages/", language_views.languages, name="languages"),
    path("<str:document_id>/", views.document_detail, name="document"),
    path("<str:document_id>/live", views.document_live, name="document_live"),
    path("<str:document_id>/provisions/new", provision_views.provision_add, name="provision_add"),
    path("<str:document_id>/proposals/new", proposal_views.proposal_submit, name="proposal_submit"),
    path("<str:document_id>/revisions/new", revision_views.revision_issue, name="revision_issue"),
    path("<str:document_id>/adopt", views.document_adopt, name="adopt"),
    path("<str:document_id>/renumber", import_views.document_renumber, name="renumber"),
    path("<str:document_id>/diff", revision_views.document_diff, name="diff"),
    path("<str:document_id>/export.<str:fmt>", export_views.document_export, name="export"),
    path(
        "proposals/<str:proposal_id>/decide", proposal_views.proposal_decide, name="proposal_decide"
    ),
    path("provisions/<str:wid>/", provision_views.provision_detail, name="provision"),
    path("provisions/<str:wid>/edit", provision_views.provision_edit, name="provision_edit"),
    path("provisions/<str:wid>/delete", provision_views.provision_delete, name="provision_delete"),
    path("provisions/<str:wid>/move", provision_views.provision_move, name="provision_move"),
    path("provisions/<str:wid>/status", provision_views.provision_status, name="provision_status"),
    path("provisions/<str:wid>/resolve", provision_views.bracket_resolve, name="bracket_resolve"),
    path("provisions/<str:wid>/position", provision_views.position_state, name="position"),
    path("provisions/<str:wid>/refer", referral_views.referral_create, name="refer"),
]
