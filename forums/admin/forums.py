"""Admin of forums and their members: every save and action goes through forums.services; the
rows are the selectors' (forums.scope), so a worker sees the forums of their community and a
street admin those of the street."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from accounts.scope import Level, actor_scope
from board.admin._common import ReadOnlyInline, reason_action, run_per_row
from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import selectors, services
from ..models import Forum, ForumEvent, ForumMember
from ..scope import staff_forum_q

FORUM_CREATE_FIELDS = ("street", "community", "kind", "name", "description", "established_on")


class ForumAdminForm(ServiceModelForm):
    class Meta:
        model = Forum
        fields = FORUM_CREATE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "street" in self.fields:
            self.fields["street"].required = False
            self.fields["street"].help_text = _("街道层面的议事平台：不选居民区，选街道")

    def _get_validation_exclusions(self):
        # The street follows from the community (the service derives it).
        return super()._get_validation_exclusions() | {"street"}

    def call_service(self):
        if self.instance.pk:
            changes = self.changed_values(("name", "description"))
            if not changes:
                return self.instance
            return services.forum_update(actor=self.actor, forum=self.instance, **changes)
        data = {name: self.cleaned_data.get(name) for name in FORUM_CREATE_FIELDS}
        data["description"] = data["description"] or ""
        return services.forum_create(actor=self.actor, **data)


class MemberInline(ReadOnlyInline):
    model = ForumMember
    fields = ("name", "organisation", "role", "represents", "joined_on", "left_on")
    readonly_fields = fields
    verbose_name_plural = _("成员（在“议事平台成员”中添加或办理退出）")

    def has_view_permission(self, request, obj=None):
        # Names of people: not for district leaders (they see the counts).
        return request.user.has_perm("forums.view_forummember", obj)


class ForumEventInline(ReadOnlyInline):
    model = ForumEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("议事平台动态")


@admin.register(Forum)
class ForumAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ForumAdminForm
    list_display = ("name", "kind", "street", "community", "status", "member_count", "held_count")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    inlines = [MemberInline, ForumEventInline]
    readonly_fields = ("status", "dissolved_on", "dissolve_reason")
    actions = ["dissolve_selected"]

    def get_queryset(self, request):
        return selectors.forum_list(actor=request.user)

    def get_inlines(self, request, obj):
        # Read-only histories of an existing row; nothing to show (or post) while adding.
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        locked = ("street", "community", "kind", "established_on")
        if obj.status != Forum.Status.ACTIVE:
            locked += ("name", "description")
        return (*self.readonly_fields, *locked)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("street", "community"):
            # Writers only: a community's workers, a street's admins.
            field.queryset = actor_scope(request.user).filter(field.queryset, Level.PEOPLE)
            if db_field.name == "street" and not actor_scope(request.user).is_global:
                field.queryset = field.queryset.filter(pk__in=actor_scope(request.user).street_ids)
        return field

    @admin.display(description=_("现任成员"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("已召开会议"), ordering="held_count")
    def held_count(self, obj):
        return obj.held_count

    @admin.action(description=_("撤销所选议事平台"), permissions=["change"])
    def dissolve_selected(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("撤销议事平台"),
            call=lambda f, reason: services.forum_dissolve(
                actor=request.user, forum=f, reason=reason
            ),
            done_message=gettext("已撤销 %(n)s 个议事平台。"),
        )


MEMBER_FIELDS = (
    "forum",
    "resident",
    "account",
    "name",
    "organisation",
    "role",
    "represents",
    "joined_on",
)


class ForumMemberAdminForm(ServiceModelForm):
    class Meta:
        model = ForumMember
        fields = MEMBER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "name" in self.fields:
            self.fields["name"].required = False
            self.fields["name"].help_text = _("选择居民或账号时可不填")

    def call_service(self):
        if self.instance.pk:
            return self.instance
        data = {name: self.cleaned_data.get(name) for name in MEMBER_FIELDS}
        data["name"] = data["name"] or ""
        data["organisation"] = data["organisation"] or ""
        return services.forum_member_add(actor=self.actor, **data)


@admin.register(ForumMember)
class ForumMemberAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ForumMemberAdminForm
    list_display = ("name", "forum", "organisation", "role", "represents", "joined_on", "left_on")
    list_filter = ("role", "represents", "forum__kind")
    search_fields = ("name", "organisation", "forum__name")
    raw_id_fields = ("resident",)
    actions = ["leave_selected"]

    def get_queryset(self, request):
        return ForumMember.objects.select_related("forum__community", "forum__street").filter(
            staff_forum_q(request.user, prefix="forum__")
        )

    def get_readonly_fields(self, request, obj=None):
        return (*MEMBER_FIELDS, "left_on") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "forum":
            field.queryset = (
                selectors.forum_list(actor=request.user)
                .filter(status=Forum.Status.ACTIVE)
                .filter(staff_forum_q(request.user, level=Level.PEOPLE))
            )
        elif db_field.name == "account":
            # Accounts of people in the user's communities: staff there, or their residents.
            scope = actor_scope(request.user)
            if not scope.is_global:
                communities = list(scope.people_community_ids)
                staff = RoleAssignment.objects.active().filter(
                    Q(community_id__in=communities) | Q(street_id__in=scope.street_ids)
                )
                field.queryset = User.objects.filter(
                    Q(pk__in=staff.values("user_id")) | Q(resident__community_id__in=communities)
                ).distinct()
        return field

    @admin.action(description=_("办理所选成员退出"), permissions=["change"])
    def leave_selected(self, request, queryset):
        run_per_row(
            self,
            request,
            queryset,
            lambda m: services.forum_member_leave(actor=request.user, member=m),
            gettext("已办理 %(n)s 名成员退出。"),
        )
