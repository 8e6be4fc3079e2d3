"""Owners' committees 业委会: terms, members and roles."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .common import VIA_AREA, VIA_COMMITTEE


class OwnersCommitteeQuerySet(models.QuerySet):
    def serving(self):
        return self.filter(status=OwnersCommittee.Status.SERVING)

    def term_ending_between(self, first_day, last_day):
        """Serving committees whose term ends within [first_day, last_day] (local dates)."""
        return self.serving().filter(term_ends_on__gte=first_day, term_ends_on__lte=last_day)


class OwnersCommittee(TimeStampedModel):
    """业主委员会 of a property-management area, one term per row."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")  # 筹备组: waiting for its first election
        SERVING = "serving", _("履职中")
        ENDED = "ended", _("已届满")  # its term ended (or a new term was elected)
        MERGED = "merged", _("已合并")  # ended by a merge 联小建大; see ended_by_merge

    area = models.ForeignKey(
        "PropertyArea",
        models.PROTECT,
        related_name="committees",
        verbose_name=_("物业管理区域"),
    )
    term_number = models.PositiveSmallIntegerField(_("届次"), help_text=_("第几届"))
    term_starts_on = models.DateField(_("任期开始"))
    term_ends_on = models.DateField(_("任期届满"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SERVING, db_index=True
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    ended_by_merge = models.ForeignKey(
        "Merge",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ended_committees",
        verbose_name=_("因合并终止"),
    )

    objects = OwnersCommitteeQuerySet.as_manager()
    scope_paths = VIA_AREA

    class Meta:
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")
        ordering = ["area", "-term_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "term_number"], name="owners_committee_unique_term"
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(status__in=["preparing", "serving"]),
                name="owners_committee_one_active_per_area",
                violation_error_message=_("该区域已有筹备中或履职中的业委会。"),
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="owners_committee_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "serving"], ended_on__isnull=True)
                | Q(status__in=["ended", "merged"], ended_on__isnull=False),
                name="owners_committee_ended_on_iff_ended",
            ),
        ]

    def __str__(self):
        return _("%(area)s第%(n)s届业委会") % {"area": self.area.name, "n": self.term_number}

    def days_to_term_end(self, today=None):
        today = today or timezone.localdate()
        return (self.term_ends_on - today).days


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("主任")
        DEPUTY = "deputy", _("副主任")
        MEMBER = "member", _("委员")

    committee = models.ForeignKey(
        OwnersCommittee, models.CASCADE, related_name="members", verbose_name=_("业委会")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("居民"),
    )
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("任职开始"))
    ends_on = models.DateField(_("任职结束"), null=True, blank=True)
    election = models.ForeignKey(
        "Election",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当选选举"),
    )

    scope_paths = VIA_COMMITTEE

    class Meta:
        verbose_name = _("业委会成员")
        verbose_name_plural = _("业委会成员")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "resident"], name="committee_member_once"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="director", ends_on__isnull=True),
                name="committee_one_director",
                violation_error_message=_("业委会只能有一位主任。"),
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_role_display()}"
