"""The public side for a WeChat mini-program: a union's public page and a cadre's
verification, by the token printed in their QR codes. No login, read-only.

The consent rules are not repeated here: these views call the public pages' own selectors
(doublebright.selectors), which hand out cadres without the phone or photo they did not
agree to publish (QUALITY.md C1).
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangliang.doublebright import selectors, services
from shuangliang.doublebright.models import Credential, UnionPage
from shuangliang.public import page_cache

TOKEN = OpenApiParameter(
    "token",
    str,
    OpenApiParameter.PATH,
    pattern="^[A-Za-z0-9_-]{8,32}$",
    description="The token in the QR code (the last part of the page's address).",
)


class PublicPlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    division_code = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


class PublicCadreSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    is_chair = serializers.BooleanField()
    term_end = serializers.DateField(allow_null=True)
    verify_token = serializers.CharField()
    photo_url = serializers.CharField(allow_null=True)
    mobile = serializers.CharField(allow_blank=True, help_text="Empty unless published.")
    office_phone = serializers.CharField(allow_blank=True, help_text="Empty unless published.")


class AssignedCadreSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    position_title = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class PublicUnionSerializer(serializers.Serializer):
    name = serializers.CharField()
    township = PublicPlaceSerializer()
    enterprises = serializers.ListField(child=serializers.CharField())
    office_address = serializers.CharField(allow_blank=True)
    office_phone = serializers.CharField(allow_blank=True)
    office_hours = serializers.CharField(allow_blank=True)
    cadres = PublicCadreSerializer(many=True)
    assigned_cadres = AssignedCadreSerializer(many=True)
    concern_contact = PublicPlaceSerializer()
    page_url = serializers.CharField()


class PublicCredentialSerializer(serializers.Serializer):
    is_valid = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=["valid", "revoked", "replaced", "officer_revoked", "ended", "not_started"]
    )
    explanation = serializers.CharField(allow_blank=True)
    person_name = serializers.CharField()
    position = serializers.CharField()
    term_end = serializers.DateField(allow_null=True)
    photo_url = serializers.CharField(allow_null=True)
    union_name = serializers.CharField()
    union_token = serializers.CharField()


NOT_FOUND = OpenApiResponse(description="No page or credential behind this token.")


class PublicView(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        # As the public pages: never indexed, never served stale (a withdrawn consent shows
        # on the next request).
        response["X-Robots-Tag"] = "noindex"
        patch_cache_control(response, no_cache=True)
        return super().finalize_response(request, response, *args, **kwargs)


def _place(federation) -> dict:
    return {
        "name": federation.name,
        "division_code": federation.division_code,
        "phone": federation.phone,
    }


class PublicUnionView(PublicView):
    @extend_schema(
        summary="A union's public page",
        parameters=[TOKEN],
        responses={200: PublicUnionSerializer, 404: NOT_FOUND},
        auth=[],
        tags=["public"],
    )
    def get(self, request, token: str):
        # The HTML page's own query and content selector, and its cache under the same
        # version stamps: both answer the same, and a withdrawn consent or a new chair shows
        # on the next request in every worker (public/page_cache.py).
        try:
            page = selectors.union_page_for_public(token=token)
        except UnionPage.DoesNotExist:
            raise Http404
        key = page_cache.union_page_key(page=page, kind="api")
        data = page_cache.get(key)
        if data is None:
            data = _union_data(page)
            page_cache.put(key, data)
        # Addresses are made absolute per request (the host is not part of the cache key).
        absolute = request.build_absolute_uri
        return Response(
            {
                **data,
                "cadres": [
                    {**cadre, "photo_url": cadre["photo_url"] and absolute(cadre["photo_url"])}
                    for cadre in data["cadres"]
                ],
                "page_url": absolute(data["page_url"]),
            }
        )


def _union_data(page: UnionPage) -> dict:
    """The union's public page as plain data, with addresses relative to the site."""
    union = page.union
    content = selectors.union_public_content(page=page)
    data = {
        "name": union.name,
        "township": _place(union.federation),
        "enterprises": content.enterprises,
        "office_address": union.office_address,
        "office_phone": union.office_phone,
        "office_hours": page.office_hours,
        "cadres": [
            {
                "name": cadre.name,
                "position": cadre.position,
                "is_chair": cadre.is_chair,
                "term_end": cadre.term_end,
                "verify_token": cadre.verify_token,
                "photo_url": reverse("public:credential_photo", args=[cadre.verify_token])
                if cadre.has_photo
                else None,
                "mobile": cadre.mobile,
                "office_phone": cadre.office_phone,
            }
            for cadre in content.cadres
        ],
        "assigned_cadres": [
            {"name": c.name, "position_title": c.position_title, "phone": c.phone}
            for c in content.assigned_cadres
        ],
        "concern_contact": _place(content.concern),
        "page_url": reverse("public:union_page", args=[page.token]),
    }
    return json.loads(json.dumps(PublicUnionSerializer(data).data))


def _photo_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("public:credential_photo", args=[token]))


class PublicCredentialView(PublicView):
    @extend_schema(
        summary="Check a cadre's badge or contact card",
        parameters=[TOKEN],
        responses={200: PublicCredentialSerializer, 404: NOT_FOUND},
        auth=[],
        tags=["public"],
    )
    def get(self, request, token: str):
        try:
            credential = selectors.credential_by_token(token=token)
        except Credential.DoesNotExist:
            raise Http404
        officer = credential.officer
        status = selectors.credential_status(credential=credential)
        page = services.union_page_ensure(union=officer.union)
        show_photo = status.is_valid and officer.person.has_published_photo
        data = {
            "is_valid": status.is_valid,
            "reason": status.reason,
            "explanation": status.explanation,
            "person_name": officer.person.name,
            "position": officer.get_position_display(),
            "term_end": officer.term_end,
            "photo_url": _photo_url(request, credential.token) if show_photo else None,
            "union_name": officer.union.name,
            "union_token": page.token,
        }
        return Response(PublicCredentialSerializer(data).data)
