"""Open statistics, without login: /open-data/<division code>/ and its JSON and CSV."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("<str:division_code>/", views.open_data_page, name="page"),
    path("<str:division_code>.json", views.open_data_json, name="json"),
    path("<str:division_code>.csv", views.open_data_csv, name="csv"),
]
