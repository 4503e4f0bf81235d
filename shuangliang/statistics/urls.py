from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("<int:pk>/comparison/", views.comparison, name="comparison"),
    path("<int:pk>/settings/", views.settings_edit, name="settings"),
]
