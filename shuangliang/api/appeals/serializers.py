"""What the API returns for appeals (handler side). No serializer here has a field for the
appellant's name or phone: the identity comes only from the logged identity operation
(views.AppealIdentityView), to those the staff page shows it to (QUALITY.md C3)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuangliang.appeals import selectors
from shuangliang.appeals.models import (
    Appeal,
    Appellant,
    Attachment,
    CalendarDay,
    Category,
    Message,
    Satisfaction,
)

from ..register.serializers import FederationRefSerializer, UnionRefSerializer


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]
        read_only_fields = fields


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class AppealSerializer(serializers.ModelSerializer):
    """A row of the appeal list: what the staff list shows, never who sent it."""

    reference = serializers.CharField(read_only=True)
    category = CategorySerializer(read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True, allow_null=True)
    handling_federation = FederationRefSerializer(read_only=True)
    handling_union = UnionRefSerializer(read_only=True, allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", read_only=True, allow_null=True)
    escalated_to = serializers.IntegerField(
        source="escalated_to_id", read_only=True, allow_null=True
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, allow_blank=True, read_only=True
    )
    due_on = serializers.SerializerMethodField()
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reference",
            "subject",
            "category",
            "channel",
            "status",
            "route",
            "requested_route",
            "about_union",
            "is_anonymous",
            "enterprise",
            "handling_federation",
            "handling_union",
            "assignee",
            "submitted_at",
            "accept_due_on",
            "conclude_due_on",
            "extension_days",
            "due_on",
            "deadline_state",
            "escalated_to",
            "escalated_at",
            "accepted_at",
            "answered_at",
            "closed_at",
            "satisfaction",
            "decline_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, appeal: Appeal):
        return selectors.current_due_on(appeal)

    @extend_schema_field(serializers.ChoiceField(choices=["", "overdue", "soon"]))
    def get_deadline_state(self, appeal: Appeal) -> str:
        dates = self.context.get("deadline_dates") or selectors.deadline_dates()
        return selectors.deadline_state(appeal, dates)


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "direction", "body", "created_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "content_type", "size", "created_at", "download"]
        read_only_fields = fields

    def get_download(self, attachment: Attachment) -> str:
        """The path of the logged download operation."""
        return reverse("api:appeal_attachment_download", args=[attachment.pk])


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name"]
        read_only_fields = fields


class AppealDetailSerializer(AppealSerializer):
    """One appeal with what the worker wrote, the replies and the attachments' metadata;
    `identity_available` says whether the identity operation would answer (no identity here)."""

    messages = MessageSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    can_change = serializers.SerializerMethodField()
    identity_available = serializers.SerializerMethodField()
    extension_reason = serializers.CharField(read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "body",
            "extension_reason",
            "reopen_count",
            "messages",
            "attachments",
            "can_change",
            "identity_available",
        ]
        read_only_fields = fields

    def get_can_change(self, appeal: Appeal) -> bool:
        return bool(self.context.get("can_change"))

    def get_identity_available(self, appeal: Appeal) -> bool:
        return bool(self.context.get("identity_available"))


class AppellantSerializer(serializers.ModelSerializer):
    """The identity of a named appellant: only from the logged identity operation."""

    appeal = serializers.IntegerField(source="appeal_id", read_only=True)

    class Meta:
        model = Appellant
        fields = ["appeal", "name", "phone"]
        read_only_fields = fields
