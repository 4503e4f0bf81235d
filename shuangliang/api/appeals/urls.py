"""The appeals' routes in the API (included by shuangliang/api/urls.py, namespace "api")."""

from django.urls import path

from . import calendar, views

urlpatterns = [
    path("appeals", views.AppealListView.as_view(), name="appeal_list"),
    path("appeals/<int:pk>", views.AppealDetailView.as_view(), name="appeal_detail"),
    path(
        "appeals/<int:pk>/identity",
        views.AppealIdentityView.as_view(),
        name="appeal_identity",
    ),
    path(
        "appeals/<int:pk>/attachments",
        views.AppealAttachmentListView.as_view(),
        name="appeal_attachment_list",
    ),
    path(
        "appeals/attachments/<int:pk>",
        views.AppealAttachmentDownloadView.as_view(),
        name="appeal_attachment_download",
    ),
    path("calendar-days", calendar.CalendarDayListView.as_view(), name="calendar_day_list"),
    path(
        "calendar-days/<int:pk>/delete",
        calendar.CalendarDayDeleteView.as_view(),
        name="calendar_day_delete",
    ),
    *(
        path(f"appeals/<int:pk>/{step}", view.as_view(), name=f"appeal_{step}")
        for step, view in views.STEP_VIEWS.items()
    ),
]
