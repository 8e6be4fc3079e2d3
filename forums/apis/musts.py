"""REST API of the monthly musts 三必做: record an activity, list the activities, the status
table per community and month (missed months flagged), and its Excel export per street."""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from board.apis._base import BoardApi, RefOut, ScopedPrimaryKeyField, choice_field, xlsx_response
from core.exceptions import ApplicationError
from grids.models import Community
from proposals.models import Topic
from volunteers.models import Activity

from .. import selectors, services
from ..exports import musts_xlsx, state_label
from ..filters import MONTH_RE, MustActivityFilter
from ..models import Meeting, MustActivity, MustKind

# ---------------------------------------------------------------------------------------------
# Output


class MustActivityOut(serializers.Serializer):
    id = serializers.IntegerField()
    community = RefOut()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    held_on = serializers.DateField()
    month = serializers.DateField(help_text=_("所属月份的第一天"))
    title = serializers.CharField()
    note = serializers.CharField()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    topic = serializers.IntegerField(source="topic_id", allow_null=True)
    created_at = serializers.DateTimeField()


class MustsRowOut(serializers.Serializer):
    community = RefOut()
    street = RefOut()
    month = serializers.CharField(help_text=_("YYYY-MM"))
    done = serializers.ListField(child=serializers.CharField(), help_text=_("已开展的类别"))
    missing = serializers.ListField(child=serializers.CharField(), help_text=_("尚缺的类别"))
    ended = serializers.BooleanField(help_text=_("该月已结束"))
    missed = serializers.BooleanField(help_text=_("该月已结束且有缺项（标红）"))
    state_display = serializers.CharField()


# ---------------------------------------------------------------------------------------------
# Input


class MeetingField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.meeting_queryset(actor=self.context["request"].user)


class MustActivityIn(serializers.Serializer):
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.select_related("street"), level=Level.PEOPLE
    )
    kind = choice_field(MustKind.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = MeetingField(
        queryset=Meeting.objects.none(), required=False, allow_null=True, default=None
    )
    activity = ScopedPrimaryKeyField(
        queryset=Activity.objects.all(), required=False, allow_null=True, default=None
    )
    topic = ScopedPrimaryKeyField(
        queryset=Topic.objects.all(), required=False, allow_null=True, default=None
    )


def _month_param(request):
    month = request.query_params.get("month") or selectors.month_key(timezone.localdate())
    if not MONTH_RE.match(month):
        message = _gettext("月份格式应为 YYYY-MM。")
        raise ApplicationError(message, code="invalid", fields={"month": message})
    return month


def _int_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        message = _gettext("请输入整数。")
        raise ApplicationError(message, code="invalid", fields={name: message})
    return int(value)


MONTH_PARAM = OpenApiParameter(
    "month", OpenApiTypes.STR, description=_("月份 YYYY-MM，默认本月"), required=False
)
STREET_PARAM = OpenApiParameter("street", OpenApiTypes.INT, description=_("街道"), required=False)


# ---------------------------------------------------------------------------------------------
# Views


class MustActivityListApi(BoardApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = MustActivityFilter
    serializer_class = MustActivityOut
    queryset = MustActivity.objects.none()

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(summary=_("三必做活动记录（管辖范围内）"), responses=MustActivityOut(many=True))
    def get(self, request):
        self.require("forums.view_mustactivity")
        qs = selectors.must_activity_list(actor=request.user, filters=request.query_params)
        return self.paginated(qs, MustActivityOut)

    @extend_schema(
        summary=_("登记一项三必做活动（可关联已召开的会议、志愿活动或议题）"),
        request=MustActivityIn,
        responses={201: MustActivityOut},
    )
    def post(self, request):
        self.require("forums.record_must")
        data = self.parse(MustActivityIn)
        self.require("forums.record_must", data["community"])
        activity = services.must_record(actor=request.user, **data)
        return Response(MustActivityOut(activity).data, status=status.HTTP_201_CREATED)


def _rows(communities, month):
    statuses = selectors.musts_status(communities, [month])
    rows = []
    for community in communities:
        s = statuses[(community.pk, month)]
        rows.append(
            {
                "community": community,
                "street": community.street,
                "month": month,
                "done": [k for k in MustKind.values if k in s.done],
                "missing": s.missing,
                "ended": s.ended,
                "missed": s.missed,
                "state_display": state_label(s),
            }
        )
    return rows


class MustsTableApi(BoardApi):
    serializer_class = MustsRowOut
    queryset = Community.objects.none()  # for the schema

    @extend_schema(
        summary=_("每月三必做完成情况（每个居民区一行；已结束且缺项的月份标为 missed）"),
        parameters=[MONTH_PARAM, STREET_PARAM],
        responses=MustsRowOut(many=True),
    )
    def get(self, request):
        self.require("forums.view_monthlymusts")
        month = _month_param(request)
        street = _int_param(request, "street")
        communities = selectors.musts_communities(actor=request.user)
        if street is not None:
            communities = communities.filter(street_id=street)
        page = self.paginate_queryset(communities)
        return self.get_paginated_response(MustsRowOut(_rows(page, month), many=True).data)


class MustsExportApi(BoardApi):
    queryset = Community.objects.none()  # for the schema

    @extend_schema(
        summary=_("导出某街道某月的三必做完成情况（Excel）"),
        parameters=[MONTH_PARAM, STREET_PARAM],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY
        },
    )
    def get(self, request):
        self.require("forums.export_musts")
        month = _month_param(request)
        street_id = _int_param(request, "street")
        streets = selectors.musts_streets(actor=request.user)
        street = streets.filter(pk=street_id).first() if street_id else streets.first()
        if street is None:
            raise Http404
        communities = list(selectors.musts_communities(actor=request.user, street=street))
        content = musts_xlsx(
            title=_gettext("%(street)s 每月三必做") % {"street": street.name},
            communities=communities,
            month=month,
            statuses=selectors.musts_status(communities, [month]),
        )
        return xlsx_response(content, f"musts-{street.pk}-{month}.xlsx")


urlpatterns = [
    path("monthly-musts/", MustsTableApi.as_view(), name="monthly-musts"),
    path("monthly-musts/export/", MustsExportApi.as_view(), name="monthly-musts-export"),
    path(
        "monthly-musts/activities/",
        MustActivityListApi.as_view(),
        name="monthly-must-activities",
    ),
]
