"""The people's-conditions database 民情数据库: residents, households, tags, and the access log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.validators import mask_phone, validate_phone

ORG_PATHS = ScopePaths(
    district="community__street__district",
    street="community__street",
    community="community",
    grid="grid",
)


class TagFamily(models.TextChoices):
    IDENTITY = "identity", _("身份类别")  # 党员, 退休, 独居老人, 残疾人, 动迁户, 外来人口 …
    SERVICE = "service", _("服务")  # 助餐, 上门探访, 心理疏导 …
    MANAGEMENT = "management", _("管理项目")  # follow-ups the community runs


class Tag(TimeStampedModel):
    """A label on residents, defined by each street as data (never hard-coded)."""

    street = models.ForeignKey(
        "grids.Street", models.CASCADE, related_name="resident_tags", verbose_name=_("街道")
    )
    family = models.CharField(_("类别"), max_length=16, choices=TagFamily.choices)
    name = models.CharField(_("标签名"), max_length=32)
    color = models.CharField(
        _("颜色"),
        max_length=7,
        default="#1F6FEB",
        help_text=_("十六进制颜色，如 #C0392B；页面上标签同时显示文字，颜色不是唯一标识"),
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_paths = ScopePaths(district="street__district", street="street")

    class Meta:
        verbose_name = _("居民标签")
        verbose_name_plural = _("居民标签")
        ordering = ["street", "family", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="tag_unique_name_in_street",
                violation_error_message=_("本街道已有同名标签。"),
            ),
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9A-Fa-f]{6}$"), name="tag_color_hex"
            ),
        ]

    def __str__(self):
        return f"{self.get_family_display()}·{self.name}"


class Household(TimeStampedModel):
    """户: the people living at one room of a building group."""

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="households", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("微网格"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("楼组"),
    )
    room = models.CharField(_("室号"), max_length=16, blank=True, help_text=_("如 302 室写 302"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("家庭电话"), max_length=20, blank=True, validators=[validate_phone])
    notes = models.TextField(_("备注"), blank=True)

    scope_paths = ORG_PATHS
    history = HistoricalRecords(verbose_name=_("户变更记录"))

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["community", "building", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "room"],
                name="household_unique_room",
                condition=Q(building__isnull=False) & ~Q(room=""),
                violation_error_message=_("该楼组的这个室号已登记为一户。"),
            )
        ]

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    def __str__(self):
        if self.building_id and self.room:
            return f"{self.building.name} {self.room}室"
        return self.address or f"户 #{self.pk}"


class Resident(TimeStampedModel):
    """A person in the people's-conditions database. Personal data under PIPL: the ID number
    is kept encrypted with a blind index and a masked copy; every staff view is logged."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙辈")
        OTHER_RELATIVE = "relative", _("其他亲属")
        TENANT = "tenant", _("租户")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        LIVING = "living", _("在住")
        MOVED_OUT = "moved_out", _("已迁出")
        DECEASED = "deceased", _("已故")

    name = models.CharField(_("姓名"), max_length=32, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # The ID number never sits in the database in clear: ciphertext, blind index, masked copy.
    id_number_encrypted = models.TextField(_("身份证号(密文)"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("身份证号索引"), max_length=64, blank=True, editable=False, db_index=True
    )
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])

    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="residents", verbose_name=_("居民区")
    )
    grid = models.ForeignKey(
        "grids.MicroGrid",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("微网格"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("楼组"),
    )
    room = models.CharField(_("室号"), max_length=16, blank=True)
    household = models.ForeignKey(
        Household,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所属户"),
    )
    relation_to_head = models.CharField(
        _("与户主关系"), max_length=16, choices=Relation.choices, blank=True
    )
    status = models.CharField(
        _("居住状态"), max_length=16, choices=Status.choices, default=Status.LIVING, db_index=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="residents", verbose_name=_("标签"))
    notes = models.TextField(
        _("民情备注"), blank=True, help_text=_("走访了解到的情况；仅本居民区工作人员可见")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("实名账号"),
        help_text=_("工作人员核验身份后关联的居民账号"),
    )

    scope_paths = ORG_PATHS
    history = HistoricalRecords(
        verbose_name=_("居民变更记录"),
        excluded_fields=["id_number_encrypted", "id_number_index"],
        m2m_fields=[tags],
    )

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["community", "building", "room", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                name="resident_unique_id_number",
                condition=~Q(id_number_index=""),
                violation_error_message=_("该身份证号已有居民登记。"),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "grid"]),
            models.Index(fields=["building", "room"]),
        ]

    def __str__(self):
        return self.name

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


class ResidentAccessLog(models.Model):
    """Every time a staff member opens a resident's full record or reveals an ID number.
    Append-only; street admins read it."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看详情")
        REVEAL_ID = "reveal_id", _("查看完整身份证号")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    # SET_NULL, not CASCADE: deleting a record must not erase who had read it.
    resident = models.ForeignKey(
        Resident, models.SET_NULL, null=True, related_name="access_logs", verbose_name=_("居民")
    )
    resident_name = models.CharField(
        _("居民姓名"), max_length=32, blank=True, help_text=_("查阅时的姓名，记录删除后仍可辨认")
    )
    community = models.ForeignKey(
        "grids.Community", models.PROTECT, related_name="+", verbose_name=_("居民区")
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices, default=Action.VIEW)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    channel = models.CharField(
        _("途径"), max_length=16, default="admin", help_text=_("admin 或 api")
    )
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    scope_paths = ScopePaths(
        district="community__street__district", street="community__street", community="community"
    )

    class Meta:
        verbose_name = _("居民信息查阅记录")
        verbose_name_plural = _("居民信息查阅记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.resident}"
