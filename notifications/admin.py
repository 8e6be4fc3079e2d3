from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdminMixin

from .models import Notification, Reminder
from .services import notifications_mark_all_read, notifications_mark_read


@admin.register(Notification)
class InboxAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The staff inbox: only the signed-in user's own messages, newest first."""

    list_display = ["state", "title_link", "created_at"]
    list_display_links = None
    list_filter = [("read_at", admin.EmptyFieldListFilter), "kind"]
    search_fields = ["title", "body"]
    actions = ["mark_read", "mark_all_read"]
    list_per_page = 50

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_staff
            and (obj is None or obj.recipient_id == request.user.pk)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    @admin.display(description=_("状态"))
    def state(self, obj):
        return _("已读") if obj.read_at else format_html("<strong>{}</strong>", _("未读"))

    @admin.display(description=_("标题"))
    def title_link(self, obj):
        if obj.url:
            return format_html(
                '<a href="{}">{}</a><br><small>{}</small>', obj.url, obj.title, obj.body
            )
        return format_html("{}<br><small>{}</small>", obj.title, obj.body)

    @admin.action(description=_("标记为已读"))
    def mark_read(self, request, queryset):
        count = notifications_mark_read(
            actor=request.user, ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, ngettext("%d 条消息已标记为已读。", "%d 条消息已标记为已读。", count) % count
        )

    @admin.action(description=_("全部标记为已读"))
    def mark_all_read(self, request, queryset):
        count = notifications_mark_all_read(actor=request.user)
        self.message_user(
            request,
            ngettext("%d 条消息已标记为已读。", "%d 条消息已标记为已读。", count) % count,
            messages.SUCCESS,
        )


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["clock", "subject_id", "level", "due_at", "sent_at", "recipients_count"]
    list_filter = ["clock", "level", ("sent_at", admin.EmptyFieldListFilter)]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
