from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("stats/summary", views.stats_summary_view, name="stats_summary"),
]
