"""REST API of grid events 网格事件: the inbox (due soonest first), filing with photos, the
detail with its timeline, the verbs of the workflow, the Excel export, the weekly figures, and
what the phone page offers to file (grids, buildings, categories).

Each view: input serializer → selector within what the caller sees (anything else is a 404,
so a department's staff get 404 for another department's event) → rules permission → one
service → output serializer. Details list the actions the caller may take now.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.scope import Level
from board.apis._base import (
    BoardApi,
    EmptyIn,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    xlsx_response,
)
from grids.models import Building, MicroGrid, PatrolProblem, VisitRecord
from proposals.models import Topic

from .. import selectors, services
from ..exports import EXPORT_LIMIT, grid_events_xlsx
from ..filters import GridEventFilter, WeeklyFigureFilter
from ..models import Department, EventCategory, GridEvent
from ..services import TRANSITIONS

# ---------------------------------------------------------------------------------------------
# Output


class PhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField(help_text=_("filed: 上报时；handled: 处置后"))
    url = serializers.CharField(source="file.url")


class GridEventListOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    source = serializers.CharField()
    source_display = serializers.CharField(source="get_source_display")
    category = RefOut()
    community = RefOut()
    grid = RefOut()
    building = RefOut(allow_null=True)
    department = RefOut(allow_null=True)
    description = serializers.CharField()
    location = serializers.CharField()
    filed_at = serializers.DateTimeField()
    filed_by = serializers.CharField(source="filed_by.get_full_name")
    dispatched_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text=_("处置时限（派单时确定）"))
    overdue = serializers.BooleanField(help_text=_("部门尚未处置完毕且已过处置时限"))
    handled_on_time = serializers.BooleanField(allow_null=True)
    returned_count = serializers.IntegerField()
    reopened_count = serializers.IntegerField()
    photo_count = serializers.IntegerField()


class GridEventDetailOut(GridEventListOut):
    topic = serializers.IntegerField(source="topic_id", allow_null=True)
    patrol_problem = serializers.IntegerField(source="patrol_problem_id", allow_null=True)
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()
    handled_at = serializers.DateTimeField(allow_null=True)
    handled_note = serializers.CharField()
    checked_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    cleared_within_week = serializers.BooleanField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    photos = PhotoOut(many=True, source="photos.all")
    timeline = EventOut(many=True, source="steps.all")
    actions = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "当前用户现在可做的操作：dispatch/accept/return/handle/check-pass/check-fail/cancel"
        ),
    )


class WeeklyFigureOut(serializers.Serializer):
    grid = serializers.IntegerField(source="grid_id")
    grid_name = serializers.CharField(source="grid__name")
    community_name = serializers.CharField(source="community__name")
    week = serializers.CharField(help_text=_("ISO 周，如 2026-W48"))
    week_start = serializers.DateField(help_text=_("该周周一（上海时间）"))
    found = serializers.IntegerField(help_text=_("本周上报的事件数"))
    cleared_within_week = serializers.IntegerField(help_text=_("其中上报当周办结的(周周清)"))
    handled = serializers.IntegerField(help_text=_("其中已处置完毕的"))
    handled_on_time = serializers.IntegerField(help_text=_("其中在时限内处置完毕的"))
    returned = serializers.IntegerField(help_text=_("其中被部门退回过的"))
    reopened = serializers.IntegerField(help_text=_("其中核查未通过、重新处置过的"))


class GridOptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    community = serializers.CharField(source="community.name")


class BuildingOptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    grid = serializers.IntegerField(source="grid_id")


class CategoryOptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    handling_hours = serializers.IntegerField()


class FilingOptionsOut(serializers.Serializer):
    grids = GridOptionOut(many=True)
    buildings = BuildingOptionOut(many=True)
    categories = CategoryOptionOut(many=True)


# ---------------------------------------------------------------------------------------------
# Input


class CategoryField(serializers.PrimaryKeyRelatedField):
    """A category of a street the caller works in; any other id reads as non-existent."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.category_queryset(actor=request.user if request else None)


class DepartmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return selectors.department_queryset(actor=request.user if request else None)


class FileIn(serializers.Serializer):
    category = CategoryField(queryset=EventCategory.objects.all())
    description = serializers.CharField(max_length=2000)
    grid = ScopedPrimaryKeyField(
        level=Level.PEOPLE,
        queryset=MicroGrid.objects.select_related("community__street"),
        required=False,
        allow_null=True,
        help_text=_("来源为巡查、走访或议题时可不填，取来源记录的微网格"),
    )
    building = ScopedPrimaryKeyField(
        level=Level.PEOPLE, queryset=Building.objects.all(), required=False, allow_null=True
    )
    location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    patrol_problem = ScopedPrimaryKeyField(
        level=Level.PEOPLE,
        queryset=PatrolProblem.objects.select_related("grid__community__street"),
        required=False,
        allow_null=True,
    )
    visit = ScopedPrimaryKeyField(
        level=Level.PEOPLE,
        queryset=VisitRecord.objects.select_related("grid__community__street"),
        required=False,
        allow_null=True,
    )
    topic = ScopedPrimaryKeyField(
        level=Level.PEOPLE,
        queryset=Topic.objects.select_related("grid__community__street", "community"),
        required=False,
        allow_null=True,
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("现场照片，至多 9 张；来源为巡查时至少 1 张"),
    )


class DispatchIn(serializers.Serializer):
    department = DepartmentField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("不填则派往类别的默认部门"),
    )


class HandleIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    photos = serializers.ListField(
        child=serializers.FileField(), help_text=_("处置后照片，1 至 9 张")
    )


class CheckPassIn(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# ---------------------------------------------------------------------------------------------
# Per-row presentation (no queries)


def prepare(event, now):
    event.overdue = event.is_overdue(now)
    return event


# verb in the URL → (permission, the state it moves to)
VERBS = {
    "dispatch": ("cases.dispatch_gridevent", GridEvent.State.DISPATCHED),
    "accept": ("cases.accept_gridevent", GridEvent.State.ACCEPTED),
    "return": ("cases.return_gridevent", GridEvent.State.RETURNED),
    "handle": ("cases.handle_gridevent", GridEvent.State.HANDLED),
    "check-pass": ("cases.check_gridevent", GridEvent.State.CLOSED),
    "check-fail": ("cases.check_gridevent", GridEvent.State.ACCEPTED),
    "cancel": ("cases.cancel_gridevent", GridEvent.State.CANCELLED),
}
# Moves that share a target state are told apart by where they start.
FROM_STATE = {
    "accept": {GridEvent.State.DISPATCHED},
    "check-fail": {GridEvent.State.HANDLED},
}


def event_actions(user, event) -> list[str]:
    actions = []
    for verb, (perm, target) in VERBS.items():
        if target not in TRANSITIONS[event.state]:
            continue
        if verb in FROM_STATE and event.state not in FROM_STATE[verb]:
            continue
        if user.has_perm(perm, event):
            actions.append(verb)
    return actions


# ---------------------------------------------------------------------------------------------
# Views


class GridEventApi(BoardApi):
    queryset = GridEvent.objects.none()  # for the schema's path parameter; reads use selectors

    def get_event(self):
        return selectors.grid_event_for_update(actor=self.request.user, pk=self.kwargs["pk"])

    def detail(self, event, code=status.HTTP_200_OK):
        user = self.request.user
        event = prepare(selectors.grid_event_get(actor=user, pk=event.pk), timezone.now())
        event.actions = event_actions(user, event)
        return Response(GridEventDetailOut(event).data, status=code)


class GridEventListApi(GridEventApi):
    permission_required = "cases.view_gridevent"
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridEventFilter
    serializer_class = GridEventListOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_("网格事件列表（待办，处置时限最近的在前）"),
        description=_(
            "部门人员：派往本部门的事件；微网格长：本网格的；社区工作者：本居民区的；"
            "街道管理员：本街道的。"
        ),
        responses=GridEventListOut(many=True),
    )
    def get(self, request):
        now = timezone.now()
        qs = selectors.grid_event_list(actor=request.user, filters=request.query_params)
        return self.paginated(qs, GridEventListOut, prepare=lambda e: prepare(e, now))

    @extend_schema(
        summary=_("上报网格事件（可附现场照片）"),
        request={"multipart/form-data": FileIn, "application/json": FileIn},
        responses={201: GridEventDetailOut},
    )
    def post(self, request):
        self.require("cases.add_gridevent")
        data = self.parse(FileIn)
        event = services.grid_event_file(actor=request.user, **data)
        return self.detail(event, status.HTTP_201_CREATED)


class GridEventDetailApi(GridEventApi):
    permission_required = "cases.view_gridevent"

    @extend_schema(summary=_("网格事件详情（含照片和进展）"), responses=GridEventDetailOut)
    def get(self, request, pk):
        return self.detail(self.get_event())


def _step(name, verb, input_class, call, summary, *, multipart=False):
    perm = VERBS[verb][0]
    request_schema = {"multipart/form-data": input_class} if multipart else input_class

    class View(GridEventApi):
        @extend_schema(summary=summary, request=request_schema, responses=GridEventDetailOut)
        def post(self, request, pk):
            event = self.get_event()
            self.require(perm, event)
            call(actor=request.user, event=event, **self.parse(input_class))
            return self.detail(event)

    View.__name__ = View.__qualname__ = name
    return View


GridEventDispatchApi = _step(
    "GridEventDispatchApi",
    "dispatch",
    DispatchIn,
    services.grid_event_dispatch,
    _("派单给部门（处置时限=派单时间+类别时限）"),
)
GridEventAcceptApi = _step(
    "GridEventAcceptApi", "accept", EmptyIn, services.grid_event_accept, _("部门受理")
)
GridEventReturnApi = _step(
    "GridEventReturnApi",
    "return",
    ReasonIn,
    services.grid_event_return,
    _("部门退回（须填写原因）"),
)
GridEventHandleApi = _step(
    "GridEventHandleApi",
    "handle",
    HandleIn,
    services.grid_event_handle,
    _("部门报告处置完毕（附处置后照片）"),
    multipart=True,
)
GridEventCheckPassApi = _step(
    "GridEventCheckPassApi",
    "check-pass",
    CheckPassIn,
    services.grid_event_check_pass,
    _("现场核查通过，办结"),
)
GridEventCheckFailApi = _step(
    "GridEventCheckFailApi",
    "check-fail",
    ReasonIn,
    services.grid_event_check_fail,
    _("现场核查未通过，发回重新处置（须填写原因）"),
)
GridEventCancelApi = _step(
    "GridEventCancelApi",
    "cancel",
    ReasonIn,
    services.grid_event_cancel,
    _("撤销事件（须填写原因；仅已上报或已退回的事件）"),
)


class GridEventExportApi(GridEventApi):
    permission_required = "cases.export_gridevent"
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridEventFilter

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(
        summary=_("导出网格事件列表（Excel，与列表相同的筛选）"),
        description=_("至多导出 %(n)s 条。") % {"n": EXPORT_LIMIT},
        responses={(200, "application/octet-stream"): bytes},
    )
    def get(self, request):
        qs = selectors.grid_event_list(actor=request.user, filters=request.query_params)
        content = grid_events_xlsx(qs[:EXPORT_LIMIT], now=timezone.now())
        stamp = timezone.localtime().strftime("%Y%m%d")
        return xlsx_response(content, f"grid-events-{stamp}.xlsx")


class WeeklyFiguresApi(GridEventApi):
    permission_required = "cases.view_gridevent"
    filter_backends = [DjangoFilterBackend]
    filterset_class = WeeklyFigureFilter
    serializer_class = WeeklyFigureOut

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(
        summary=_("各网格每周事件数据：发现、周周清、按时处置、退回、重新处置"),
        responses=WeeklyFigureOut(many=True),
    )
    def get(self, request):
        qs = selectors.weekly_figures(actor=request.user, filters=request.query_params)
        return self.paginated(qs, WeeklyFigureOut, prepare=_week_row)


def _week_row(row):
    week_start = timezone.localtime(row["week"]).date() if row["week"] else None
    row["week_start"] = week_start
    year, number, _day = week_start.isocalendar() if week_start else (0, 0, 0)
    row["week"] = f"{year}-W{number:02d}"
    return row


class FilingOptionsApi(GridEventApi):
    permission_required = "cases.add_gridevent"

    @extend_schema(
        summary=_("上报网格事件时可选的网格、楼组和类别（手机页面用）"),
        responses=FilingOptionsOut,
    )
    def get(self, request):
        return Response(FilingOptionsOut(selectors.filing_options(actor=request.user)).data)


urlpatterns = [
    path("grid-events/", GridEventListApi.as_view(), name="grid-event-list"),
    path("grid-events/export/", GridEventExportApi.as_view(), name="grid-event-export"),
    path("grid-events/weekly/", WeeklyFiguresApi.as_view(), name="grid-event-weekly"),
    path("grid-events/options/", FilingOptionsApi.as_view(), name="grid-event-options"),
    path("grid-events/<int:pk>/", GridEventDetailApi.as_view(), name="grid-event-detail"),
    path(
        "grid-events/<int:pk>/dispatch/",
        GridEventDispatchApi.as_view(),
        name="grid-event-dispatch",
    ),
    path("grid-events/<int:pk>/accept/", GridEventAcceptApi.as_view(), name="grid-event-accept"),
    path("grid-events/<int:pk>/return/", GridEventReturnApi.as_view(), name="grid-event-return"),
    path("grid-events/<int:pk>/handle/", GridEventHandleApi.as_view(), name="grid-event-handle"),
    path(
        "grid-events/<int:pk>/check-pass/",
        GridEventCheckPassApi.as_view(),
        name="grid-event-check-pass",
    ),
    path(
        "grid-events/<int:pk>/check-fail/",
        GridEventCheckFailApi.as_view(),
        name="grid-event-check-fail",
    ),
    path("grid-events/<int:pk>/cancel/", GridEventCancelApi.as_view(), name="grid-event-cancel"),
]
