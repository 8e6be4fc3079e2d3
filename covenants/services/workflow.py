"""The covenant's path: draft → discussion → signing → in force / not adopted; amendments,
repeal and cancel. One service per move; each locks the covenant, checks the legal-move
table and the permission, stamps its times, appends a timeline row and (for discussion and
signing) notifies the eligible residents on commit.

Legal moves of a version (VersionState):

    draft       → discussion (covenant_open_discussion), cancelled (covenant_cancel)
    discussion  → signing (covenant_open_signing), cancelled (covenant_cancel)
    signing     → in_force | not_adopted (covenant_decide: a worker, or the close_due task
                  once signing_closes_at has passed)
    in_force    → superseded (when a later version comes into force), repealed (covenant_repeal)

A new version (covenant_amend, in `changes` with repeal and cancel) starts as a draft, only on
an in-force covenant with no other version on its way.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.models import Audience
from board.sanitize import clean_html, plain_text
from board.services._common import resolve_target
from notifications.services import notify

from ..models import Covenant, CovenantVersion, Origin, SigningMethod, ThresholdBasis, VersionState
from ._common import (
    conflict,
    eligible_households,
    eligible_users,
    event,
    invalid,
    lock,
    open_version,
    require,
    sync_status,
    text,
)

S = VersionState

TRANSITIONS = {
    S.DRAFT: {S.DISCUSSION, S.CANCELLED},
    S.DISCUSSION: {S.SIGNING, S.CANCELLED},
    S.SIGNING: {S.IN_FORCE, S.NOT_ADOPTED},
    S.IN_FORCE: {S.SUPERSEDED, S.REPEALED},
    S.NOT_ADOPTED: set(),
    S.SUPERSEDED: set(),
    S.REPEALED: set(),
    S.CANCELLED: set(),
}
MAX_TEXT = 20000
MAX_WINDOW = datetime.timedelta(days=180)
DRAFT_UPDATABLE = ("title", "text", "change_summary", "collects_funds", "fund_purpose")


def _check_move(version, to_state, doing):
    if to_state not in TRANSITIONS[version.state]:
        raise conflict(
            _("规约当前为“%(state)s”，不能%(doing)s。")
            % {"state": version.get_state_display(), "doing": doing}
        )


def _clean_text(value, field="text"):
    cleaned = clean_html(value or "")
    if not plain_text(cleaned):
        raise invalid(field, _("请填写规约正文。"))
    if len(cleaned) > MAX_TEXT:
        raise invalid(field, _("正文最多 %(n)s 个字符。") % {"n": MAX_TEXT})
    return cleaned


def _origin(origin, project, topic, community):
    if origin not in Origin.values:
        raise invalid("origin", _("来源无效。"))
    if origin == Origin.PROJECT:
        if project is None:
            raise invalid("project", _("请选择来源微项目。"))
        if project.community_id != community.pk:
            raise invalid("project", _("微项目不属于该居民区。"))
        return project, None
    if origin == Origin.TOPIC:
        if topic is None:
            raise invalid("topic", _("请选择来源议题。"))
        if topic.community_id != community.pk:
            raise invalid("topic", _("议题不属于该居民区。"))
        return None, topic
    if project is not None or topic is not None:
        field = "project" if project is not None else "topic"
        raise invalid(field, _("社区工作者起草的规约不关联微项目或议题。"))
    return None, None


def _the_open(covenant, state=None) -> CovenantVersion:
    version = open_version(covenant)
    if version is None or (state is not None and version.state != state):
        current = covenant.current_version
        label = current.get_state_display() if current else covenant.get_status_display()
        raise conflict(_("规约当前为“%(state)s”，不能进行此操作。") % {"state": label})
    return version


@transaction.atomic
def covenant_create(
    *,
    actor,
    title,
    text_html,
    audience=Audience.COMMUNITY,
    community=None,
    compound=None,
    building=None,
    origin=Origin.WORKER,
    project=None,
    topic=None,
    collects_funds=False,
    fund_purpose="",
) -> Covenant:
    """A draft covenant with its first version's text; residents see it once it goes to
    discussion."""
    if audience == Audience.STREET or audience not in Audience.values:
        raise invalid("audience", _("规约适用于一个居民区、小区或楼组。"))
    target = resolve_target(
        audience=audience, community=community, compound=compound, building=building
    )
    target.pop("street")
    covenant = Covenant(audience=audience, **target)
    require(actor, "covenants.add_covenant", covenant)
    covenant.title = text(title, "title", max_length=100)
    covenant.origin = origin
    covenant.project, covenant.topic = _origin(origin, project, topic, covenant.community)
    covenant.collects_funds = bool(collects_funds)
    covenant.fund_purpose = text(fund_purpose, "fund_purpose", max_length=200, required=False)
    body = _clean_text(text_html)
    covenant.created_by = actor
    covenant.save()
    version = CovenantVersion.objects.create(
        covenant=covenant, number=1, text=body, created_by=actor
    )
    event(covenant, actor=actor, verb="create", version=version, to_state=S.DRAFT)
    return sync_status(covenant)


@transaction.atomic
def covenant_update_draft(*, actor, covenant, **changes) -> Covenant:
    """Edit the title, fund settings and the text of the version still in draft."""
    covenant = lock(covenant)
    require(actor, "covenants.change_covenant", covenant)
    unknown = set(changes) - set(DRAFT_UPDATABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], _("不能修改此项。"))
    version = _the_open(covenant, S.DRAFT)
    if "title" in changes:
        if version.number != 1:
            raise invalid("title", _("修订时不能修改标题。"))
        covenant.title = text(changes["title"], "title", max_length=100)
    if "collects_funds" in changes:
        covenant.collects_funds = bool(changes["collects_funds"])
    if "fund_purpose" in changes:
        covenant.fund_purpose = text(
            changes["fund_purpose"], "fund_purpose", max_length=200, required=False
        )
    if "text" in changes:
        version.text = _clean_text(changes["text"])
    if "change_summary" in changes:
        version.change_summary = text(
            changes["change_summary"], "change_summary", max_length=300, required=version.number > 1
        )
    covenant.save(update_fields=["title", "collects_funds", "fund_purpose", "updated_at"])
    version.save(update_fields=["text", "change_summary", "updated_at"])
    return covenant


def _notify(covenant, *, kind, title, body):
    # Inbox rows now, in this transaction; the other channels after commit (notify).
    notify(
        recipients=list(eligible_users(covenant).only("pk", "is_active", "email")),
        kind=kind,
        title=title,
        body=body,
        url=f"/covenants/{covenant.pk}/",
        subject=covenant,
    )


def _window_end(closes_at, field, now):
    if closes_at is None:
        raise invalid(field, _("请填写截止时间。"))
    if closes_at <= now:
        raise invalid(field, _("截止时间须晚于现在。"))
    if closes_at > now + MAX_WINDOW:
        raise invalid(field, _("期限最长 180 天。"))
    return closes_at


@transaction.atomic
def covenant_open_discussion(*, actor, covenant, closes_at) -> Covenant:
    """Publish the draft for public discussion until `closes_at`: the community reads it and
    comments; the residents of its scope are told."""
    covenant = lock(covenant)
    require(actor, "covenants.move_covenant", covenant)
    version = _the_open(covenant)
    _check_move(version, S.DISCUSSION, _("发起讨论"))
    now = timezone.now()
    version.discussion_closes_at = _window_end(closes_at, "closes_at", now)
    version.discussion_opens_at = now
    version.state = S.DISCUSSION
    version.save(
        update_fields=["state", "discussion_opens_at", "discussion_closes_at", "updated_at"]
    )
    event(
        covenant,
        actor=actor,
        verb="discussion_opened",
        version=version,
        from_state=S.DRAFT,
        to_state=S.DISCUSSION,
        closes_at=version.discussion_closes_at.isoformat(),
    )
    sync_status(covenant)
    _notify(
        covenant,
        kind="covenants.discussion",
        title=_("【规约征求意见】%(title)s") % {"title": covenant.title},
        body=_("规约%(what)s公开讨论中，欢迎发表意见。")
        % {"what": _("修订稿") if version.number > 1 else _("草案")},
    )
    return covenant


def _threshold(method, basis, numerator, denominator):
    if method not in SigningMethod.values:
        raise invalid("method", _("请选择通过方式。"))
    if basis not in ThresholdBasis.values:
        raise invalid("threshold_basis", _("请选择门槛基数。"))
    if method == SigningMethod.SIGN_ON and basis != ThresholdBasis.ELIGIBLE:
        raise invalid("threshold_basis", _("按户签署的门槛只能按应参与户数计算。"))
    try:
        numerator, denominator = int(numerator), int(denominator)
    except (TypeError, ValueError):
        raise invalid("threshold_numerator", _("门槛须为分数，如 2/3。")) from None
    if not 1 <= numerator <= denominator <= 100:
        raise invalid("threshold_numerator", _("门槛须在 0 到 1 之间（如 2/3）。"))
    return numerator, denominator


@transaction.atomic
def covenant_open_signing(
    *,
    actor,
    covenant,
    closes_at,
    method=SigningMethod.SIGN_ON,
    threshold_basis=ThresholdBasis.ELIGIBLE,
    threshold_numerator=2,
    threshold_denominator=3,
) -> Covenant:
    """Close the discussion and open household signing (签署) or a household vote (表决)
    until `closes_at`; the method and threshold are recorded on the version."""
    covenant = lock(covenant)
    require(actor, "covenants.move_covenant", covenant)
    version = _the_open(covenant)
    _check_move(version, S.SIGNING, _("开始签署"))
    now = timezone.now()
    num, den = _threshold(method, threshold_basis, threshold_numerator, threshold_denominator)
    version.signing_closes_at = _window_end(closes_at, "closes_at", now)
    version.signing_opens_at = now
    if version.discussion_closes_at is None or version.discussion_closes_at > now:
        version.discussion_closes_at = now
    version.signing_method, version.threshold_basis = method, threshold_basis
    version.threshold_numerator, version.threshold_denominator = num, den
    version.state = S.SIGNING
    version.save()
    event(
        covenant,
        actor=actor,
        verb="signing_opened",
        version=version,
        from_state=S.DISCUSSION,
        to_state=S.SIGNING,
        note=f"{version.get_signing_method_display()}；{version.threshold_label}",
        closes_at=version.signing_closes_at.isoformat(),
    )
    sync_status(covenant)
    _notify(
        covenant,
        kind="covenants.signing",
        title=_("【规约%(method)s】%(title)s")
        % {"method": version.get_signing_method_display(), "title": covenant.title},
        body=_("请每户一位家庭成员在截止前完成%(method)s。")
        % {"method": version.get_signing_method_display()},
    )
    return covenant


def tally(version) -> dict:
    """Yes and no households so far (one query)."""
    from django.db.models import Count, Q

    counts = version.signatures.aggregate(
        yes=Count("pk", filter=Q(choice="yes")), no=Count("pk", filter=Q(choice="no"))
    )
    return {"yes": counts["yes"], "no": counts["no"]}


@transaction.atomic
def covenant_decide(*, actor, covenant, effective_on=None) -> Covenant:
    """Close signing and decide: the threshold met, the version comes into force on
    `effective_on` (today if not given) and the version before it is superseded; missed, it is
    not adopted. The counts are stored. `actor` None is the close_due task (only after the
    window); a worker may close early."""
    covenant = lock(covenant)
    if actor is not None:
        require(actor, "covenants.move_covenant", covenant)
    version = _the_open(covenant, S.SIGNING)
    # Signers hold this row while they write (covenants.services.signing): wait for them, so
    # the count below includes every signature that will ever be stored for this version.
    version = CovenantVersion.objects.select_for_update().get(pk=version.pk)
    now = timezone.now()
    if actor is None and version.signing_closes_at > now:
        raise conflict(_("签署尚未截止。"))
    today = timezone.localdate(now)
    if effective_on is not None and effective_on < today - datetime.timedelta(days=1):
        raise invalid("effective_on", _("生效日期不能早于今天。"))
    counts = tally(version)
    eligible = eligible_households(covenant).count()
    adopted = version.threshold_met(yes=counts["yes"], no=counts["no"], eligible=eligible)
    version.eligible_households, version.yes_count, version.no_count = (
        eligible,
        counts["yes"],
        counts["no"],
    )
    version.decided_at = now
    if version.signing_closes_at > now:
        version.signing_closes_at = now
    summary = _("应参与 %(eligible)s 户，同意 %(yes)s 户，反对 %(no)s 户；门槛：%(threshold)s") % {
        "eligible": eligible,
        "yes": counts["yes"],
        "no": counts["no"],
        "threshold": version.threshold_label,
    }
    if adopted:
        previous = covenant.in_force_version
        if previous is not None:
            previous = CovenantVersion.objects.select_for_update().get(pk=previous.pk)
            _check_move(previous, S.SUPERSEDED, _("被取代"))
            previous.state, previous.ended_at = S.SUPERSEDED, now
            previous.save(update_fields=["state", "ended_at", "updated_at"])
            event(
                covenant,
                actor=actor,
                verb="superseded",
                version=previous,
                from_state=S.IN_FORCE,
                to_state=S.SUPERSEDED,
                note=_("由第 %(n)s 版取代") % {"n": version.number},
            )
        version.state = S.IN_FORCE
        version.in_force_at = now
        version.effective_on = effective_on or today
    else:
        version.state = S.NOT_ADOPTED
    version.save()
    event(
        covenant,
        actor=actor,
        verb="adopted" if adopted else "not_adopted",
        version=version,
        from_state=S.SIGNING,
        to_state=version.state,
        note=summary,
        eligible=eligible,
        yes=counts["yes"],
        no=counts["no"],
    )
    return sync_status(covenant)


def versions_due_for_decision(*, now=None):
    """Versions in signing whose window has ended (the close_due task decides them)."""
    return CovenantVersion.objects.filter(
        state=S.SIGNING, signing_closes_at__lte=now or timezone.now()
    ).order_by("signing_closes_at", "pk")
