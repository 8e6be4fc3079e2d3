"""Writes for accounts: sign-up, real-name verification, roles and staff accounts."""

import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.exceptions import ApplicationError
from core.validators import MOBILE_RE, normalize_phone

from .models import ROLE_UNIT, Role, RoleAssignment, User
from .rules import STREET_GRANTABLE_ROLES
from .scope import Level, actor_scope, forget_scope


def _validate_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            _("密码不符合要求。"), code="invalid", fields={"password": list(exc.messages)}
        ) from exc


def _clean_phone(phone, *, field="phone", required=True):
    phone = normalize_phone(phone or "")
    if not phone and not required:
        return None
    if not MOBILE_RE.match(phone):
        raise ApplicationError(
            _("手机号格式不正确。"), fields={field: _("请输入11位手机号码，例如 13812345678。")}
        )
    return phone


def _clean_real_name(real_name):
    real_name = (real_name or "").strip()
    if not real_name or len(real_name) > 32:
        raise ApplicationError(
            _("请填写真实姓名。"), fields={"real_name": _("姓名不能为空，且不超过32个字。")}
        )
    return real_name


def _phone_taken(phone, *, exclude_pk=None):
    qs = User.objects.filter(phone=phone) | User.objects.filter(username=phone)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def user_register(*, phone, real_name, password, claimed_community, claimed_address="") -> User:
    """A resident signs up: the phone number is the login. The account may read its
    community's public pages at once and act only after a worker verifies it."""
    from grids.models import Community

    phone = _clean_phone(phone)
    real_name = _clean_real_name(real_name)
    community_id = getattr(claimed_community, "pk", claimed_community)
    community = Community.objects.filter(pk=community_id).first() if community_id else None
    if community is None:
        raise ApplicationError(
            _("请选择所在居民区。"), fields={"claimed_community": _("该居民区不存在。")}
        )
    if _phone_taken(phone):
        raise ApplicationError(
            _("该手机号已注册。"), fields={"phone": _("该手机号已注册，请直接登录。")}
        )
    user = User(
        username=phone,
        phone=phone,
        real_name=real_name,
        claimed_community=community,
        claimed_address=(claimed_address or "").strip()[:100],
        verification_status=User.Verification.PENDING,
    )
    _validate_password(password, user)
    user.set_password(password)
    try:
        # Two sign-ups with one number racing past the check above meet the unique index.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _("该手机号已注册。"), fields={"phone": _("该手机号已注册，请直接登录。")}
        ) from exc
    return user


def _lock_account(account):
    return User.objects.select_for_update().get(pk=account.pk)


def _check_may_review(actor, account):
    if not actor.has_perm("accounts.verify_user", account):
        raise ApplicationError(_("您无权核验该账号。"), code="forbidden")


@transaction.atomic
def account_verify(*, actor, account, resident) -> User:
    """Link a pending (or earlier rejected) account to the resident record it belongs to and
    mark it verified. The account and the resident row are locked: two workers verifying at
    once cannot link one resident to two accounts."""
    from residents.models import Resident

    account = _lock_account(account)
    _check_may_review(actor, account)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if not actor_scope(actor).covers(resident, Level.PEOPLE):
        raise ApplicationError(
            _("该居民不在您的管辖范围内。"),
            code="forbidden",
            fields={"resident": _("该居民不在您的管辖范围内。")},
        )
    if account.verification_status == User.Verification.VERIFIED:
        raise ApplicationError(_("该账号已完成实名核验。"), code="conflict")
    if resident.account_id and resident.account_id != account.pk:
        raise ApplicationError(
            _("该居民已关联其他账号。"),
            code="conflict",
            fields={"resident": _("该居民已关联其他账号，请先核对。")},
        )
    resident.account = account
    resident._history_user = actor  # the history row names the worker, not the request
    resident.save(update_fields=["account", "updated_at"])

    account.verification_status = User.Verification.VERIFIED
    account.verified_at = timezone.now()
    account.verified_by = actor
    account.verification_note = ""
    account.save(
        update_fields=["verification_status", "verified_at", "verified_by", "verification_note"]
    )
    forget_scope(account)
    return account


@transaction.atomic
def account_reject(*, actor, account, note) -> User:
    """No matching resident: the account stays readable, and the note tells its holder why."""
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("请填写未通过的原因。"), fields={"note": _("原因不能为空。")})
    if len(note) > 200:
        raise ApplicationError(_("原因过长。"), fields={"note": _("不超过200个字。")})
    account = _lock_account(account)
    _check_may_review(actor, account)
    if account.verification_status != User.Verification.PENDING:
        raise ApplicationError(_("只能处理待核验的账号。"), code="conflict")
    account.verification_status = User.Verification.REJECTED
    account.verified_at = timezone.now()
    account.verified_by = actor
    account.verification_note = note
    account.save(
        update_fields=["verification_status", "verified_at", "verified_by", "verification_note"]
    )
    return account


def _unit_street_id(unit):
    from grids.models import Community, MicroGrid, Street

    if isinstance(unit, Street):
        return unit.pk
    if isinstance(unit, Community):
        return unit.street_id
    if isinstance(unit, MicroGrid):
        return unit.community.street_id
    return None


def role_grant_check(*, actor, role, unit):
    """Raise unless `actor` may grant `role` over `unit` (used by forms before the write)."""
    if actor.is_superuser:
        return
    scope = actor_scope(actor)
    if Role.STREET_ADMIN not in scope.roles:
        raise ApplicationError(_("您无权授予角色。"), code="forbidden")
    if role not in STREET_GRANTABLE_ROLES:
        raise ApplicationError(
            _("街道管理员只能授予社区工作者和微网格长角色。"),
            code="forbidden",
            fields={"role": _("无权授予该角色。")},
        )
    if _unit_street_id(unit) not in scope.street_ids:
        raise ApplicationError(
            _("只能在本街道范围内授予角色。"),
            code="forbidden",
            fields={"unit": _("该单位不在您管辖的街道内。")},
        )


def _sync_is_staff(user):
    """is_staff opens the admin: it follows whether any staff role is current or to come."""
    today = timezone.localdate()
    holds = RoleAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), user=user
    ).exists()
    should = holds or user.is_superuser
    if user.is_staff != should:
        user.is_staff = should
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_grant(*, actor, user, role, unit, starts_on=None, ends_on=None) -> RoleAssignment:
    try:
        role = Role(role)
    except ValueError as exc:
        raise ApplicationError(_("角色无效。"), fields={"role": _("角色无效。")}) from exc
    unit_field = ROLE_UNIT[role]
    if (
        unit is None
        or unit._meta.model_name
        != {
            "district": "district",
            "street": "street",
            "community": "community",
            "grid": "microgrid",
        }[unit_field]
    ):
        raise ApplicationError(
            _("单位与角色不匹配。"),
            fields={
                "unit": _("该角色须对应一个%(unit)s。")
                % {
                    "unit": {
                        "district": _("区"),
                        "street": _("街道"),
                        "community": _("居民区"),
                        "grid": _("微网格"),
                    }[unit_field]
                }
            },
        )
    role_grant_check(actor=actor, role=role, unit=unit)
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError(
            _("任期结束日期不能早于开始日期。"), fields={"ends_on": _("不能早于任期开始。")}
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ApplicationError(_("该账号已停用。"), fields={"user": _("该账号已停用。")})
    overlapping = RoleAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        user=user,
        role=role,
        **{unit_field: unit},
    )
    if overlapping.exists():
        raise ApplicationError(_("该账号已担任此角色。"), code="conflict")
    assignment = RoleAssignment(
        user=user,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
        **{unit_field: unit},
    )
    assignment._history_user = actor
    assignment.save()
    _sync_is_staff(user)
    forget_scope(user)
    return assignment


@transaction.atomic
def role_end(*, actor, assignment, ends_on=None) -> RoleAssignment | None:
    """End a role. Without a date it ends at once: yesterday becomes the last day in force
    (a term's end date is inclusive), so the holder loses its scope now, not at midnight.
    A term that had not yet begun before today is withdrawn (deleted; the history keeps it).
    Returns the assignment, or None when it was withdrawn."""
    assignment = (
        # Lock the assignment row only; its units are read, never written.
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("community", "grid__community")
        .get(pk=assignment.pk)
    )
    if not actor.has_perm("accounts.end_roleassignment", assignment):
        raise ApplicationError(_("您无权结束该角色。"), code="forbidden")
    today = timezone.localdate()
    if assignment.ends_on is not None and assignment.ends_on < today:
        raise ApplicationError(_("该角色任期已结束。"), code="conflict")
    user = assignment.user
    assignment._history_user = actor
    if ends_on is None:
        ends_on = today - datetime.timedelta(days=1)
        if ends_on < assignment.starts_on:
            assignment.delete()
            assignment = None
    elif ends_on < assignment.starts_on:
        raise ApplicationError(
            _("任期结束日期不能早于开始日期。"), fields={"ends_on": _("不能早于任期开始。")}
        )
    if assignment is not None:
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on", "updated_at"])
    _sync_is_staff(user)
    forget_scope(user)
    return assignment


@transaction.atomic
def staff_create(
    *, actor, username, real_name, password, role, unit, phone="", starts_on=None
) -> User:
    """A street admin (or superuser) opens an account for a worker and grants its first role
    in one step, so that no staff account exists without a role."""
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise ApplicationError(_("请填写用户名。"), fields={"username": _("用户名不能为空。")})
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("用户名已被使用。"), fields={"username": _("用户名已被使用。")})
    real_name = _clean_real_name(real_name)
    phone = _clean_phone(phone, required=False)
    if phone and _phone_taken(phone):
        raise ApplicationError(
            _("该手机号已注册。"), fields={"phone": _("该手机号已被其他账号使用。")}
        )
    user = User(username=username, real_name=real_name, phone=phone, is_staff=False)
    _validate_password(password, user)
    user.set_password(password)
    # Staff accounts are not residents' accounts: nothing to verify.
    user.verification_status = User.Verification.PENDING
    user.save()
    role_grant(actor=actor, user=user, role=role, unit=unit, starts_on=starts_on)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_update(*, actor, user, real_name=None, claimed_community=None, claimed_address=None):
    """Staff correct an account's name or claimed home (e.g. at the counter)."""
    if not actor.has_perm("accounts.change_user", user):
        raise ApplicationError(_("您无权修改该账号。"), code="forbidden")
    user = User.objects.select_for_update().get(pk=user.pk)
    if real_name is not None:
        user.real_name = _clean_real_name(real_name)
    if claimed_community is not None:
        if not actor_scope(actor).covers(claimed_community, Level.PEOPLE):
            raise ApplicationError(
                _("该居民区不在您的管辖范围内。"),
                code="forbidden",
                fields={"claimed_community": _("该居民区不在您的管辖范围内。")},
            )
        user.claimed_community = claimed_community
    if claimed_address is not None:
        user.claimed_address = claimed_address.strip()[:100]
    user.save(update_fields=["real_name", "claimed_community", "claimed_address"])
    forget_scope(user)
    return user


@transaction.atomic
def user_token_issue(*, user) -> Token:
    """A DRF token for a staff member's scripts: one per user, the same on every request
    (revoked by deleting it in the admin)."""
    if not user.is_staff or not user.is_active:
        raise ApplicationError(_("只有工作人员可以申请接口令牌。"), code="forbidden")
    token, _created = Token.objects.get_or_create(user=user)
    return token
