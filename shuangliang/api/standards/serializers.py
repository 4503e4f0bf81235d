"""What the API returns for inspections (with score and grade) and rectifications."""

from rest_framework import serializers

from shuangliang.standards.models import Grade, Inspection, Rectification

from ..register.serializers import FederationRefSerializer, UnionRefSerializer


class StandardVersionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    standard = serializers.IntegerField(source="standard_id", read_only=True)
    name = serializers.CharField(source="standard.name", read_only=True)
    number = serializers.IntegerField(read_only=True)


class InspectedUnionSerializer(UnionRefSerializer):
    federation = FederationRefSerializer(read_only=True)

    class Meta(UnionRefSerializer.Meta):
        fields = ["id", "name", "federation"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """An inspection and, once submitted, its score (`percent`) and grade as scored."""

    union = InspectedUnionSerializer(read_only=True)
    version = StandardVersionRefSerializer(read_only=True)
    round = serializers.IntegerField(source="round_id", read_only=True, allow_null=True)
    inspector = serializers.IntegerField(source="inspector_id", read_only=True, allow_null=True)
    inspector_union = UnionRefSerializer(read_only=True, allow_null=True)
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "union",
            "version",
            "round",
            "year",
            "state",
            "inspector",
            "inspector_union",
            "submitted_at",
            "earned",
            "possible",
            "percent",
            "grade",
            "mandatory_failed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer):
    union = InspectedUnionSerializer(read_only=True)
    inspection = serializers.IntegerField(source="inspection_id", read_only=True)
    item = serializers.CharField(source="item.text", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "inspection",
            "union",
            "item",
            "state",
            "problem",
            "deadline",
            "is_overdue",
            "responsible",
            "closing_note",
            "has_photo",
            "closed_at",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, rectification: Rectification) -> bool:
        return bool(rectification.closing_photo)


class InspectionRectificationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.text", read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "item", "state", "problem", "deadline"]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionSerializer):
    rectifications = InspectionRectificationSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "rectifications"]
        read_only_fields = fields
