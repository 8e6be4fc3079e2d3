"""Writes for consultations 意见征询 and polls: the draft with its questions, publish, cancel
with a reason (the answers are in `answers`).

Workflow (the legal moves; each is one service that locks the row):

    draft ──publish──▶ published ──cancel(reason)──▶ cancelled
      └────────────────cancel(reason)─────────────────▲
    (a published consultation is "upcoming" before opens_at, "open" until closes_at and
     "closed" after: derived from the stored window by ConsultationQuerySet; a closed one can
     no longer be cancelled, its result stands)

"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Audience,
    Consultation,
    ConsultationEvent,
    Option,
    Question,
)
from ..models.consultations import DEFAULT_TEXT_LIMIT
from ._common import append_event, conflict, invalid, require, resolve_target, text

Status = Consultation.Status
Phase = Consultation.Phase
Kind = Question.Kind

TRANSITIONS = {
    Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
    Status.PUBLISHED: {Status.CANCELLED},
    Status.CANCELLED: set(),
}
DRAFT_UPDATABLE = (
    "title",
    "description",
    "kind",
    "opens_at",
    "closes_at",
    "one_per",
    "results_visibility",
    "audience",
    "community",
    "compound",
    "building",
    "questions",
)
MAX_QUESTIONS = 50
MAX_OPTIONS = 30
MAX_TEXT_LIMIT = 2000


def _lock(consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("community", "compound", "building")
        .get(pk=consultation.pk)
    )


def _choice(value, field, choices):
    if value not in choices.values:
        raise invalid(field, _("选项无效。"))
    return value


def _check_window(opens_at, closes_at):
    if opens_at is None:
        raise invalid("opens_at", _("请填写开始时间。"))
    if closes_at is None:
        raise invalid("closes_at", _("请填写截止时间。"))
    if closes_at <= opens_at:
        raise invalid("closes_at", _("截止时间须晚于开始时间。"))


def _int(value, field, low, high, message):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(field, message) from None
    if not low <= number <= high:
        raise invalid(field, message)
    return number


def clean_questions(questions) -> list[dict]:
    """The question set as plain dicts, every rule checked; errors name the field as
    `questions.<n>.<field>` (n from 0)."""
    questions = list(questions or [])
    if not questions:
        raise invalid("questions", _("请至少设置一个问题。"))
    if len(questions) > MAX_QUESTIONS:
        raise invalid("questions", _("最多 %(n)s 个问题。") % {"n": MAX_QUESTIONS})
    cleaned = []
    for n, raw in enumerate(questions):
        field = f"questions.{n}"
        kind = raw.get("kind")
        if kind not in Kind.values:
            raise invalid(f"{field}.kind", _("题型无效。"))
        item = {
            "kind": kind,
            "text": text(raw.get("text"), f"{field}.text", max_length=300),
            "required": bool(raw.get("required", True)),
            "max_choices": None,
            "max_length": None,
            "options": [],
        }
        options = [str(o).strip() if o is not None else "" for o in raw.get("options") or []]
        if kind == Kind.TEXT:
            if options:
                raise invalid(f"{field}.options", _("填写意见题没有选项。"))
            limit = raw.get("max_length")
            if limit is not None:
                item["max_length"] = _int(
                    limit,
                    f"{field}.max_length",
                    1,
                    MAX_TEXT_LIMIT,
                    _("字数上限须在 1 到 %(n)s 之间。") % {"n": MAX_TEXT_LIMIT},
                )
        else:
            if not 2 <= len(options) <= MAX_OPTIONS:
                raise invalid(
                    f"{field}.options",
                    _("选择题须有 2 到 %(n)s 个选项。") % {"n": MAX_OPTIONS},
                )
            if any(not o for o in options):
                raise invalid(f"{field}.options", _("选项不能为空。"))
            if any(len(o) > 200 for o in options):
                raise invalid(f"{field}.options", _("每个选项最多 200 个字。"))
            if len(set(options)) != len(options):
                raise invalid(f"{field}.options", _("选项不能重复。"))
            item["options"] = options
            limit = raw.get("max_choices")
            if kind == Kind.MULTIPLE and limit is not None:
                item["max_choices"] = _int(
                    limit,
                    f"{field}.max_choices",
                    1,
                    len(options),
                    _("最多可选项数须在 1 到选项数之间。"),
                )
            elif kind == Kind.SINGLE and limit not in (None, 1):
                raise invalid(f"{field}.max_choices", _("单选题只能选一项。"))
        cleaned.append(item)
    return cleaned


def _write_questions(consultation, questions):
    consultation.questions.all().delete()
    for position, item in enumerate(questions, 1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            kind=item["kind"],
            text=item["text"],
            required=item["required"],
            max_choices=item["max_choices"],
            max_length=item["max_length"],
        )
        Option.objects.bulk_create(
            [
                Option(question=question, position=n, text=option)
                for n, option in enumerate(item["options"], 1)
            ]
        )


def _target(audience, *, community, compound, building):
    if audience == Audience.STREET:
        raise invalid("audience", _("意见征询须面向一个居民区、小区或楼组。"))
    return resolve_target(
        audience=audience, community=community, compound=compound, building=building
    )


@transaction.atomic
def consultation_create(
    *,
    actor,
    title,
    opens_at,
    closes_at,
    questions=(),
    audience=Audience.COMMUNITY,
    community=None,
    compound=None,
    building=None,
    kind=Consultation.Kind.CONSULTATION,
    description="",
    one_per=Consultation.OnePer.RESIDENT,
    results_visibility=Consultation.ResultsVisibility.AFTER_CLOSE,
) -> Consultation:
    """A draft consultation of a community, with its questions if given (they can also be
    set on the draft later); residents see it once published, which needs a question."""
    target = _target(audience, community=community, compound=compound, building=building)
    target.pop("street")
    consultation = Consultation(audience=audience, **target)
    require(actor, "board.add_consultation", consultation)
    consultation.title = text(title, "title", max_length=100)
    consultation.description = text(description, "description", max_length=5000, required=False)
    consultation.kind = _choice(kind, "kind", Consultation.Kind)
    consultation.one_per = _choice(one_per, "one_per", Consultation.OnePer)
    consultation.results_visibility = _choice(
        results_visibility, "results_visibility", Consultation.ResultsVisibility
    )
    _check_window(opens_at, closes_at)
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    questions = clean_questions(questions) if questions else []
    consultation.created_by = actor
    consultation.save()
    _write_questions(consultation, questions)
    append_event(ConsultationEvent, "consultation", consultation, actor=actor, verb="create")
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation, **changes) -> Consultation:
    """Edit a draft (questions included: the given list replaces the old one)."""
    consultation = _lock(consultation)
    require(actor, "board.change_consultation", consultation)
    if consultation.status != Status.DRAFT:
        raise conflict(_("意见征询发布后不能修改，如有错误请取消后重新发起。"))
    unknown = set(changes) - set(DRAFT_UPDATABLE)
    if unknown:
        raise invalid(sorted(unknown)[0], _("不能修改此项。"))
    if {"audience", "community", "compound", "building"} & set(changes):
        audience = changes.get("audience", consultation.audience)
        target = _target(
            audience,
            **{
                key: changes.get(key, getattr(consultation, key))
                for key in ("community", "compound", "building")
            },
        )
        target.pop("street")
        consultation.audience = audience
        for key, value in target.items():
            setattr(consultation, key, value)
        require(actor, "board.change_consultation", consultation)
    if "title" in changes:
        consultation.title = text(changes["title"], "title", max_length=100)
    if "description" in changes:
        consultation.description = text(
            changes["description"], "description", max_length=5000, required=False
        )
    if "kind" in changes:
        consultation.kind = _choice(changes["kind"], "kind", Consultation.Kind)
    if "one_per" in changes:
        consultation.one_per = _choice(changes["one_per"], "one_per", Consultation.OnePer)
    if "results_visibility" in changes:
        consultation.results_visibility = _choice(
            changes["results_visibility"], "results_visibility", Consultation.ResultsVisibility
        )
    consultation.opens_at = changes.get("opens_at", consultation.opens_at)
    consultation.closes_at = changes.get("closes_at", consultation.closes_at)
    _check_window(consultation.opens_at, consultation.closes_at)
    questions = clean_questions(changes["questions"]) if "questions" in changes else None
    consultation.save()
    if questions is not None:
        _write_questions(consultation, questions)
    return consultation


@transaction.atomic
def consultation_questions_set(*, actor, consultation, questions) -> Consultation:
    """Replace a draft's questions with `questions` (at least one), in the given order."""
    consultation = _lock(consultation)
    require(actor, "board.change_consultation", consultation)
    if consultation.status != Status.DRAFT:
        raise conflict(_("意见征询发布后不能修改问题。"))
    _write_questions(consultation, clean_questions(questions))
    return consultation


def _check_move(consultation, to_status, doing):
    if to_status not in TRANSITIONS[consultation.status]:
        raise conflict(
            _("意见征询当前为“%(status)s”，不能%(doing)s。")
            % {"status": consultation.get_status_display(), "doing": doing}
        )


@transaction.atomic
def consultation_publish(*, actor, consultation) -> Consultation:
    """Publish: residents see it; answers are taken from opens_at (now, if that has passed)
    until closes_at. The questions are fixed from here on."""
    consultation = _lock(consultation)
    require(actor, "board.publish_consultation", consultation)
    _check_move(consultation, Status.PUBLISHED, _("发布"))
    now = timezone.now()
    if consultation.closes_at <= now:
        raise invalid("closes_at", _("截止时间已过，请先修改时间。"))
    if not consultation.questions.exists():
        raise invalid("questions", _("请至少设置一个问题。"))
    if consultation.opens_at < now:
        consultation.opens_at = now
    consultation.status = Status.PUBLISHED
    consultation.published_at = now
    consultation.published_by = actor
    consultation.save(
        update_fields=["status", "opens_at", "published_at", "published_by", "updated_at"]
    )
    append_event(
        ConsultationEvent,
        "consultation",
        consultation,
        actor=actor,
        verb="publish",
        from_state=Status.DRAFT,
        to_state=Status.PUBLISHED,
        opens_at=consultation.opens_at.isoformat(),
        closes_at=consultation.closes_at.isoformat(),
    )
    return consultation


@transaction.atomic
def consultation_cancel(*, actor, consultation, reason) -> Consultation:
    """Call it off before it closes, with a public reason; answers already given stay on
    record but no result is published."""
    consultation = _lock(consultation)
    require(actor, "board.cancel_consultation", consultation)
    reason = text(reason, "reason", max_length=200)
    _check_move(consultation, Status.CANCELLED, _("取消"))
    if consultation.phase() == Phase.CLOSED:
        raise conflict(_("意见征询已结束，结果已生效，不能取消。"))
    from_status = consultation.status
    consultation.status = Status.CANCELLED
    consultation.cancelled_at = timezone.now()
    consultation.cancelled_by = actor
    consultation.cancel_reason = reason
    consultation.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"]
    )
    append_event(
        ConsultationEvent,
        "consultation",
        consultation,
        actor=actor,
        verb="cancel",
        from_state=from_status,
        to_state=Status.CANCELLED,
        note=reason,
    )
    return consultation


__all__ = [
    "DEFAULT_TEXT_LIMIT",
    "MAX_TEXT_LIMIT",
    "TRANSITIONS",
    "clean_questions",
    "consultation_cancel",
    "consultation_create",
    "consultation_publish",
    "consultation_questions_set",
    "consultation_update",
]
