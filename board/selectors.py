"""Every read of the board, within the actor's scope (board.scope on accounts.scope).

- Staff read notices and consultations of the units in their ORG scope (drafts only those
  who manage them); residents the live notices that address them and the published
  consultations of their community.
- Names of people (who has not acknowledged, who answered) are read at the PEOPLE level of
  the residents themselves, so a grid leader sees their grid's residents only.
- Counts are correlated subqueries or one GROUP BY per page, so a list costs the same at 1
  row and at 50, and results and turnout are counted in the database.
"""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from residents.models import Household, Resident

from .models import (
    Answer,
    Audience,
    Consultation,
    ConsultationEvent,
    Notice,
    NoticeAck,
    NoticeAttachment,
    NoticeEvent,
    NoticeRead,
    Option,
    Question,
    Response,
)
from .scope import (
    addressed_q,
    manager_q,
    resident_home,
    residents_in_target_q,
    staff_consultation_q,
    staff_notice_q,
)


def not_found():
    return ApplicationError(_("未找到该记录，或不在您的管辖范围内。"), code="not_found")


def _count(qs, group):
    """A correlated COUNT over `qs` grouped by `group` (one value per outer row)."""
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


# ---------------------------------------------------------------------------------------------
# Notices


def notice_queryset(*, actor, now=None):
    now = now or timezone.now()
    scope = actor_scope(actor)
    qs = Notice.objects.select_related("street", "community", "compound", "building")
    if not scope.is_global:
        staff = staff_notice_q(actor) & (~Q(status=Notice.Status.DRAFT) | manager_q(actor))
        live = Q(status=Notice.Status.PUBLISHED, publish_at__lte=now) & (
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
        qs = qs.filter(staff | (addressed_q(actor) & live))
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    return qs.annotate(
        read_count=_count(NoticeRead.objects.filter(notice=OuterRef("pk")), "notice"),
        ack_count=_count(NoticeAck.objects.filter(notice=OuterRef("pk")), "notice"),
        my_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=user_id)),
        my_ack=Exists(NoticeAck.objects.filter(notice=OuterRef("pk"), user_id=user_id)),
        my_ack_at=Subquery(
            NoticeAck.objects.filter(notice=OuterRef("pk"), user_id=user_id).values("acked_at")[:1]
        ),
    ).order_by("-pinned", F("publish_at").desc(nulls_first=True), "-pk")


def notice_list(*, actor, filters=None):
    from .filters import NoticeFilter, apply_filters

    return apply_filters(NoticeFilter, filters, notice_queryset(actor=actor))


def notice_get(*, actor, pk) -> Notice:
    qs = notice_queryset(actor=actor).prefetch_related(
        Prefetch("attachments", queryset=NoticeAttachment.objects.order_by("kind", "pk")),
        Prefetch("events", queryset=NoticeEvent.objects.filter(is_public=True)),
    )
    return _get(qs, pk)


def notice_audience_counts(notice) -> dict:
    """Living residents the notice addresses, and how many of them have a verified account
    (who are notified in the inbox and can acknowledge)."""
    from .services.notices import notice_recipients

    residents = Resident.objects.filter(status=Resident.Status.LIVING).filter(
        residents_in_target_q(notice)
    )
    return {"residents": residents.count(), "accounts": notice_recipients(notice).count()}


def notice_unacknowledged(*, actor, notice):
    """Residents addressed who have not acknowledged yet, within the actor's people scope.
    A resident without an account cannot acknowledge online and is listed (for a visit)."""
    acked = NoticeAck.objects.filter(notice=notice, user_id=OuterRef("account_id"))
    residents = (
        Resident.objects.filter(status=Resident.Status.LIVING)
        .filter(residents_in_target_q(notice))
        .filter(~Exists(acked))
        .select_related("community", "grid", "building")
        .order_by("community_id", "building__name", "room", "name", "pk")
    )
    return actor_scope(actor).filter(residents, Level.PEOPLE)


# ---------------------------------------------------------------------------------------------
# Consultations


def _voter_keys(actor):
    home = resident_home(actor)
    if home is None:
        return []
    keys = [f"r:{home.resident_id}"]
    if home.household_id is not None:
        keys.append(f"h:{home.household_id}")
    return keys


def consultation_queryset(*, actor):
    scope = actor_scope(actor)
    qs = Consultation.objects.select_related(
        "community", "community__street", "compound", "building"
    )
    if not scope.is_global:
        staff = staff_consultation_q(actor) & (
            ~Q(status=Consultation.Status.DRAFT) | manager_q(actor, street_wide=False)
        )
        public = Q(community_id__in=scope.resident_community_ids) & ~Q(
            status=Consultation.Status.DRAFT
        )
        qs = qs.filter(staff | public)
    return qs.annotate(
        response_count=_count(Response.objects.filter(consultation=OuterRef("pk")), "consultation"),
        my_response=Exists(
            Response.objects.filter(consultation=OuterRef("pk"), voter_key__in=_voter_keys(actor))
        ),
    ).order_by("-opens_at", "-pk")


def consultation_list(*, actor, filters=None):
    from .filters import ConsultationFilter, apply_filters

    return apply_filters(ConsultationFilter, filters, consultation_queryset(actor=actor))


def _questions_prefetch():
    return Prefetch(
        "questions",
        queryset=Question.objects.order_by("position").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        ),
    )


def consultation_get(*, actor, pk) -> Consultation:
    qs = consultation_queryset(actor=actor).prefetch_related(
        _questions_prefetch(),
        Prefetch("events", queryset=ConsultationEvent.objects.filter(is_public=True)),
    )
    return _get(qs, pk)


def _subcount(qs):
    """SELECT COUNT(*) of `qs` as a correlated scalar subquery (no GROUP BY)."""
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def eligible_expression():
    """Per consultation row: its living residents of the target, or the target's households
    with at least one living member (by `one_per`). One expression, so a single turnout and
    the dashboard's sums over many consultations count the same people."""
    living = Resident.objects.filter(status=Resident.Status.LIVING)
    occupied = Household.objects.filter(Exists(living.filter(household=OuterRef("pk"))))
    targets = {
        Audience.COMMUNITY: {"community_id": OuterRef("community_id")},
        Audience.COMPOUND: {"building__compound_id": OuterRef("compound_id")},
        Audience.BUILDING: {"building_id": OuterRef("building_id")},
    }
    whens = []
    for audience, target in targets.items():
        whens.append(
            When(
                audience=audience,
                one_per=Consultation.OnePer.HOUSEHOLD,
                then=_subcount(occupied.filter(**target)),
            )
        )
        whens.append(When(audience=audience, then=_subcount(living.filter(**target))))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def eligible_count(consultation) -> int:
    """Living residents of the target, or its households with at least one living member."""
    return (
        Consultation.objects.filter(pk=consultation.pk)
        .annotate(eligible=eligible_expression())
        .values_list("eligible", flat=True)
        .get()
    )


def consultation_results(consultation) -> dict:
    """Turnout and per-option counts, all counted in the database (six queries whatever
    the size). Shares are of the sheets that answered the question."""
    by_channel = dict(
        Response.objects.filter(consultation=consultation)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    responses = sum(by_channel.values())
    eligible = eligible_count(consultation)
    answers = Answer.objects.filter(question__consultation=consultation)
    option_counts = dict(
        answers.filter(option__isnull=False)
        .values_list("option_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    respondents = dict(
        answers.values_list("question_id").annotate(n=Count("response", distinct=True)).order_by()
    )
    texts = dict(
        answers.filter(option__isnull=True)
        .values_list("question_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    questions = []
    for question in (
        Question.objects.filter(consultation=consultation)
        .order_by("position")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
    ):
        answered = respondents.get(question.pk, 0)
        questions.append(
            {
                "id": question.pk,
                "position": question.position,
                "kind": question.kind,
                "text": question.text,
                "respondents": answered,
                "text_answers": texts.get(question.pk, 0),
                "options": [
                    {
                        "id": option.pk,
                        "position": option.position,
                        "text": option.text,
                        "count": option_counts.get(option.pk, 0),
                        "share": _share(option_counts.get(option.pk, 0), answered),
                    }
                    for option in question.options.all()
                ],
            }
        )
    return {
        "turnout": {
            "one_per": consultation.one_per,
            "eligible": eligible,
            "responses": responses,
            "online": by_channel.get(Response.Channel.ONLINE, 0),
            "paper": by_channel.get(Response.Channel.PAPER, 0),
            "rate": _share(responses, eligible),
        },
        "questions": questions,
    }


def _share(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def text_answers(consultation):
    """The free-text opinions, without names (staff read them; the export lists them)."""
    return (
        Answer.objects.filter(question__consultation=consultation, option__isnull=True)
        .select_related("question")
        .order_by("question__position", "pk")
    )


def response_list(*, actor, consultation):
    """Who answered, within the actor's people scope (a grid leader: their grid's)."""
    residents = actor_scope(actor).filter(Resident.objects.all(), Level.PEOPLE)
    return (
        Response.objects.filter(consultation=consultation, resident__in=residents)
        .select_related("resident", "resident__building", "household", "entered_by", "user")
        .order_by("submitted_at", "pk")
    )


def my_response(*, actor, consultation):
    """The actor's own sheet (or their household's), with its answers."""
    keys = _voter_keys(actor)
    if not keys:
        return None
    return (
        Response.objects.filter(consultation=consultation, voter_key__in=keys)
        .select_related("resident", "entered_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question", "option").order_by(
                    "question__position", "option__position", "pk"
                ),
            )
        )
        .first()
    )
