"""Admin of notices: write a draft with its photos and attachments, publish, withdraw with a
reason, read and acknowledgement counts in the list, who has not acknowledged. Every save and
action goes through board.services; the rows are the selectors' (board.scope)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError

from .. import selectors, services
from ..models import Notice, NoticeAttachment, NoticeEvent
from ..models.common import target_label
from ..services.notices import DRAFT_UPDATABLE, PUBLISHED_UPDATABLE
from ..validators import validate_document, validate_photo
from ._common import ReadOnlyInline, reason_action, run_per_row

FORM_FIELDS = (
    "audience",
    "street",
    "community",
    "compound",
    "building",
    "title",
    "body",
    "pinned",
    "requires_ack",
    "publish_at",
    "expires_at",
)


class NoticeAdminForm(ServiceModelForm):
    class Meta:
        model = Notice
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The street and community follow from the unit chosen for the audience (the
        # service derives them); only that unit is asked for.
        for name in ("street", "community"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _("发布范围为全街道或居民区时选择")

    def _get_validation_exclusions(self):
        # The target's consistency (audience ↔ unit) is the service's check, made once the
        # street and community are derived from the unit; the model's check would see them
        # still empty.
        return super()._get_validation_exclusions() | {"audience", "community", "street"}

    def call_service(self):
        if self.instance.pk:
            allowed = (
                DRAFT_UPDATABLE
                if self.instance.status == Notice.Status.DRAFT
                else PUBLISHED_UPDATABLE
            )
            changes = self.changed_values(allowed)
            if not changes:
                return self.instance
            return services.notice_update(actor=self.actor, notice=self.instance, **changes)
        data = {name: self.cleaned_data.get(name) for name in FORM_FIELDS}
        return services.notice_create(actor=self.actor, **data)


class PhaseFilter(admin.SimpleListFilter):
    title = _("当前状态")
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Notice.Phase.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == Notice.Phase.DRAFT:
            return queryset.filter(status=Notice.Status.DRAFT)
        if value == Notice.Phase.WITHDRAWN:
            return queryset.filter(status=Notice.Status.WITHDRAWN)
        if value == Notice.Phase.SCHEDULED:
            return queryset.scheduled(now=now)
        if value == Notice.Phase.EXPIRED:
            return queryset.expired(now=now)
        if value == Notice.Phase.LIVE:
            return queryset.live(now=now)
        return queryset


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = NoticeAttachment
        fields = ("kind", "file")

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload is not None and kind:
            check = validate_photo if kind == NoticeAttachment.Kind.PHOTO else validate_document
            try:
                check(upload)
            except ValidationError as exc:
                self.add_error("file", exc)
        return data


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    form = AttachmentForm
    extra = 0
    fields = ("kind", "file", "size", "created_at")
    readonly_fields = ("size", "created_at")
    verbose_name_plural = _("图片与附件（草稿可添加或删除）")

    def _draft_manager(self, request, obj):
        if obj is None:
            return request.user.has_perm("board.add_notice")
        return obj.status == Notice.Status.DRAFT and request.user.has_perm(
            "board.change_notice", obj
        )

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return self._draft_manager(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and self._draft_manager(request, obj)


class EventInline(ReadOnlyInline):
    model = NoticeEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("公告动态")


@admin.register(Notice)
class NoticeAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = NoticeAdminForm
    list_display = (
        "title",
        "target",
        "phase_label",
        "pinned",
        "requires_ack",
        "publish_at",
        "expires_at",
        "read_count",
        "ack_count",
    )
    list_filter = (PhaseFilter, "audience", "pinned", "requires_ack")
    search_fields = ("title",)
    inlines = [AttachmentInline, EventInline]
    readonly_fields = (
        "status",
        "published_at",
        "withdrawn_at",
        "withdraw_reason",
        "notified_at",
    )
    actions = ["publish_selected", "withdraw_selected"]
    change_form_template = "admin/board/notice/change_form.html"

    def get_queryset(self, request):
        return selectors.notice_queryset(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.status == Notice.Status.DRAFT:
            return self.readonly_fields
        # Once residents can see it, only the pin and the expiry change (notice_update).
        frozen = [f for f in FORM_FIELDS if f not in PUBLISHED_UPDATABLE]
        if obj.status == Notice.Status.WITHDRAWN:
            frozen = list(FORM_FIELDS)
        return (*self.readonly_fields, *frozen)

    @admin.display(description=_("发布范围"))
    def target(self, obj):
        return target_label(obj)

    @admin.display(description=_("当前状态"))
    def phase_label(self, obj):
        return obj.phase().label

    @admin.display(description=_("阅读人数"), ordering="read_count")
    def read_count(self, obj):
        return obj.read_count

    @admin.display(description=_("确认人数"), ordering="ack_count")
    def ack_count(self, obj):
        return obj.ack_count if obj.requires_ack else "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not NoticeAttachment:
            return super().save_formset(request, form, formset, change)
        notice = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            for inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    services.notice_attachment_remove(
                        actor=request.user, attachment=inline_form.instance
                    )
                    formset.deleted_objects.append(inline_form.instance)
            for inline_form in formset.forms:
                if inline_form.instance.pk or not inline_form.has_changed():
                    continue
                if inline_form in formset.deleted_forms:
                    continue
                formset.new_objects.append(
                    services.notice_attachment_add(
                        actor=request.user,
                        notice=notice,
                        upload=inline_form.cleaned_data["file"],
                        kind=inline_form.cleaned_data["kind"],
                    )
                )
        except ApplicationError as exc:
            # The inline forms checked the files; only a race (published meanwhile) gets here.
            raise PermissionDenied(exc.message) from exc
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_queryset(request).filter(pk=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "show_unacknowledged": notice is not None
            and notice.requires_ack
            and notice.status != Notice.Status.DRAFT
            and request.user.has_perm("board.view_unacknowledged_notice", notice),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/unacknowledged/",
                self.admin_site.admin_view(self.unacknowledged_view),
                name="board_notice_unacknowledged",
            ),
            *super().get_urls(),
        ]

    def unacknowledged_view(self, request, pk):
        notice = self.get_queryset(request).filter(pk=pk).first()
        if notice is None or not notice.requires_ack:
            raise Http404
        if not request.user.has_perm("board.view_unacknowledged_notice", notice):
            raise PermissionDenied
        residents = selectors.notice_unacknowledged(actor=request.user, notice=notice)
        page = Paginator(residents, 100).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": notice,
            "title": gettext("尚未确认的居民"),
            "page": page,
        }
        return TemplateResponse(request, "admin/board/unacknowledged.html", context)

    @admin.action(description=_("发布所选公告"), permissions=["change"])
    def publish_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda n: services.notice_publish(actor=request.user, notice=n),
            gettext("已发布 %(n)s 条公告。"),
        )

    @admin.action(description=_("撤回所选公告（须填写原因）"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("撤回公告"),
            call=lambda n, reason: services.notice_withdraw(
                actor=request.user, notice=n, reason=reason
            ),
            done_message=gettext("已撤回 %(n)s 条公告。"),
        )
