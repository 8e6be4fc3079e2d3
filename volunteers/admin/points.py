"""Admin of the points side: the street's policy and rules, accounts with their ledger and the
adjustment form, the ledger itself (read-only for everybody, superusers included), rewards and
redemptions. Every save and every action goes through the points services."""

import rules
from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from ..models import PointsAccount, PointsEntry, PointsPolicy, PointsRule, Redemption, Reward
from ..rules import community_staff
from ..services import points as services
from .common import run_per_row

# Model permissions of the admin pages. The ledger and the orders are written by services
# only; nobody adds, edits or deletes them here.
for _model in ("pointspolicy", "pointsrule"):
    rules.add_perm(f"volunteers.view_{_model}", community_staff)
    rules.add_perm(f"volunteers.add_{_model}", services.street_points_admin)
    rules.add_perm(f"volunteers.change_{_model}", services.street_points_admin)
    rules.add_perm(f"volunteers.delete_{_model}", rules.always_deny)
rules.add_perm("volunteers.view_pointsaccount", community_staff)
rules.add_perm("volunteers.add_pointsaccount", rules.always_deny)
rules.add_perm("volunteers.change_pointsaccount", community_staff)  # the adjustment form
rules.add_perm("volunteers.delete_pointsaccount", rules.always_deny)
rules.add_perm("volunteers.view_pointsentry", community_staff)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"volunteers.{_action}_pointsentry", rules.always_deny)
    rules.add_perm(f"volunteers.{_action}_redemption", rules.always_deny)
rules.add_perm("volunteers.view_redemption", community_staff)
rules.add_perm("volunteers.view_reward", community_staff)
rules.add_perm("volunteers.add_reward", community_staff)
rules.add_perm("volunteers.change_reward", community_staff)
rules.add_perm("volunteers.delete_reward", rules.always_deny)  # withdrawn, never deleted


# ---------------------------------------------------------------------------------------------
# Policy and rules


class PointsPolicyForm(ServiceModelForm):
    publish = forms.BooleanField(label=_("向居民公布"), required=False)

    class Meta:
        model = PointsPolicy
        fields = ("street", "title", "text", "daily_cap", "expiry_months")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish"].initial = bool(self.instance.published_at)

    def call_service(self):
        names = ("title", "text", "daily_cap", "expiry_months")
        changes = (
            self.changed_values(names)
            if self.instance.pk
            else {n: self.cleaned_data.get(n) for n in names}
        )
        street = self.instance.street if self.instance.pk else self.cleaned_data["street"]
        # Re-saving a published policy keeps its publication time; ticking or unticking the
        # box publishes or withdraws it.
        publish = self.cleaned_data.get("publish") if "publish" in self.changed_data else None
        return services.points_policy_update(
            actor=self.actor, street=street, publish=publish, **changes
        )


@admin.register(PointsPolicy)
class PointsPolicyAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = PointsPolicyForm
    list_display = ("street", "title", "daily_cap", "expiry_months", "published_at")
    list_select_related = ("street",)
    fields = ("street", "title", "text", "daily_cap", "expiry_months", "publish", "published_at")

    def get_readonly_fields(self, request, obj=None):
        return ("street", "published_at") if obj else ("published_at",)


class PointsRuleForm(ServiceModelForm):
    class Meta:
        model = PointsRule
        fields = ("street", *services.RULE_FIELDS)

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(services.RULE_FIELDS)
            return services.points_rule_update(actor=self.actor, rule=self.instance, **changes)
        data = {n: self.cleaned_data.get(n) for n in services.RULE_FIELDS}
        return services.points_rule_create(
            actor=self.actor, street=self.cleaned_data["street"], **data
        )


@admin.register(PointsRule)
class PointsRuleAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = PointsRuleForm
    list_display = (
        "name",
        "street",
        "activity_kind",
        "category",
        "points_per_hour",
        "points_per_attendance",
        "bonus_points",
        "max_points_per_attendance",
        "is_default",
        "is_active",
    )
    list_filter = ("is_default", "is_active")
    list_select_related = ("street",)

    def get_readonly_fields(self, request, obj=None):
        return ("street",) if obj else ()


# ---------------------------------------------------------------------------------------------
# Accounts and the ledger


class EntryInline(admin.TabularInline):
    model = PointsEntry
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "points", "balance_after", "reason", "actor")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class PointsAccountForm(ServiceModelForm):
    """The account itself is never edited; the form appends an adjustment entry."""

    adjust_points = forms.IntegerField(
        label=_("调整积分"), required=False, help_text=_("正数增加，负数扣减；余额不能低于 0")
    )
    adjust_reason = forms.CharField(label=_("调整原因"), max_length=200, required=False)
    service_field_map = {"points": "adjust_points", "reason": "adjust_reason"}

    class Meta:
        model = PointsAccount
        fields = ()

    def call_service(self):
        points = self.cleaned_data.get("adjust_points")
        reason = self.cleaned_data.get("adjust_reason")
        if not points and not reason:
            return None
        services.points_adjust(
            actor=self.actor, account=self.instance, points=points, reason=reason
        )
        self.instance.refresh_from_db()
        return self.instance


@admin.register(PointsAccount)
class PointsAccountAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = PointsAccountForm
    list_display = ("user", "street", "community", "balance")
    list_select_related = ("user", "street", "community")
    search_fields = ("user__real_name", "user__phone")
    readonly_fields = ("user", "street", "community", "balance")
    fields = ("user", "street", "community", "balance", "adjust_points", "adjust_reason")
    inlines = (EntryInline,)


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("created_at", "account", "kind", "points", "balance_after", "reason", "actor")
    list_filter = ("kind",)
    list_select_related = ("account__user", "actor")
    search_fields = ("account__user__real_name", "account__user__phone")
    date_hierarchy = "created_at"


# ---------------------------------------------------------------------------------------------
# Rewards and redemptions

REWARD_FORM_FIELDS = (
    "community",
    "kind",
    "name",
    "description",
    "points_cost",
    "stock",
    "is_active",
    "provider",
)


class RewardForm(ServiceModelForm):
    class Meta:
        model = Reward
        fields = REWARD_FORM_FIELDS

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(services.REWARD_FIELDS)
            return services.reward_update(actor=self.actor, reward=self.instance, **changes)
        data = {n: self.cleaned_data.get(n) for n in REWARD_FORM_FIELDS}
        data["description"] = data["description"] or ""
        return services.reward_create(actor=self.actor, **data)


@admin.register(Reward)
class RewardAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = RewardForm
    list_display = ("name", "community", "kind", "points_cost", "stock", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("community",)
    search_fields = ("name",)

    def get_readonly_fields(self, request, obj=None):
        return ("community",) if obj else ()


@admin.register(Redemption)
class RedemptionAdmin(ScopedModelAdmin):
    list_display = ("created_at", "reward", "user", "quantity", "points", "status")
    list_filter = ("status",)
    list_select_related = ("reward", "user")
    search_fields = ("user__real_name", "user__phone", "reward__name")
    readonly_fields = (
        "reward",
        "account",
        "user",
        "quantity",
        "points",
        "status",
        "handed_over_at",
        "handed_over_by",
        "cancelled_at",
        "cancelled_reason",
    )
    actions = ("hand_over", "cancel")

    @admin.action(description=_("确认领取"), permissions=["view"])
    def hand_over(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda r: services.redemption_hand_over(actor=request.user, redemption=r),
            lambda n: gettext("已确认领取 %(n)s 张兑换单。") % {"n": n},
        )

    @admin.action(description=_("取消并退回积分"), permissions=["view"])
    def cancel(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda r: services.redemption_cancel(
                actor=request.user, redemption=r, reason=gettext("工作人员在后台取消")
            ),
            lambda n: gettext("已取消 %(n)s 张兑换单，积分与库存已退回。") % {"n": n},
        )
