"""Writes for owners' committees 业委会 and their members.

Workflow (legal moves; each is one service that locks the row):

    preparing ──start──▶ serving ──end──▶ ended
        │                  │
        └──────merge───────┴──────▶ merged (areas.merge_committees; ended_by_merge)

An election's count (elections.election_count) fills the area's preparing committee, or forms
a new one, and ends the serving one.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from residents.models import Resident

from ..models import CommitteeMember, OwnersCommittee, PropertyArea
from ._common import a_date, check_move, check_term, conflict, insert_once, invalid, require

Status = OwnersCommittee.Status
TRANSITIONS = {
    Status.PREPARING: {Status.SERVING, Status.MERGED},
    Status.SERVING: {Status.ENDED, Status.MERGED},
    Status.ENDED: set(),
    Status.MERGED: set(),
}


def next_term_number(area) -> int:
    last = OwnersCommittee.objects.filter(area=area).aggregate(n=Max("term_number"))["n"]
    return (last or 0) + 1


def _lock(committee):
    return (
        OwnersCommittee.objects.select_for_update(of=("self",))
        .select_related("area__community")
        .get(pk=committee.pk)
    )


@transaction.atomic
def committee_create(
    *, actor, area, term_starts_on, term_ends_on, status=Status.SERVING, term_number=None
) -> OwnersCommittee:
    """Record a committee (an existing one when the platform starts, or a 筹备组 preparing
    the first election). One preparing-or-serving committee per area."""
    area = PropertyArea.objects.select_for_update().select_related("community").get(pk=area.pk)
    require(actor, "property_governance.add_ownerscommittee", area)
    if area.status != PropertyArea.Status.ACTIVE:
        raise conflict(_("已合并的区域不能成立业委会。"))
    if status not in (Status.PREPARING, Status.SERVING):
        raise invalid("status", _("新登记的业委会只能是筹备中或履职中。"))
    check_term(term_starts_on, term_ends_on)
    if term_number is None:
        term_number = next_term_number(area)
    elif OwnersCommittee.objects.filter(area=area, term_number=term_number).exists():
        raise invalid("term_number", _("该届次已登记。"))
    if OwnersCommittee.objects.filter(area=area, status__in=list(TRANSITIONS)[:2]).exists():
        raise conflict(_("该区域已有筹备中或履职中的业委会。"))
    return OwnersCommittee.objects.create(
        area=area,
        term_number=term_number,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        status=status,
    )


@transaction.atomic
def committee_start(*, actor, committee) -> OwnersCommittee:
    """A preparing committee starts serving (its members are recorded)."""
    committee = _lock(committee)
    require(actor, "property_governance.change_ownerscommittee", committee)
    check_move(
        TRANSITIONS,
        committee.status,
        Status.SERVING,
        label=committee.get_status_display(),
        doing=_("开始履职"),
    )
    if not committee.members.filter(ends_on__isnull=True).exists():
        raise conflict(_("请先登记业委会成员。"))
    committee.status = Status.SERVING
    committee.save(update_fields=["status", "updated_at"])
    return committee


def end_serving(committee, *, ended_on):
    committee.status = Status.ENDED
    committee.ended_on = ended_on
    committee.save(update_fields=["status", "ended_on", "updated_at"])
    CommitteeMember.objects.filter(committee=committee, ends_on__isnull=True).update(
        ends_on=ended_on
    )


@transaction.atomic
def committee_end(*, actor, committee, ended_on=None) -> OwnersCommittee:
    """A serving committee's term ends (届满); its members' terms end with it."""
    committee = _lock(committee)
    require(actor, "property_governance.change_ownerscommittee", committee)
    check_move(
        TRANSITIONS,
        committee.status,
        Status.ENDED,
        label=committee.get_status_display(),
        doing=_("终止"),
    )
    ended_on = a_date(ended_on or timezone.localdate(), "ended_on")
    if ended_on < committee.term_starts_on:
        raise invalid("ended_on", _("终止日期不能早于任期开始。"))
    end_serving(committee, ended_on=ended_on)
    return committee


@transaction.atomic
def committee_member_add(
    *,
    actor,
    committee,
    resident,
    role=CommitteeMember.Role.MEMBER,
    starts_on=None,
    election=None,
) -> CommitteeMember:
    """A member of a preparing or serving committee: a living resident of its area."""
    committee = _lock(committee)
    require(actor, "property_governance.change_ownerscommittee", committee)
    if committee.status not in (Status.PREPARING, Status.SERVING):
        raise conflict(_("业委会已终止，不能增加成员。"))
    if role not in CommitteeMember.Role.values:
        raise invalid("role", _("职务无效。"))
    resident = Resident.objects.filter(pk=getattr(resident, "pk", resident)).first()
    if (
        resident is None
        or resident.status != Resident.Status.LIVING
        or not committee.area.compounds.filter(buildings__pk=resident.building_id).exists()
    ):
        raise invalid("resident", _("请选择居住在本区域内的居民。"))
    starts_on = a_date(starts_on or committee.term_starts_on, "starts_on")
    if (
        role == CommitteeMember.Role.DIRECTOR
        and committee.members.filter(role=role, ends_on__isnull=True).exists()
    ):
        raise conflict(_("业委会只能有一位主任。"))
    return insert_once(
        lambda: CommitteeMember.objects.create(
            committee=committee,
            resident=resident,
            role=role,
            starts_on=starts_on,
            election=election,
        ),
        _("该居民已是本届业委会成员。"),
    )


@transaction.atomic
def committee_member_set_role(*, actor, member, role) -> CommitteeMember:
    """Change a current member's role (the committee elects its director and deputies)."""
    member = (
        CommitteeMember.objects.select_for_update(of=("self",))
        .select_related("committee__area__community")
        .get(pk=member.pk)
    )
    require(actor, "property_governance.change_ownerscommittee", member.committee)
    if role not in CommitteeMember.Role.values:
        raise invalid("role", _("职务无效。"))
    if member.ends_on is not None or member.committee.status not in (
        Status.PREPARING,
        Status.SERVING,
    ):
        raise conflict(_("该成员已离任。"))
    if (
        role == CommitteeMember.Role.DIRECTOR
        and member.committee.members.filter(role=role, ends_on__isnull=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise conflict(_("业委会只能有一位主任。"))
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def committee_member_leave(*, actor, member, ends_on=None) -> CommitteeMember:
    member = (
        CommitteeMember.objects.select_for_update(of=("self",))
        .select_related("committee__area__community")
        .get(pk=member.pk)
    )
    require(actor, "property_governance.change_ownerscommittee", member.committee)
    if member.ends_on is not None:
        raise conflict(_("该成员已离任。"))
    member.ends_on = a_date(ends_on or timezone.localdate(), "ends_on")
    if member.ends_on < member.starts_on:
        raise invalid("ends_on", _("离任日期不能早于任职开始。"))
    member.save(update_fields=["ends_on"])
    return member
