from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("new/", views.notice_create, name="notice_create"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("<int:pk>/refresh/", views.notice_refresh, name="notice_refresh"),
    path("<int:pk>/transition/", views.notice_transition, name="notice_transition"),
    path("<int:pk>/notice.pdf", views.notice_pdf_view, name="notice_pdf"),
    path("<int:pk>/notice.docx", views.notice_docx_view, name="notice_docx"),
    path("inbox/", views.inbox, name="inbox"),
    path("rankings/<int:pk>/", views.rankings, name="rankings"),
    path("model-units/", views.designation_list, name="designation_list"),
    path("model-units/propose/", views.designation_propose, name="designation_propose"),
    path("model-units/<int:pk>/decide/", views.designation_decide, name="designation_decide"),
]
