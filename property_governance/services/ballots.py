"""Ballots of owners' committee elections: who may vote (verified residents whose household
lives in the area's compounds), one ballot per household (a unique constraint, so of two
simultaneous ballots of a household exactly one is kept), online or entered from paper by a
worker, each choosing 1..seats of the published candidates, while voting and before closes_at.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residents.models import Resident

from ..models import Ballot, BallotChoice, Election, PropertyArea
from ._common import conflict, forbidden, insert_once, invalid, require, text

Status = Election.Status


def _area_resident(area, resident):
    """The living resident of one of the area's compounds, with a household, or None."""
    return (
        Resident.objects.filter(
            pk=getattr(resident, "pk", resident),
            status=Resident.Status.LIVING,
            household__building__compound__in=area.compounds.all(),
        )
        .select_related("household")
        .first()
    )


def _choices(election, candidates):
    valid = {c.pk: c for c in election.candidates.all()}
    try:
        ids = [int(getattr(c, "pk", c)) for c in candidates or []]
    except (TypeError, ValueError):
        raise invalid("candidates", _("候选人无效。")) from None
    if not ids:
        raise invalid("candidates", _("请至少选择一位候选人。"))
    if len(set(ids)) != len(ids):
        raise invalid("candidates", _("同一候选人只能选一次。"))
    if any(i not in valid for i in ids):
        raise invalid("candidates", _("所选候选人不属于本次选举。"))
    if len(ids) > election.seats:
        raise invalid("candidates", _("最多选 %(n)s 人。") % {"n": election.seats})
    return [valid[i] for i in ids]


def _store_ballot(election, household_id, chosen, *, message, **fields):
    def write():
        ballot = Ballot.objects.create(election=election, household_id=household_id, **fields)
        BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidate=c) for c in chosen])
        return ballot

    # The unique (election, household) is the guard: of two simultaneous ballots of one
    # household exactly one is stored; the other fails in its savepoint and answers 409.
    return insert_once(write, message)


def _check_accepting(election, now):
    if election.status != Status.VOTING:
        raise conflict(
            _("选举当前为“%(status)s”，不在投票中。") % {"status": election.get_status_display()}
        )
    if now >= election.closes_at:
        raise conflict(_("投票已截止。"))


def voter_area_ids(user) -> frozenset:
    """The areas (active or merged) covering the compound where the user's household lives:
    one query, cached on the user, so a list of elections costs no query per row."""
    from board.scope import resident_home

    cached = getattr(user, "_property_voter_areas", None)
    if cached is not None:
        return cached
    home = resident_home(user)
    ids = frozenset()
    if home is not None and home.household_id is not None:
        ids = frozenset(
            PropertyArea.objects.filter(
                compounds__buildings__households__pk=home.household_id
            ).values_list("pk", flat=True)
        )
    user._property_voter_areas = ids
    return ids


def eligibility_refusal(user, election) -> str:
    """Why `user` is not a voter of `election`'s area, in words ("" when they are)."""
    from board.scope import resident_home

    if user is None or not user.is_authenticated:
        return _("请先登录。")
    if not user.is_verified:
        return _("实名核验通过后才能投票。")
    home = resident_home(user)
    if home is None:
        return _("您的账号未关联在住的居民信息，请联系社区工作者。")
    if home.household_id is None:
        return _("选举按户投票，您的住户信息尚未登记，请联系社区工作者。")
    if election.area_id not in voter_area_ids(user):
        return _("本次选举仅限%(area)s的业主户投票。") % {"area": election.area.name}
    return ""


def voting_refusal(user, election, *, household_voted, now=None) -> str:
    """Why `user` may not vote now ("" when they may): eligibility, the window, the household."""
    refusal = eligibility_refusal(user, election)
    if refusal:
        return refusal
    if election.status != Status.VOTING:
        return _("选举当前为“%(status)s”，不在投票中。") % {"status": election.get_status_display()}
    if (now or timezone.now()) >= election.closes_at:
        return _("投票已截止。")
    if household_voted:
        return _("您家已经投过票，每户只能投一次。")
    return ""


@transaction.atomic
def election_vote(*, actor, election, candidates) -> Ballot:
    """A verified resident casts the household's ballot online (once per household)."""
    from board.scope import resident_home

    if actor is None or not actor.is_authenticated:
        raise forbidden(_("请先登录。"))
    election = Election.objects.select_related("area__community").get(pk=election.pk)
    require(
        actor, "property_governance.vote_election", election, _("只有本区域的实名居民可以投票。")
    )
    refusal = eligibility_refusal(actor, election)
    if refusal:
        raise forbidden(refusal)
    _check_accepting(election, timezone.now())
    chosen = _choices(election, candidates)
    home = resident_home(actor)
    return _store_ballot(
        election,
        home.household_id,
        chosen,
        message=_("您家已有家庭成员投过票，每户只能投一次。"),
        resident_id=home.resident_id,
        user=actor,
        channel=Ballot.Channel.ONLINE,
        cast_at=timezone.now(),
    )


@transaction.atomic
def election_paper_ballot(*, actor, election, resident, candidates, note="") -> Ballot:
    """A worker enters an offline resident's paper ballot for the household; the ballot
    records the worker. An online ballot of the household first wins (409)."""
    election = Election.objects.select_related("area__community").get(pk=election.pk)
    require(actor, "property_governance.enter_paper_ballot", election)
    note = text(note, "note", max_length=100, required=False)
    person = _area_resident(election.area, resident)
    if person is None:
        raise invalid("resident", _("请选择居住在本区域、已登记所属户的居民。"))
    _check_accepting(election, timezone.now())
    chosen = _choices(election, candidates)
    return _store_ballot(
        election,
        person.household_id,
        chosen,
        message=_("该居民所在的户已经投过票。"),
        resident=person,
        user_id=person.account_id,
        channel=Ballot.Channel.PAPER,
        entered_by=actor,
        paper_note=note,
        cast_at=timezone.now(),
    )
