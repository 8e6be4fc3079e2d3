"""REST API of notices: browse (residents: what addresses them; staff: their scope), write a
draft, publish, withdraw, first read, acknowledge, and who has not acknowledged yet.

Each view: input serializer → selector within scope (out of scope is a 404) → rules permission
→ one service → output serializer. Details list the actions the caller may take now.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.exceptions import ApplicationError
from grids.models import Building, Community, Compound, Street

from .. import selectors, services
from ..filters import NoticeFilter
from ..models import Audience, Notice, NoticeAttachment
from ..models.common import target_label
from ..sanitize import plain_text
from ..services.notices import TRANSITIONS
from ._base import (
    BoardApi,
    EmptyIn,
    EventOut,
    ReasonIn,
    RefOut,
    ScopedPrimaryKeyField,
    choice_field,
    step_view,
)

# ---------------------------------------------------------------------------------------------
# Output


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(source="file.url")


class NoticeListOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text=_("正文开头的纯文字"))
    audience = serializers.CharField()
    audience_display = serializers.CharField(source="get_audience_display")
    target = serializers.CharField(help_text=_("发布范围，如“一居 · 望春里一期”"))
    street = RefOut()
    community = RefOut(allow_null=True)
    compound = RefOut(allow_null=True)
    building = RefOut(allow_null=True)
    pinned = serializers.BooleanField()
    requires_ack = serializers.BooleanField()
    publish_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    phase = serializers.CharField(help_text=_("draft/scheduled/live/expired/withdrawn"))
    phase_display = serializers.CharField()
    read_count = serializers.IntegerField(allow_null=True, help_text=_("阅读人数，仅工作人员可见"))
    ack_count = serializers.IntegerField(allow_null=True, help_text=_("确认人数，仅工作人员可见"))
    my_read = serializers.BooleanField()
    my_ack = serializers.BooleanField()
    my_ack_at = serializers.DateTimeField(allow_null=True, help_text=_("本人确认“已知晓”的时间"))


class NoticeDetailOut(NoticeListOut):
    body = serializers.CharField(help_text=_("已清理的 HTML"))
    attachments = AttachmentOut(many=True, source="attachments.all")
    published_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdraw_reason = serializers.CharField()
    events = EventOut(many=True, source="events.all")
    audience_counts = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("发布范围内在住居民数与实名账号数，仅工作人员可见"),
    )
    notified_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.ListField(child=serializers.CharField())


class UnacknowledgedOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    community = RefOut()
    grid = RefOut(allow_null=True)
    building = RefOut(allow_null=True)
    room = serializers.CharField()
    phone_masked = serializers.CharField()
    has_account = serializers.BooleanField(help_text=_("无账号的居民只能上门或电话告知"))


class AckOut(serializers.Serializer):
    notice = serializers.IntegerField(source="notice_id")
    acked_at = serializers.DateTimeField()


class ReadOut(serializers.Serializer):
    counted = serializers.BooleanField(help_text=_("是否计入阅读人数（发给本人的公告）"))


# ---------------------------------------------------------------------------------------------
# Input


class NoticeIn(serializers.Serializer):
    audience = choice_field(Audience.choices)
    street = ScopedPrimaryKeyField(queryset=Street.objects.all(), required=False, allow_null=True)
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.all(), required=False, allow_null=True
    )
    compound = ScopedPrimaryKeyField(
        queryset=Compound.objects.select_related("community__street"),
        required=False,
        allow_null=True,
    )
    building = ScopedPrimaryKeyField(
        queryset=Building.objects.select_related("community__street"),
        required=False,
        allow_null=True,
    )
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=20000)
    pinned = serializers.BooleanField(default=False)
    requires_ack = serializers.BooleanField(default=False)
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=_("图片，至多 9 张")
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("PDF、Word 或 Excel 附件，至多 5 个"),
    )


class NoticeUpdateIn(serializers.Serializer):
    audience = choice_field(Audience.choices, required=False)
    street = ScopedPrimaryKeyField(queryset=Street.objects.all(), required=False, allow_null=True)
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.all(), required=False, allow_null=True
    )
    compound = ScopedPrimaryKeyField(
        queryset=Compound.objects.select_related("community__street"),
        required=False,
        allow_null=True,
    )
    building = ScopedPrimaryKeyField(
        queryset=Building.objects.select_related("community__street"),
        required=False,
        allow_null=True,
    )
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=20000, required=False)
    pinned = serializers.BooleanField(required=False)
    requires_ack = serializers.BooleanField(required=False)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class AttachmentIn(serializers.Serializer):
    kind = choice_field(NoticeAttachment.Kind.choices)
    file = serializers.FileField()


# ---------------------------------------------------------------------------------------------
# Per-row presentation (no queries: counts are annotated, scope is cached on the user)


def prepare(user, notice):
    notice.target = target_label(notice)
    notice.summary = plain_text(notice.body)[:100]
    notice.phase_display = notice.phase().label
    if not user.has_perm("board.view_notice", notice):
        # Read and acknowledgement counts are for workers.
        notice.read_count = notice.ack_count = None
    return notice


def notice_actions(user, notice) -> list[str]:
    actions = []
    phase = notice.phase()
    if user.has_perm("board.change_notice", notice):
        if notice.status == Notice.Status.DRAFT:
            actions.append("update")
        elif notice.status == Notice.Status.PUBLISHED:
            actions.append("update_pin_expiry")
        if Notice.Status.PUBLISHED in TRANSITIONS[notice.status]:
            actions.append("publish")
        if Notice.Status.WITHDRAWN in TRANSITIONS[notice.status]:
            actions.append("withdraw")
    if notice.requires_ack and user.has_perm("board.view_unacknowledged_notice", notice):
        actions.append("view_unacknowledged")
    if phase == Notice.Phase.LIVE and user.has_perm("board.read_notice", notice):
        if not notice.my_read:
            actions.append("read")
        if notice.requires_ack and not notice.my_ack and user.has_perm("board.ack_notice", notice):
            actions.append("ack")
    return actions


# ---------------------------------------------------------------------------------------------
# Views


class NoticeApi(BoardApi):
    queryset = Notice.objects.none()  # for the schema's path parameter; reads use selectors
    subject = "notice"
    detail_serializer = NoticeDetailOut

    def get_notice(self):
        return selectors.notice_get(actor=self.request.user, pk=self.kwargs["pk"])

    get_subject = get_notice

    def detail(self, notice, code=status.HTTP_200_OK):
        user = self.request.user
        notice = prepare(user, selectors.notice_get(actor=user, pk=notice.pk))
        notice.actions = notice_actions(user, notice)
        staff = user.has_perm("board.view_notice", notice)
        notice.audience_counts = selectors.notice_audience_counts(notice) if staff else None
        if not staff:
            notice.notified_at = None
        return Response(NoticeDetailOut(notice).data, status=code)


class NoticeListApi(NoticeApi):
    filter_backends = [DjangoFilterBackend]
    filterset_class = NoticeFilter
    serializer_class = NoticeListOut

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    @extend_schema(
        summary=_("公告列表（居民：发给我的在期公告，置顶在前；工作人员：管辖范围内）"),
        responses=NoticeListOut(many=True),
    )
    def get(self, request):
        user = request.user
        qs = selectors.notice_list(actor=user, filters=request.query_params)
        return self.paginated(qs, NoticeListOut, prepare=lambda n: prepare(user, n))

    @extend_schema(
        summary=_("撰写公告（草稿）"),
        request={"multipart/form-data": NoticeIn, "application/json": NoticeIn},
        responses={201: NoticeDetailOut},
    )
    def post(self, request):
        self.require("board.add_notice")
        data = self.parse(NoticeIn)
        notice = services.notice_create(actor=request.user, **data)
        return self.detail(notice, status.HTTP_201_CREATED)


class NoticeDetailApi(NoticeApi):
    @extend_schema(summary=_("公告详情"), responses=NoticeDetailOut)
    def get(self, request, pk):
        return self.detail(self.get_notice())

    @extend_schema(
        summary=_("修改公告（草稿；已发布的只能改置顶和过期时间）"),
        request=NoticeUpdateIn,
        responses=NoticeDetailOut,
    )
    def patch(self, request, pk):
        notice = self.get_notice()
        self.require("board.change_notice", notice)
        data = self.parse(NoticeUpdateIn, partial=True)
        services.notice_update(actor=request.user, notice=notice, **data)
        return self.detail(notice)


NoticePublishApi = step_view(
    NoticeApi,
    "NoticePublishApi",
    perm="board.publish_notice",
    input_class=EmptyIn,
    call=services.notice_publish,
    summary=_("发布公告"),
)
NoticeWithdrawApi = step_view(
    NoticeApi,
    "NoticeWithdrawApi",
    perm="board.withdraw_notice",
    input_class=ReasonIn,
    call=services.notice_withdraw,
    summary=_("撤回公告（须填写原因）"),
)


class NoticeReadApi(NoticeApi):
    @extend_schema(summary=_("记录首次阅读（居民打开公告时调用）"), request=None, responses=ReadOut)
    def post(self, request, pk):
        counted = services.notice_mark_read(actor=request.user, notice=self.get_notice())
        return Response(ReadOut({"counted": counted}).data)


class NoticeAckApi(NoticeApi):
    @extend_schema(summary=_("确认“已知晓”"), request=None, responses={201: AckOut})
    def post(self, request, pk):
        ack = services.notice_acknowledge(actor=request.user, notice=self.get_notice())
        return Response(AckOut(ack).data, status=status.HTTP_201_CREATED)


class NoticeUnacknowledgedApi(NoticeApi):
    serializer_class = UnacknowledgedOut

    @extend_schema(
        summary=_("尚未确认的居民（工作人员，限本人管辖的居民；手机号已打码）"),
        responses=UnacknowledgedOut(many=True),
    )
    def get(self, request, pk):
        notice = self.get_notice()
        self.require("board.view_unacknowledged_notice", notice)
        if not notice.requires_ack:
            raise ApplicationError(_("该公告不需要确认。"), code="conflict")
        qs = selectors.notice_unacknowledged(actor=request.user, notice=notice)
        return self.paginated(qs, UnacknowledgedOut, prepare=_unacked_row)


def _unacked_row(resident):
    resident.has_account = resident.account_id is not None
    return resident


class NoticeAttachmentApi(NoticeApi):
    @extend_schema(
        summary=_("为草稿添加图片或附件"),
        request={"multipart/form-data": AttachmentIn},
        responses={201: AttachmentOut},
    )
    def post(self, request, pk):
        notice = self.get_notice()
        self.require("board.change_notice", notice)
        data = self.parse(AttachmentIn)
        attachment = services.notice_attachment_add(
            actor=request.user, notice=notice, upload=data["file"], kind=data["kind"]
        )
        return Response(AttachmentOut(attachment).data, status=status.HTTP_201_CREATED)


class NoticeAttachmentDetailApi(NoticeApi):
    @extend_schema(summary=_("删除草稿的图片或附件"), request=None, responses={204: None})
    def delete(self, request, pk, attachment_pk):
        notice = self.get_notice()
        self.require("board.change_notice", notice)
        attachment = notice.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise selectors.not_found()
        services.notice_attachment_remove(actor=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("notices/", NoticeListApi.as_view(), name="notice-list"),
    path("notices/<int:pk>/", NoticeDetailApi.as_view(), name="notice-detail"),
    path("notices/<int:pk>/publish/", NoticePublishApi.as_view(), name="notice-publish"),
    path("notices/<int:pk>/withdraw/", NoticeWithdrawApi.as_view(), name="notice-withdraw"),
    path("notices/<int:pk>/read/", NoticeReadApi.as_view(), name="notice-read"),
    path("notices/<int:pk>/ack/", NoticeAckApi.as_view(), name="notice-ack"),
    path(
        "notices/<int:pk>/unacknowledged/",
        NoticeUnacknowledgedApi.as_view(),
        name="notice-unacknowledged",
    ),
    path(
        "notices/<int:pk>/attachments/",
        NoticeAttachmentApi.as_view(),
        name="notice-attachments",
    ),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        NoticeAttachmentDetailApi.as_view(),
        name="notice-attachment-detail",
    ),
]
