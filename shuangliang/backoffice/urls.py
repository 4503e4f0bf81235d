from django.urls import include, path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/delete/", views.enterprise_delete, name="enterprise_delete"),
    path("unions/", views.union_list, name="union_list"),
    path("unions/new/", views.union_create, name="union_create"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    path("unions/<int:pk>/edit/", views.union_edit, name="union_edit"),
    path("unions/<int:pk>/delete/", views.union_delete, name="union_delete"),
    path("unions/<int:pk>/officers/new/", views.officer_appoint, name="officer_appoint"),
    path("unions/<int:pk>/contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/advance/", views.contract_advance, name="contract_advance"),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="contract_delete"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/end/", views.officer_end, name="officer_end"),
    path("officers/<int:pk>/register/", views.officer_register, name="officer_register"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/unmask/", views.person_unmask, name="person_unmask"),
    path("people/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("people/<int:pk>/photo/upload/", views.person_photo_upload, name="person_photo_upload"),
    path("people/<int:pk>/photo/remove/", views.person_photo_remove, name="person_photo_remove"),
    path("register/", views.cadre_register, name="cadre_register"),
    path("", include("shuangliang.backoffice.io_urls")),
]
