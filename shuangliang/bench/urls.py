"""The product's URLs plus the benchmark's minimal reference view."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/minimal/<str:token>/", views.minimal, name="bench_minimal"),
    path("", include("shuangliang.urls")),
]
handler500 = "shuangliang.core.views.server_error"
