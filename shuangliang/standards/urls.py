"""Routes of the standards app (namespace `standards`)."""

from django.urls import path

from .views import inspections, results, standards

app_name = "standards"
urlpatterns = [
    path("", inspections.inspection_list, name="inspection_list"),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard_edit"),
    path(
        "standards/<int:pk>/new-version/",
        standards.standard_new_version,
        name="standard_new_version",
    ),
    path("standards/<int:pk>/publish/", standards.standard_publish, name="standard_publish"),
    path("standards/<int:pk>/sections/new/", standards.section_create, name="section_create"),
    path("standards/<int:pk>/items/new/", standards.item_create, name="item_create"),
    path("items/<int:pk>/edit/", standards.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", standards.item_delete, name="item_delete"),
    path("rounds/", inspections.round_list, name="round_list"),
    path("rounds/new/", inspections.round_create, name="round_create"),
    path("rounds/<int:pk>/", inspections.round_detail, name="round_detail"),
    path("rounds/<int:pk>/assign/", inspections.round_assign, name="round_assign"),
    path("unions/<int:pk>/self-check/", inspections.selfcheck_start, name="selfcheck_start"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/form/", inspections.inspection_form, name="inspection_form"),
    path("evidence/<int:pk>/", inspections.evidence_photo, name="evidence_photo"),
    path("results/", results.results, name="results"),
    path("rectifications/", results.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", results.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/close/", results.rectification_close, name="rectification_close"),
    path(
        "rectifications/<int:pk>/verify/",
        results.rectification_verify,
        name="rectification_verify",
    ),
    path(
        "rectifications/<int:pk>/reopen/",
        results.rectification_reopen,
        name="rectification_reopen",
    ),
    path("rectifications/<int:pk>/photo/", results.rectification_photo, name="rectification_photo"),
]
