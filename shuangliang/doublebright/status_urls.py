"""Routes of the Double Bright status pages (namespace `dbstatus`)."""

from django.urls import path

from . import status_views as views

app_name = "dbstatus"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("review/", views.review_queue_view, name="review_queue"),
    path("unions/<int:pk>/", views.status_edit, name="status_edit"),
    path("unions/<int:pk>/review/", views.status_review, name="status_review"),
    path("unions/<int:pk>/confirm/", views.status_confirm, name="status_confirm"),
    path("unions/<int:pk>/reject/", views.status_reject, name="status_reject"),
    path("unions/<int:pk>/photos/signboard/", views.signboard_photo, name="signboard_photo"),
    path(
        "unions/<int:pk>/photos/notice-board/",
        views.notice_board_photo,
        name="notice_board_photo",
    ),
    path("unions/<int:pk>/contact/", views.union_contact, name="union_contact"),
]
