"""Writes for notices: draft, publish (residents notified in their inbox in batches), withdraw
with a reason, attachments, the first read and the acknowledgement 已知晓.

Workflow (the legal moves; each is one service that locks the row):

    draft ──publish──▶ published ──withdraw(reason)──▶ withdrawn
    (a published notice is "scheduled" before publish_at and "expired" from expires_at:
     derived from the stored times by NoticeQuerySet, never a stored state)
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError
from notifications.services import notify
from residents.models import Resident

from ..models import Audience, Notice, NoticeAck, NoticeAttachment, NoticeEvent, NoticeRead
from ..sanitize import clean_html, plain_text
from ..scope import is_addressed, resident_home, residents_in_target_q
from ..validators import MAX_FILES, MAX_PHOTOS, validate_document, validate_photo
from ._common import (
    append_event,
    conflict,
    insert_once,
    invalid,
    require,
    resolve_target,
    text,
)

Status = Notice.Status

TRANSITIONS = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}
# What may still change once residents can see it: the pin and how long it stays up.
PUBLISHED_UPDATABLE = ("pinned", "expires_at")
DRAFT_UPDATABLE = (
    "title",
    "body",
    "pinned",
    "requires_ack",
    "publish_at",
    "expires_at",
    "audience",
    "street",
    "community",
    "compound",
    "building",
)
MAX_BODY = 20000
# Residents notified per transaction: one batch of inbox rows is one INSERT.
NOTIFY_BATCH = 500


def _lock(notice) -> Notice:
    return (
        Notice.objects.select_for_update(of=("self",))
        .select_related("street", "community")
        .get(pk=notice.pk)
    )


def _body(value):
    body = clean_html(text(value, "body", max_length=MAX_BODY))
    if not plain_text(body):
        raise invalid("body", _("正文不能为空。"))
    return body


def _check_times(publish_at, expires_at, *, now=None):
    if expires_at is not None and expires_at <= (publish_at or now or timezone.now()):
        raise invalid("expires_at", _("过期时间须晚于发布时间。"))


def _check_uploads(photos, files):
    photos, files = list(photos or ()), list(files or ())
    if len(photos) > MAX_PHOTOS:
        raise invalid("photos", _("最多上传 %(n)s 张图片。") % {"n": MAX_PHOTOS})
    if len(files) > MAX_FILES:
        raise invalid("attachments", _("最多上传 %(n)s 个附件。") % {"n": MAX_FILES})
    for field, uploads, check in (
        ("photos", photos, validate_photo),
        ("attachments", files, validate_document),
    ):
        for upload in uploads:
            try:
                check(upload)
            except ValidationError as exc:
                raise invalid(field, exc.messages[0]) from None
    return photos, files


def _store(notice, actor, photos, files):
    for kind, uploads in (
        (NoticeAttachment.Kind.PHOTO, photos),
        (NoticeAttachment.Kind.FILE, files),
    ):
        for upload in uploads:
            NoticeAttachment.objects.create(
                notice=notice,
                kind=kind,
                file=upload,
                name=(upload.name or "")[-100:],
                size=upload.size or 0,
                uploaded_by=actor,
            )


@transaction.atomic
def notice_create(
    *,
    actor,
    audience,
    title,
    body,
    street=None,
    community=None,
    compound=None,
    building=None,
    pinned=False,
    requires_ack=False,
    publish_at=None,
    expires_at=None,
    photos=(),
    attachments=(),
) -> Notice:
    """A draft notice addressed to one unit; residents see it once published."""
    target = resolve_target(
        audience=audience, street=street, community=community, compound=compound, building=building
    )
    notice = Notice(audience=audience, **target)
    require(actor, "board.add_notice", notice)
    notice.title = text(title, "title", max_length=100)
    notice.body = _body(body)
    _check_times(publish_at, expires_at)
    photos, files = _check_uploads(photos, attachments)
    notice.pinned = bool(pinned)
    notice.requires_ack = bool(requires_ack)
    notice.publish_at = publish_at
    notice.expires_at = expires_at
    notice.created_by = actor
    notice.save()
    _store(notice, actor, photos, files)
    return notice


@transaction.atomic
def notice_update(*, actor, notice, **changes) -> Notice:
    """Edit a draft; of a published notice only the pin and the expiry change."""
    notice = _lock(notice)
    require(actor, "board.change_notice", notice)
    if notice.status == Status.WITHDRAWN:
        raise conflict(_("公告已撤回，不能修改。"))
    allowed = DRAFT_UPDATABLE if notice.status == Status.DRAFT else PUBLISHED_UPDATABLE
    unknown = set(changes) - set(allowed)
    if unknown:
        raise invalid(sorted(unknown)[0], _("公告发布后只能修改置顶和过期时间。"))
    target_keys = {"audience", "street", "community", "compound", "building"}
    if target_keys & set(changes):
        target = resolve_target(
            audience=changes.get("audience", notice.audience),
            **{
                key: changes.get(key, getattr(notice, key))
                for key in ("street", "community", "compound", "building")
            },
        )
        notice.audience = changes.get("audience", notice.audience)
        for key, value in target.items():
            setattr(notice, key, value)
        # The new unit must be one the actor writes for, as the old one was.
        require(actor, "board.change_notice", notice)
    if "title" in changes:
        notice.title = text(changes["title"], "title", max_length=100)
    if "body" in changes:
        notice.body = _body(changes["body"])
    for key in ("pinned", "requires_ack"):
        if key in changes:
            setattr(notice, key, bool(changes[key]))
    for key in ("publish_at", "expires_at"):
        if key in changes:
            setattr(notice, key, changes[key])
    _check_times(notice.publish_at, notice.expires_at)
    notice.save()
    return notice


def _check_move(notice, to_status, doing):
    if to_status not in TRANSITIONS[notice.status]:
        raise conflict(
            _("公告当前为“%(status)s”，不能%(doing)s。")
            % {"status": notice.get_status_display(), "doing": doing}
        )


@transaction.atomic
def notice_publish(*, actor, notice) -> Notice:
    """Publish now, or at the planned publish_at; the residents addressed are notified in
    their inbox when it goes up (board.tasks, in batches, after commit)."""
    notice = _lock(notice)
    require(actor, "board.publish_notice", notice)
    _check_move(notice, Status.PUBLISHED, _("发布"))
    now = timezone.now()
    if notice.publish_at is None or notice.publish_at < now:
        notice.publish_at = now
    if notice.expires_at is not None and notice.expires_at <= notice.publish_at:
        raise invalid("expires_at", _("过期时间已过，请先修改过期时间。"))
    notice.status = Status.PUBLISHED
    notice.published_at = now
    notice.published_by = actor
    notice.save(
        update_fields=["status", "publish_at", "published_at", "published_by", "updated_at"]
    )
    append_event(
        NoticeEvent,
        "notice",
        notice,
        actor=actor,
        verb="publish",
        from_state=Status.DRAFT,
        to_state=Status.PUBLISHED,
        publish_at=notice.publish_at.isoformat(),
    )
    if notice.publish_at <= now:
        from ..tasks import notify_notice

        notice_id = notice.pk
        transaction.on_commit(lambda: notify_notice.delay(notice_id))
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice, reason) -> Notice:
    notice = _lock(notice)
    require(actor, "board.withdraw_notice", notice)
    reason = text(reason, "reason", max_length=200)
    _check_move(notice, Status.WITHDRAWN, _("撤回"))
    notice.status = Status.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by = actor
    notice.withdraw_reason = reason
    notice.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"]
    )
    append_event(
        NoticeEvent,
        "notice",
        notice,
        actor=actor,
        verb="withdraw",
        from_state=Status.PUBLISHED,
        to_state=Status.WITHDRAWN,
        note=reason,
    )
    return notice


@transaction.atomic
def notice_attachment_add(*, actor, notice, upload, kind) -> NoticeAttachment:
    notice = _lock(notice)
    require(actor, "board.change_notice", notice)
    if notice.status != Status.DRAFT:
        raise conflict(_("只有草稿可以添加图片或附件。"))
    if kind not in NoticeAttachment.Kind.values:
        raise invalid("kind", _("类型无效。"))
    photo = kind == NoticeAttachment.Kind.PHOTO
    have = notice.attachments.filter(kind=kind).count()
    photos, files = _check_uploads([upload] if photo else (), () if photo else [upload])
    if have + 1 > (MAX_PHOTOS if photo else MAX_FILES):
        field = "photos" if photo else "attachments"
        raise invalid(field, _("图片或附件数量已达上限。"))
    _store(notice, actor, photos, files)
    return notice.attachments.order_by("-pk").first()


@transaction.atomic
def notice_attachment_remove(*, actor, attachment) -> None:
    notice = _lock(attachment.notice)
    require(actor, "board.change_notice", notice)
    if notice.status != Status.DRAFT:
        raise conflict(_("只有草稿可以删除图片或附件。"))
    attachment.file.delete(save=False)
    NoticeAttachment.objects.filter(pk=attachment.pk).delete()


# ---------------------------------------------------------------------------------------------
# Residents: first read, acknowledgement


def notice_mark_read(*, actor, notice) -> bool:
    """Count the first time a resident addressed opens the notice (staff reading it do not
    count). Returns whether the reader counts. Concurrency-safe: the unique constraint and
    ON CONFLICT DO NOTHING leave one row whatever two tabs do."""
    if notice.phase() != Notice.Phase.LIVE or not is_addressed(actor, notice):
        return False
    NoticeRead.objects.bulk_create([NoticeRead(notice=notice, user=actor)], ignore_conflicts=True)
    return True


@transaction.atomic
def notice_acknowledge(*, actor, notice) -> NoticeAck:
    """已知晓: once per resident, only for a live notice that asks for it."""
    notice = Notice.objects.get(pk=notice.pk)
    if not notice.requires_ack:
        raise conflict(_("该公告不需要确认。"))
    if not actor.is_verified:
        raise ApplicationError(_("实名核验通过后才能确认。"), code="forbidden")
    require(actor, "board.ack_notice", notice, _("该公告不是发给您的。"))
    if notice.phase() != Notice.Phase.LIVE:
        raise conflict(_("公告不在发布期内。"))
    home = resident_home(actor)
    ack = insert_once(
        lambda: NoticeAck.objects.create(
            notice=notice, user=actor, resident_id=home.resident_id if home else None
        ),
        _("您已确认过该公告。"),
    )
    NoticeRead.objects.bulk_create([NoticeRead(notice=notice, user=actor)], ignore_conflicts=True)
    return ack


# ---------------------------------------------------------------------------------------------
# Inbox delivery, in batches


def notice_recipients(notice):
    """Active verified accounts of the living residents the notice addresses, by id."""
    residents = Resident.objects.filter(status=Resident.Status.LIVING).filter(
        residents_in_target_q(notice)
    )
    return User.objects.filter(
        is_active=True,
        verification_status=User.Verification.VERIFIED,
        resident__in=residents,
    ).order_by("pk")


def notice_notify_batch(*, notice_id, batch=NOTIFY_BATCH) -> tuple[int, bool]:
    """Notify the next batch of residents of one live notice; returns (sent, finished).

    One transaction per batch: the notice row is locked, the batch's inbox rows written and
    the cursor advanced together, so a second worker waits and then continues after this
    batch, and a crash loses at most an uncommitted batch, which the retry sends again.
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.notified_at is not None:
            return 0, True
        now = timezone.now()
        if notice.status != Status.PUBLISHED or notice.publish_at > now:
            # Withdrawn before it went out, or not due yet (the sweep comes back for it).
            return 0, notice.status != Status.PUBLISHED
        if notice.expires_at is not None and notice.expires_at <= now:
            # Expired before its turn came (a queue that was down): nobody is told of it now.
            notice.notified_at = now
            notice.save(update_fields=["notified_at"])
            return 0, True
        users = list(
            notice_recipients(notice)
            .filter(pk__gt=notice.notify_cursor)
            .only("pk", "is_active", "email")[:batch]
        )
        sent = notify(
            recipients=users,
            kind="board.notice",
            title=_("【公告】%(title)s") % {"title": notice.title},
            body=plain_text(notice.body)[:200],
            url=reverse("pages:notice", args=[notice.pk]),
            subject=notice,
        )
        finished = len(users) < batch
        if users:
            notice.notify_cursor = users[-1].pk
        if finished:
            notice.notified_at = now
        notice.save(update_fields=["notify_cursor", "notified_at"])
        return len(sent), finished


def notices_due_for_notification(*, now=None):
    """Published notices whose time has come and whose residents are not all told yet."""
    now = now or timezone.now()
    return Notice.objects.filter(
        status=Status.PUBLISHED, publish_at__lte=now, notified_at__isnull=True
    ).values_list("pk", flat=True)


__all__ = [
    "Audience",
    "notice_acknowledge",
    "notice_attachment_add",
    "notice_attachment_remove",
    "notice_create",
    "notice_mark_read",
    "notice_notify_batch",
    "notice_publish",
    "notice_recipients",
    "notice_update",
    "notice_withdraw",
    "notices_due_for_notification",
]
