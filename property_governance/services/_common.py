"""Plumbing shared by the property-governance services: errors, checks, labels, recipients."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from board.services._common import actor_label
from core.exceptions import ApplicationError
from core.timeline import timeline_append


def invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def conflict(message):
    return ApplicationError(message, code="conflict")


def forbidden(message=None):
    return ApplicationError(message or _("您没有权限进行此操作。"), code="forbidden")


def require(actor, perm, obj, message=None):
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise forbidden(message)


def text(value, field, *, max_length, required=True):
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        raise invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def a_date(value, field):
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise invalid(field, _("请填写日期。"))
    return value


def check_term(starts_on, ends_on, *, start_field="term_starts_on", end_field="term_ends_on"):
    a_date(starts_on, start_field)
    a_date(ends_on, end_field)
    if ends_on <= starts_on:
        raise invalid(end_field, _("结束日期须晚于开始日期。"))


def insert_once(build, message):
    """Insert under a savepoint; a unique constraint a concurrent request won answers 409."""
    try:
        with transaction.atomic():
            return build()
    except IntegrityError as exc:
        raise conflict(message) from exc


def check_move(table, current, to_status, *, label, doing):
    if to_status not in table[current]:
        raise conflict(
            _("当前状态为“%(status)s”，不能%(doing)s。") % {"status": label, "doing": doing}
        )


def append_event(model, subject_field, subject, *, actor, verb, **kwargs):
    return timeline_append(
        model,
        subject_field=subject_field,
        subject=subject,
        actor=actor,
        actor_label=actor_label(actor),
        verb=verb,
        **kwargs,
    )


def community_staff(community, *, with_street_admins=True):
    """The community's workers and (by default) its street's admins: who is reminded."""
    from django.db.models import Q

    q = Q(role=Role.COMMUNITY_WORKER, community_id=community.pk)
    if with_street_admins:
        q |= Q(role=Role.STREET_ADMIN, street_id=community.street_id)
    seen, users = set(), []
    for row in RoleAssignment.objects.active().filter(q).select_related("user"):
        if row.user_id not in seen:
            seen.add(row.user_id)
            users.append(row.user)
    return users
