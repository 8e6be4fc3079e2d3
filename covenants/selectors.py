"""Every read of covenants, within the actor's scope (board.scope on accounts.scope).

Staff read the covenants of the communities in their ORG scope (drafts only those who
manage them); residents their community's covenants past the draft. Counts are correlated
subqueries, so a list costs the same at 1 row and at 50. Who signed and the money per
household are read at the PEOPLE level (a grid leader sees their grid's households only).
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from board.scope import manager_q, resident_home, staff_consultation_q
from core.exceptions import ApplicationError
from residents.models import Household

from .models import Covenant, CovenantComment, CovenantEvent, CovenantVersion, FundEntry, Signature
from .services._common import eligible_households

Kind = FundEntry.Kind
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def not_found():
    return ApplicationError(_("未找到该记录，或不在您的管辖范围内。"), code="not_found")


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def _count(qs, group):
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


# ---------------------------------------------------------------------------------------------
# Covenants


def covenant_queryset(*, actor):
    scope = actor_scope(actor)
    qs = Covenant.objects.select_related(
        "community", "compound", "building", "current_version", "in_force_version"
    )
    if not scope.is_global:
        staff = staff_consultation_q(actor) & (
            ~Q(status=Covenant.Status.DRAFT) | manager_q(actor, street_wide=False)
        )
        public = Q(community_id__in=scope.resident_community_ids) & ~Q(status=Covenant.Status.DRAFT)
        qs = qs.filter(staff | public)
    home = resident_home(actor)
    household_id = home.household_id if home is not None else None
    signatures = Signature.objects.filter(version=OuterRef("current_version_id"))
    return qs.annotate(
        yes_so_far=_count(signatures.filter(choice=Signature.Choice.YES), "version"),
        no_so_far=_count(signatures.filter(choice=Signature.Choice.NO), "version"),
        my_household_signed=Exists(signatures.filter(household_id=household_id)),
        comment_count=_count(
            CovenantComment.objects.filter(covenant=OuterRef("pk"), hidden=False), "covenant"
        ),
    ).order_by("-updated_at", "-pk")


def covenant_list(*, actor, filters=None):
    from board.filters import apply_filters

    from .filters import CovenantFilter

    return apply_filters(CovenantFilter, filters, covenant_queryset(actor=actor))


def covenant_get(*, actor, pk) -> Covenant:
    qs = covenant_queryset(actor=actor).prefetch_related(
        Prefetch("versions", queryset=CovenantVersion.objects.order_by("-number")),
        Prefetch(
            "events",
            queryset=CovenantEvent.objects.filter(is_public=True).order_by("at", "pk"),
        ),
    )
    return _get(qs, pk)


def signing_progress(covenant) -> dict | None:
    """The current version's yes/no so far against the eligible households now (decided
    versions: the stored counts). Two queries at most."""
    version = covenant.current_version
    if version is None or not version.signing_method:
        return None
    if version.decided_at is not None:
        eligible, yes, no = version.eligible_households, version.yes_count, version.no_count
    else:
        eligible = eligible_households(covenant).count()
        yes, no = covenant.yes_so_far, covenant.no_so_far
    base = yes + no if version.threshold_basis == CovenantVersion.Basis.VOTING else eligible
    needed = -(-version.threshold_numerator * base // version.threshold_denominator)
    return {
        "version": version.number,
        "method": version.signing_method,
        "eligible": eligible,
        "yes": yes,
        "no": no,
        "turnout": yes + no,
        "threshold": version.threshold_label,
        "threshold_numerator": version.threshold_numerator,
        "threshold_denominator": version.threshold_denominator,
        "threshold_basis": version.threshold_basis,
        "needed": needed,
        "met": version.threshold_met(yes=yes, no=no, eligible=eligible),
    }


def _signed_amount(kind):
    """A pledge or receipt counts +, its reversal −."""
    return Case(
        When(kind=kind, then=F("amount")),
        When(kind=Kind.REVERSAL, reverses__kind=kind, then=-F("amount")),
        default=Value(ZERO),
        output_field=MONEY,
    )


def fund_totals(covenant) -> dict:
    """The public total: pledged, received (reversals netted) and the households taking part
    (with a pledge or receipt not reversed). One query; never an amount per household."""
    totals = FundEntry.objects.filter(covenant=covenant).aggregate(
        pledged=Coalesce(Sum(_signed_amount(Kind.PLEDGE)), Value(ZERO), output_field=MONEY),
        received=Coalesce(Sum(_signed_amount(Kind.RECEIPT)), Value(ZERO), output_field=MONEY),
        households=Count(
            "household",
            distinct=True,
            filter=Q(kind__in=[Kind.PLEDGE, Kind.RECEIPT], reversed_by__isnull=True),
        ),
    )
    return totals


def fund_by_household(*, actor, covenant):
    """Pledged and received per household, within the actor's PEOPLE scope of households."""
    entries = FundEntry.objects.filter(covenant=covenant, household=OuterRef("pk"))

    def _sum(kind):
        return Coalesce(
            Subquery(
                entries.order_by()
                .values("household")
                .annotate(t=Sum(_signed_amount(kind)))
                .values("t")[:1]
            ),
            Value(ZERO),
            output_field=MONEY,
        )

    households = Household.objects.filter(
        Exists(FundEntry.objects.filter(covenant=covenant, household=OuterRef("pk")))
    )
    households = actor_scope(actor).filter(households, Level.PEOPLE)
    return (
        households.select_related("building")
        .annotate(pledged=_sum(Kind.PLEDGE), received=_sum(Kind.RECEIPT))
        .order_by("building__name", "room", "pk")
    )


def fund_entries(*, actor, covenant):
    qs = FundEntry.objects.filter(covenant=covenant).select_related(
        "household__building", "entered_by", "reverses"
    )
    return actor_scope(actor).filter(qs, Level.ORG).order_by("-at", "-pk")


def signatures_of(*, actor, version):
    """Who signed (households and members), within the actor's PEOPLE scope."""
    qs = Signature.objects.filter(version=version).select_related(
        "household__building", "resident", "entered_by"
    )
    households = actor_scope(actor).filter(Household.objects.all(), Level.PEOPLE)
    return qs.filter(household__in=households.values("pk")).order_by("signed_at", "pk")


def comment_list(*, actor, covenant):
    return (
        CovenantComment.objects.filter(covenant=covenant)
        .select_related("version")
        .annotate(report_count=Count("reports"))
        .order_by("-created_at", "-pk")
    )


def comment_get(*, actor, pk) -> CovenantComment:
    comment = _get(CovenantComment.objects.select_related("covenant"), pk)
    # Visible when its covenant is (the same 404 otherwise).
    covenant_get(actor=actor, pk=comment.covenant_id)
    return comment
