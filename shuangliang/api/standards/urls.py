"""The inspections' routes in the API (included by shuangliang/api/urls.py, namespace "api")."""

from django.urls import path

from . import views

urlpatterns = [
    path("inspections", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("rectifications", views.RectificationListView.as_view(), name="rectification_list"),
    path(
        "rectifications/<int:pk>",
        views.RectificationDetailView.as_view(),
        name="rectification_detail",
    ),
    *(
        path(f"rectifications/<int:pk>/{name}", view.as_view(), name=f"rectification_{name}")
        for name, view in (
            ("close", views.RectificationCloseView),
            ("verify", views.RectificationVerifyView),
            ("reopen", views.RectificationReopenView),
            ("photo", views.RectificationPhotoView),
        )
    ),
]
