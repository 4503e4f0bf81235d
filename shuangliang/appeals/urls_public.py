"""The worker's appeal pages (no login): intake under /appeal/, tracking under /track/."""

from django.urls import path, register_converter

import shuangliang.public.urls  # noqa: F401  (registers the public token converters)

from . import views_public as views


class CreditCodeConverter:
    regex = "[0-9A-Za-z]{18}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(CreditCodeConverter, "appeal_credit_code")

app_name = "appeal"
urlpatterns = [
    path("appeal/", views.start, name="start"),
    path("appeal/u/<public_token:token>/", views.union_form, name="union_form"),
    path(
        "appeal/f/<public_division_code:division_code>/",
        views.federation_form,
        name="federation_form",
    ),
    path(
        "appeal/e/<appeal_credit_code:credit_code>/", views.enterprise_form, name="enterprise_form"
    ),
    path("track/", views.track, name="track"),
    path("track/reply/", views.track_reply, name="track_reply"),
    path("track/confirm/", views.track_confirm, name="track_confirm"),
    path("track/forget/", views.track_forget, name="track_forget"),
]
