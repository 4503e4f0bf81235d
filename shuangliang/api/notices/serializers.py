"""What the API returns for notices: the notice as published, with its frozen figures and
the units it commends or asks to improve (the results it was made from)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuangliang.notices import selectors
from shuangliang.notices.models import Notice
from shuangliang.notices.results import grade_label
from shuangliang.standards.models import Grade

from ..register.serializers import FederationRefSerializer


class StandardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class NoticeSerializer(serializers.ModelSerializer):
    federation = FederationRefSerializer(read_only=True)
    standard = StandardRefSerializer(read_only=True, allow_null=True)
    document_number = serializers.CharField(read_only=True)
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "federation",
            "title",
            "document_number",
            "year",
            "standard",
            "issued_on",
            "published_at",
            "pdf",
            "docx",
        ]
        read_only_fields = fields

    def get_pdf(self, notice: Notice) -> str:
        return reverse("api:notice_pdf", args=[notice.pk])

    def get_docx(self, notice: Notice) -> str:
        return reverse("api:notice_docx", args=[notice.pk])


class GradeCountsSerializer(serializers.Serializer):
    model = serializers.IntegerField(read_only=True, default=0)
    qualified = serializers.IntegerField(read_only=True, default=0)
    basic = serializers.IntegerField(read_only=True, default=0)
    not_qualified = serializers.IntegerField(read_only=True, default=0)


class FiguresSerializer(serializers.Serializer):
    """The counts the notice's paragraph of figures is made of."""

    unions = serializers.IntegerField(read_only=True, default=0)
    inspected = serializers.IntegerField(read_only=True, default=0)
    grades = GradeCountsSerializer(read_only=True)


class UnitResultSerializer(serializers.Serializer):
    """A union named in the notice, with its score and grade as frozen in the notice."""

    union = serializers.IntegerField(source="union_id", read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    township = serializers.CharField(read_only=True, allow_blank=True)
    score = serializers.CharField(read_only=True, allow_blank=True)
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True, allow_blank=True)
    grade_label = serializers.SerializerMethodField()

    def to_representation(self, row):
        row = {
            "union_id": row.get("union_id"),
            "name": str(row.get("name", "")),
            "township": str(row.get("township", "")),
            "score": str(row.get("score", "")),
            "grade": row.get("grade", "") if row.get("grade", "") in Grade.values else "",
        }
        return super().to_representation(row)

    def get_grade_label(self, row) -> str:
        return grade_label(row["grade"])


class NoticeDetailSerializer(NoticeSerializer):
    figures = serializers.SerializerMethodField()
    figures_text = serializers.SerializerMethodField()
    commended = UnitResultSerializer(many=True, read_only=True)
    to_improve = UnitResultSerializer(many=True, read_only=True)

    class Meta(NoticeSerializer.Meta):
        fields = [
            *NoticeSerializer.Meta.fields,
            "figures",
            "figures_text",
            "commended",
            "to_improve",
            "free_text",
        ]
        read_only_fields = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, notice: Notice) -> dict:
        figures = notice.figures if isinstance(notice.figures, dict) else {}
        grades = figures.get("grades") if isinstance(figures.get("grades"), dict) else {}
        return {
            "unions": int(figures.get("unions") or 0),
            "inspected": int(figures.get("inspected") or 0),
            "grades": {grade: int(grades.get(grade) or 0) for grade in Grade.values},
        }

    def get_figures_text(self, notice: Notice) -> str:
        """The paragraph of figures as the notice prints it."""
        return selectors.figures_paragraph(notice=notice)
