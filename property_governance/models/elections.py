"""Owners' committee elections 业委会换届选举: candidates, household ballots (one per household,
a database constraint), paper ballots entered by workers, turnout, the counted result, and a
public timeline of the whole process."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.timeline import TimelineEvent

from .common import VIA_AREA, VIA_ELECTION

TIE_RULE = _("得票相同且争夺最后席位时，按候选人名单公布的顺序（抽签确定）在前者当选。")


class Election(TimeStampedModel):
    """An election of an area's owners' committee for a new term."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")  # candidates still being registered; workers only
        CANDIDATES_PUBLISHED = "candidates_published", _("候选人公示")  # list fixed, public
        VOTING = "voting", _("投票中")  # ballots taken until closes_at
        COUNTED = "counted", _("已计票")  # result stored; the new committee formed
        CANCELLED = "cancelled", _("已取消")  # with a public reason

    area = models.ForeignKey(
        "PropertyArea", models.PROTECT, related_name="elections", verbose_name=_("物业管理区域")
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    term_number = models.PositiveSmallIntegerField(_("选举届次"))
    seats = models.PositiveSmallIntegerField(
        _("应选人数"), help_text=_("每张选票最多选几人，也是当选人数（5-11 人的单数）")
    )
    term_starts_on = models.DateField(_("新一届任期开始"))
    term_ends_on = models.DateField(_("新一届任期届满"))
    closes_at = models.DateTimeField(_("投票截止"))
    status = models.CharField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    candidates_published_at = models.DateTimeField(_("候选人公示时间"), null=True, blank=True)
    voting_opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    counted_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # Stored once at the count: the turnout's denominator as it was that day.
    eligible_households = models.PositiveIntegerField(
        _("有投票权户数"), null=True, blank=True, help_text=_("计票时区域内登记的户数")
    )
    ballots_counted = models.PositiveIntegerField(_("有效选票数"), null=True, blank=True)
    committee = models.OneToOneField(
        "OwnersCommittee",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="election",
        verbose_name=_("选出的业委会"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )

    scope_paths = VIA_AREA

    class Meta:
        verbose_name = _("业委会选举")
        verbose_name_plural = _("业委会选举")
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="election_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def accepts_ballots(self, now=None) -> bool:
        return self.status == self.Status.VOTING and (now or timezone.now()) < self.closes_at


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, models.CASCADE, related_name="candidates", verbose_name=_("选举")
    )
    resident = models.ForeignKey(
        "residents.Resident", models.PROTECT, related_name="+", verbose_name=_("居民")
    )
    position = models.PositiveSmallIntegerField(_("名单顺序"), help_text=_("公示名单上的顺序"))
    statement = models.TextField(_("个人简介与承诺"), blank=True)
    # Stored at the count (never before: no partial result leaks while voting).
    votes = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)

    scope_paths = VIA_ELECTION

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election", "position"]
        constraints = [
            models.UniqueConstraint(fields=["election", "resident"], name="candidate_once"),
            models.UniqueConstraint(
                fields=["election", "position"], name="candidate_unique_position"
            ),
        ]

    def __str__(self):
        return str(self.resident)


class Ballot(models.Model):
    """One household's ballot. The unique (election, household) constraint is what keeps it
    one per household whatever two phones or a phone and a worker do at the same moment."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("线上")
        PAPER = "paper", _("纸质")  # entered by a worker

    election = models.ForeignKey(
        Election, models.CASCADE, related_name="ballots", verbose_name=_("选举")
    )
    household = models.ForeignKey(
        "residents.Household", models.PROTECT, related_name="+", verbose_name=_("户")
    )
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("投票人"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("账号"),
    )
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
        help_text=_("纸质选票由工作人员录入"),
    )
    paper_note = models.CharField(_("纸质选票说明"), max_length=100, blank=True)
    cast_at = models.DateTimeField(_("投票时间"), default=timezone.now)

    scope_paths = VIA_ELECTION

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["election", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "household"],
                name="ballot_one_per_household",
                violation_error_message=_("本户已经投过票。"),
            ),
            models.CheckConstraint(
                condition=Q(channel="online", entered_by__isnull=True)
                | Q(channel="paper", entered_by__isnull=False),
                name="ballot_paper_has_entered_by",
            ),
        ]

    def __str__(self):
        return f"{self.election} · {self.household}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(
        Ballot, models.CASCADE, related_name="choices", verbose_name=_("选票")
    )
    candidate = models.ForeignKey(
        Candidate, models.CASCADE, related_name="choices", verbose_name=_("候选人")
    )

    class Meta:
        verbose_name = _("选票选择")
        verbose_name_plural = _("选票选择")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_choice_once")
        ]

    def __str__(self):
        return str(self.candidate)


class ElectionEvent(TimelineEvent):
    """The election's public record: every step, who, when and why."""

    election = models.ForeignKey(
        Election, models.CASCADE, related_name="events", verbose_name=_("选举")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("选举动态")
        verbose_name_plural = _("选举动态")
        indexes = [models.Index(fields=["election", "at"])]
