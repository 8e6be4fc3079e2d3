"""Admin of what residents and workers add to a covenant: signatures (who signed, people-level
staff, read-only), the fund's ledger (workers add pledges and receipts through the services;
reversals as an action) and discussion comments (hide with a reason, restore)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm
from residents.models import Household

from .. import selectors, services
from ..models import CovenantComment, FundEntry, Signature
from ._forms import ReasonForm, form_action, run_per_row


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(_ReadOnly, ScopedModelAdmin):
    """Households' signatures and votes, online or from paper (with who entered them)."""

    list_display = (
        "version",
        "household",
        "resident",
        "choice",
        "channel",
        "entered_by",
        "signed_at",
    )
    list_filter = ("channel", "choice")
    search_fields = ("version__covenant__title", "resident__name")
    fields = (
        "version",
        "household",
        "resident",
        "user",
        "choice",
        "channel",
        "entered_by",
        "paper_note",
        "signed_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        covenants = selectors.covenant_queryset(actor=request.user)
        households = actor_scope(request.user).filter(Household.objects.all(), Level.PEOPLE)
        return Signature.objects.filter(
            version__covenant__in=covenants.values("pk"), household__in=households.values("pk")
        ).select_related("version__covenant", "household", "resident", "entered_by")


class FundEntryForm(ServiceModelForm):
    class Meta:
        model = FundEntry
        fields = ("covenant", "household", "kind", "amount", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                c for c in FundEntry.Kind.choices if c[0] != FundEntry.Kind.REVERSAL
            ]

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"reason"}

    def call_service(self):
        data = self.cleaned_data
        call = (
            services.covenant_fund_pledge
            if data["kind"] == FundEntry.Kind.PLEDGE
            else services.covenant_fund_receipt
        )
        return call(
            actor=self.actor,
            covenant=data["covenant"],
            household=data["household"],
            amount=data["amount"],
            note=data.get("reason") or "",
        )


@admin.register(FundEntry)
class FundEntryAdmin(ServiceAdminMixin, ScopedModelAdmin):
    """The ledger of money collected in advance: append-only; a mistake is reversed."""

    form = FundEntryForm
    list_display = ("covenant", "household", "kind", "amount", "reverses", "entered_by", "at")
    list_filter = ("kind",)
    search_fields = ("covenant__title",)
    actions = ["reverse_selected"]

    def get_queryset(self, request):
        covenants = selectors.covenant_queryset(actor=request.user)
        households = actor_scope(request.user).filter(Household.objects.all(), Level.PEOPLE)
        return FundEntry.objects.filter(
            covenant__in=covenants.values("pk"), household__in=households.values("pk")
        ).select_related("covenant", "household", "entered_by", "reverses")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("covenant", "household", "kind", "amount", "reverses", "reason", "entered_by", "at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("covenant", "household", "kind", "amount", "reason")
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("冲正所选记录（须填写原因）"), permissions=["add"])
    def reverse_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("冲正预收资金记录"),
            call=lambda e, reason: services.covenant_fund_reverse(
                actor=request.user, entry=e, reason=reason
            ),
            done_message=gettext("已冲正 %(n)s 条记录。"),
        )


@admin.register(CovenantComment)
class CovenantCommentAdmin(_ReadOnly, ScopedModelAdmin):
    list_display = ("covenant", "author_label", "body", "hidden", "hidden_reason", "created_at")
    list_filter = ("hidden", "auto_hidden")
    search_fields = ("body", "covenant__title")
    fields = (
        "covenant",
        "version",
        "author_label",
        "body",
        "hidden",
        "hidden_reason",
        "created_at",
    )
    readonly_fields = fields
    actions = ["hide_selected", "restore_selected"]

    def get_queryset(self, request):
        covenants = selectors.covenant_queryset(actor=request.user)
        return CovenantComment.objects.filter(covenant__in=covenants.values("pk")).select_related(
            "covenant", "version"
        )

    def has_moderate_permission(self, request):
        return request.user.has_perm("covenants.moderate_covenantcomment")

    @admin.action(description=_("隐藏所选评论（须填写理由）"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("隐藏评论"),
            call=lambda c, reason: services.covenant_comment_hide(
                actor=request.user, comment=c, reason=reason
            ),
            done_message=gettext("已隐藏 %(n)s 条评论。"),
        )

    @admin.action(description=_("恢复显示所选评论"), permissions=["moderate"])
    def restore_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda c: services.covenant_comment_restore(actor=request.user, comment=c),
            gettext("已恢复 %(n)s 条评论。"),
        )


__all__ = ["forms"]
