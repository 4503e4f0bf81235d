"""The register's routes in the API (included by shuangliang/api/urls.py, namespace "api")."""

from django.urls import path

from . import views as register

urlpatterns = [
    path("federations", register.FederationListView.as_view(), name="federation_list"),
    path("enterprises", register.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/<int:pk>", register.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("unions", register.UnionListView.as_view(), name="union_list"),
    path("unions/<int:pk>", register.UnionDetailView.as_view(), name="union_detail"),
    path("officers", register.OfficerListView.as_view(), name="officer_list"),
    path("officers/<int:pk>", register.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/end", register.OfficerEndView.as_view(), name="officer_end"),
    path(
        "officers/<int:pk>/register",
        register.OfficerRegisterView.as_view(),
        name="officer_register",
    ),
    path("people/<int:pk>", register.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/unmask", register.PersonUnmaskView.as_view(), name="person_unmask"),
    path("contracts", register.ContractListView.as_view(), name="contract_list"),
    path("contracts/<int:pk>", register.ContractDetailView.as_view(), name="contract_detail"),
    path(
        "contracts/<int:pk>/advance",
        register.ContractAdvanceView.as_view(),
        name="contract_advance",
    ),
    path("contract-kinds", register.ContractKindListView.as_view(), name="contract_kind_list"),
]
