"""Answers to consultations: a resident's sheet online, a worker's paper sheet for an offline
resident, both validated in full before anything is written.

One answer per resident or household: each answer sheet carries a voter key ("r:<resident>"
or "h:<household>") under a unique constraint per consultation, so of two simultaneous
submissions (two phones of one household, a phone and a worker's paper entry) exactly one is
stored and the other answers 409.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from residents.models import Resident

from ..models import Answer, Audience, Consultation, Question, Response
from ..scope import Home, home_in_target, resident_home
from ._common import conflict, insert_once, invalid, require, text

Phase = Consultation.Phase
Kind = Question.Kind


def _answer_field(question_id):
    return f"answers.{question_id}"


def clean_answers(consultation, answers) -> list[Answer]:
    """Unsaved Answer rows for `answers` ([{question, options: [ids], text}]), or a 400
    naming every wrong field (`answers.<question id>`); nothing is written either way."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(consultation=consultation).prefetch_related("options")
    }
    errors, rows, seen = {}, [], set()
    if not isinstance(answers, list | tuple):
        raise invalid("answers", _("答案格式不正确。"))
    for item in answers:
        qid = item.get("question") if isinstance(item, dict) else None
        if isinstance(qid, Question):
            qid = qid.pk
        question = questions.get(qid)
        if question is None:
            errors["answers"] = [_("包含不属于本次征询的问题。")]
            continue
        field = _answer_field(question.pk)
        if question.pk in seen:
            errors[field] = [_("同一问题只能回答一次。")]
            continue
        seen.add(question.pk)
        option_ids = item.get("options") or []
        typed = (item.get("text") or "").strip()
        if question.kind == Kind.TEXT:
            if option_ids:
                errors[field] = [_("这是填写意见题，不能选择选项。")]
            elif len(typed) > question.text_limit:
                errors[field] = [_("最多 %(n)s 个字。") % {"n": question.text_limit}]
            elif typed:
                rows.append(Answer(question=question, text=typed))
            elif question.required:
                errors[field] = [_("此题为必答题。")]
            continue
        if typed:
            errors[field] = [_("这是选择题，请选择选项。")]
            continue
        valid = {o.pk: o for o in question.options.all()}
        try:
            chosen = [int(getattr(o, "pk", o)) for o in option_ids]
        except (TypeError, ValueError):
            errors[field] = [_("选项无效。")]
            continue
        if any(o not in valid for o in chosen):
            errors[field] = [_("所选选项不属于这道题。")]
        elif len(set(chosen)) != len(chosen):
            errors[field] = [_("选项不能重复。")]
        elif question.kind == Kind.SINGLE and len(chosen) > 1:
            errors[field] = [_("单选题只能选一项。")]
        elif question.max_choices and len(chosen) > question.max_choices:
            errors[field] = [_("最多选 %(n)s 项。") % {"n": question.max_choices}]
        elif not chosen and question.required:
            errors[field] = [_("此题为必答题。")]
        else:
            rows.extend(Answer(question=question, option=valid[o]) for o in chosen)
    for question in questions.values():
        if question.required and question.pk not in seen:
            errors.setdefault(_answer_field(question.pk), [_("此题为必答题。")])
    if errors:
        raise ApplicationError(_("答案有误，请检查后重新提交。"), code="invalid", fields=errors)
    if not rows:
        raise invalid("answers", _("请至少回答一道题。"))
    return rows


def voter_key(consultation, home: Home) -> str:
    if consultation.one_per == Consultation.OnePer.HOUSEHOLD:
        return f"h:{home.household_id}"
    return f"r:{home.resident_id}"


def _check_voter(consultation, home, *, for_worker):
    """The resident belongs to the target (and to a household, where it counts households)."""
    if not home_in_target(home, consultation):
        message = (
            _("该居民不在本次征询的参与范围内。")
            if for_worker
            else _("本次征询仅限%(unit)s的居民参加。") % {"unit": _target_name(consultation)}
        )
        raise ApplicationError(
            message, code="forbidden", fields={"resident": message} if for_worker else None
        )
    if consultation.one_per == Consultation.OnePer.HOUSEHOLD and home.household_id is None:
        message = (
            _("该居民尚未登记所属户，不能代表户参与。")
            if for_worker
            else _("本次征询按户参与，您的住户信息尚未登记，请联系社区工作者。")
        )
        raise ApplicationError(message, code="forbidden")


def _target_name(consultation):
    if consultation.audience == Audience.COMPOUND:
        return str(consultation.compound)
    if consultation.audience == Audience.BUILDING:
        return str(consultation.building)
    return str(consultation.community)


def _check_open(consultation, now):
    phase = consultation.phase(now)
    if phase == Phase.UPCOMING:
        raise conflict(_("意见征询尚未开始。"))
    if phase != Phase.OPEN:
        raise conflict(_("意见征询不在进行中（%(phase)s）。") % {"phase": phase.label})


def _store_response(consultation, home, rows, *, for_worker=False, **fields):
    key = voter_key(consultation, home)
    per_household = consultation.one_per == Consultation.OnePer.HOUSEHOLD
    if for_worker:
        taken = _("该居民所在的户已经提交过。") if per_household else _("该居民已经提交过。")
    else:
        taken = (
            _("您家已有家庭成员提交过，每户只能提交一次。")
            if per_household
            else _("您已经提交过，每人只能提交一次。")
        )

    def write():
        response = Response.objects.create(
            consultation=consultation,
            voter_key=key,
            resident_id=home.resident_id,
            household_id=home.household_id,
            **fields,
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        return response

    # The unique (consultation, voter_key) is the guard: a concurrent sheet for the same
    # resident or household fails here, inside a savepoint, and nothing of it is kept.
    return insert_once(write, taken)


def _fresh(consultation):
    return Consultation.objects.select_related("community", "compound", "building").get(
        pk=consultation.pk
    )


@transaction.atomic
def consultation_respond(*, actor, consultation, answers) -> Response:
    """A verified resident of the target answers online, once (or once for the household)."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录。"), code="forbidden")
    if not actor.is_verified:
        raise ApplicationError(_("实名核验通过后才能参与意见征询。"), code="forbidden")
    consultation = _fresh(consultation)
    require(
        actor, "board.respond_consultation", consultation, _("只有本居民区的实名居民可以参与。")
    )
    home = resident_home(actor)
    if home is None:
        raise ApplicationError(
            _("您的账号未关联在住的居民信息，请联系社区工作者。"), code="forbidden"
        )
    _check_voter(consultation, home, for_worker=False)
    now = timezone.now()
    _check_open(consultation, now)
    rows = clean_answers(consultation, answers)
    return _store_response(
        consultation,
        home,
        rows,
        user=actor,
        channel=Response.Channel.ONLINE,
        submitted_at=now,
    )


def _home_of(resident) -> Home:
    building = resident.building
    return Home(
        resident_id=resident.pk,
        household_id=resident.household_id,
        community_id=resident.community_id,
        street_id=resident.community.street_id,
        compound_id=building.compound_id if building is not None else None,
        building_id=resident.building_id,
    )


@transaction.atomic
def consultation_paper_response(*, actor, consultation, resident, answers, note="") -> Response:
    """A worker enters the paper answer of an offline resident of the target; the sheet
    records the worker. The same one-per rule applies: an online answer first wins."""
    consultation = _fresh(consultation)
    require(actor, "board.enter_paper_response", consultation)
    note = text(note, "note", max_length=100, required=False)
    resident = (
        Resident.objects.select_related("community", "building").filter(pk=resident.pk).first()
    )
    if resident is None or resident.status != Resident.Status.LIVING:
        message = _("请选择在住的居民。")
        raise ApplicationError(message, code="invalid", fields={"resident": message})
    home = _home_of(resident)
    _check_voter(consultation, home, for_worker=True)
    now = timezone.now()
    _check_open(consultation, now)
    rows = clean_answers(consultation, answers)
    return _store_response(
        consultation,
        home,
        rows,
        user_id=resident.account_id,
        for_worker=True,
        channel=Response.Channel.PAPER,
        entered_by=actor,
        paper_note=note,
        submitted_at=now,
    )


__all__ = ["clean_answers", "consultation_paper_response", "consultation_respond", "voter_key"]
