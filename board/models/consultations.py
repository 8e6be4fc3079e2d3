"""Consultations 意见征询 and polls: questions with options, one answer per resident or per
household (a database constraint), paper answers entered by workers, results and turnout."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopePaths
from core.timeline import TimelineEvent

from .common import COMMUNITY_PATHS, TARGET_MATCHES_AUDIENCE, Audience, BoardItem, user_field

VIA_CONSULTATION = ScopePaths(
    district="consultation__community__street__district",
    street="consultation__community__street",
    community="consultation__community",
)


class ConsultationQuerySet(models.QuerySet):
    """The phases are derived from the stored window, never from a flag a job flips."""

    def published(self):
        return self.filter(status=Consultation.Status.PUBLISHED)

    def upcoming(self, *, now=None):
        return self.published().filter(opens_at__gt=now or timezone.now())

    def open(self, *, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, *, now=None):
        return self.published().filter(closes_at__lte=now or timezone.now())


class Consultation(BoardItem):
    """意见征询 or 投票 of a community, for the residents (or households) of one unit."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("意见征询")  # gather views (several questions)
        POLL = "poll", _("投票")  # decide between options (often one question)

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")  # questions still editable; nobody but its workers sees it
        PUBLISHED = "published", _("已发布")  # the window (opens_at, closes_at) applies
        CANCELLED = "cancelled", _("已取消")  # called off with a public reason; no more answers

    class Phase(models.TextChoices):
        """The status with the window applied (never stored)."""

        DRAFT = "draft", _("草稿")
        UPCOMING = "upcoming", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    class OnePer(models.TextChoices):
        RESIDENT = "resident", _("每位居民一份")
        # A covenant, choosing a property company: the household decides, one answer for it.
        HOUSEHOLD = "household", _("每户一份")

    class ResultsVisibility(models.TextChoices):
        LIVE = "live", _("实时公开")
        AFTER_CLOSE = "after_close", _("结束后公开")  # workers in scope always see them

    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        related_name="consultations",
        verbose_name=_("居民区"),
    )
    audience = models.CharField(
        _("参与范围"),
        max_length=16,
        choices=[c for c in Audience.choices if c[0] != Audience.STREET],
        default=Audience.COMMUNITY,
    )
    compound = models.ForeignKey(
        "grids.Compound",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("小区"),
    )
    building = models.ForeignKey(
        "grids.Building",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("楼组"),
    )
    kind = models.CharField(
        _("类型"), max_length=16, choices=Kind.choices, default=Kind.CONSULTATION
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    one_per = models.CharField(
        _("参与单位"), max_length=16, choices=OnePer.choices, default=OnePer.RESIDENT
    )
    results_visibility = models.CharField(
        _("结果公开"),
        max_length=16,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    created_by = user_field(_("发起人"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = user_field(_("取消人"))
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    objects = ConsultationQuerySet.as_manager()
    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("意见征询")
        verbose_name_plural = _("意见征询与投票")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=TARGET_MATCHES_AUDIENCE & ~Q(audience=Audience.STREET),
                name="consultation_target_matches_audience",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "-opens_at"])]

    def __str__(self):
        return self.title

    def phase(self, now=None):
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        if self.status == self.Status.CANCELLED:
            return self.Phase.CANCELLED
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now < self.closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    def results_public(self, now=None) -> bool:
        """Whether residents may see the results now (workers in scope always may)."""
        phase = self.phase(now)
        if phase == self.Phase.CLOSED:
            return True
        return phase == self.Phase.OPEN and self.results_visibility == self.ResultsVisibility.LIVE


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        TEXT = "text", _("填写意见")

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="questions", verbose_name=_("意见征询")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=300)
    required = models.BooleanField(_("必答"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("最多选几项"), null=True, blank=True, help_text=_("仅多选题；留空则不限")
    )
    max_length = models.PositiveSmallIntegerField(
        _("最多字数"), null=True, blank=True, help_text=_("仅填写意见题；留空为 500 字")
    )

    scope_paths = VIA_CONSULTATION

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["consultation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="question_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(kind="multiple", max_choices__gte=1),
                name="question_max_choices_only_multiple",
            ),
            models.CheckConstraint(
                condition=Q(max_length__isnull=True) | Q(kind="text", max_length__gte=1),
                name="question_max_length_only_text",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text_limit(self):
        return self.max_length or DEFAULT_TEXT_LIMIT


DEFAULT_TEXT_LIMIT = 500


class Option(models.Model):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="options", verbose_name=_("问题")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("选项"), max_length=200)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_unique_position")
        ]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One resident's (or one household's) answer sheet, online or entered from paper.

    `voter_key` is "r:<resident id>" or "h:<household id>" by the consultation's `one_per`;
    the unique constraint on (consultation, voter_key) is what makes the answer one per
    resident or household, whatever two phones or a phone and a worker do at the same moment.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("线上")  # the resident on their phone
        PAPER = "paper", _("纸质")  # entered by a worker for an offline resident

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="responses", verbose_name=_("意见征询")
    )
    voter_key = models.CharField(_("参与人标识"), max_length=24, editable=False)
    resident = models.ForeignKey(
        "residents.Resident",
        models.SET_NULL,
        null=True,
        related_name="consultation_responses",
        verbose_name=_("居民"),
    )
    household = models.ForeignKey(
        "residents.Household",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
        verbose_name=_("户"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
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
        help_text=_("纸质答卷由工作人员录入"),
    )
    paper_note = models.CharField(
        _("纸质答卷说明"), max_length=100, blank=True, help_text=_("如答卷编号、上门走访")
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    scope_paths = VIA_CONSULTATION

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["consultation", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "voter_key"],
                name="response_one_per_voter",
                violation_error_message=_("已经提交过，每人（每户）只能提交一次。"),
            ),
            models.CheckConstraint(
                condition=Q(voter_key__regex=r"^[rh]:[0-9]+$"), name="response_voter_key_shape"
            ),
            models.CheckConstraint(
                condition=Q(channel="online", entered_by__isnull=True)
                | Q(channel="paper", entered_by__isnull=False),
                name="response_paper_has_entered_by",
            ),
        ]

    def __str__(self):
        return f"{self.consultation} · {self.voter_key}"


class Answer(models.Model):
    """One chosen option (a multiple-choice answer is one row per option) or one text."""

    response = models.ForeignKey(
        Response, models.CASCADE, related_name="answers", verbose_name=_("答卷")
    )
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="answers", verbose_name=_("问题")
    )
    option = models.ForeignKey(
        Option,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("选项"),
    )
    text = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["response", "question", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "option"],
                condition=Q(option__isnull=False),
                name="answer_option_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="answer_text_once",
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=False, text="") | Q(option__isnull=True) & ~Q(text=""),
                name="answer_option_xor_text",
            ),
        ]
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self):
        return str(self.option) if self.option_id else self.text[:30]


class ConsultationEvent(TimelineEvent):
    """A consultation's public history: published, cancelled (with the reason)."""

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="events", verbose_name=_("意见征询")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("意见征询动态")
        verbose_name_plural = _("意见征询动态")
        indexes = [models.Index(fields=["consultation", "at"])]
