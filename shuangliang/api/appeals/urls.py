"""The appeals' routes in the API (included by shuangliang/api/urls.py, namespace "api")."""

from django.urls import path

from . import views

urlpatterns = [
    path("appeals", views.AppealListView.as_view(), name="appeal_list"),
    path("appeals/<int:pk>", views.AppealDetailView.as_view(), name="appeal_detail"),
    path(
        "appeals/<int:pk>/identity",
        views.AppealIdentityView.as_view(),
        name="appeal_identity",
    ),
    *(
        path(f"appeals/<int:pk>/{step}", view.as_view(), name=f"appeal_{step}")
        for step, view in views.STEP_VIEWS.items()
    ),
]
