"""Reads of property governance: querysets with their joins and counts done inside, so that a
list costs the same number of queries at 1 row and at 50.

Visibility: staff see the rows of communities in their ORG scope (the one scope mechanism);
residents see their own community's elections past the draft, and their own area."""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.scope import Level, actor_scope
from board.scope import resident_home
from core.exceptions import ApplicationError
from grids.models import Community
from residents.models import Household

from .models import (
    Ballot,
    Candidate,
    CommitteeMember,
    Election,
    OwnersCommittee,
    PropertyArea,
    PropertyContract,
)


def not_found():
    from django.utils.translation import gettext as _

    return ApplicationError(_("不存在或无权查看。"), code="not_found")


def _count(qs, group):
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _visible_elections(actor):
    scope = actor_scope(actor)
    q = Q(pk__in=[])
    if scope.is_global:
        return Election.objects.all()
    if scope.is_staff_scope:
        # Through the scoped communities (as board.scope does): a grid leader reads their
        # community's elections too.
        q |= Q(area__community__in=scope.filter(Community.objects.all(), Level.ORG).values("pk"))
    if scope.resident_community_ids:
        q |= Q(area__community_id__in=scope.resident_community_ids) & ~Q(
            status=Election.Status.DRAFT
        )
    return Election.objects.filter(q)


def election_queryset(*, actor):
    home = resident_home(actor)
    household_id = home.household_id if home is not None else None
    return (
        _visible_elections(actor)
        .select_related("area__community")
        .annotate(
            ballot_count=_count(Ballot.objects.filter(election=OuterRef("pk")), "election"),
            live_eligible=_count(
                Household.objects.filter(building__compound__property_areas=OuterRef("area")),
                "building__compound__property_areas",
            ),
            my_household_voted=Exists(
                Ballot.objects.filter(election=OuterRef("pk"), household_id=household_id)
            )
            if household_id
            else Value(False),
        )
    )


def election_list(*, actor, filters=None):
    qs = election_queryset(actor=actor)
    filters = filters or {}
    status = filters.get("status")
    if status in Election.Status.values:
        qs = qs.filter(status=status)
    area = filters.get("area")
    if area and str(area).isdigit():
        qs = qs.filter(area_id=int(area))
    return qs.order_by("-closes_at", "-pk")


def election_get(*, actor, pk) -> Election:
    election = (
        election_queryset(actor=actor)
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("resident").order_by("position"),
            ),
            "events",
        )
        .filter(pk=pk)
        .first()
    )
    if election is None:
        raise not_found()
    return election


def election_results(election) -> dict:
    """Turnout and, once counted, the stored result (votes, elected, rank)."""
    counted = election.status == Election.Status.COUNTED
    eligible = election.eligible_households if counted else election.live_eligible
    ballots = election.ballots_counted if counted else election.ballot_count
    return {
        "eligible_households": eligible,
        "ballots": ballots,
        "rate": round(ballots * 100 / eligible, 1) if eligible else None,
    }


def ballot_list(*, actor, election):
    """Who voted (households, channel, entered by): people-level staff only."""
    return (
        actor_scope(actor)
        .filter(Ballot.objects.filter(election=election), Level.PEOPLE)
        .select_related("household__building", "resident", "entered_by")
        .order_by("cast_at", "pk")
    )


def my_area(*, actor) -> dict | None:
    """The resident's compound, its active area, the current contract with fee standards and
    the preparing-or-serving committee with its current members (a fixed number of queries)."""
    home = resident_home(actor)
    if home is None or home.compound_id is None:
        return None
    area = (
        PropertyArea.objects.filter(
            status=PropertyArea.Status.ACTIVE, compounds__pk=home.compound_id
        )
        .select_related("community")
        .prefetch_related(
            "compounds",
            Prefetch(
                "contracts",
                queryset=PropertyContract.objects.filter(status=PropertyContract.Status.CURRENT)
                .select_related("company")
                .prefetch_related("fees"),
                to_attr="current_contracts",
            ),
            Prefetch(
                "committees",
                queryset=OwnersCommittee.objects.filter(
                    status__in=[OwnersCommittee.Status.PREPARING, OwnersCommittee.Status.SERVING]
                ).prefetch_related(
                    Prefetch(
                        "members",
                        queryset=CommitteeMember.objects.filter(ends_on__isnull=True)
                        .select_related("resident")
                        .order_by("role", "pk"),
                    )
                ),
                to_attr="active_committees",
            ),
        )
        .first()
    )
    compound = next(
        (c for c in (area.compounds.all() if area else []) if c.pk == home.compound_id), None
    )
    if compound is None:
        from grids.models import Compound

        compound = Compound.objects.filter(pk=home.compound_id).first()
    return {
        "compound": compound,
        "area": area,
        "contract": area.current_contracts[0] if area and area.current_contracts else None,
        "committee": area.active_committees[0] if area and area.active_committees else None,
    }
