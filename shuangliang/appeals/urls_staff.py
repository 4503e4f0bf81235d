"""The handlers' appeal pages, under /appeals/."""

from django.urls import path

from . import views_staff as views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/identity/", views.appeal_identity, name="identity"),
    path("<int:pk>/act/", views.appeal_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("inbox/", views.inbox, name="inbox"),
    path("figures/", views.figures, name="figures"),
]
