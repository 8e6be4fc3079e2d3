from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import FeedPagination

from .models import Notification
from .selectors import notification_get, notification_list, notification_unread_count
from .services import notification_mark_read, notifications_mark_all_read


class NotificationOutput(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "subject_type",
            "subject_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("未读"))

    class Meta:
        model = Notification
        fields = ["kind"]


class NotificationListApi(ListAPIView):
    """My messages, newest first (cursor pagination)."""

    serializer_class = NotificationOutput
    pagination_class = FeedPagination
    filterset_class = NotificationFilter
    ordering_fields = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return notification_list(actor=self.request.user)


class UnreadCountApi(APIView):
    @extend_schema(
        responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
    )
    def get(self, request):
        return Response({"unread": notification_unread_count(actor=request.user)})


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, pk):
        notification = notification_get(actor=request.user, pk=pk)
        if notification is None:
            raise Http404
        notification = notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    def post(self, request):
        return Response({"marked": notifications_mark_all_read(actor=request.user)})
