"""Writes for owners' committee elections 业委会换届选举.

Workflow (the legal moves; each is one service that locks the row and appends a public
timeline row):

    draft ──publish_candidates──▶ candidates_published ──open_voting──▶ voting ──count──▶ counted
      │                                   │                              │
      └───────────────cancel(reason)──────┴──────────────────────────────┴──▶ cancelled

- Candidates are registered in draft only; the published list is fixed (its order is the
  ballot's and decides ties).
- Ballots: one per household (a unique constraint), from verified residents whose household
  lives in the area's compounds, online or entered from paper by a worker, while voting and
  before `closes_at`; each selects 1..seats candidates.
- Count, once `closes_at` has passed: votes per candidate stored, the top `seats` elected
  (ties at the last seat: the earlier position wins, TIE_RULE), the eligible households and
  ballots stored; the area's preparing committee is filled, or a new committee formed, with
  the elected as members; the serving committee of the area ends the day before the new term.
"""

import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from residents.models import Household

from ..models import (
    Ballot,
    BallotChoice,
    Candidate,
    CommitteeMember,
    Election,
    ElectionEvent,
    OwnersCommittee,
    PropertyArea,
)
from ._common import (
    append_event,
    check_move,
    check_term,
    community_staff,
    conflict,
    insert_once,
    invalid,
    require,
    text,
)
from .ballots import _area_resident
from .committees import end_serving, next_term_number

Status = Election.Status
TRANSITIONS = {
    Status.DRAFT: {Status.CANDIDATES_PUBLISHED, Status.CANCELLED},
    Status.CANDIDATES_PUBLISHED: {Status.VOTING, Status.CANCELLED},
    Status.VOTING: {Status.COUNTED, Status.CANCELLED},
    Status.COUNTED: set(),
    Status.CANCELLED: set(),
}
MAX_SEATS = 21


def _lock(election) -> Election:
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("area__community__street")
        .get(pk=election.pk)
    )


def _move(election, to_status, doing):
    check_move(
        TRANSITIONS, election.status, to_status, label=election.get_status_display(), doing=doing
    )


def _event(election, *, actor, verb, from_state="", to_state="", note="", **data):
    return append_event(
        ElectionEvent,
        "election",
        election,
        actor=actor,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        note=note,
        **data,
    )


def _seats(seats):
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        raise invalid("seats", _("请填写应选人数。")) from None
    if not 1 <= seats <= MAX_SEATS:
        raise invalid("seats", _("应选人数须在 1 到 %(n)s 之间。") % {"n": MAX_SEATS})
    return seats


@transaction.atomic
def election_create(
    *,
    actor,
    area,
    title,
    seats,
    closes_at,
    term_starts_on,
    term_ends_on,
    description="",
) -> Election:
    """A draft election of an active area's owners' committee for its next term."""
    area = PropertyArea.objects.select_related("community").get(pk=area.pk)
    election = Election(area=area)
    require(actor, "property_governance.add_election", election)
    if area.status != PropertyArea.Status.ACTIVE:
        raise invalid("area", _("已合并的区域不能发起选举。"))
    election.title = text(title, "title", max_length=100)
    election.description = text(description, "description", max_length=5000, required=False)
    election.seats = _seats(seats)
    if not isinstance(closes_at, datetime.datetime):
        raise invalid("closes_at", _("请填写投票截止时间。"))
    if closes_at <= timezone.now():
        raise invalid("closes_at", _("投票截止时间须晚于现在。"))
    election.closes_at = closes_at
    check_term(term_starts_on, term_ends_on)
    election.term_starts_on, election.term_ends_on = term_starts_on, term_ends_on
    preparing = OwnersCommittee.objects.filter(
        area=area, status=OwnersCommittee.Status.PREPARING
    ).first()
    election.term_number = preparing.term_number if preparing else next_term_number(area)
    election.created_by = actor
    election.save()
    _event(election, actor=actor, verb="create", to_state=Status.DRAFT)
    return election


@transaction.atomic
def election_candidate_add(*, actor, election, resident, statement="") -> Candidate:
    """Register a candidate (a living resident of the area) while the election is a draft."""
    election = _lock(election)
    require(actor, "property_governance.change_election", election)
    if election.status != Status.DRAFT:
        raise conflict(_("候选人名单已公示，不能再修改。"))
    statement = text(statement, "statement", max_length=2000, required=False)
    person = _area_resident(election.area, resident)
    if person is None:
        raise invalid("resident", _("候选人须是居住在本区域内的居民。"))
    position = election.candidates.count() + 1
    candidate = insert_once(
        lambda: Candidate.objects.create(
            election=election, resident=person, position=position, statement=statement
        ),
        _("该居民已是候选人。"),
    )
    _event(election, actor=actor, verb="candidate_add", note=person.name, position=position)
    return candidate


@transaction.atomic
def election_candidate_remove(*, actor, candidate) -> None:
    election = _lock(candidate.election)
    require(actor, "property_governance.change_election", election)
    if election.status != Status.DRAFT:
        raise conflict(_("候选人名单已公示，不能再修改。"))
    name = candidate.resident.name
    Candidate.objects.filter(pk=candidate.pk).delete()
    _event(election, actor=actor, verb="candidate_remove", note=name)
    # Keep the list's positions 1..n in order.
    for n, row in enumerate(election.candidates.order_by("position"), 1):
        if row.position != n:
            Candidate.objects.filter(pk=row.pk).update(position=n)


@transaction.atomic
def election_publish_candidates(*, actor, election) -> Election:
    """Publish the candidate list (at least as many candidates as seats); it is then fixed."""
    election = _lock(election)
    require(actor, "property_governance.manage_election", election)
    _move(election, Status.CANDIDATES_PUBLISHED, _("公示候选人"))
    n = election.candidates.count()
    if n < election.seats:
        raise invalid(
            "candidates",
            _("候选人（%(n)s 人）不得少于应选人数（%(seats)s 人）。")
            % {"n": n, "seats": election.seats},
        )
    election.status = Status.CANDIDATES_PUBLISHED
    election.candidates_published_at = timezone.now()
    election.save(update_fields=["status", "candidates_published_at", "updated_at"])
    _event(
        election,
        actor=actor,
        verb="publish_candidates",
        from_state=Status.DRAFT,
        to_state=election.status,
        candidates=n,
    )
    return election


@transaction.atomic
def election_open_voting(*, actor, election, closes_at=None) -> Election:
    """Open the ballot until `closes_at` (the stored one unless a new one is given)."""
    election = _lock(election)
    require(actor, "property_governance.manage_election", election)
    _move(election, Status.VOTING, _("开始投票"))
    now = timezone.now()
    if closes_at is not None:
        if not isinstance(closes_at, datetime.datetime):
            raise invalid("closes_at", _("请填写投票截止时间。"))
        election.closes_at = closes_at
    if election.closes_at <= now:
        raise invalid("closes_at", _("投票截止时间已过，请重新设定。"))
    election.status = Status.VOTING
    election.voting_opened_at = now
    election.save(update_fields=["status", "voting_opened_at", "closes_at", "updated_at"])
    _event(
        election,
        actor=actor,
        verb="open_voting",
        from_state=Status.CANDIDATES_PUBLISHED,
        to_state=Status.VOTING,
        closes_at=election.closes_at.isoformat(),
    )
    return election


def eligible_households(area) -> int:
    return Household.objects.filter(building__compound__in=area.compounds.all()).count()


def rank_candidates(candidates) -> list:
    """The stated rule: more votes first; equal votes by list position (drawn and published
    with the list). Returns the candidates in rank order."""
    return sorted(candidates, key=lambda c: (-(c.votes or 0), c.position))


@transaction.atomic
def election_count(*, actor, election) -> Election:
    """Count after the ballot closed: store votes, the elected, turnout; form the committee."""
    election = _lock(election)
    require(actor, "property_governance.manage_election", election)
    _move(election, Status.COUNTED, _("计票"))
    now = timezone.now()
    if now < election.closes_at:
        raise conflict(_("投票尚未截止，不能计票。"))
    votes = dict(
        BallotChoice.objects.filter(ballot__election=election)
        .values_list("candidate_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    candidates = list(election.candidates.select_related("resident"))
    for candidate in candidates:
        candidate.votes = votes.get(candidate.pk, 0)
    ranked = rank_candidates(candidates)
    elected = {c.pk for c in ranked[: election.seats] if c.votes > 0}
    for candidate in candidates:
        candidate.elected = candidate.pk in elected
    Candidate.objects.bulk_update(candidates, ["votes", "elected"])
    election.ballots_counted = Ballot.objects.filter(election=election).count()
    election.eligible_households = eligible_households(election.area)
    committee = _form_committee(election, [c for c in ranked if c.pk in elected])
    election.committee = committee
    election.status = Status.COUNTED
    election.counted_at = now
    election.save(
        update_fields=[
            "status",
            "counted_at",
            "ballots_counted",
            "eligible_households",
            "committee",
            "updated_at",
        ]
    )
    _event(
        election,
        actor=actor,
        verb="count",
        from_state=Status.VOTING,
        to_state=Status.COUNTED,
        ballots=election.ballots_counted,
        eligible=election.eligible_households,
        elected=[c.resident.name for c in ranked if c.pk in elected],
    )
    notify(
        recipients=community_staff(election.area.community),
        kind="property_governance.election.counted",
        title=_("业委会选举已计票：%(title)s") % {"title": election.title},
        body=_("有效选票 %(b)s 张，有投票权 %(e)s 户。")
        % {"b": election.ballots_counted, "e": election.eligible_households},
        url=f"/admin/property_governance/election/{election.pk}/change/",
        subject=election,
    )
    return election


def _form_committee(election, elected):
    area = election.area
    committee = (
        OwnersCommittee.objects.select_for_update()
        .filter(area=area, status=OwnersCommittee.Status.PREPARING)
        .first()
    )
    serving = (
        OwnersCommittee.objects.select_for_update()
        .filter(area=area, status=OwnersCommittee.Status.SERVING)
        .first()
    )
    if serving is not None:
        end_serving(
            serving,
            ended_on=max(
                serving.term_starts_on + datetime.timedelta(days=1),
                election.term_starts_on - datetime.timedelta(days=1),
            ),
        )
    if committee is None:
        committee = OwnersCommittee.objects.create(
            area=area,
            term_number=max(election.term_number, next_term_number(area)),
            term_starts_on=election.term_starts_on,
            term_ends_on=election.term_ends_on,
            status=OwnersCommittee.Status.SERVING,
        )
    else:
        committee.status = OwnersCommittee.Status.SERVING
        committee.term_starts_on = election.term_starts_on
        committee.term_ends_on = election.term_ends_on
        committee.save(update_fields=["status", "term_starts_on", "term_ends_on", "updated_at"])
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                committee=committee,
                resident=c.resident,
                role=CommitteeMember.Role.MEMBER,
                starts_on=election.term_starts_on,
                election=election,
            )
            for c in elected
        ]
    )
    return committee


@transaction.atomic
def election_cancel(*, actor, election, reason) -> Election:
    """Call the election off (before the count) with a public reason; ballots stay on record."""
    election = _lock(election)
    require(actor, "property_governance.manage_election", election)
    reason = text(reason, "reason", max_length=200)
    _move(election, Status.CANCELLED, _("取消"))
    from_status = election.status
    election.status = Status.CANCELLED
    election.cancelled_at = timezone.now()
    election.cancel_reason = reason
    election.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _event(
        election,
        actor=actor,
        verb="cancel",
        from_state=from_status,
        to_state=Status.CANCELLED,
        note=reason,
    )
    return election


__all__ = [
    "TRANSITIONS",
    "election_cancel",
    "election_candidate_add",
    "election_candidate_remove",
    "election_count",
    "election_create",
    "election_open_voting",
    "election_publish_candidates",
    "eligible_households",
    "rank_candidates",
]
