"""REST API of intake: sweeps 排查 per micro-grid and the reception roster 接访."""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.models import User
from board.apis._base import BoardApi, RefOut
from grids.models import Community, MicroGrid
from residents.models import Resident

from .. import selectors, services
from ..models import DisputeSweep, ReceptionDay, ReceptionRecord
from .cases import PeopleScopedField


class SweepOut(serializers.Serializer):
    id = serializers.IntegerField()
    community = RefOut()
    grid = RefOut()
    swept_on = serializers.DateField()
    swept_by = serializers.CharField(source="swept_by.get_full_name", default="")
    found_count = serializers.IntegerField(help_text=_("0 表示未发现矛盾纠纷"))
    case_count = serializers.IntegerField(help_text=_("由本次排查登记的案件数"))
    note = serializers.CharField()


class SweepIn(serializers.Serializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=MicroGrid.objects.all())
    swept_on = serializers.DateField()
    found_count = serializers.IntegerField(min_value=0, max_value=999)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ReceiverOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class ReceptionDayOut(serializers.Serializer):
    id = serializers.IntegerField()
    community = RefOut()
    day = serializers.DateField()
    time_slot = serializers.CharField()
    place = serializers.CharField()
    note = serializers.CharField()
    receivers = ReceiverOut(many=True, source="receivers.all")
    record_count = serializers.IntegerField(help_text=_("接访记录数"))


class ReceptionDayIn(serializers.Serializer):
    community = PeopleScopedField(queryset=Community.objects.all())
    day = serializers.DateField()
    time_slot = serializers.CharField(max_length=32)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    receivers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True
    )


class SweepListApi(BoardApi):
    permission_required = "disputes"
    queryset = DisputeSweep.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="矛盾纠纷排查记录 / Sweeps", responses=SweepOut(many=True))
    def get(self, request):
        return self.paginated(selectors.sweep_list(actor=request.user), SweepOut)

    @extend_schema(
        summary="登记排查（未发现也登记）/ Record a sweep",
        request=SweepIn,
        responses={201: SweepOut},
    )
    def post(self, request):
        data = self.parse(SweepIn)
        sweep = services.sweep_record(actor=request.user, **data)
        row = selectors.sweep_list(actor=request.user).get(pk=sweep.pk)
        return Response(SweepOut(row).data, status=status.HTTP_201_CREATED)


class ReceptionDayListApi(BoardApi):
    permission_required = "disputes"
    queryset = ReceptionDay.objects.none()  # for the schema; rows come from the selectors

    @extend_schema(summary="接访排班 / Reception roster", responses=ReceptionDayOut(many=True))
    def get(self, request):
        return self.paginated(selectors.reception_day_list(actor=request.user), ReceptionDayOut)

    @extend_schema(
        summary="新增接访排班 / Schedule a reception",
        request=ReceptionDayIn,
        responses={201: ReceptionDayOut},
    )
    def post(self, request):
        data = self.parse(ReceptionDayIn)
        row = services.reception_day_schedule(actor=request.user, **data)
        row = selectors.reception_day_list(actor=request.user).get(pk=row.pk)
        return Response(ReceptionDayOut(row).data, status=status.HTTP_201_CREATED)


class ReceptionRecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    resident_id = serializers.IntegerField(allow_null=True)
    visitor = serializers.CharField()
    matter = serializers.CharField()
    received_by = serializers.CharField(source="received_by.get_full_name", default="")
    created_at = serializers.DateTimeField()


class ReceptionRecordIn(serializers.Serializer):
    resident = PeopleScopedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    visitor = serializers.CharField(max_length=32, required=False, allow_blank=True)
    matter = serializers.CharField(max_length=2000)


class ReceptionRecordListApi(BoardApi):
    permission_required = "disputes"
    queryset = ReceptionRecord.objects.none()  # for the schema; rows come from the selectors

    def get_reception(self):
        try:
            return selectors.reception_day_list(actor=self.request.user).get(pk=self.kwargs["pk"])
        except ReceptionDay.DoesNotExist as exc:
            raise Http404 from exc

    @extend_schema(
        summary="接访记录 / Reception records of a slot",
        responses=ReceptionRecordOut(many=True),
    )
    def get(self, request, pk):
        reception = self.get_reception()
        return self.paginated(
            selectors.reception_record_list(actor=request.user, reception=reception),
            ReceptionRecordOut,
        )

    @extend_schema(
        summary="登记接访记录 / Record a resident received",
        request=ReceptionRecordIn,
        responses={201: ReceptionRecordOut},
    )
    def post(self, request, pk):
        reception = self.get_reception()
        data = self.parse(ReceptionRecordIn)
        row = services.reception_record_add(actor=request.user, reception=reception, **data)
        return Response(ReceptionRecordOut(row).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "disputes/reception-days/<int:pk>/records/",
        ReceptionRecordListApi.as_view(),
        name="dispute-reception-record-list",
    ),
    path("disputes/sweeps/", SweepListApi.as_view(), name="dispute-sweep-list"),
    path(
        "disputes/reception-days/",
        ReceptionDayListApi.as_view(),
        name="dispute-reception-day-list",
    ),
]
