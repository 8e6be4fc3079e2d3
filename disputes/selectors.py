"""Reads of the dispute app: everything an actor may see starts from the one scope mechanism
(PEOPLE level), widened by the cases they own or mediate."""

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from accounts.scope import Level, actor_scope

from .models import DisputeCase, DisputeMediator, DisputeSweep, ReceptionDay, ReceptionRecord


def case_visibility_q(actor) -> Q:
    scope = actor_scope(actor)
    if not actor or not actor.is_authenticated:
        return Q(pk__in=[])
    if scope.is_global:
        return Q()  # (an empty Q would vanish from the OR below)
    q = Q(pk__in=DisputeMediator.objects.filter(user=actor).values("case_id")) | Q(owner=actor)
    if scope.sees_people:
        q |= scope.q(DisputeCase, Level.PEOPLE)
    return q


def case_list(*, actor, filters=None):
    """Cases the actor may read. Filters: status, category, community, risk_level,
    followup_first (due follow-ups first)."""
    filters = filters or {}
    qs = (
        DisputeCase.objects.filter(case_visibility_q(actor))
        .select_related("community", "grid", "owner")
        .annotate(party_count=Count("parties", distinct=True))
        .order_by("-created_at", "-pk")
    )
    for key in ("status", "category", "risk_level", "community"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("followup_first"):
        # Follow-ups pending (status resolved) first, soonest due first; then the rest.
        pending = Case(
            When(status=DisputeCase.Status.RESOLVED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        qs = qs.order_by(pending, F("followup_due_at").asc(nulls_last=True), "-pk")
    return qs


def case_get(*, actor, pk):
    """One case with everything its detail shows (404 via DoesNotExist when not readable)."""
    return (
        DisputeCase.objects.filter(case_visibility_q(actor))
        .select_related("community", "grid", "owner", "opened_by", "sweep", "reception")
        .prefetch_related("parties__resident", "mediators", "sessions", "events")
        .get(pk=pk)
    )


def sweep_list(*, actor):
    return (
        actor_scope(actor)
        .filter(DisputeSweep.objects.all(), Level.PEOPLE)
        .select_related("community", "grid", "swept_by")
        .annotate(case_count=Count("cases"))
        .order_by("-swept_on", "-pk")
    )


def reception_day_list(*, actor):
    return (
        actor_scope(actor)
        .filter(ReceptionDay.objects.all(), Level.PEOPLE)
        .select_related("community")
        .prefetch_related("receivers")
        .annotate(record_count=Count("records"))
        .order_by("-day", "time_slot", "-pk")
    )


def reception_record_list(*, actor, reception):
    return (
        actor_scope(actor)
        .filter(ReceptionRecord.objects.filter(reception=reception), Level.PEOPLE)
        .select_related("received_by")
        .order_by("-created_at", "-pk")
    )
