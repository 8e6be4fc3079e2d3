"""REST API of a resident's property situation: my compound → its area, the current company
with the contract's term and fee standard, the owners' committee with members and terms."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from board.apis._base import BoardApi, RefOut

from .. import selectors


class ContractFeeOut(serializers.Serializer):
    property_kind = serializers.CharField()
    property_kind_display = serializers.CharField(source="get_property_kind_display")
    yuan_per_m2_month = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text=_("元/平方米·月")
    )


class PropertyCompanyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()


class PropertyContractOut(serializers.Serializer):
    id = serializers.IntegerField()
    company = PropertyCompanyOut()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    chosen_by = serializers.CharField()
    chosen_by_display = serializers.CharField(source="get_chosen_by_display")
    fees = ContractFeeOut(many=True, source="fees.all")


class CommitteeMemberOut(serializers.Serializer):
    name = serializers.CharField(source="resident.name")
    role = serializers.CharField(help_text="director/deputy/member")
    role_display = serializers.CharField(source="get_role_display")
    starts_on = serializers.DateField()


class OwnersCommitteeOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    term_number = serializers.IntegerField()
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()
    status = serializers.CharField(help_text="preparing/serving")
    status_display = serializers.CharField(source="get_status_display")
    members = CommitteeMemberOut(many=True, source="members.all")


class PropertyAreaOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    compounds = RefOut(many=True, source="compounds.all")


class MyAreaOut(serializers.Serializer):
    compound = RefOut(allow_null=True)
    area = PropertyAreaOut(allow_null=True)
    contract = PropertyContractOut(allow_null=True)
    committee = OwnersCommitteeOut(allow_null=True)


class MyAreaApi(BoardApi):
    @extend_schema(
        summary=_("我的物业：所在小区、物业管理区域、物业企业与合同、收费标准、业委会成员"),
        responses=MyAreaOut,
    )
    def get(self, request):
        data = selectors.my_area(actor=request.user) or {
            "compound": None,
            "area": None,
            "contract": None,
            "committee": None,
        }
        return Response(MyAreaOut(data).data)


urlpatterns = [path("property/my-area/", MyAreaApi.as_view(), name="property-my-area")]
