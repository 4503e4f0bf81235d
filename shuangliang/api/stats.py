"""GET /api/v1/stats/summary: the headline figures for the caller's scope."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import Federation
from shuangliang.register.selectors import stats_summary

from .base import ApiView


class StatsSummarySerializer(serializers.Serializer):
    """The register's, the appeals' and the campaign's headline figures."""

    enterprises_operating = serializers.IntegerField()
    unions_founded = serializers.IntegerField()
    three_contracts_signed = serializers.IntegerField()
    non_public_operating = serializers.IntegerField()
    double_bright_compliant = serializers.IntegerField()
    coverage_rate = serializers.FloatField()
    three_contracts_rate = serializers.FloatField()
    double_bright_rate = serializers.FloatField()
    standard_compliance_rate = serializers.FloatField(
        allow_null=True, help_text="Results graded model or qualified; null: none yet."
    )
    rectifications_open = serializers.IntegerField()
    appeals_received = serializers.IntegerField(allow_null=True)
    appeals_on_time_rate = serializers.FloatField(
        allow_null=True, help_text="Null when no appeal has been concluded yet."
    )
    appeals_satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="Null when no worker has rated an answer yet."
    )
    visits_last_90_days = serializers.IntegerField(required=False)
    campaign_target_progress = serializers.ListField(child=serializers.DictField(), required=False)
    federation = serializers.CharField(allow_null=True)


ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}


class StatsSummaryView(ApiView):
    # Anonymous callers get {"error": …} with a 401, as this route always answered.
    permission_classes = []

    @extend_schema(
        summary="The headline figures of your scope",
        parameters=[
            OpenApiParameter(
                "federation",
                OpenApiTypes.STR,
                description="An administrative division code: narrows to that subtree.",
            )
        ],
        responses={
            200: StatsSummarySerializer,
            401: OpenApiResponse(ERROR, description="No valid token or session."),
            404: OpenApiResponse(ERROR, description="No such federation in your scope."),
        },
    )
    def get(self, request):
        if not scope_for(request.user).is_anything:
            return Response(
                {"error": "authentication required"},
                status=401,
                headers={"WWW-Authenticate": self.get_authenticate_header(request)},
            )
        federation = None
        code = request.query_params.get("federation", "").strip()
        if code:
            federation = visible(
                Federation.objects.filter(division_code=code), request.user
            ).first()
            if federation is None:
                return Response({"error": "no such federation in your scope"}, status=404)
        figures = stats_summary(user=request.user, federation=federation)
        figures["federation"] = federation.division_code if federation else None
        return Response(figures)
