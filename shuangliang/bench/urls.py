"""The product's URLs plus the benchmark's minimal reference view."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/minimal/<str:token>/", views.minimal, name="bench_minimal"),
    path("bench/minimal-write/", views.minimal_write, name="bench_minimal_write"),
    path("", include("shuangliang.urls")),
]
handler500 = "shuangliang.core.views.server_error"
