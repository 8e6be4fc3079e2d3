"""Writes for activities: the activity workflow, sign-ups with a waiting list, attendance.

Every change to an activity's places runs under a row lock on the activity
(`select_for_update`), so two residents taking the last place at the same moment are
serialised: the count of confirmed sign-ups is read and written under the same lock and never
exceeds the capacity. The waiting list moves up in order of sign-up (waitlisted_at, then id)
inside the transaction that frees a place.

Hours: counted between check-in and check-out, limited to the activity's scheduled time (early
arrival and late departure do not count), and rounded DOWN to whole half hours (0.5 h) — the
unit service certificates use; a partial half hour is not counted.
"""

import datetime
import secrets
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError
from notifications.services import notify

from ..models import Activity, Attendance, SignUp

Status = Activity.Status

# Legal moves of an activity; each is one service below.
TRANSITIONS = {
    Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
    Status.PUBLISHED: {Status.CANCELLED, Status.FINISHED},
    Status.CANCELLED: set(),
    Status.FINISHED: set(),
}

# Check-in opens this long before the start and closes this long after the end: volunteers
# arrive early to set up, and a clean-up may overrun.
CHECKIN_MARGIN = datetime.timedelta(hours=1)
MAX_CAPACITY = 1000
HALF_HOUR = Decimal("0.5")
# An unambiguous alphabet (no 0/O, 1/I/L) for a code read aloud or off a poster.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

LIVE = (SignUp.Status.CONFIRMED, SignUp.Status.WAITLISTED)


def _invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def _conflict(message):
    return ApplicationError(message, code="conflict")


def _require(actor, perm, obj):
    if actor is None or not actor.has_perm(perm, obj):
        raise ApplicationError(_("您无权进行此操作。"), code="forbidden")


def _text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise _invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise _invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def _lock(activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def compute_hours(activity, checked_in_at, checked_out_at) -> Decimal:
    """Service hours of one attendance (see the module docstring for the rule)."""
    start = max(checked_in_at, activity.starts_at)
    end = min(checked_out_at, activity.ends_at)
    if end <= start:
        return Decimal("0.0")
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return (hours / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR


# ---------------------------------------------------------------------------------------------
# The activity


def _check_schedule(starts_at, ends_at, signup_deadline):
    if starts_at is None:
        raise _invalid("starts_at", _("请填写开始时间。"))
    if ends_at is None:
        raise _invalid("ends_at", _("请填写结束时间。"))
    if signup_deadline is None:
        raise _invalid("signup_deadline", _("请填写报名截止时间。"))
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("结束时间须晚于开始时间。"))
    if signup_deadline > starts_at:
        raise _invalid("signup_deadline", _("报名截止时间不能晚于开始时间。"))


def _check_capacity(capacity):
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise _invalid("capacity", _("名额须在 1 到 %(n)s 之间。") % {"n": MAX_CAPACITY})


def _check_links(community, *, team, project, points_rule):
    if team is not None and team.community_id != community.pk:
        raise _invalid("team", _("服务队须属于本居民区。"))
    if project is not None and project.community_id != community.pk:
        raise _invalid("project", _("关联微项目须属于本居民区。"))
    if points_rule is not None and (
        points_rule.street_id != community.street_id or not points_rule.is_active
    ):
        raise _invalid("points_rule", _("积分规则须是本街道启用的规则。"))


@transaction.atomic
def activity_create(
    *,
    actor,
    community,
    title,
    place,
    starts_at,
    ends_at,
    signup_deadline,
    capacity,
    kind=Activity.Kind.ACTIVITY,
    category="",
    description="",
    team=None,
    project=None,
    points_rule=None,
) -> Activity:
    """A draft activity of a community; residents see it once published."""
    _require(actor, "volunteers.add_activity", community)
    title = _text(title, "title", max_length=100)
    place = _text(place, "place", max_length=200)
    category = _text(category, "category", max_length=32, required=False)
    description = _text(description, "description", max_length=5000, required=False)
    if kind not in Activity.Kind.values:
        raise _invalid("kind", _("活动类型无效。"))
    _check_schedule(starts_at, ends_at, signup_deadline)
    _check_capacity(capacity)
    _check_links(community, team=team, project=project, points_rule=points_rule)
    return Activity.objects.create(
        community=community,
        team=team,
        project=project,
        kind=kind,
        category=category,
        title=title,
        description=description,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        signup_deadline=signup_deadline,
        capacity=capacity,
        points_rule=points_rule,
        checkin_code=new_checkin_code(),
        created_by=actor,
    )


UPDATABLE = (
    "title",
    "place",
    "category",
    "description",
    "starts_at",
    "ends_at",
    "signup_deadline",
    "capacity",
    "kind",
    "team",
    "project",
    "points_rule",
)


@transaction.atomic
def activity_update(*, actor, activity, **changes) -> Activity:
    """Change a draft or published activity. More places move the waiting list up; fewer
    places than confirmed sign-ups are refused (nobody loses a confirmed place silently)."""
    activity = _lock(activity)
    _require(actor, "volunteers.change_activity", activity)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise _invalid(sorted(unknown)[0], _("不能修改此项。"))
    if activity.status not in (Status.DRAFT, Status.PUBLISHED):
        raise _conflict(
            _("活动状态为“%(status)s”，不能修改。") % {"status": activity.get_status_display()}
        )
    for name in ("title", "place"):
        if name in changes:
            max_length = Activity._meta.get_field(name).max_length
            changes[name] = _text(changes[name], name, max_length=max_length)
    if "category" in changes:
        changes["category"] = _text(changes["category"], "category", max_length=32, required=False)
    if "description" in changes:
        changes["description"] = _text(
            changes["description"], "description", max_length=5000, required=False
        )
    if "kind" in changes and changes["kind"] not in Activity.Kind.values:
        raise _invalid("kind", _("活动类型无效。"))
    _check_schedule(
        changes.get("starts_at", activity.starts_at),
        changes.get("ends_at", activity.ends_at),
        changes.get("signup_deadline", activity.signup_deadline),
    )
    if "capacity" in changes:
        _check_capacity(changes["capacity"])
        confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
        if changes["capacity"] < confirmed:
            raise _invalid(
                "capacity",
                _("已有 %(n)s 人报名，名额不能少于已报名人数。") % {"n": confirmed},
            )
    _check_links(
        activity.community,
        team=changes.get("team", activity.team),
        project=changes.get("project", activity.project),
        points_rule=changes.get("points_rule", activity.points_rule),
    )
    moved = [
        name
        for name in ("starts_at", "ends_at", "place")
        if name in changes and changes[name] != getattr(activity, name)
    ]
    for name, value in changes.items():
        setattr(activity, name, value)
    activity.save()
    if activity.status == Status.PUBLISHED:
        _promote(activity, now=timezone.now())
        if moved:
            # People who planned their day around the old time or place must hear of it.
            live = activity.signups.filter(status__in=LIVE).select_related("user")
            notify(
                recipients=[s.user for s in live],
                kind="volunteers.activity_changed",
                title=_g("志愿活动“%(title)s”的时间或地点有变") % {"title": activity.title},
                body=_g("%(start)s，%(place)s")
                % {
                    "start": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "place": activity.place,
                },
                url=reverse("pages:activity", args=[activity.pk]),
                subject=activity,
            )
    return activity


def _check_move(activity, to_status):
    if to_status not in TRANSITIONS[activity.status]:
        raise _conflict(
            _("活动当前为“%(status)s”，不能%(action)s。")
            % {"status": activity.get_status_display(), "action": _ACTION[to_status]}
        )


_ACTION = {
    Status.PUBLISHED: _("发布"),
    Status.CANCELLED: _("取消"),
    Status.FINISHED: _("结束"),
}


@transaction.atomic
def activity_publish(*, actor, activity) -> Activity:
    activity = _lock(activity)
    _require(actor, "volunteers.manage_activity", activity)
    _check_move(activity, Status.PUBLISHED)
    now = timezone.now()
    if activity.signup_deadline <= now:
        raise _invalid("signup_deadline", _("报名截止时间已过，请先修改时间。"))
    activity.status = Status.PUBLISHED
    activity.published_at = now
    if not activity.checkin_code:
        activity.checkin_code = new_checkin_code()
    activity.save(update_fields=["status", "published_at", "checkin_code", "updated_at"])
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity, reason) -> Activity:
    """Call the activity off: every live sign-up is released and its holder told."""
    activity = _lock(activity)
    _require(actor, "volunteers.manage_activity", activity)
    reason = _text(reason, "reason", max_length=200)
    _check_move(activity, Status.CANCELLED)
    now = timezone.now()
    activity.status = Status.CANCELLED
    activity.cancelled_at = now
    activity.cancelled_reason = reason
    activity.save(update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"])
    live = list(activity.signups.filter(status__in=LIVE).select_related("user"))
    SignUp.objects.filter(pk__in=[s.pk for s in live]).update(
        status=SignUp.Status.CANCELLED, cancelled_at=now, updated_at=now
    )
    notify(
        recipients=[s.user for s in live],
        kind="volunteers.activity_cancelled",
        title=_g("志愿活动“%(title)s”已取消") % {"title": activity.title},
        body=reason,
        url=reverse("pages:activity", args=[activity.pk]),
        subject=activity,
    )
    return activity


@transaction.atomic
def activity_finish(*, actor, activity) -> Activity:
    """Close an activity that has started: no more sign-ups or code check-ins; workers go on
    approving its attendance."""
    activity = _lock(activity)
    _require(actor, "volunteers.manage_activity", activity)
    _check_move(activity, Status.FINISHED)
    now = timezone.now()
    if now < activity.starts_at:
        raise _conflict(_("活动尚未开始，不能结束。"))
    activity.status = Status.FINISHED
    activity.save(update_fields=["status", "updated_at"])
    # The waiting list will never move up now: release it.
    activity.signups.filter(status=SignUp.Status.WAITLISTED).update(
        status=SignUp.Status.CANCELLED, cancelled_at=now, updated_at=now
    )
    return activity


# ---------------------------------------------------------------------------------------------
# Sign-ups


def _promote(activity, *, now):
    """Fill free places from the waiting list, first come first served (activity locked)."""
    free = activity.capacity - activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    if free <= 0:
        return []
    moved = list(
        activity.signups.filter(status=SignUp.Status.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "pk")[:free]
    )
    for signup in moved:
        signup.status = SignUp.Status.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["status", "confirmed_at", "updated_at"])
    notify(
        recipients=[s.user for s in moved],
        kind="volunteers.signup_promoted",
        title=_g("候补成功：您已获得“%(title)s”的名额") % {"title": activity.title},
        url=reverse("pages:activity", args=[activity.pk]),
        subject=activity,
    )
    return moved


def _require_signup_open(activity, now):
    if activity.status != Status.PUBLISHED:
        raise _conflict(_("活动不在报名中。"))
    if now >= activity.signup_deadline:
        raise _conflict(_("报名已截止。"))


@transaction.atomic
def signup_create(*, actor, activity) -> SignUp:
    """Sign the actor up: a place if one is free, else the end of the waiting list."""
    activity = _lock(activity)
    _require(actor, "volunteers.signup_activity", activity)
    now = timezone.now()
    _require_signup_open(activity, now)
    if activity.signups.filter(user=actor, status__in=LIVE).exists():
        raise _conflict(_("您已报名该活动。"))
    confirmed = activity.signups.filter(status=SignUp.Status.CONFIRMED).count()
    if confirmed < activity.capacity:
        return SignUp.objects.create(
            activity=activity, user=actor, status=SignUp.Status.CONFIRMED, confirmed_at=now
        )
    return SignUp.objects.create(
        activity=activity, user=actor, status=SignUp.Status.WAITLISTED, waitlisted_at=now
    )


@transaction.atomic
def signup_cancel(*, actor, activity) -> SignUp:
    """The actor withdraws before the cut-off; a freed place goes to the first on the list."""
    activity = _lock(activity)
    _require(actor, "volunteers.signup_activity", activity)
    now = timezone.now()
    _require_signup_open(activity, now)
    signup = activity.signups.select_for_update().filter(user=actor, status__in=LIVE).first()
    if signup is None:
        raise _conflict(_("您没有报名该活动。"))
    was_confirmed = signup.status == SignUp.Status.CONFIRMED
    signup.status = SignUp.Status.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_confirmed:
        _promote(activity, now=now)
    return signup


# ---------------------------------------------------------------------------------------------
# Attendance


def _require_on_the_spot(activity, now):
    if not activity.starts_at - CHECKIN_MARGIN <= now <= activity.ends_at + CHECKIN_MARGIN:
        raise _conflict(_("不在活动签到时间内。"))


@transaction.atomic
def attendance_check_in(*, actor, activity, user=None, code=None) -> Attendance:
    """Check a confirmed volunteer in: a worker names the volunteer (`user`); the volunteer
    checks themself in with the activity's code on the spot."""
    activity = _lock(activity)
    now = timezone.now()
    if user is None or user.pk == actor.pk:
        user = actor
        method = Attendance.Method.CODE
        _require(actor, "volunteers.checkin_activity", activity)
        if activity.status != Status.PUBLISHED:
            raise _conflict(_("活动不在进行中。"))
        code = (code or "").strip().upper()
        if not code:
            raise _invalid("code", _("请输入签到码。"))
        if not secrets.compare_digest(code, activity.checkin_code.upper()):
            raise _invalid("code", _("签到码不正确。"))
    else:
        method = Attendance.Method.WORKER
        _require(actor, "volunteers.record_attendance", activity)
        if activity.status not in (Status.PUBLISHED, Status.FINISHED):
            raise _conflict(_("活动不在进行中。"))
    _require_on_the_spot(activity, now)
    signup = activity.signups.filter(user=user, status=SignUp.Status.CONFIRMED).first()
    if signup is None:
        raise _conflict(_("未报名或仍在候补，不能签到。"))
    if Attendance.objects.filter(signup=signup).exists():
        raise _conflict(_("已经签到。"))
    return Attendance.objects.create(
        signup=signup,
        activity=activity,
        user=user,
        method=method,
        checked_in_at=now,
    )


@transaction.atomic
def attendance_check_out(*, actor, activity, user=None) -> Attendance:
    """Check out and compute the hours. The volunteer does it on the spot; a worker may do it
    afterwards for someone who forgot (the hours stop at the activity's end either way)."""
    _lock(activity)
    now = timezone.now()
    user = user or actor
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("activity")
        .filter(activity=activity, user=user)
        .first()
    )
    if user.pk == actor.pk and not actor.has_perm("volunteers.record_attendance", activity):
        _require(actor, "volunteers.checkin_activity", activity)
        if attendance is not None:
            _require_on_the_spot(attendance.activity, now)
    else:
        _require(actor, "volunteers.record_attendance", activity)
    if attendance is None:
        raise _conflict(_("尚未签到。"))
    if attendance.status != Attendance.Status.CHECKED_IN:
        raise _conflict(_("已经签退。"))
    attendance.checked_out_at = now
    attendance.hours = compute_hours(attendance.activity, attendance.checked_in_at, now)
    attendance.status = Attendance.Status.CHECKED_OUT
    attendance.save(update_fields=["checked_out_at", "hours", "status", "updated_at"])
    return attendance


def _lock_attendance(attendance) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__community")
        .get(pk=attendance.pk)
    )


@transaction.atomic
def attendance_approve(*, actor, attendance) -> Attendance:
    """A worker approves the hours; the points are earned in the same transaction, once.

    The attendance row lock makes a double approval wait and then see APPROVED (409); the
    ledger's unique earn-per-attendance constraint backs it up."""
    attendance = _lock_attendance(attendance)
    _require(actor, "volunteers.approve_attendance", attendance)
    if attendance.status == Attendance.Status.APPROVED:
        raise _conflict(_("该记录已审核通过。"))
    if attendance.status != Attendance.Status.CHECKED_OUT:
        raise _conflict(_("签退后才能审核。"))
    if attendance.activity.status == Status.CANCELLED:
        raise _conflict(_("活动已取消。"))
    attendance.status = Attendance.Status.APPROVED
    attendance.reviewed_at = timezone.now()
    attendance.reviewed_by = actor
    attendance.review_note = ""
    attendance.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "review_note", "updated_at"]
    )
    from .points import points_earn_for_attendance

    points_earn_for_attendance(actor=actor, attendance=attendance)
    return attendance


@transaction.atomic
def attendance_reject(*, actor, attendance, reason) -> Attendance:
    """A worker refuses the hours (not seen on site, left early …), with the reason."""
    attendance = _lock_attendance(attendance)
    _require(actor, "volunteers.approve_attendance", attendance)
    reason = _text(reason, "reason", max_length=200)
    if attendance.status not in (Attendance.Status.CHECKED_IN, Attendance.Status.CHECKED_OUT):
        raise _conflict(
            _("该记录状态为“%(status)s”，不能驳回。") % {"status": attendance.get_status_display()}
        )
    attendance.status = Attendance.Status.REJECTED
    attendance.reviewed_at = timezone.now()
    attendance.reviewed_by = actor
    attendance.review_note = reason
    attendance.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "review_note", "updated_at"]
    )
    return attendance
