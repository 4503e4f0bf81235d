"""Published notices on the public side, under the issuing federation's public address."""

from django.urls import path

from . import views_public

app_name = "notices_public"
urlpatterns = [
    path("f/<str:division_code>/notices/<int:pk>/", views_public.notice_page, name="notice"),
    path(
        "f/<str:division_code>/notices/<int:pk>/notice.pdf",
        views_public.notice_pdf_view,
        name="notice_pdf",
    ),
    path(
        "f/<str:division_code>/notices/<int:pk>/notice.docx",
        views_public.notice_docx_view,
        name="notice_docx",
    ),
]
