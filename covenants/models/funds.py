"""Money collected in advance 预收资金 under a covenant: an append-only ledger per household.

A pledge (认缴) or a receipt (实收) is a row with a positive Decimal amount; a mistake is never
edited: a reversal row (冲正) names the row it cancels and the reason. Totals are sums in the
database. Residents see only the covenant's public total; the amounts per household are for
the workers in scope.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .covenants import VIA_COVENANT


class FundEntry(models.Model):
    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("认缴")
        RECEIPT = "receipt", _("实收")
        REVERSAL = "reversal", _("冲正")  # cancels one earlier pledge or receipt

    covenant = models.ForeignKey(
        "Covenant", models.PROTECT, related_name="fund_entries", verbose_name=_("规约")
    )
    household = models.ForeignKey(
        "residents.Household",
        models.PROTECT,
        related_name="covenant_fund_entries",
        verbose_name=_("户"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲正的记录"),
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    scope_paths = VIA_COVENANT

    class Meta:
        verbose_name = _("预收资金记录")
        verbose_name_plural = _("预收资金记录")
        ordering = ["covenant", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="covenant_fund_amount_positive"),
            # A reversal carries its reason; only a reversal names an entry. (That a reversal
            # names one is the service's rule and not checked here: the demo reset unlinks
            # rows of one table from each other before it deletes them.)
            models.CheckConstraint(
                condition=Q(kind="reversal") & ~Q(reason="")
                | Q(kind__in=["pledge", "receipt"], reverses__isnull=True),
                name="covenant_fund_reversal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["covenant", "household"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self):
        return -self.amount if self.kind == self.Kind.REVERSAL else self.amount
