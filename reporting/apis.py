"""REST API of the lists sent upward 上报事项: browse, create, mark and unmark items, submit,
track item status, close, export.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. No output carries a resident's name or phone: an item shows
the topic's title or the event's number and category, and the summary written for the report.
"""

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.scope import Level, actor_scope
from cases.models import GridEvent
from core.pagination import PagePagination
from core.permissions import RulesPermission
from grids.models import Street
from proposals.models import Topic

from . import exports, selectors, services
from .filters import ItemFilter, ReportFilter
from .models import ReportItem, UpwardReport


def choice_field(choices, **kwargs):
    """A ChoiceField documented as a string pattern with the labels (no enum component whose
    name would collide with other apps' `kind` / `status` enums)."""
    choices = list(choices)
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(str(value) for value, _label in choices) + ")$",
        "description": "; ".join(f"{value}: {label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(
        type("ReportingChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class ScopedField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row in the caller's people scope; any other reads as missing."""

    def get_queryset(self):
        request = self.context.get("request")
        return actor_scope(request.user if request else None).filter(
            super().get_queryset(), Level.PEOPLE
        )


class WritableStreetField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        scope = actor_scope(request.user if request else None)
        qs = Street.objects.all()
        return qs if scope.is_global else qs.filter(pk__in=scope.street_ids)


# ---------------------------------------------------------------------------------------------
# Output


class ReportingUnitOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubjectOut(serializers.Serializer):
    kind = serializers.CharField(help_text=_("topic: 议题; grid_event: 网格事件"))
    kind_display = serializers.CharField()
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_("编号：T+议题号 / E+事件号"))
    title = serializers.CharField(help_text=_("议题标题或事件类别（不含居民姓名）"))
    url = serializers.CharField(help_text=_("议题或网格事件的 API 地址"))


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    subject = serializers.SerializerMethodField()
    community = ReportingUnitOut()
    summary = serializers.CharField()
    beyond_reason = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    status_reason = serializers.CharField()
    result_note = serializers.CharField()
    marked_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField()

    @extend_schema_field(SubjectOut)
    def get_subject(self, item):
        # Built from the select_related rows: no query per item.
        if item.topic_id:
            kind, title = "topic", item.topic.title
            url = reverse("topic-detail", args=[item.topic_id])
        else:
            kind = "grid_event"
            title = str(item.grid_event.category)
            url = reverse("grid-event-detail", args=[item.grid_event_id])
        return {
            "kind": kind,
            "kind_display": str(item.source_display),
            "id": item.topic_id or item.grid_event_id,
            "number": item.number,
            "title": title,
            "url": url,
        }


class ReportListOut(serializers.Serializer):
    id = serializers.IntegerField()
    street = ReportingUnitOut()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    year = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    item_count = serializers.IntegerField(help_text=_("您可查看的事项数"))
    accepted_count = serializers.IntegerField(help_text=_("已采纳（含实施中、已完成）"))
    done_count = serializers.IntegerField()


class ReportDetailOut(ReportListOut):
    items = ItemOut(many=True, source="visible_items")
    actions = serializers.ListField(
        child=serializers.CharField(), help_text=_("您现在可进行的操作")
    )


class FigureOut(serializers.Serializer):
    year = serializers.IntegerField(source="report__year")
    kind = serializers.CharField(source="report__kind")
    status = serializers.CharField()
    count = serializers.IntegerField()


# ---------------------------------------------------------------------------------------------
# Input


class ReportIn(serializers.Serializer):
    street = WritableStreetField(queryset=Street.objects.all())
    kind = choice_field(UpwardReport.Kind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)


class MarkIn(serializers.Serializer):
    topic = ScopedField(queryset=Topic.objects.all(), required=False, allow_null=True)
    grid_event = ScopedField(queryset=GridEvent.objects.all(), required=False, allow_null=True)
    summary = serializers.CharField(max_length=services.MAX_SUMMARY)
    beyond_reason = serializers.CharField(max_length=services.MAX_SUMMARY)

    def validate(self, data):
        if (data.get("topic") is None) == (data.get("grid_event") is None):
            raise serializers.ValidationError(
                {"topic": [_("请选择一个议题或一个网格事件（只能选一个）。")]}
            )
        return data


class StatusIn(serializers.Serializer):
    status = choice_field(ReportItem.Status.choices)
    reason = serializers.CharField(
        max_length=services.MAX_REASON, required=False, allow_blank=True, help_text=_("未采纳原因")
    )
    result_note = serializers.CharField(
        max_length=services.MAX_RESULT,
        required=False,
        allow_blank=True,
        help_text=_("进展或结果（已完成时必填）"),
    )


class EmptyIn(serializers.Serializer):
    pass


# ---------------------------------------------------------------------------------------------
# Views


def report_actions(user, report):
    if not user.has_perm("reporting.change_upwardreport", report):
        return ["export"]
    moves = {
        UpwardReport.Status.DRAFT: ["mark", "unmark", "submit"],
        UpwardReport.Status.SUBMITTED: ["set_status", "close"],
    }
    return [*moves.get(report.status, []), "export"]


class ReportApi(GenericAPIView):
    permission_classes = [RulesPermission]
    permission_required = "reporting.view_upwardreport"
    pagination_class = PagePagination
    queryset = UpwardReport.objects.none()  # for the schema's path parameter

    def require(self, perm, obj=None):
        if not self.request.user.has_perm(perm, obj):
            self.permission_denied(self.request)

    def parse(self, input_class):
        data = input_class(data=self.request.data, context={"request": self.request})
        data.is_valid(raise_exception=True)
        return data.validated_data

    def get_report(self, with_items=False):
        return selectors.report_get(
            actor=self.request.user, pk=self.kwargs["pk"], with_items=with_items
        )

    def detail(self, report, code=status.HTTP_200_OK):
        user = self.request.user
        report = selectors.report_get(actor=user, pk=report.pk)
        report.actions = report_actions(user, report)
        return Response(ReportDetailOut(report).data, status=code)


class ReportListApi(ReportApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter
    serializer_class = ReportListOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_(
            "上报清单列表（街道管理员：本街道；社区工作者：本街道，仅本居民区事项计数；区领导：本区）"
        ),
        responses=ReportListOut(many=True),
    )
    def get(self, request):
        qs = selectors.report_list(actor=request.user, filters=request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReportListOut(page, many=True).data)

    @extend_schema(
        summary=_("新建上报清单（草稿）"), request=ReportIn, responses={201: ReportDetailOut}
    )
    def post(self, request):
        self.require("reporting.add_upwardreport")
        report = services.report_create(actor=request.user, **self.parse(ReportIn))
        return self.detail(report, status.HTTP_201_CREATED)


class ReportDetailApi(ReportApi):
    @extend_schema(summary=_("上报清单详情（含您可查看的事项）"), responses=ReportDetailOut)
    def get(self, request, pk):
        return self.detail(self.get_report())


def _step(name, call, summary):
    class View(ReportApi):
        @extend_schema(summary=summary, request=EmptyIn, responses=ReportDetailOut)
        def post(self, request, pk):
            report = self.get_report()
            self.require("reporting.change_upwardreport", report)
            call(actor=request.user, report=report)
            return self.detail(report)

    View.__name__ = View.__qualname__ = name
    return View


ReportSubmitApi = _step("ReportSubmitApi", services.report_submit, _("报送清单（草稿 → 已报送）"))
ReportCloseApi = _step("ReportCloseApi", services.report_close, _("结束清单（已报送 → 已结束）"))


class ItemListApi(ReportApi):
    @extend_schema(
        summary=_("列入事项（议题或网格事件二选一；仅草稿清单）"),
        request=MarkIn,
        responses={201: ReportDetailOut},
    )
    def post(self, request, pk):
        report = self.get_report()
        self.require("reporting.add_reportitem", report)
        services.item_mark(actor=request.user, report=report, **self.parse(MarkIn))
        return self.detail(report, status.HTTP_201_CREATED)


class ItemDetailApi(ReportApi):
    @extend_schema(summary=_("移出事项（仅草稿清单）"), responses={204: None})
    def delete(self, request, pk, item_pk):
        report = self.get_report()
        item = selectors.item_get(actor=request.user, report=report, pk=item_pk)
        self.require("reporting.delete_reportitem", item)
        services.item_unmark(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemStatusApi(ReportApi):
    @extend_schema(
        summary=_("更新事项状态（已列入 → 已采纳/未采纳 → 实施中 → 已完成）"),
        request=StatusIn,
        responses=ItemOut,
    )
    def post(self, request, pk, item_pk):
        report = self.get_report()
        item = selectors.item_get(actor=request.user, report=report, pk=item_pk)
        self.require("reporting.change_reportitem", item)
        services.item_set_status(actor=request.user, item=item, **self.parse(StatusIn))
        item = selectors.item_get(actor=request.user, report=report, pk=item_pk)
        return Response(ItemOut(item).data)


class ReportExportApi(ReportApi):
    @extend_schema(
        summary=_("导出上报清单（Excel）"),
        responses={(200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        report = self.get_report(with_items=True)
        content = exports.report_xlsx(report, report.visible_items)
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        filename = f"upward-report-{report.pk}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        return response


class ReportFiguresApi(ReportApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ItemFilter
    serializer_class = FigureOut
    queryset = ReportItem.objects.none()

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(
        summary=_("上报事项统计（按年度、类型、状态计数；区领导可用）"),
        responses=FigureOut(many=True),
    )
    def get(self, request):
        rows = selectors.report_figures(actor=request.user, filters=request.query_params)
        return Response(FigureOut(rows, many=True).data)


urlpatterns = [
    path("upward-reports/", ReportListApi.as_view(), name="upward-report-list"),
    path("upward-reports/figures/", ReportFiguresApi.as_view(), name="upward-report-figures"),
    path("upward-reports/<int:pk>/", ReportDetailApi.as_view(), name="upward-report-detail"),
    path("upward-reports/<int:pk>/submit/", ReportSubmitApi.as_view(), name="upward-report-submit"),
    path("upward-reports/<int:pk>/close/", ReportCloseApi.as_view(), name="upward-report-close"),
    path("upward-reports/<int:pk>/export/", ReportExportApi.as_view(), name="upward-report-export"),
    path("upward-reports/<int:pk>/items/", ItemListApi.as_view(), name="upward-report-items"),
    path(
        "upward-reports/<int:pk>/items/<int:item_pk>/",
        ItemDetailApi.as_view(),
        name="upward-report-item",
    ),
    path(
        "upward-reports/<int:pk>/items/<int:item_pk>/status/",
        ItemStatusApi.as_view(),
        name="upward-report-item-status",
    ),
]
