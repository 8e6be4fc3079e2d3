"""Topics API: thin views. Parse input → fetch within scope (404 outside) → one service →
render. Every topic answer carries the caller's `actions` for now."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ApplicationError
from grids.models import Building, Community, MicroGrid
from residents.models import Resident

from . import selectors, services
from . import serializers as s
from .filters import TopicFilter
from .models import Category, Topic
from .throttles import CommentThrottle, TopicRaiseThrottle

ERRORS = {
    400: OpenApiResponse(description=_("输入有误（fields 指明字段与原因）")),
    403: OpenApiResponse(description=_("无权执行（如未实名核验）")),
    404: OpenApiResponse(description=_("不存在或不在可见范围")),
    409: OpenApiResponse(description=_("当前状态不允许该操作")),
}


def _parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _lookup(model, pk, field, message):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ApplicationError(message, fields={field: message})
    return obj


def _detail(request, pk, *, code=status.HTTP_200_OK):
    topic = selectors.topic_get(actor=request.user, pk=pk)
    context = {
        "request": request,
        "timeline": selectors.topic_timeline(actor=request.user, topic=topic),
    }
    return Response(s.TopicDetailSerializer(topic, context=context).data, status=code)


class TopicListCreateView(GenericAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = TopicFilter
    serializer_class = s.TopicListSerializer
    queryset = Topic.objects.none()

    def get_throttles(self):
        return [*super().get_throttles(), TopicRaiseThrottle()]

    @extend_schema(summary=_("本居民区的议题列表"), responses=s.TopicListSerializer(many=True))
    def get(self, request):
        qs = self.filter_queryset(selectors.topic_list(actor=request.user))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            s.TopicListSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary=_("提出议题（可附图片）"),
        request={
            "multipart/form-data": s.TopicCreateInputSerializer,
            "application/json": s.TopicCreateInputSerializer,
        },
        responses={201: s.TopicDetailSerializer, **ERRORS},
    )
    def post(self, request):
        data = _parse(s.TopicCreateInputSerializer, request)
        community = _lookup(Community, data.get("community"), "community", _("居民区不存在。"))
        topic = services.topic_raise(
            actor=request.user,
            title=data["title"],
            body=data["body"],
            category=_lookup(Category, data["category"], "category", _("类别不存在。")),
            community=community,
            grid=_lookup(MicroGrid, data.get("grid"), "grid", _("微网格不存在。")),
            building=_lookup(Building, data.get("building"), "building", _("楼组不存在。")),
            source=data.get("source", Topic.Source.APP),
            on_behalf_of=_lookup(
                Resident, data.get("on_behalf_of"), "on_behalf_of", _("居民不存在。")
            ),
            photos=data.get("photos", []),
        )
        return _detail(request, topic.pk, code=status.HTTP_201_CREATED)


class TopicDetailView(APIView):
    @extend_schema(
        summary=_("议题详情（含时间线、图片、可执行操作）"),
        responses={200: s.TopicDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        return _detail(request, pk)


class TopicTimelineView(APIView):
    @extend_schema(
        summary=_("议题时间线（居民只见公开记录）"),
        responses={200: s.EventSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        events = selectors.topic_timeline(actor=request.user, topic=topic)
        return Response(s.EventSerializer(events, many=True).data)


class _TopicVerbView(APIView):
    """POST /topics/{id}/<verb>/: one service, then the topic as it is now."""

    input_serializer = None
    summary = ""

    def perform(self, request, topic, data):
        raise NotImplementedError

    def post(self, request, pk):
        data = _parse(self.input_serializer, request) if self.input_serializer else {}
        topic = selectors.topic_get(actor=request.user, pk=pk)
        self.perform(request, topic, data)
        return _detail(request, pk)


def _verb(name, summary, input_serializer, perform):
    view = type(
        name,
        (_TopicVerbView,),
        {"input_serializer": input_serializer, "perform": perform},
    )
    view.post = extend_schema(
        summary=summary,
        request=input_serializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
    )(view.post)
    return view


TopicAnswerView = _verb(
    "TopicAnswerView",
    _("首次公开回应"),
    s.TextInputSerializer,
    lambda self, r, t, d: services.topic_answer(actor=r.user, topic=t, text=d["text"]),
)
TopicSolveView = _verb(
    "TopicSolveView",
    _("直接解决"),
    s.TextInputSerializer,
    lambda self, r, t, d: services.topic_solve(actor=r.user, topic=t, text=d["text"]),
)
TopicDeclineView = _verb(
    "TopicDeclineView",
    _("不予采纳（须公开理由）"),
    s.DeclineInputSerializer,
    lambda self, r, t, d: services.topic_decline(actor=r.user, topic=t, reason=d["reason"]),
)


def _merge(self, request, topic, data):
    into = Topic.objects.filter(pk=data["into"]).first()
    if into is None or not request.user.has_perm("proposals.see_topic", into):
        raise ApplicationError(_("目标议题不存在。"), fields={"into": _("目标议题不存在。")})
    services.topic_merge(actor=request.user, topic=topic, into=into, note=data.get("note", ""))


TopicMergeView = _verb("TopicMergeView", _("合并到另一议题"), s.MergeInputSerializer, _merge)
TopicOpenForHandsView = _verb(
    "TopicOpenForHandsView",
    _("开放举手"),
    s.OpenForHandsInputSerializer,
    lambda self, r, t, d: services.topic_open_for_hands(
        actor=r.user,
        topic=t,
        deadline=d.get("deadline"),
        threshold=d.get("threshold"),
        note=d.get("note", ""),
    ),
)
TopicConfirmSolutionView = _verb(
    "TopicConfirmSolutionView",
    _("提出人确认是否已解决"),
    s.ConfirmSolutionInputSerializer,
    lambda self, r, t, d: services.topic_confirm_solution(
        actor=r.user, topic=t, solved=d["solved"], note=d.get("note", "")
    ),
)
TopicPartyBranchHandView = _verb(
    "TopicPartyBranchHandView",
    _("登记党组织举手"),
    s.NoteInputSerializer,
    lambda self, r, t, d: services.party_branch_hand_raise(
        actor=r.user, topic=t, note=d.get("note", "")
    ),
)


class TopicHandView(APIView):
    @extend_schema(
        summary=_("举手"), request=None, responses={200: s.TopicDetailSerializer, **ERRORS}
    )
    def post(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        services.hand_raise(actor=request.user, topic=topic)
        return _detail(request, pk)

    @extend_schema(
        summary=_("撤回举手"), request=None, responses={200: s.TopicDetailSerializer, **ERRORS}
    )
    def delete(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        services.hand_withdraw(actor=request.user, topic=topic)
        return _detail(request, pk)


class TopicFollowView(APIView):
    @extend_schema(
        summary=_("关注议题"), request=None, responses={200: s.TopicDetailSerializer, **ERRORS}
    )
    def post(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        services.topic_follow(actor=request.user, topic=topic)
        return _detail(request, pk)

    @extend_schema(
        summary=_("取消关注"), request=None, responses={200: s.TopicDetailSerializer, **ERRORS}
    )
    def delete(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        services.topic_unfollow(actor=request.user, topic=topic)
        return _detail(request, pk)


class TopicCommentListCreateView(GenericAPIView):
    serializer_class = s.CommentSerializer
    queryset = Topic.objects.none()
    filter_backends = []

    def get_throttles(self):
        return [*super().get_throttles(), CommentThrottle()]

    def _context(self, request, topic):
        moderator = request.user.has_perm("proposals.moderate_comment", topic)
        return {"request": request, "moderator": moderator}

    @extend_schema(summary=_("议题评论"), responses=s.CommentSerializer(many=True))
    def get(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        page = self.paginate_queryset(selectors.topic_comments(actor=request.user, topic=topic))
        return self.get_paginated_response(
            s.CommentSerializer(page, many=True, context=self._context(request, topic)).data
        )

    @extend_schema(
        summary=_("发表评论"),
        request=s.CommentInputSerializer,
        responses={201: s.CommentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        data = _parse(s.CommentInputSerializer, request)
        topic = selectors.topic_get(actor=request.user, pk=pk)
        comment = services.comment_create(actor=request.user, topic=topic, body=data["body"])
        return Response(
            s.CommentSerializer(comment, context=self._context(request, topic)).data,
            status=status.HTTP_201_CREATED,
        )


class _CommentVerbView(APIView):
    input_serializer = None

    def perform(self, request, comment, data):
        raise NotImplementedError

    def post(self, request, pk):
        data = _parse(self.input_serializer, request)
        comment = selectors.comment_get(actor=request.user, pk=pk)
        self.perform(request, comment, data)
        comment = selectors.comment_get(actor=request.user, pk=pk)
        context = {
            "request": request,
            "moderator": request.user.has_perm("proposals.moderate_comment", comment.topic),
        }
        return Response(s.CommentSerializer(comment, context=context).data)


def _comment_verb(name, summary, input_serializer, perform):
    view = type(
        name, (_CommentVerbView,), {"input_serializer": input_serializer, "perform": perform}
    )
    view.post = extend_schema(
        summary=summary,
        request=input_serializer,
        responses={200: s.CommentSerializer, **ERRORS},
    )(view.post)
    return view


CommentReportView = _comment_verb(
    "CommentReportView",
    _("举报评论"),
    s.ReportInputSerializer,
    lambda self, r, c, d: services.comment_report(
        actor=r.user, comment=c, reason=d.get("reason", "")
    ),
)
CommentHideView = _comment_verb(
    "CommentHideView",
    _("隐藏评论（须填理由）"),
    s.HideInputSerializer,
    lambda self, r, c, d: services.comment_hide(actor=r.user, comment=c, reason=d["reason"]),
)
CommentRestoreView = _comment_verb(
    "CommentRestoreView",
    _("恢复显示评论"),
    s.NoteInputSerializer,
    lambda self, r, c, d: services.comment_restore(actor=r.user, comment=c, note=d.get("note", "")),
)


class TopicDeliberationListCreateView(APIView):
    @extend_schema(
        summary=_("议事记录（三轮议事）"),
        responses={200: s.DeliberationSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        rows = selectors.topic_deliberations(actor=request.user, topic=topic)
        return Response(s.DeliberationSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("记录一次议事会议"),
        request=s.DeliberationInputSerializer,
        responses={201: s.DeliberationSerializer, **ERRORS},
    )
    def post(self, request, pk):
        data = _parse(s.DeliberationInputSerializer, request)
        topic = selectors.topic_get(actor=request.user, pk=pk)
        row = services.deliberation_record(actor=request.user, topic=topic, **data)
        return Response(s.DeliberationSerializer(row).data, status=status.HTTP_201_CREATED)


class TopicNoteListCreateView(APIView):
    @extend_schema(
        summary=_("内部备注（仅工作人员）"),
        responses={200: s.EventSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request, pk):
        topic = selectors.topic_get(actor=request.user, pk=pk)
        return Response(
            s.EventSerializer(
                selectors.topic_notes(actor=request.user, topic=topic), many=True
            ).data
        )

    @extend_schema(
        summary=_("添加内部备注"),
        request=s.TextInputSerializer,
        responses={201: s.EventSerializer, **ERRORS},
    )
    def post(self, request, pk):
        data = _parse(s.TextInputSerializer, request)
        topic = selectors.topic_get(actor=request.user, pk=pk)
        event = services.topic_note_add(actor=request.user, topic=topic, text=data["text"])
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)


class CategoryListView(APIView):
    @extend_schema(summary=_("议题类别"), responses=s.CategorySerializer(many=True))
    def get(self, request):
        rows = selectors.category_list(actor=request.user)
        return Response(s.CategorySerializer(rows, many=True).data)
