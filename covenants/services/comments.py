"""Public comments on a covenant in discussion, with moderation shaped like proposals':
residents report (each once; at the street's threshold it hides itself until a worker looks),
a worker hides with a reason that residents see, or restores."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models.policy import policy_for_street

from ..models import CovenantComment, CovenantCommentReport, CovenantVersion, VersionState
from ._common import (
    actor_label,
    conflict,
    event,
    insert_once,
    not_allowed,
    require,
    text,
)


def _resident(actor, covenant, doing):
    if actor is None or not actor.is_authenticated:
        raise not_allowed(_("请先登录。"))
    if not actor.is_verified:
        raise not_allowed(
            _("您的账号尚未通过实名核验，核验通过后才能%(doing)s。") % {"doing": doing}
        )
    if not actor.has_perm("covenants.comment_covenant", covenant):
        raise not_allowed(_("只有本居民区的实名居民可以%(doing)s。") % {"doing": doing})


@transaction.atomic
def covenant_comment(*, actor, covenant, body) -> CovenantComment:
    """A verified resident of the community (or its worker) comments while a version is in
    discussion and its window is open."""
    body = text(body, "body", max_length=2000)
    if not actor.has_perm("covenants.moderate_covenantcomment", covenant):
        _resident(actor, covenant, _("评论"))
    version = CovenantVersion.objects.filter(
        covenant=covenant, state=VersionState.DISCUSSION
    ).first()
    if version is None or version.discussion_closes_at <= timezone.now():
        raise conflict(_("规约不在公开讨论期，不能评论。"))
    return CovenantComment.objects.create(
        covenant=covenant,
        version=version,
        author=actor,
        author_label=actor_label(actor),
        body=body,
    )


def _lock(comment) -> CovenantComment:
    return (
        CovenantComment.objects.select_for_update(of=("self",))
        .select_related("covenant__community")
        .get(pk=comment.pk)
    )


@transaction.atomic
def covenant_comment_report(*, actor, comment, reason="") -> CovenantCommentReport:
    comment = _lock(comment)
    covenant = comment.covenant
    _resident(actor, covenant, _("举报评论"))
    if comment.author_id == actor.pk:
        raise conflict(_("不能举报自己的评论。"))
    reason = text(reason, "reason", max_length=200, required=False)
    report = insert_once(
        lambda: CovenantCommentReport.objects.create(
            comment=comment, reporter=actor, reason=reason
        ),
        _("您已举报过这条评论。"),
    )
    if not comment.hidden:
        reports = CovenantCommentReport.objects.filter(comment=comment)
        if comment.reviewed_at is not None:
            reports = reports.filter(created_at__gt=comment.reviewed_at)
        count = reports.count()
        if count >= policy_for_street(covenant.community.street_id).comment_report_threshold:
            comment.hidden, comment.auto_hidden, comment.hidden_at = True, True, timezone.now()
            comment.hidden_by = None
            comment.hidden_reason = _("被 %(n)d 位居民举报，待工作人员审核") % {"n": count}
            comment.save(
                update_fields=["hidden", "auto_hidden", "hidden_at", "hidden_by", "hidden_reason"]
            )
            event(
                covenant,
                actor=None,
                verb="comment_hidden",
                is_public=False,
                note=comment.hidden_reason,
                comment=comment.pk,
            )
    return report


@transaction.atomic
def covenant_comment_hide(*, actor, comment, reason) -> CovenantComment:
    reason = text(reason, "reason", max_length=200)
    comment = _lock(comment)
    require(actor, "covenants.moderate_covenantcomment", comment.covenant, _("您不能管理该评论。"))
    if comment.hidden and not comment.auto_hidden:
        raise conflict(_("该评论已被隐藏。"))
    now = timezone.now()
    comment.hidden, comment.auto_hidden = True, False
    comment.hidden_reason, comment.hidden_by, comment.hidden_at = reason, actor, now
    comment.reviewed_at = now
    comment.save(
        update_fields=[
            "hidden",
            "auto_hidden",
            "hidden_reason",
            "hidden_by",
            "hidden_at",
            "reviewed_at",
        ]
    )
    event(
        comment.covenant,
        actor=actor,
        verb="comment_hidden",
        is_public=False,
        note=reason,
        comment=comment.pk,
    )
    return comment


@transaction.atomic
def covenant_comment_restore(*, actor, comment) -> CovenantComment:
    comment = _lock(comment)
    require(actor, "covenants.moderate_covenantcomment", comment.covenant, _("您不能管理该评论。"))
    if not comment.hidden:
        raise conflict(_("该评论未被隐藏。"))
    comment.hidden, comment.auto_hidden = False, False
    comment.reviewed_at = timezone.now()
    comment.save(update_fields=["hidden", "auto_hidden", "reviewed_at"])
    event(
        comment.covenant,
        actor=actor,
        verb="comment_restored",
        is_public=False,
        note=_("审核后恢复显示（原隐藏理由：%(reason)s）") % {"reason": comment.hidden_reason},
        comment=comment.pk,
    )
    return comment
