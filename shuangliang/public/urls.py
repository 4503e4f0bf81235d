"""Public pages (no login): union pages, cadre verification, federation pages."""

from django.urls import path, register_converter

from shuangliang.campaign import publicity_public

from . import views


class PublicTokenConverter:
    """A page or credential token: URL-safe base64, as `secrets.token_urlsafe` makes."""

    regex = "[A-Za-z0-9_-]{8,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DivisionCodeConverter:
    """An administrative division code: 6 digits (county and above) or 9 (township)."""

    regex = "[0-9]{6}(?:[0-9]{3})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublicTokenConverter, "public_token")
register_converter(DivisionCodeConverter, "public_division_code")

app_name = "public"
urlpatterns = [
    path("lang/", views.language, name="language"),
    path("u/<public_token:token>/", views.union_page, name="union_page"),
    path("u/<public_token:token>/qr.svg", views.union_qr, {"kind": "svg"}, name="union_qr_svg"),
    path("u/<public_token:token>/qr.png", views.union_qr, {"kind": "png"}, name="union_qr_png"),
    path("v/<public_token:token>/", views.credential_verify, name="credential_verify"),
    path("v/<public_token:token>/photo", views.credential_photo, name="credential_photo"),
    path(
        "v/<public_token:token>/qr.svg",
        views.credential_qr,
        {"kind": "svg"},
        name="credential_qr_svg",
    ),
    path(
        "v/<public_token:token>/qr.png",
        views.credential_qr,
        {"kind": "png"},
        name="credential_qr_png",
    ),
    path("f/<public_division_code:division_code>/", views.federation_page, name="federation_page"),
    # Publicity (campaign): news items, their photos and feed; a union's embeddable card.
    path(
        "f/<public_division_code:division_code>/news/<int:pk>/",
        publicity_public.news_detail,
        name="news_detail",
    ),
    path(
        "f/<public_division_code:division_code>/news/<int:pk>/photos/<int:photo>",
        publicity_public.news_photo,
        name="news_photo",
    ),
    path(
        "f/<public_division_code:division_code>/news.atom",
        publicity_public.news_feed,
        name="news_feed",
    ),
    path("u/<public_token:token>/embed/", publicity_public.union_embed, name="union_embed"),
]
