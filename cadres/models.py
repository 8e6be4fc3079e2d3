"""Residents score the cadres of the two committees 两委 (the party branch 党组织 and the
neighbourhood committee 居委会) once a year, real-name to take part, anonymous in the results.

Anonymity by construction: who took part (`Participation`: round, user, when) and what was
scored (`ScoreTally`: round, cadre, value, count) live in two tables with nothing in common
but the round. A score is never a row of its own: a submission adds one to the counter of
(cadre, value) for every cadre it scores, in the same transaction that writes the
participation row. There is no user, no participation, no timestamp and no per-vote id on a
counter, so no query, admin page, export or API response can join a voter to a score; not
even the order of inserts can (the counters exist before the first vote: they are created
when the round opens). Results are shown only after the round is closed and only when at
least `MIN_PARTICIPANTS` took part, so nobody can read a counter before and after one known
person's submission, and a tiny round cannot reveal a voter either. On PostgreSQL every
submission rewrites all the round's counters in one UPDATE (adding 0 where it gave nothing),
so a row's version (xmin) does not single out the grade the last voter gave either. What this
cannot hide: a database superuser reading dead row versions (pageinspect) before vacuum, or
the write-ahead log; the database's own access is the boundary there.

Round workflow (cadres.services.rounds.TRANSITIONS):

    draft ──open──▶ open ──close──▶ closed ──publish_results──▶ published
      │               │
      └──cancel(reason)┴──────────▶ cancelled

Scoring scheme: the customary 民主测评 three grades 满意 / 基本满意 / 不满意, stored as 3 / 2 / 1
so that a mean on a 1–3 scale can be given beside the count per grade and the share 满意.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopePaths
from core.timeline import TimelineEvent

# Fewer participants than this and no result of the round is shown to anyone, staff included.
MIN_PARTICIPANTS = 5

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)
VIA_ROUND = ScopePaths(
    district="round__community__street__district",
    street="round__community__street",
    community="round__community",
)


class Rating(models.IntegerChoices):
    """The grades a resident gives each cadre (higher is better)."""

    SATISFIED = 3, _("满意")
    BASICALLY_SATISFIED = 2, _("基本满意")
    UNSATISFIED = 1, _("不满意")


class Body(models.TextChoices):
    """The committee a cadre sits on (someone on both is listed once per body)."""

    PARTY_BRANCH = "party_branch", _("党组织")
    NEIGHBOURHOOD_COMMITTEE = "neighbourhood_committee", _("居委会")


class ReviewRound(TimeStampedModel):
    """One community's yearly 两委干部测评."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")  # cadres still being listed; residents do not see it
        OPEN = "open", _("测评中")  # residents score within the window
        CLOSED = "closed", _("已结束")  # no more scores; street admins review per-cadre results
        PUBLISHED = "published", _("结果已公布")  # the community sees the aggregates
        CANCELLED = "cancelled", _("已取消")  # called off with a public reason; no results

    community = models.ForeignKey(
        "grids.Community",
        models.PROTECT,
        related_name="cadre_review_rounds",
        verbose_name=_("居民区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("每个居民区每年一轮"))
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    opened_at = models.DateTimeField(_("开启时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # Snapshots taken when the round closes (the dashboard's numerators and denominators).
    participant_count = models.PositiveIntegerField(
        _("参与人数"), null=True, blank=True, help_text=_("结束时统计")
    )
    eligible_count = models.PositiveIntegerField(
        _("应参与人数"),
        null=True,
        blank=True,
        help_text=_("结束时本居民区已实名核验的在住居民账号数"),
    )

    scope_paths = COMMUNITY_PATHS

    class Meta:
        verbose_name = _("两委测评")
        verbose_name_plural = _("两委干部测评")
        ordering = ["-year", "community", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="cadre_round_one_per_community_year",
                violation_error_message=_("该居民区本年度已有测评。"),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="cadre_round_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "-year"])]

    def __str__(self):
        return self.title

    @property
    def has_ended(self):
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED)


class Cadre(models.Model):
    """A cadre listed in a round (the list is fixed once the round opens)."""

    round = models.ForeignKey(
        ReviewRound, models.CASCADE, related_name="cadres", verbose_name=_("测评")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=50)
    body = models.CharField(_("所属组织"), max_length=32, choices=Body.choices)
    post = models.CharField(_("职务"), max_length=50, help_text=_("如书记、主任、委员"))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre_listings",
        verbose_name=_("工作人员账号"),
        help_text=_("可选：该干部在本系统的账号"),
    )

    scope_paths = VIA_ROUND

    class Meta:
        verbose_name = _("测评干部")
        verbose_name_plural = _("测评干部")
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "body", "name"],
                name="cadre_once_per_body",
                violation_error_message=_("该干部已在本组织名单中。"),
            ),
            models.UniqueConstraint(fields=["round", "position"], name="cadre_unique_position"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_body_display()} {self.post}）"


class Participation(models.Model):
    """Who took part in a round, and when: never what they scored (see the module note)."""

    round = models.ForeignKey(
        ReviewRound, models.CASCADE, related_name="participations", verbose_name=_("测评")
    )
    # An account deleted (a resident's request under PIPL) takes its participation rows with
    # it; the counters and a closed round's recorded turnout stay as they were.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="cadre_participations",
        verbose_name=_("居民账号"),
    )
    at = models.DateTimeField(_("参与时间"))

    scope_paths = VIA_ROUND

    class Meta:
        verbose_name = _("参与记录")
        verbose_name_plural = _("参与记录（不含评分）")
        ordering = ["round", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                name="cadre_participation_once",
                violation_error_message=_("您已参与本次测评。"),
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.user}"


class ScoreTally(models.Model):
    """How many residents gave `cadre` the grade `value` in its round: a counter, not a vote.

    It deliberately has no user, no participation, no time and no per-vote row: the one way
    to learn a score is the count of a (cadre, grade), which the results show only when the
    round has closed with enough participants.
    """

    round = models.ForeignKey(
        ReviewRound, models.CASCADE, related_name="tallies", verbose_name=_("测评")
    )
    cadre = models.ForeignKey(Cadre, models.CASCADE, related_name="tallies", verbose_name=_("干部"))
    value = models.PositiveSmallIntegerField(_("评价"), choices=Rating.choices)
    count = models.PositiveIntegerField(_("人数"), default=0)

    scope_paths = VIA_ROUND

    class Meta:
        verbose_name = _("评分计数")
        verbose_name_plural = _("评分计数")
        ordering = ["round", "cadre", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "value"], name="cadre_tally_once"),
            models.CheckConstraint(condition=Q(value__in=[1, 2, 3]), name="cadre_tally_value"),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_value_display()}"


class ReviewRoundEvent(TimelineEvent):
    """A round's public history: created, opened, closed, results published, cancelled."""

    round = models.ForeignKey(
        ReviewRound, models.CASCADE, related_name="events", verbose_name=_("测评")
    )

    class Meta(TimelineEvent.Meta):
        verbose_name = _("测评动态")
        verbose_name_plural = _("测评动态")
        indexes = [models.Index(fields=["round", "at"])]
