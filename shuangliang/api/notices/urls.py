"""The notices' routes in the API (included by shuangliang/api/urls.py, namespace "api")."""

from django.urls import path

from . import views

urlpatterns = [
    path("notices", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/pdf", views.NoticePdfView.as_view(), name="notice_pdf"),
    path("notices/<int:pk>/docx", views.NoticeDocxView.as_view(), name="notice_docx"),
]
