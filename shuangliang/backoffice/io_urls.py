"""Routes of the import and export pages; included into the back office's namespace."""

from django.urls import path

from . import io_views

urlpatterns = [
    path("import/", io_views.import_start, name="import_start"),
    path("import/template/", io_views.import_template, name="import_template"),
    path("import/<int:pk>/columns/", io_views.import_map, name="import_map"),
    path("import/<int:pk>/", io_views.import_status, name="import_status"),
    path("import/<int:pk>/confirm/", io_views.import_confirm, name="import_confirm"),
    path("enterprises/export/", io_views.enterprise_export, name="enterprise_export"),
    path("unions/export/", io_views.union_export, name="union_export"),
    path("officers/export/", io_views.officer_export, name="officer_export"),
]
