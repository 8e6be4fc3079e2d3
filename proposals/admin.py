"""The workers' inbox: topics due soonest first, with the time left and the actions as
buttons with small forms. Nothing here writes a topic except through the services."""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import actor_scope
from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin
from core.exceptions import ApplicationError

from . import admin_forms as f
from . import services
from .models import (
    Category,
    Comment,
    CommunityPolicy,
    Deliberation,
    Hand,
    ProposalPolicy,
    Topic,
    TopicEvent,
    TopicPhoto,
)
from .selectors import topic_actions

S = Topic.State


def _adopt(request, topic, data):
    """Adoption creates the micro-project in the same transaction when the projects app
    offers it; otherwise the topic alone is adopted."""
    try:
        from projects.services import project_adopt
    except ImportError:
        return services.topic_adopt(actor=request.user, topic=topic, note=data["note"])
    return project_adopt(actor=request.user, topic=topic, title=data["title"], plan=data["plan"])


# action slug → (button label, form class, service call)
TOPIC_ACTIONS = {
    "answer": (
        _("回应"),
        f.TextForm,
        lambda r, t, d: services.topic_answer(actor=r.user, topic=t, text=d["text"]),
    ),
    "solve": (
        _("直接解决"),
        f.SolveForm,
        lambda r, t, d: services.topic_solve(actor=r.user, topic=t, text=d["text"]),
    ),
    "decline": (
        _("不予采纳"),
        f.DeclineForm,
        lambda r, t, d: services.topic_decline(actor=r.user, topic=t, reason=d["reason"]),
    ),
    "merge": (
        _("合并"),
        f.MergeForm,
        lambda r, t, d: services.topic_merge(actor=r.user, topic=t, into=d["into"], note=d["note"]),
    ),
    "open_for_hands": (
        _("开放举手"),
        f.OpenForHandsForm,
        lambda r, t, d: services.topic_open_for_hands(
            actor=r.user, topic=t, deadline=d["deadline"], threshold=d["threshold"], note=d["note"]
        ),
    ),
    "party_branch_hand": (
        _("党组织举手"),
        f.PartyBranchHandForm,
        lambda r, t, d: services.party_branch_hand_raise(actor=r.user, topic=t, note=d["note"]),
    ),
    "adopt": (_("立项"), f.AdoptForm, _adopt),
    "record_deliberation": (
        _("记录议事"),
        f.DeliberationForm,
        lambda r, t, d: services.deliberation_record(actor=r.user, topic=t, **d),
    ),
    "add_note": (
        _("内部备注"),
        f.NoteForm,
        lambda r, t, d: services.topic_note_add(actor=r.user, topic=t, text=d["text"]),
    ),
}


class OverdueFilter(admin.SimpleListFilter):
    title = _("首次回应")
    parameter_name = "response"

    def lookups(self, request, model_admin):
        return [("overdue", _("已超时")), ("due_soon", _("即将超时")), ("awaiting", _("待回应"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now=now)
        if self.value() == "due_soon":
            return queryset.due_soon(now=now)
        if self.value() == "awaiting":
            return queryset.awaiting_response()
        return queryset


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class TimelineInline(_ReadOnlyInline):
    model = TopicEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note", "is_public")
    readonly_fields = fields
    verbose_name_plural = _("时间线（含内部备注）")


class HandInline(_ReadOnlyInline):
    model = Hand
    fields = ("user", "raised_at", "withdrawn_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CommentInline(_ReadOnlyInline):
    model = Comment
    fields = ("created_at", "author_label", "body", "hidden", "hidden_reason")
    readonly_fields = fields
    show_change_link = True


class PhotoInline(_ReadOnlyInline):
    model = TopicPhoto
    fields = ("preview", "created_at")
    readonly_fields = fields

    @admin.display(description=_("图片"))
    def preview(self, obj):
        return format_html('<img src="{}" style="max-height:120px">', obj.image.url)


class DeliberationInline(_ReadOnlyInline):
    model = Deliberation
    fields = ("round", "held_on", "place", "attendance", "outcome")
    readonly_fields = fields


@admin.register(Topic)
class TopicAdmin(ScopedModelAdmin):
    list_display = (
        "title",
        "state",
        "time_left",
        "community",
        "grid",
        "category",
        "hand_count",
        "raised_at",
    )
    list_filter = ("state", OverdueFilter, "category", "grid")
    search_fields = ("title", "body")
    list_select_related = ("community", "grid", "category")
    inlines = (TimelineInline, PhotoInline, DeliberationInline, HandInline, CommentInline)
    change_form_template = "admin/proposals/topic/change_form.html"

    def get_ordering(self, request):
        # Unanswered topics first, due soonest first; then the rest, newest first.
        awaiting_first = Case(
            When(state=S.RAISED, first_responded_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (awaiting_first.asc(), "first_response_due_at", "-raised_at")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Topic._meta.fields]

    @admin.display(description=_("剩余时间"))
    def time_left(self, obj):
        if obj.state != S.RAISED or obj.first_responded_at is not None:
            return "—"
        minutes = int((obj.first_response_due_at - timezone.now()).total_seconds() // 60)
        if minutes < 0:
            hours = (-minutes) // 60
            return format_html(
                '<strong style="color:#b00">{}</strong>',
                gettext("已超时 %(h)d 小时") % {"h": hours}
                if hours
                else gettext("已超时 %(m)d 分钟") % {"m": -minutes},
            )
        return gettext("剩余 %(h)d 小时 %(m)d 分") % {"h": minutes // 60, "m": minutes % 60}

    def get_urls(self):
        urls = super().get_urls()
        mine = [
            path(
                "<int:pk>/act/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name="proposals_topic_act",
            ),
            path(
                "enter/", self.admin_site.admin_view(self.enter_view), name="proposals_topic_enter"
            ),
        ]
        return mine + urls

    def _topic(self, request, pk):
        topic = self.get_queryset(request).filter(pk=pk).first()
        if topic is None:
            raise Http404
        return topic

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        topic = self._topic(request, object_id)
        allowed = topic_actions(request.user, topic)
        extra_context["topic_buttons"] = [
            (slug, label)
            for slug, (label, _form, _call) in TOPIC_ACTIONS.items()
            if slug in allowed
        ]
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:proposals_topic_enter"))

    def _form(self, form_class, topic, data=None):
        kwargs = {"topic": topic} if form_class is f.MergeForm else {}
        if form_class is f.AdoptForm and data is None:
            kwargs["initial"] = {"title": topic.title}
        return form_class(data, **kwargs)

    def action_view(self, request, pk, action):
        if action not in TOPIC_ACTIONS:
            raise Http404
        topic = self._topic(request, pk)
        label, form_class, call = TOPIC_ACTIONS[action]
        form = self._form(form_class, topic, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                call(request, topic, form.cleaned_data)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                for field, reasons in exc.fields.items():
                    if field in form.fields:
                        for reason in reasons:
                            form.add_error(field, reason)
            else:
                self.message_user(
                    request, gettext("已完成：%(action)s") % {"action": label}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:proposals_topic_change", args=[topic.pk])
                )
        return self._render_form(request, form, title=f"{label}：{topic.title}", topic=topic)

    def enter_view(self, request):
        if not request.user.has_perm("proposals.add_topic"):
            raise Http404
        scope = actor_scope(request.user)
        data = request.POST if request.method == "POST" else None
        form = f.TopicEntryForm(data, scope=scope)
        if data is not None and form.is_valid():
            d = form.cleaned_data
            try:
                topic = services.topic_raise(
                    actor=request.user,
                    title=d["title"],
                    body=d["body"],
                    category=d["category"],
                    community=d["community"],
                    grid=d["grid"],
                    building=d["building"],
                    source=d["source"],
                    on_behalf_of=d["on_behalf_of"],
                )
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                for field, reasons in exc.fields.items():
                    if field in form.fields:
                        for reason in reasons:
                            form.add_error(field, reason)
            else:
                self.message_user(request, gettext("议题已录入。"), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:proposals_topic_change", args=[topic.pk])
                )
        return self._render_form(request, form, title=gettext("录入议题"), topic=None)

    def _render_form(self, request, form, *, title, topic):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "topic": topic,
        }
        return TemplateResponse(request, "admin/proposals/topic/action_form.html", context)


@admin.register(Comment)
class CommentAdmin(ScopedModelAdmin):
    """Moderation: hidden and reported comments first; hide/restore with a reason."""

    list_display = (
        "body_short",
        "topic",
        "author_label",
        "created_at",
        "hidden",
        "auto_hidden",
        "hidden_reason",
    )
    list_filter = ("hidden", "auto_hidden")
    list_select_related = ("topic",)
    ordering = ("-auto_hidden", "-hidden", "-created_at")
    search_fields = ("body",)
    change_form_template = "admin/proposals/comment/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Comment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("内容"))
    def body_short(self, obj):
        return obj.body[:40]

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderate/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="proposals_comment_moderate",
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk, action):
        comment = self.get_queryset(request).select_related("topic").filter(pk=pk).first()
        if comment is None or action not in ("hide", "restore"):
            raise Http404
        form_class = f.ReasonForm if action == "hide" else f.RestoreForm
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                if action == "hide":
                    services.comment_hide(
                        actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
                    )
                else:
                    services.comment_restore(
                        actor=request.user, comment=comment, note=form.cleaned_data["note"]
                    )
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, gettext("已处理。"), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:proposals_comment_change", args=[comment.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("隐藏评论") if action == "hide" else gettext("恢复显示评论"),
            "form": form,
            "topic": comment.topic,
        }
        return TemplateResponse(request, "admin/proposals/topic/action_form.html", context)


@admin.register(Deliberation)
class DeliberationAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Recorded from the topic's page (记录议事); listed here for the three rounds' overview."""

    list_display = ("topic", "round", "held_on", "place", "attendance")
    list_filter = ("round",)
    list_select_related = ("topic",)
    date_hierarchy = "held_on"


# Street settings: plain configuration rows that carry no workflow rule; model validators
# and check constraints keep them sane, the admin's scoped choices keep them in the street.
@admin.register(Category)
class CategoryAdmin(ScopedModelAdmin):
    list_display = ("name", "street", "sort_order", "is_active")
    list_filter = ("is_active",)
    list_editable = ("sort_order", "is_active")


@admin.register(ProposalPolicy)
class ProposalPolicyAdmin(ScopedModelAdmin):
    list_display = (
        "street",
        "first_response_hours",
        "remind_before_minutes",
        "hands_window_days",
        "hands_threshold",
        "comment_report_threshold",
    )


@admin.register(CommunityPolicy)
class CommunityPolicyAdmin(ScopedModelAdmin):
    list_display = ("community", "hands_threshold")
