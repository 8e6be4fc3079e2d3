"""Input and output serializers of the grids API. Input serializers only parse; every rule
lives in the services. Output serializers read fields the selectors have already joined."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from residents.models import Household, Resident

from .models import (
    Building,
    Community,
    CommunityType,
    Compound,
    DiaryEntry,
    District,
    GridPlace,
    GridResource,
    GridRole,
    GridRoleKind,
    MicroGrid,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    Street,
    VisitRecord,
)
from .validators import validate_photo

User = get_user_model()


# Output ----------------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="real_name")


class DistrictOut(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name", "code"]


class StreetOut(serializers.ModelSerializer):
    district = RefSerializer()

    class Meta:
        model = Street
        fields = ["id", "name", "code", "district", "address", "phone"]


class CommunityTypeOut(serializers.ModelSerializer):
    class Meta:
        model = CommunityType
        fields = ["id", "street", "name", "description"]


class CommunityOut(serializers.ModelSerializer):
    street = RefSerializer()
    community_type = RefSerializer(allow_null=True)

    class Meta:
        model = Community
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "street",
            "community_type",
            "address",
            "phone",
            "committee_name",
            "party_branch_name",
            "households_estimate",
        ]


class GridOut(serializers.ModelSerializer):
    community = RefSerializer()

    class Meta:
        model = MicroGrid
        fields = ["id", "name", "code", "community", "boundary"]


class CompoundOut(serializers.ModelSerializer):
    community = RefSerializer()
    building_count = serializers.IntegerField()

    class Meta:
        model = Compound
        fields = ["id", "name", "community", "address", "is_active", "ended_on", "building_count"]


class BuildingOut(serializers.ModelSerializer):
    grid = RefSerializer()
    community = RefSerializer()
    compound = RefSerializer(allow_null=True)

    class Meta:
        model = Building
        fields = [
            "id",
            "name",
            "grid",
            "community",
            "compound",
            "address",
            "floors",
            "households_estimate",
        ]


class GridRoleOut(serializers.ModelSerializer):
    grid = RefSerializer()
    building = RefSerializer(allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = GridRole
        fields = [
            "id",
            "grid",
            "building",
            "kind",
            "kind_display",
            "name",
            "phone",
            "resident",
            "user",
            "is_party_member",
            "starts_on",
            "ends_on",
            "notes",
        ]


class GridPlaceOut(serializers.ModelSerializer):
    grid = RefSerializer()

    class Meta:
        model = GridPlace
        fields = ["id", "grid", "kind", "name", "address", "contact_name", "contact_phone", "notes"]


class GridResourceOut(serializers.ModelSerializer):
    community = RefSerializer()
    grids = RefSerializer(many=True)

    class Meta:
        model = GridResource
        fields = [
            "id",
            "community",
            "grids",
            "kind",
            "name",
            "address",
            "contact_name",
            "contact_phone",
            "offers",
            "is_active",
        ]


class HouseholdRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(source="__str__")


class VisitOut(serializers.ModelSerializer):
    grid = RefSerializer()
    visitor = PersonRefSerializer()
    household = HouseholdRefSerializer(allow_null=True)

    class Meta:
        model = VisitRecord
        fields = [
            "id",
            "grid",
            "visitor",
            "visited_on",
            "household",
            "visitee",
            "summary",
            "needs_found",
            "created_at",
        ]


class DiaryOut(serializers.ModelSerializer):
    grid = RefSerializer()
    author = PersonRefSerializer()

    class Meta:
        model = DiaryEntry
        fields = ["id", "grid", "author", "written_on", "content", "created_at"]


class PairingOut(serializers.ModelSerializer):
    grid = RefSerializer()
    household = HouseholdRefSerializer()

    class Meta:
        model = Pairing
        fields = [
            "id",
            "grid",
            "household",
            "helper_name",
            "helper_phone",
            "helper",
            "since",
            "until",
            "notes",
        ]


class DeedOut(serializers.ModelSerializer):
    grid = RefSerializer()
    recorded_by = PersonRefSerializer()

    class Meta:
        model = PracticalDeed
        fields = [
            "id",
            "grid",
            "title",
            "description",
            "done_on",
            "beneficiaries",
            "beneficiary_count",
            "recorded_by",
        ]


class PatrolOut(serializers.ModelSerializer):
    grid = RefSerializer()
    patroller = PersonRefSerializer()
    problem_count = serializers.IntegerField(read_only=True, default=0)
    open_problem_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = PatrolRecord
        fields = [
            "id",
            "grid",
            "patroller",
            "patrolled_on",
            "route",
            "notes",
            "problem_count",
            "open_problem_count",
        ]


class PatrolProblemOut(serializers.ModelSerializer):
    grid = RefSerializer()
    status_display = serializers.CharField(source="get_status_display")
    photo = serializers.FileField(allow_null=True, use_url=True)

    class Meta:
        model = PatrolProblem
        fields = [
            "id",
            "patrol",
            "grid",
            "description",
            "location",
            "photo",
            "status",
            "status_display",
            "cleared_at",
            "cleared_by",
            "clearance_note",
            "cleared_within_week",
            "department",
            "routed_at",
            "routed_by",
            "route_note",
            "created_at",
        ]


class VisitRoundWeekOut(serializers.Serializer):
    week_start = serializers.DateField(help_text=_("该 ISO 周的星期一"))
    iso_year = serializers.IntegerField()
    iso_week = serializers.IntegerField()
    visits = serializers.IntegerField(help_text=_("该周走访次数"))
    done = serializers.BooleanField(help_text=_("该周是否完成走访"))


class VisitRoundRowOut(serializers.Serializer):
    grid = GridOut()
    weeks = VisitRoundWeekOut(many=True)


# Input -----------------------------------------------------------------------------------------


def _pk(model, **kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.all(), **kwargs)


class GridRoleIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    kind = serializers.ChoiceField(choices=GridRoleKind.choices)
    building = _pk(Building, required=False, allow_null=True)
    name = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    resident = _pk(Resident, required=False, allow_null=True)
    user = _pk(User, required=False, allow_null=True)
    is_party_member = serializers.BooleanField(required=False, default=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class GridRoleUpdateIn(serializers.Serializer):
    name = serializers.CharField(max_length=32, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    resident = _pk(Resident, required=False, allow_null=True)
    user = _pk(User, required=False, allow_null=True)
    is_party_member = serializers.BooleanField(required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EndTermIn(serializers.Serializer):
    ends_on = serializers.DateField(required=False, help_text=_("默认今天"))


class GridPlaceIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    kind = serializers.ChoiceField(choices=GridPlace.Kind.choices)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class GridPlaceUpdateIn(GridPlaceIn):
    grid = None
    kind = serializers.ChoiceField(choices=GridPlace.Kind.choices, required=False)
    name = serializers.CharField(max_length=100, required=False)


class GridResourceIn(serializers.Serializer):
    community = _pk(Community)
    grids = _pk(MicroGrid, many=True)
    kind = serializers.ChoiceField(choices=GridResource.Kind.choices)
    name = serializers.CharField(max_length=100)
    offers = serializers.CharField()
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, default=True)


class GridResourceUpdateIn(serializers.Serializer):
    grids = _pk(MicroGrid, many=True, required=False)
    kind = serializers.ChoiceField(choices=GridResource.Kind.choices, required=False)
    name = serializers.CharField(max_length=100, required=False)
    offers = serializers.CharField(required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class VisitIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    visited_on = serializers.DateField()
    summary = serializers.CharField()
    household = _pk(Household, required=False, allow_null=True)
    visitee = serializers.CharField(max_length=100, required=False, allow_blank=True)
    needs_found = serializers.CharField(required=False, allow_blank=True)


class VisitUpdateIn(serializers.Serializer):
    visited_on = serializers.DateField(required=False)
    summary = serializers.CharField(required=False)
    household = _pk(Household, required=False, allow_null=True)
    visitee = serializers.CharField(max_length=100, required=False, allow_blank=True)
    needs_found = serializers.CharField(required=False, allow_blank=True)


class DiaryIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    written_on = serializers.DateField()
    content = serializers.CharField()


class DiaryUpdateIn(serializers.Serializer):
    written_on = serializers.DateField(required=False)
    content = serializers.CharField(required=False)


class PairingIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    household = _pk(Household)
    helper_name = serializers.CharField(max_length=32)
    helper_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    helper = _pk(User, required=False, allow_null=True)
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class PairingUpdateIn(serializers.Serializer):
    helper_name = serializers.CharField(max_length=32, required=False)
    helper_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    helper = _pk(User, required=False, allow_null=True)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class PairingEndIn(serializers.Serializer):
    until = serializers.DateField(required=False, help_text=_("默认今天"))


class DeedIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    done_on = serializers.DateField()
    beneficiaries = serializers.CharField(max_length=200, required=False, allow_blank=True)
    beneficiary_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class DeedUpdateIn(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False)
    done_on = serializers.DateField(required=False)
    beneficiaries = serializers.CharField(max_length=200, required=False, allow_blank=True)
    beneficiary_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class PatrolIn(serializers.Serializer):
    grid = _pk(MicroGrid)
    patrolled_on = serializers.DateField()
    route = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class PatrolUpdateIn(serializers.Serializer):
    patrolled_on = serializers.DateField(required=False)
    route = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class PatrolProblemIn(serializers.Serializer):
    patrol = _pk(PatrolRecord)
    description = serializers.CharField()
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    photo = serializers.FileField(required=False, allow_null=True, validators=[validate_photo])


class ProblemClearIn(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ProblemRouteIn(serializers.Serializer):
    department = serializers.CharField(max_length=100, help_text=_("责任部门，如“城管中队”"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
