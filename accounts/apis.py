"""Accounts API: sign-up, sign-in, `me`, real-name verification and role assignments.

Sign-in and sign-up are anonymous writes: DRF's SessionAuthentication checks CSRF only for
requests that are already authenticated, so these views check it themselves (a forged
cross-site login would otherwise sign a victim into an attacker's account).
"""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from core.exceptions import ApplicationError
from core.pagination import PagePagination
from core.permissions import RulesPermission

from . import selectors, services
from .models import ROLE_UNIT, Role, User
from .rules import is_verified_resident

# --- Output serializers (read-only; every related row is loaded by the selector) ------------


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoleAssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_display = serializers.CharField(source="get_role_display")
    unit_type = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)

    def get_unit_type(self, obj) -> str:
        return ROLE_UNIT[obj.role]

    @extend_schema_field(UnitSerializer)
    def get_unit(self, obj):
        unit = obj.unit
        return {"id": unit.pk, "name": unit.name}


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    phone_masked = serializers.CharField()


class RoleAssignmentListSerializer(RoleAssignmentOutputSerializer):
    user = UserBriefSerializer()
    granted_by = serializers.StringRelatedField()
    created_at = serializers.DateTimeField()


class MeResidentSerializer(serializers.Serializer):
    """Where the linked resident lives, and nothing personal: no ID number, no phone."""

    community = UnitSerializer()
    street = UnitSerializer(source="community.street")
    grid = UnitSerializer(allow_null=True)


class MeCanSerializer(serializers.Serializer):
    can_act = serializers.BooleanField(help_text="实名核验通过，可以发帖、举手等")
    is_staff = serializers.BooleanField()
    verify_accounts = serializers.BooleanField()
    grant_roles = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    phone_masked = serializers.CharField()
    verification_status = serializers.ChoiceField(choices=User.Verification.choices)
    verification_status_display = serializers.CharField(source="get_verification_status_display")
    verification_note = serializers.CharField()
    claimed_community = UnitSerializer(allow_null=True)
    resident = MeResidentSerializer(source="linked_resident", allow_null=True)
    roles = RoleAssignmentOutputSerializer(source="active_assignments", many=True)
    can = serializers.SerializerMethodField()

    @extend_schema_field(MeCanSerializer)
    def get_can(self, user):
        return {
            "can_act": bool(is_verified_resident(user)),
            "is_staff": user.is_staff,
            "verify_accounts": user.has_perm("accounts.verify_user"),
            "grant_roles": user.has_perm("accounts.grant_roleassignment"),
        }


class PendingAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    real_name = serializers.CharField()
    phone_masked = serializers.CharField()
    claimed_community = UnitSerializer()
    claimed_address = serializers.CharField()
    date_joined = serializers.DateTimeField()


class AccountReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    real_name = serializers.CharField()
    verification_status = serializers.ChoiceField(choices=User.Verification.choices)
    verified_at = serializers.DateTimeField(allow_null=True)
    verification_note = serializers.CharField()


def _me_payload(user, request):
    return MeSerializer(selectors.user_me_get(user=user), context={"request": request}).data


# --- CSRF and throttles for anonymous writes -------------------------------------------------


class CsrfEnforcedMixin:
    """Check CSRF on every unsafe request, signed in or not."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            SessionAuthentication().enforce_csrf(request)


CsrfTokenSerializer = inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()})
TokenSerializer = inline_serializer("ApiToken", {"token": serializers.CharField()})


class CsrfView(APIView):
    """Sets the CSRF cookie for the pages that sign in or sign up, and returns the token."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="获取 CSRF 令牌", responses=CsrfTokenSerializer, tags=["auth"])
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class RegisterView(CsrfEnforcedMixin, APIView):
    """A resident signs up with their mobile number; signed in at once, verified later."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "signup"

    class RegisterInputSerializer(serializers.Serializer):
        phone = serializers.CharField(max_length=20)
        real_name = serializers.CharField(max_length=32)
        password = serializers.CharField(max_length=128, write_only=True)
        claimed_community = serializers.IntegerField(min_value=1)
        claimed_address = serializers.CharField(max_length=100, required=False, allow_blank=True)

    @extend_schema(
        summary="居民注册",
        request=RegisterInputSerializer,
        responses={201: MeSerializer},
        tags=["auth"],
    )
    def post(self, request):
        data = self.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        login(request._request, user, backend="accounts.backends.PhoneOrUsernameBackend")
        return Response(_me_payload(user, request), status=status.HTTP_201_CREATED)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="手机号或用户名")
    password = serializers.CharField(max_length=128, write_only=True)


def _authenticate(request, data):
    """Authenticate through django-axes: it needs the Django request to count failures and
    to refuse a locked-out username+address, even with the right password."""
    django_request = request._request
    user = authenticate(
        request=django_request, username=data["username"], password=data["password"]
    )
    if user is None:
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware replaces this response with core.views.axes_lockout's.
            raise ApplicationError(_("登录失败次数过多，请稍后再试。"), code="locked_out")
        raise ApplicationError(
            _("手机号/用户名或密码不正确。"),
            fields={"non_field_errors": _("手机号/用户名或密码不正确。")},
        )
    return user


class LoginView(CsrfEnforcedMixin, APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        summary="登录（手机号或用户名）",
        description="会话登录，需携带 CSRF 令牌（先 GET /auth/csrf/）。连续失败将被锁定一段时间。",
        request=CredentialsSerializer,
        responses={200: MeSerializer},
        tags=["auth"],
    )
    def post(self, request):
        data = CredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _authenticate(request, data.validated_data)
        login(request._request, user)
        return Response(_me_payload(user, request))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="退出登录", request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """An API token for staff scripts; residents use the session."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        summary="申请接口令牌（仅工作人员）",
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
        tags=["auth"],
    )
    def post(self, request):
        data = CredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _authenticate(request, data.validated_data)
        token = services.user_token_issue(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="当前登录用户", responses=MeSerializer, tags=["accounts"])
    def get(self, request):
        return Response(_me_payload(request.user, request))


# --- Real-name verification (staff) -----------------------------------------------------------


class PendingAccountListView(APIView):
    permission_classes = [RulesPermission]
    permission_required = "accounts.verify_user"

    class PendingAccountFilterSerializer(serializers.Serializer):
        claimed_community = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(
        summary="待实名核验的账号",
        parameters=[OpenApiParameter("claimed_community", int, description="按申报居民区筛选")],
        responses=PendingAccountSerializer(many=True),
        tags=["accounts"],
    )
    def get(self, request):
        filters = self.PendingAccountFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.pending_account_list(actor=request.user, filters=filters.validated_data)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(PendingAccountSerializer(page, many=True).data)


def _account_for_review(request, pk):
    account = selectors.account_for_review_get(actor=request.user, pk=pk)
    if account is None:
        raise ApplicationError(_("账号不存在。"), code="not_found")
    return account


class AccountVerifyView(APIView):
    permission_classes = [RulesPermission]
    permission_required = "accounts.verify_user"

    class AccountVerifyInputSerializer(serializers.Serializer):
        resident = serializers.IntegerField(min_value=1, help_text="核对一致的居民档案 ID")

    @extend_schema(
        summary="实名核验通过：关联居民档案",
        request=AccountVerifyInputSerializer,
        responses=AccountReviewSerializer,
        tags=["accounts"],
    )
    def post(self, request, pk):
        from residents.models import Resident

        from .scope import Level, actor_scope

        account = _account_for_review(request, pk)
        self.check_object_permissions(request, account)
        data = self.AccountVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resident = (
            actor_scope(request.user)
            .filter(Resident.objects.all(), Level.PEOPLE)
            .filter(pk=data.validated_data["resident"])
            .first()
        )
        if resident is None:
            raise ApplicationError(
                _("居民档案不存在。"), fields={"resident": _("该居民不存在或不在您的管辖范围内。")}
            )
        account = services.account_verify(actor=request.user, account=account, resident=resident)
        return Response(AccountReviewSerializer(account).data)


class AccountRejectView(APIView):
    permission_classes = [RulesPermission]
    permission_required = "accounts.verify_user"

    class AccountRejectInputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=200, help_text="未通过的原因，账号本人可见")

    @extend_schema(
        summary="实名核验不通过",
        request=AccountRejectInputSerializer,
        responses=AccountReviewSerializer,
        tags=["accounts"],
    )
    def post(self, request, pk):
        account = _account_for_review(request, pk)
        self.check_object_permissions(request, account)
        data = self.AccountRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.account_reject(
            actor=request.user, account=account, **data.validated_data
        )
        return Response(AccountReviewSerializer(account).data)


# --- Role assignments (street admins, superusers) ---------------------------------------------


class RoleAssignmentListCreateView(APIView):
    permission_classes = [RulesPermission]
    permission_required = {
        "get": "accounts.view_roleassignment",
        "post": "accounts.grant_roleassignment",
    }

    class RoleAssignmentFilterSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=Role.choices, required=False)
        user = serializers.IntegerField(required=False, min_value=1)
        active = serializers.BooleanField(required=False, default=None, allow_null=True)

    class RoleGrantInputSerializer(serializers.Serializer):
        user = serializers.IntegerField(min_value=1)
        role = serializers.ChoiceField(choices=Role.choices)
        unit = serializers.IntegerField(
            min_value=1,
            help_text="角色对应单位的 ID：区领导→区，街道管理员→街道，社工→居民区，网格长→微网格",
        )
        starts_on = serializers.DateField(required=False, allow_null=True)
        ends_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(
        summary="角色授权列表",
        parameters=[RoleAssignmentFilterSerializer],
        responses=RoleAssignmentListSerializer(many=True),
        tags=["accounts"],
    )
    def get(self, request):
        filters = self.RoleAssignmentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.role_assignment_list(actor=request.user, filters=filters.validated_data)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RoleAssignmentListSerializer(page, many=True).data)

    @extend_schema(
        summary="授予角色",
        request=RoleGrantInputSerializer,
        responses={201: RoleAssignmentListSerializer},
        tags=["accounts"],
    )
    def post(self, request):
        data = self.RoleGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = selectors.user_visible_list(actor=request.user).filter(pk=values["user"]).first()
        if user is None:
            raise ApplicationError(
                _("账号不存在。"), fields={"user": _("该账号不存在或不在您的管辖范围内。")}
            )
        unit = selectors.unit_for_role_get(role=values["role"], unit_id=values["unit"])
        if unit is None:
            raise ApplicationError(_("单位不存在。"), fields={"unit": _("该单位不存在。")})
        assignment = services.role_grant(
            actor=request.user,
            user=user,
            role=values["role"],
            unit=unit,
            starts_on=values.get("starts_on"),
            ends_on=values.get("ends_on"),
        )
        assignment = selectors.role_assignment_list(actor=request.user).get(pk=assignment.pk)
        return Response(
            RoleAssignmentListSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


class RoleAssignmentEndView(APIView):
    permission_classes = [RulesPermission]
    permission_required = "accounts.end_roleassignment"

    class RoleEndInputSerializer(serializers.Serializer):
        ends_on = serializers.DateField(
            required=False, allow_null=True, help_text="任期最后一天；留空表示立即结束"
        )

    @extend_schema(
        summary="结束角色任期",
        request=RoleEndInputSerializer,
        responses={200: RoleAssignmentListSerializer, 204: None},
        tags=["accounts"],
    )
    def post(self, request, pk):
        assignment = selectors.role_assignment_get(actor=request.user, pk=pk)
        if assignment is None:
            raise ApplicationError(_("角色授权不存在。"), code="not_found")
        self.check_object_permissions(request, assignment)
        data = self.RoleEndInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = services.role_end(
            actor=request.user, assignment=assignment, ends_on=data.validated_data.get("ends_on")
        )
        if ended is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        ended = selectors.role_assignment_get(actor=request.user, pk=ended.pk)
        return Response(RoleAssignmentListSerializer(ended).data)
