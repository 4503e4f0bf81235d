"""What the API returns for register records. Read-only: writes are validated by the staff
pages' forms (api.base.bind). Phone numbers of people are masked here, always; the full
numbers come only from the logged unmask operation, as on the pages (QUALITY.md C2)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuangliang.register.models import (
    CollectiveContract,
    ContractKind,
    ContractStepRecord,
    Enterprise,
    Federation,
    Officer,
    Person,
    Union,
    mask_phone,
)


class FederationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Federation
        fields = ["id", "name", "level", "division_code"]
        read_only_fields = fields


class FederationSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Federation
        fields = ["id", "name", "level", "division_code", "parent", "depth", "address", "phone"]
        read_only_fields = fields


class UnionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Union
        fields = ["id", "name"]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    federation = FederationRefSerializer(read_only=True)
    union = UnionRefSerializer(read_only=True, allow_null=True)
    is_non_public = serializers.BooleanField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "federation",
            "ownership",
            "is_non_public",
            "industry",
            "operating_status",
            "headcount",
            "women_headcount",
            "address",
            "focus_production_difficulty",
            "focus_hardship",
            "focus_labour_disputes",
            "focus_weak_union",
            "union",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChairSerializer(serializers.Serializer):
    officer_id = serializers.IntegerField(source="pk")
    person_id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")


class UnionSerializer(serializers.ModelSerializer):
    federation = FederationRefSerializer(read_only=True)
    enterprise_count = serializers.IntegerField(read_only=True)
    chair = serializers.SerializerMethodField()
    reelection_due_on = serializers.DateField(read_only=True, allow_null=True)
    reelection_state = serializers.ChoiceField(
        choices=["lapsed", "due_soon", "ok", "unknown"], read_only=True
    )

    class Meta:
        model = Union
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "federation",
            "founded_on",
            "member_count",
            "women_member_count",
            "office_address",
            "office_phone",
            "term_start",
            "term_years",
            "reelection_due_on",
            "reelection_state",
            "has_audit_committee",
            "has_women_committee",
            "enterprise_count",
            "chair",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ChairSerializer(allow_null=True))
    def get_chair(self, union: Union):
        chairs = getattr(union, "chairs_in_office", [])
        return ChairSerializer(chairs[0]).data if chairs else None


class PersonSerializer(serializers.ModelSerializer):
    """A cadre with masked phone numbers."""

    mobile = serializers.SerializerMethodField()
    office_phone = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    phones_masked = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "mobile",
            "office_phone",
            "phones_masked",
            "office_address",
            "has_photo",
            "consent_photo",
            "consent_mobile",
            "consent_office_phone",
        ]
        read_only_fields = fields

    def get_mobile(self, person: Person) -> str:
        return person.mobile if self.context.get("unmasked") else mask_phone(person.mobile)

    def get_office_phone(self, person: Person) -> str:
        if self.context.get("unmasked"):
            return person.office_phone
        return mask_phone(person.office_phone)

    def get_has_photo(self, person: Person) -> bool:
        return bool(person.photo)

    def get_phones_masked(self, person: Person) -> bool:
        return not self.context.get("unmasked")


class OfficerSerializer(serializers.ModelSerializer):
    union = UnionRefSerializer(read_only=True)
    federation = FederationRefSerializer(source="union.federation", read_only=True)
    person = PersonSerializer(read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Officer
        fields = [
            "id",
            "union",
            "federation",
            "person",
            "position",
            "term_start",
            "term_end",
            "is_full_time",
            "registration",
            "registered_on",
            "status",
            "ended_on",
            "is_current",
        ]
        read_only_fields = fields


class ContractKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractKind
        fields = ["id", "code", "name", "counts_for_three", "default_term_months"]
        read_only_fields = fields


class ContractStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractStepRecord
        fields = ["step", "reached_on", "note"]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer):
    union = UnionRefSerializer(read_only=True)
    kind = ContractKindSerializer(read_only=True)
    is_signed = serializers.BooleanField(read_only=True)
    steps = ContractStepSerializer(source="step_records", many=True, read_only=True)

    class Meta:
        model = CollectiveContract
        fields = [
            "id",
            "union",
            "kind",
            "step",
            "is_signed",
            "signed_on",
            "term_months",
            "expires_on",
            "workers_covered",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
