"""Admin of the cadres' review: the round (draft form, cadres, workflow actions, results on the
page), the cadre list of a draft, and who took part (names only, never a score).

There is deliberately no admin for the score counters: results are shown on the round's page
(per cadre for the street's admins, per body for other staff), after close and only with
enough participants. Every save and action goes through cadres.services."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import actor_scope
from board.admin._common import ReadOnlyInline, reason_action, run_per_row
from board.apis._base import xlsx_response
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from core.exceptions import ApplicationError

from . import exports, selectors, services
from .models import Cadre, Participation, ReviewRound, ReviewRoundEvent

FORM_FIELDS = ("community", "year", "title", "description", "opens_at", "closes_at")


class ReviewRoundAdminForm(ServiceModelForm):
    class Meta:
        model = ReviewRound
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("留空则为“某年度某居民区两委干部测评”")

    def _get_validation_exclusions(self):
        # One round per community and year is the service's check (a clear field error).
        return super()._get_validation_exclusions() | {"community", "year"}

    def validate_unique(self):
        """The service checks (community, year) and answers on the year field."""

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(services.DRAFT_UPDATABLE)
            if not changes:
                return self.instance
            return services.round_update(actor=self.actor, round=self.instance, **changes)
        data = {name: self.cleaned_data.get(name) for name in FORM_FIELDS}
        data["title"] = data["title"] or ""
        data["description"] = data["description"] or ""
        return services.round_create(actor=self.actor, **data)


class CadreInline(ReadOnlyInline):
    model = Cadre
    fields = ("position", "name", "body", "post")
    readonly_fields = fields
    verbose_name_plural = _("测评干部（草稿时在“测评干部”中添加或移除）")


class EventInline(ReadOnlyInline):
    model = ReviewRoundEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("测评动态")


def _percent(value):
    return "—" if value is None else f"{value}%"


def _summary_cells(summary):
    return (
        summary["satisfied"],
        summary["basically_satisfied"],
        summary["unsatisfied"],
        summary["total"],
        "—" if summary["mean"] is None else summary["mean"],
        _percent(summary["satisfied_share"]),
    )


def results_table(rows):
    """[(label, summary)] as an admin table: counts per grade, mean, share satisfied."""
    head = format_html_join(
        "",
        "<th>{}</th>",
        (
            (h,)
            for h in (
                "",
                gettext("满意"),
                gettext("基本满意"),
                gettext("不满意"),
                gettext("评价人数"),
                gettext("平均分（1–3）"),
                gettext("满意率"),
            )
        ),
    )
    body = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((label, *_summary_cells(summary)) for label, summary in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


@admin.register(ReviewRound)
class ReviewRoundAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ReviewRoundAdminForm
    list_display = (
        "title",
        "community",
        "year",
        "status",
        "opens_at",
        "closes_at",
        "cadre_count",
        "participants",
    )
    list_filter = ("status", "year")
    search_fields = ("title", "community__name")
    inlines = [CadreInline, EventInline]
    readonly_fields = (
        "status",
        "opened_at",
        "closed_at",
        "published_at",
        "cancelled_at",
        "cancel_reason",
        "participant_count",
        "eligible_count",
    )
    actions = [
        "open_selected",
        "close_selected",
        "publish_selected",
        "cancel_selected",
        "export_selected",
    ]

    def get_queryset(self, request):
        return selectors.round_queryset(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        if obj.status == ReviewRound.Status.DRAFT:
            return (*self.readonly_fields, "community", "year")
        return (*self.readonly_fields, *FORM_FIELDS)

    @admin.display(description=_("干部人数"), ordering="cadre_count")
    def cadre_count(self, obj):
        return obj.cadre_count

    @admin.display(description=_("参与人数"), ordering="live_participants")
    def participants(self, obj):
        return obj.live_participants

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        extra_context = {**(extra_context or {}), "cadre_results": self.results(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def results(request, obj):
        """Per cadre for the street's admins, per body for other staff; nothing before close
        or below the minimum of participants."""
        if obj is None:
            return ""
        withheld = selectors.results_withheld(obj)
        if withheld:
            return withheld
        user = request.user
        if not user.has_perm("cadres.view_aggregates_reviewround", obj):
            return "—"
        aggregates = selectors.body_aggregates(obj)
        rows = [(b["body_display"], b) for b in aggregates["bodies"]]
        rows.append((gettext("两委整体"), aggregates["overall"]))
        if user.has_perm("cadres.view_results_reviewround", obj):
            rows = [
                (f"{c['name']}（{c['body_display']} {c['post']}）", c)
                for c in selectors.cadre_results(obj)
            ] + rows
        return results_table(rows)

    def _per_row(self, request, queryset, call, done):
        run_per_row(self, request, queryset, lambda r: call(actor=request.user, round=r), done)

    @admin.action(description=_("开启所选测评"), permissions=["change"])
    def open_selected(self, request, queryset):
        self._per_row(request, queryset, services.round_open, gettext("已开启 %(n)s 项测评。"))

    @admin.action(description=_("结束所选测评"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._per_row(request, queryset, services.round_close, gettext("已结束 %(n)s 项测评。"))

    @admin.action(description=_("向居民区公布所选测评的汇总结果"), permissions=["view"])
    def publish_selected(self, request, queryset):
        self._per_row(
            request,
            queryset,
            services.round_publish_results,
            gettext("已公布 %(n)s 项测评的汇总结果。"),
        )

    @admin.action(description=_("取消所选测评（须填写原因）"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("取消测评"),
            call=lambda r, reason: services.round_cancel(
                actor=request.user, round=r, reason=reason
            ),
            done_message=gettext("已取消 %(n)s 项测评。"),
        )

    @admin.action(description=_("导出所选测评的逐名结果（Excel）"), permissions=["view"])
    def export_selected(self, request, queryset):
        chosen = [
            r
            for r in queryset
            if request.user.has_perm("cadres.export_reviewround", r)
            and not selectors.results_withheld(r)
        ]
        if len(chosen) != 1:
            self.message_user(
                request,
                gettext("请选择一项已结束且参与人数达到公布门槛的测评导出（街道管理员）。"),
                messages.WARNING,
            )
            return None
        return xlsx_response(exports.round_xlsx(chosen[0]), f"cadre-review-{chosen[0].pk}.xlsx")


class CadreAdminForm(ServiceModelForm):
    class Meta:
        model = Cadre
        fields = ("round", "name", "body", "post", "account")

    def _get_validation_exclusions(self):
        # Position and the per-body uniqueness are the service's (it numbers the list).
        return super()._get_validation_exclusions() | {"position", "round"}

    def validate_unique(self):
        """cadres.services.cadre_add checks the name within the body."""

    def call_service(self):
        data = self.cleaned_data
        return services.cadre_add(
            actor=self.actor,
            round=data["round"],
            name=data["name"],
            body=data["body"],
            post=data["post"],
            account=data.get("account"),
        )


@admin.register(Cadre)
class CadreAdmin(ServiceAdminMixin, ScopedModelAdmin):
    """Listing a draft round's cadres: add or remove (the list is fixed once it opens)."""

    form = CadreAdminForm
    list_display = ("name", "body", "post", "round", "position")
    list_filter = ("body",)
    search_fields = ("name", "round__title")

    def get_queryset(self, request):
        rounds = selectors.round_queryset(actor=request.user).values("pk")
        return Cadre.objects.filter(round__in=rounds).select_related("round__community")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "round":
            scope = actor_scope(request.user)
            drafts = ReviewRound.objects.filter(status=ReviewRound.Status.DRAFT)
            if not scope.is_global:
                drafts = drafts.filter(community_id__in=scope.people_community_ids)
            field.queryset = drafts.select_related("community")
        return field

    def has_change_permission(self, request, obj=None):
        return False  # remove and add again: a listing has no history to keep

    def has_delete_permission(self, request, obj=None):
        # Only a draft's list can change (the service checks again under the lock).
        if obj is not None and obj.round.status != ReviewRound.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.cadre_remove(actor=request.user, cadre=obj)

    def delete_queryset(self, request, queryset):
        for cadre in queryset:
            try:
                services.cadre_remove(actor=request.user, cadre=cadre)
            except ApplicationError as exc:
                self.message_user(request, f"{cadre}：{exc.message}", messages.WARNING)


@admin.register(Participation)
class ParticipationAdmin(ScopedModelAdmin):
    """Who took part and when (people-level staff of the community). There is no score here
    and no way to reach one: scores are counters that name nobody."""

    list_display = ("round", "participant", "at")
    list_filter = ("round__year",)
    search_fields = ("user__real_name", "round__title")
    fields = ("round", "participant", "at")
    readonly_fields = fields

    def get_queryset(self, request):
        scope = actor_scope(request.user)
        qs = Participation.objects.select_related("round", "user")
        if scope.is_global:
            return qs
        return qs.filter(round__community_id__in=scope.people_community_ids)

    @admin.display(description=_("居民"))
    def participant(self, obj):
        return obj.user.get_full_name() or obj.user.get_username()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
