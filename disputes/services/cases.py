"""A dispute case's workflow. The legal moves are one table (MOVES); each move is one service
that locks the row, checks the table and the permission, stamps its time, appends one internal
timeline row and notifies inside the transaction (delivery to other channels on commit).

    intake ──assign──▶ mediating ──record_outcome──▶ resolved ──record_followup──▶ followed_up
      │                 (assign again: new owner)     (agreement / referred /         │
      └──cancel──▶ cancelled                           withdrawn; follow-up due)     close
                                                                                      ▼
                                                                                    closed
"""

import datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from notifications.services import notify

from ..models import (
    DisputeAccessLog,
    DisputeCase,
    DisputeMediator,
    DisputeParty,
    DisputeSession,
    DisputeSetting,
)
from ..models.intake import DEFAULT_FOLLOWUP_DAYS
from ._common import append_event, choice, conflict, invalid, require, text

S = DisputeCase.Status

# verb: (states it may start from, state it leads to)
MOVES = {
    "assign": ({S.INTAKE, S.MEDIATING}, S.MEDIATING),
    "record_outcome": ({S.MEDIATING}, S.RESOLVED),
    "record_followup": ({S.RESOLVED}, S.FOLLOWED_UP),
    "close": ({S.FOLLOWED_UP}, S.CLOSED),
    "cancel": ({S.INTAKE}, S.CANCELLED),
}
# What may be added to a case while it is being worked (not a state change).
OPEN_STATES = {S.INTAKE, S.MEDIATING}

AGREEMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
AGREEMENT_MAX_BYTES = 10 * 1024 * 1024


def _lock(case) -> DisputeCase:
    return DisputeCase.objects.select_for_update().get(pk=case.pk)


def _move(case, verb):
    sources, target = MOVES[verb]
    if case.status not in sources:
        raise conflict(
            _("案件当前为“%(state)s”，不能进行此操作。") % {"state": case.get_status_display()}
        )
    return target


def _sync(original, locked):
    """Hand the locked row's new values back to the caller's instance."""
    if original is not locked:
        original.__dict__.update(
            {k: v for k, v in locked.__dict__.items() if not k.startswith("_")}
        )
    return locked


def followup_days_for(community) -> int:
    days = (
        DisputeSetting.objects.filter(street_id=community.street_id)
        .values_list("followup_days", flat=True)
        .first()
    )
    return days or DEFAULT_FOLLOWUP_DAYS


def _admin_url(case):
    return f"/admin/disputes/disputecase/{case.pk}/change/"


@transaction.atomic
def case_open(
    *,
    actor,
    community,
    category: str,
    summary: str,
    source: str,
    risk_level: str = DisputeCase.Risk.LOW,
    grid=None,
    sweep=None,
    reception=None,
    visit=None,
    topic=None,
    referral_from: str = "",
) -> DisputeCase:
    """Record a dispute (intake). Its origin is named: a sweep, a reception, a visit, a topic,
    or a referral (from whom)."""
    require(actor, "disputes.add_disputecase", community)
    choice(category, "category", DisputeCase.Category)
    choice(risk_level, "risk_level", DisputeCase.Risk)
    choice(source, "source", DisputeCase.Source)
    summary = text(summary, "summary", max_length=2000)
    if grid is not None and grid.community_id != community.pk:
        raise invalid("grid", _("微网格不属于该居民区。"))
    links = {"sweep": sweep, "reception": reception, "visit": visit, "topic": topic}
    referral_from = text(referral_from, "referral_from", max_length=100, required=False)
    if source == DisputeCase.Source.REFERRAL:
        if not referral_from:
            raise invalid("referral_from", _("请填写转来单位。"))
    elif links[source] is None:
        raise invalid(source, _("请选择来源记录。"))
    for name, row in links.items():
        if row is None:
            continue
        if name != source:
            raise invalid(name, _("与所选来源不一致。"))
        row_community = row.community_id if name != "visit" else row.grid.community_id
        if row_community != community.pk:
            raise invalid(name, _("来源记录不属于该居民区。"))
    if sweep is not None and grid is None:
        grid = sweep.grid
    case = DisputeCase.objects.create(
        community=community,
        grid=grid,
        category=category,
        summary=summary,
        risk_level=risk_level,
        source=source,
        referral_from=referral_from if source == DisputeCase.Source.REFERRAL else "",
        opened_by=actor,
        **links,
    )
    append_event(case, actor=actor, verb="open", to_state=case.status)
    return case


@transaction.atomic
def case_assign(*, actor, case, owner) -> DisputeCase:
    """Name the case owner 包案人 (a staff member who may read the case's community); the
    first assignment opens mediation."""
    locked = _lock(case)
    require(actor, "disputes.assign_disputecase", locked)
    target = _move(locked, "assign")
    if owner is None or not owner.is_active:
        raise invalid("owner", _("请选择有效的包案人。"))
    if not actor_scope(owner).covers(locked, Level.PEOPLE):
        raise invalid("owner", _("包案人须为该居民区的工作人员。"))
    if owner.pk == locked.owner_id:
        raise invalid("owner", _("已是该案件的包案人。"))
    before = locked.status
    locked.owner = owner
    locked.assigned_at = timezone.now()
    locked.status = target
    locked.save(update_fields=["owner", "assigned_at", "status", "updated_at"])
    append_event(
        locked,
        actor=actor,
        verb="assign",
        from_state=before,
        to_state=target,
        owner_id=owner.pk,
    )
    notify(
        recipients=[owner],
        kind="disputes.case.assigned",
        title=_("您被指定为矛盾纠纷包案人：纠纷 #%(pk)s") % {"pk": locked.pk},
        body=_("%(community)s · %(category)s")
        % {"community": locked.community.name, "category": locked.get_category_display()},
        url=_admin_url(locked),
        subject=locked,
    )
    return _sync(case, locked)


def _require_open(case):
    if case.status not in OPEN_STATES:
        raise conflict(_("案件已有结果，不能再修改当事人、调解人员或调解记录。"))


@transaction.atomic
def case_add_party(
    *, actor, case, resident=None, org_name: str = "", org_kind: str = "", note: str = ""
) -> DisputeParty:
    locked = _lock(case)
    require(actor, "disputes.work_disputecase", locked)
    _require_open(locked)
    org_name = text(org_name, "org_name", max_length=100, required=False)
    if resident is not None:
        if org_name or org_kind:
            raise invalid("resident", _("当事人为居民或组织，二选一。"))
        if resident.community_id != locked.community_id:
            raise invalid("resident", _("该居民不在本居民区。"))
    else:
        if not org_name:
            raise invalid("org_name", _("请选择居民，或填写组织名称。"))
        choice(org_kind, "org_kind", DisputeParty.OrgKind)
    try:
        with transaction.atomic():
            party = DisputeParty.objects.create(
                case=locked,
                resident=resident,
                org_name=org_name if resident is None else "",
                org_kind=org_kind if resident is None else "",
                note=text(note, "note", max_length=200, required=False),
            )
    except IntegrityError as exc:
        raise conflict(_("该居民已是本案当事人。")) from exc
    append_event(locked, actor=actor, verb="add_party", party_id=party.pk)
    return party


@transaction.atomic
def case_add_mediator(*, actor, case, role: str, user=None, name: str = "") -> DisputeMediator:
    locked = _lock(case)
    require(actor, "disputes.work_disputecase", locked)
    _require_open(locked)
    choice(role, "role", DisputeMediator.Role)
    if user is not None:
        if not user.is_active:
            raise invalid("user", _("该账号已停用。"))
        name = user.get_full_name() or user.get_username()
    name = text(name, "name", max_length=32)
    try:
        with transaction.atomic():
            mediator = DisputeMediator.objects.create(case=locked, user=user, name=name, role=role)
    except IntegrityError as exc:
        raise conflict(_("该人员已在调解人员名单中。")) from exc
    append_event(locked, actor=actor, verb="add_mediator", mediator_id=mediator.pk, role=role)
    return mediator


@transaction.atomic
def case_record_session(
    *, actor, case, held_on: datetime.date, place: str, attendance: str, notes: str
) -> DisputeSession:
    locked = _lock(case)
    require(actor, "disputes.work_disputecase", locked)
    if locked.status != S.MEDIATING:
        raise conflict(_("案件须在调解中才能登记调解记录。"))
    if held_on > timezone.localdate():
        raise invalid("held_on", _("调解日期不能晚于今天。"))
    session = DisputeSession.objects.create(
        case=locked,
        held_on=held_on,
        place=text(place, "place", max_length=100),
        attendance=text(attendance, "attendance", max_length=300),
        notes=text(notes, "notes", max_length=5000),
        recorded_by=actor,
    )
    append_event(locked, actor=actor, verb="session", session_id=session.pk)
    return session


def _check_agreement_file(upload):
    if upload is None:
        raise invalid("agreement_file", _("达成协议须上传签字后的调解协议书。"))
    if Path(upload.name or "").suffix.lower() not in AGREEMENT_TYPES:
        raise invalid("agreement_file", _("协议书须为 PDF 或图片（jpg、png）。"))
    if upload.size > AGREEMENT_MAX_BYTES:
        raise invalid("agreement_file", _("文件不能超过 10MB。"))


@transaction.atomic
def case_record_outcome(
    *,
    actor,
    case,
    outcome: str,
    note: str = "",
    agreement_file=None,
    referred_to_kind: str = "",
    referred_to: str = "",
) -> DisputeCase:
    """Record the outcome; the follow-up visit falls due N days later (the street's setting)."""
    locked = _lock(case)
    require(actor, "disputes.work_disputecase", locked)
    target = _move(locked, "record_outcome")
    choice(outcome, "outcome", DisputeCase.Outcome)
    note = text(note, "note", max_length=2000, required=outcome != DisputeCase.Outcome.AGREEMENT)
    if outcome == DisputeCase.Outcome.AGREEMENT:
        _check_agreement_file(agreement_file)
    elif agreement_file is not None:
        raise invalid("agreement_file", _("只有达成协议时才上传协议书。"))
    if outcome == DisputeCase.Outcome.REFERRED:
        choice(referred_to_kind, "referred_to_kind", DisputeCase.ReferredTo)
        referred_to = text(referred_to, "referred_to", max_length=100)
    elif referred_to_kind or referred_to:
        raise invalid("referred_to_kind", _("只有转交处理时才填写去向。"))
    now = timezone.now()
    before = locked.status
    locked.outcome = outcome
    locked.outcome_note = note
    locked.referred_to_kind = referred_to_kind
    locked.referred_to = referred_to
    locked.outcome_at = now
    locked.followup_due_at = now + datetime.timedelta(days=followup_days_for(locked.community))
    locked.status = target
    if agreement_file is not None:
        locked.agreement_file.save(agreement_file.name, agreement_file, save=False)
    locked.save()
    append_event(
        locked,
        actor=actor,
        verb="record_outcome",
        from_state=before,
        to_state=target,
        outcome=outcome,
    )
    return _sync(case, locked)


@transaction.atomic
def case_record_followup(*, actor, case, note: str) -> DisputeCase:
    """The follow-up visit 回访 is done; whether it was on time is stored now, once."""
    locked = _lock(case)
    require(actor, "disputes.work_disputecase", locked)
    target = _move(locked, "record_followup")
    now = timezone.now()
    before = locked.status
    locked.followup_note = text(note, "note", max_length=2000)
    locked.followup_at = now
    locked.followup_on_time = now <= locked.followup_due_at
    locked.status = target
    locked.save(
        update_fields=["followup_note", "followup_at", "followup_on_time", "status", "updated_at"]
    )
    append_event(locked, actor=actor, verb="record_followup", from_state=before, to_state=target)
    return _sync(case, locked)


@transaction.atomic
def case_close(*, actor, case) -> DisputeCase:
    locked = _lock(case)
    require(actor, "disputes.close_disputecase", locked)
    target = _move(locked, "close")
    before = locked.status
    locked.status = target
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    append_event(locked, actor=actor, verb="close", from_state=before, to_state=target)
    return _sync(case, locked)


@transaction.atomic
def case_cancel(*, actor, case, reason: str) -> DisputeCase:
    """Cancel a case still in intake (recorded in error, a duplicate), with the reason."""
    locked = _lock(case)
    require(actor, "disputes.cancel_disputecase", locked)
    target = _move(locked, "cancel")
    reason = text(reason, "reason", max_length=200)
    before = locked.status
    locked.status = target
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    append_event(
        locked, actor=actor, verb="cancel", from_state=before, to_state=target, note=reason
    )
    return _sync(case, locked)


def access_log_write(*, actor, case, action, channel, ip=None) -> DisputeAccessLog:
    """Append that `actor` read `case` (never updated, never deleted)."""
    return DisputeAccessLog.objects.create(
        user=actor,
        case=case,
        case_number=case.pk,
        community_id=case.community_id,
        action=action,
        channel=channel,
        ip_address=ip,
    )


def access_log_export(*, actor, cases, channel, ip=None) -> int:
    """One EXPORT row per case handed out in an export; returns the count."""
    rows = [
        DisputeAccessLog(
            user=actor,
            case_id=case.pk,
            case_number=case.pk,
            community_id=case.community_id,
            action=DisputeAccessLog.Action.EXPORT,
            channel=channel,
            ip_address=ip,
        )
        for case in cases
    ]
    DisputeAccessLog.objects.bulk_create(rows)
    return len(rows)
