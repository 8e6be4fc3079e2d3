"""Admin for accounts and role assignments. Every write goes through accounts.services."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import password_validation
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from core.admin import ScopedModelAdmin
from core.exceptions import ApplicationError

from . import selectors, services
from .models import ROLE_UNIT, Role, RoleAssignment, User
from .rules import STREET_GRANTABLE_ROLES
from .scope import Level, actor_scope

# --- Sign-in form: limited per address ------------------------------------------------------


def _ratelimited_login(view):
    """django-axes locks a username+address after repeated failures; this also slows one
    address trying many usernames (RATELIMIT_ADMIN_LOGIN posts per address)."""

    @wraps(view)
    def login(request, *args, **kwargs):
        if request.method == "POST" and is_ratelimited(
            request,
            group="admin-login",
            key="ip",
            rate=settings.RATELIMIT_ADMIN_LOGIN,
            method="POST",
            increment=True,
        ):
            return render(
                request,
                "registration/locked_out.html",
                {"message": gettext("登录尝试过于频繁，请稍后再试。")},
                status=429,
            )
        return view(request, *args, **kwargs)

    return login


# AdminSite.get_urls() reads `self.login` when the URLconf is first loaded, after every
# admin module was imported (autodiscover), so the wrapped view is the one served.
admin.site.login = _ratelimited_login(admin.site.login)


def _apply_error_to_form(form, exc: ApplicationError):
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, reasons in exc.fields.items():
        form.add_error(name if name in form.fields else None, reasons)


# --- Users ------------------------------------------------------------------------------------


def _role_choices(user):
    if user.is_superuser:
        return Role.choices
    return [(value, label) for value, label in Role.choices if value in STREET_GRANTABLE_ROLES]


class StaffCreateForm(forms.ModelForm):
    """A street admin opens a worker's account and grants its first role in one step."""

    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    district = forms.ModelChoiceField(label=_("区"), queryset=None, required=False)
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, required=False)
    community = forms.ModelChoiceField(label=_("居民区"), queryset=None, required=False)
    grid = forms.ModelChoiceField(label=_("微网格"), queryset=None, required=False)

    class Meta:
        model = User
        fields = ("username", "real_name", "phone")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        from grids.models import Community, District, MicroGrid, Street

        self.request = request
        scope = actor_scope(request.user)
        self.fields["real_name"].required = True
        self.fields["role"].choices = _role_choices(request.user)
        self.fields["district"].queryset = scope.filter(District.objects.all(), Level.ORG)
        self.fields["street"].queryset = scope.filter(Street.objects.all(), Level.PEOPLE)
        self.fields["community"].queryset = scope.filter(Community.objects.all(), Level.PEOPLE)
        self.fields["grid"].queryset = scope.filter(
            MicroGrid.objects.select_related("community"), Level.PEOPLE
        )
        if not request.user.is_superuser:
            del self.fields["district"]
            del self.fields["street"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        role = data.get("role")
        unit = data.get(ROLE_UNIT[Role(role)]) if role else None
        if role and unit is None:
            self.add_error(None, _("请选择该角色对应的单位。"))
        elif role:
            data["unit"] = unit
            try:
                services.role_grant_check(actor=self.request.user, role=role, unit=unit)
            except ApplicationError as exc:
                _apply_error_to_form(self, exc)
        if data.get("password1"):
            candidate = User(username=data.get("username", ""), real_name=data.get("real_name", ""))
            try:
                password_validation.validate_password(data["password1"], candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class VerifyForm(forms.Form):
    resident = forms.IntegerField(label=_("居民档案"), widget=forms.HiddenInput)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("未通过原因"), max_length=200, widget=forms.Textarea)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    add_form = StaffCreateForm
    add_form_template = "admin/change_form.html"
    list_display = (
        "username",
        "real_name",
        "phone_masked_display",
        "claimed_community",
        "verification_status",
        "is_staff",
        "review_link",
    )
    list_filter = ("verification_status", "is_staff", "is_active")
    search_fields = ("username", "real_name", "=phone")
    ordering = ("-date_joined",)
    list_select_related = ("claimed_community",)
    add_fieldsets = (
        (None, {"fields": ("username", "real_name", "phone", "password1", "password2")}),
        (_("角色"), {"fields": ("role", "district", "street", "community", "grid")}),
    )
    superuser_fieldsets = (
        (None, {"fields": ("username", "password", "real_name", "phone")}),
        (_("居民信息"), {"fields": ("claimed_community", "claimed_address")}),
        (
            _("实名核验"),
            {"fields": ("verification_status", "verified_at", "verified_by", "verification_note")},
        ),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    staff_fieldsets = (
        (None, {"fields": ("username", "real_name", "phone_masked_display")}),
        (_("居民信息"), {"fields": ("claimed_community", "claimed_address")}),
        (
            _("实名核验"),
            {"fields": ("verification_status", "verified_at", "verified_by", "verification_note")},
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    staff_readonly = (
        "username",
        "phone_masked_display",
        "verification_status",
        "verified_at",
        "verified_by",
        "verification_note",
        "last_login",
        "date_joined",
    )

    @admin.display(description=_("手机号"))
    def phone_masked_display(self, obj):
        return obj.phone_masked

    @admin.display(description=_("实名核验"))
    def review_link(self, obj):
        if (
            obj.verification_status == User.Verification.VERIFIED
            or obj.claimed_community_id is None
        ):
            return ""
        url = reverse("admin:accounts_user_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("核验"))

    def get_queryset(self, request):
        # Staff accounts claim no community: street admins reach them through their roles.
        return selectors.user_visible_list(actor=request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            if request.user.is_superuser:
                return self.add_fieldsets
            # Street admins grant roles over communities and grids only.
            return (
                self.add_fieldsets[0],
                (_("角色"), {"fields": ("role", "community", "grid")}),
            )
        return self.superuser_fieldsets if request.user.is_superuser else self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.staff_readonly
        return ("verified_at", "verified_by") if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            form = super().get_form(request, obj, **kwargs)

            class RequestBoundForm(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, request=request, **kw)

            return RequestBoundForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            data = form.cleaned_data
            created = services.staff_create(
                actor=request.user,
                username=data["username"],
                real_name=data["real_name"],
                phone=data.get("phone") or "",
                password=data["password1"],
                role=data["role"],
                unit=data["unit"],
            )
            # The admin goes on with `obj` (log entry, redirect): make it the created row.
            obj.__dict__.update(created.__dict__)
            return
        if request.user.is_superuser:
            super().save_model(request, obj, form, change)
            return
        changed = {
            name: form.cleaned_data[name]
            for name in ("real_name", "claimed_community", "claimed_address")
            if name in form.changed_data
        }
        if changed:
            services.user_update(actor=request.user, user=obj, **changed)

    def get_urls(self):
        urls = super().get_urls()
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="accounts_user_review",
        )
        return [review, *urls]

    def user_change_password(self, request, id, form_url=""):
        # Setting another person's password: superusers, or staff over a manageable account.
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def review_view(self, request, object_id):
        """Real-name verification: find the matching resident (by name, within scope) and
        link it, or reject with a reason the resident will see."""
        from residents.models import Resident

        account = self.get_object(request, unquote(object_id))
        if account is None:
            raise Http404
        if not request.user.has_perm("accounts.verify_user", account):
            raise PermissionDenied
        verify_form, reject_form = VerifyForm(), RejectForm()
        if request.method == "POST":
            try:
                if "reject" in request.POST:
                    reject_form = RejectForm(request.POST)
                    if reject_form.is_valid():
                        services.account_reject(
                            actor=request.user, account=account, **reject_form.cleaned_data
                        )
                        self.message_user(request, gettext("已标记为未通过。"), messages.SUCCESS)
                        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))
                else:
                    verify_form = VerifyForm(request.POST)
                    if verify_form.is_valid():
                        resident = (
                            actor_scope(request.user)
                            .filter(Resident.objects.all(), Level.PEOPLE)
                            .filter(pk=verify_form.cleaned_data["resident"])
                            .first()
                        )
                        if resident is None:
                            raise ApplicationError(gettext("该居民不存在或不在您的管辖范围内。"))
                        services.account_verify(
                            actor=request.user, account=account, resident=resident
                        )
                        self.message_user(
                            request,
                            gettext("已核验：%(account)s 关联居民 %(resident)s。")
                            % {"account": account, "resident": resident},
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        query = request.GET.get("q", account.real_name).strip()
        candidates = (
            actor_scope(request.user)
            .filter(Resident.objects.all(), Level.PEOPLE)
            .filter(name__icontains=query)
            .select_related("community", "building")
            .order_by("community", "name")[:30]
            if query
            else Resident.objects.none()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("实名核验：%(name)s") % {"name": account},
            "account": account,
            "query": query,
            "candidates": candidates,
            "verify_form": verify_form,
            "reject_form": reject_form,
        }
        return TemplateResponse(request, "admin/accounts/user/review.html", context)


# --- Role assignments -------------------------------------------------------------------------


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "district", "street", "community", "grid", "starts_on", "ends_on")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if "role" in self.fields:
            self.fields["role"].choices = _role_choices(request.user)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        role = data.get("role")
        if not role:
            return data
        unit = data.get(ROLE_UNIT[Role(role)])
        for name in ("district", "street", "community", "grid"):
            if name != ROLE_UNIT[Role(role)] and data.get(name):
                self.add_error(name, _("该角色无需填写此项。"))
        if unit is None:
            self.add_error(ROLE_UNIT[Role(role)], _("请选择该角色对应的单位。"))
            return data
        try:
            services.role_grant_check(actor=self.request.user, role=role, unit=unit)
        except ApplicationError as exc:
            _apply_error_to_form(self, exc)
        data["unit"] = unit
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedModelAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "unit_display", "starts_on", "ends_on", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__real_name")
    actions = ["end_now"]

    @admin.display(description=_("单位"))
    def unit_display(self, obj):
        return obj.unit

    def get_queryset(self, request):
        return selectors.role_assignment_list(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("granted_by",)
        return (
            "user",
            "role",
            "district",
            "street",
            "community",
            "grid",
            "starts_on",
            "granted_by",
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestBoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestBoundForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = selectors.user_visible_list(actor=request.user)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if "ends_on" in form.changed_data:
                services.role_end(actor=request.user, assignment=obj, ends_on=data["ends_on"])
            return
        created = services.role_grant(
            actor=request.user,
            user=data["user"],
            role=data["role"],
            unit=data["unit"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        obj.__dict__.update(created.__dict__)

    @admin.action(description=_("立即结束所选角色"), permissions=["change"])
    def end_now(self, request, queryset):
        ended, refused = 0, 0
        for assignment in queryset:
            try:
                services.role_end(actor=request.user, assignment=assignment)
                ended += 1
            except ApplicationError as exc:
                refused += 1
                self.message_user(request, f"{assignment}: {exc.message}", messages.WARNING)
        if ended:
            self.message_user(
                request, gettext("已结束 %(count)d 个角色。") % {"count": ended}, messages.SUCCESS
            )
