from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.validators import mask_phone, validate_mobile


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractUser):
    """One account for everybody: residents sign in with their mobile number, staff with a
    username or their mobile number. A resident account acts only once real-name verified."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("待核验")  # registered; may read, may not act
        VERIFIED = "verified", _("已实名")  # a worker matched it to a resident record
        REJECTED = "rejected", _("未通过")  # no match found; the reason is on the account

    first_name = None
    last_name = None
    real_name = models.CharField(_("姓名"), max_length=32, blank=True)
    phone = models.CharField(
        _("手机号"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
        help_text=_("居民用手机号登录；工作人员也可用手机号登录"),
    )
    claimed_community = models.ForeignKey(
        "grids.Community",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申报居民区"),
        help_text=_("居民注册时自报的居民区，实名核验前据此确定可浏览范围"),
    )
    claimed_address = models.CharField(
        _("申报住址"),
        max_length=100,
        blank=True,
        help_text=_("注册时自报的楼号、室号，供工作人员核验"),
    )
    verification_status = models.CharField(
        _("实名状态"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.PENDING,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("核验人")
    )
    verification_note = models.CharField(_("核验说明"), max_length=200, blank=True)

    objects = PortalUserManager()

    # An account sits where its holder says they live until a worker verifies it: staff see
    # the accounts claiming their communities (the queue of accounts to verify). Staff
    # accounts claim no community and are reached through their roles instead
    # (accounts.selectors.user_visible_list).
    scope_paths = ScopePaths(
        district="claimed_community__street__district",
        street="claimed_community__street",
        community="claimed_community",
    )

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.real_name or self.username

    def get_full_name(self):
        return self.real_name or self.username

    def get_short_name(self):
        return self.real_name or self.username

    @property
    def phone_masked(self):
        return mask_phone(self.phone or "")

    @property
    def is_verified(self):
        return self.verification_status == self.Verification.VERIFIED


class Role(models.TextChoices):
    """Staff roles, each held over one unit of the organisation tree. A user may hold several.
    The resident role is not a row here: it is a verified account linked to a resident record."""

    DISTRICT_LEADER = "district_leader", _("区领导")  # a district; aggregates only
    STREET_ADMIN = "street_admin", _("街道管理员")  # a street; everything in it
    COMMUNITY_WORKER = "community_worker", _("社区工作者")  # one community per row
    GRID_LEADER = "grid_leader", _("微网格长")  # one micro-grid per row


ROLE_UNIT = {
    Role.DISTRICT_LEADER: "district",
    Role.STREET_ADMIN: "street",
    Role.COMMUNITY_WORKER: "community",
    Role.GRID_LEADER: "grid",
}


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, *, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class RoleAssignment(TimeStampedModel):
    """A user holds a role over one unit (district, street, community or micro-grid) for a term."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="role_assignments", verbose_name=_("账号")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "grids.District",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区"),
    )
    street = models.ForeignKey(
        "grids.Street",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("街道"),
    )
    community = models.ForeignKey(
        "grids.Community",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民区"),
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("微网格"),
    )
    starts_on = models.DateField(_("任期开始"), default=timezone.localdate)
    ends_on = models.DateField(
        _("任期结束"), null=True, blank=True, help_text=_("留空表示长期有效")
    )
    granted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("授权人")
    )

    objects = RoleAssignmentQuerySet.as_manager()
    # Who granted, changed and ended which role, and when: street admins audit their staff.
    history = HistoricalRecords(verbose_name=_("角色授权变更记录"))

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user", "role"]
        constraints = [
            # Exactly the unit that belongs to the role is set, and no other.
            models.CheckConstraint(
                name="role_unit_matches_role",
                condition=(
                    Q(
                        role=Role.DISTRICT_LEADER,
                        district__isnull=False,
                        street__isnull=True,
                        community__isnull=True,
                        grid__isnull=True,
                    )
                    | Q(
                        role=Role.STREET_ADMIN,
                        district__isnull=True,
                        street__isnull=False,
                        community__isnull=True,
                        grid__isnull=True,
                    )
                    | Q(
                        role=Role.COMMUNITY_WORKER,
                        district__isnull=True,
                        street__isnull=True,
                        community__isnull=False,
                        grid__isnull=True,
                    )
                    | Q(
                        role=Role.GRID_LEADER,
                        district__isnull=True,
                        street__isnull=True,
                        community__isnull=True,
                        grid__isnull=False,
                    )
                ),
            ),
            models.CheckConstraint(
                name="role_term_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.get_role_display()} · {self.unit}"

    @property
    def unit(self):
        return getattr(self, ROLE_UNIT[self.role])
