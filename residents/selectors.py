"""Reads of the people's-conditions database, always within the actor's scope.

Selectors only read. Opening a resident's full record is logged by the caller through
`services.resident_record_view` (the API detail view and the admin change view do so), because
a read path that writes would surprise every other caller (exports, the import preview, tests).
"""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .filters import HouseholdFilter, ResidentAccessLogFilter, ResidentFilter, TagFilter
from .models import Household, Resident, ResidentAccessLog, Tag


def _apply(filterset_class, filters, queryset):
    filterset = filterset_class(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        fields = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError(first, code="invalid", fields=fields)
    return filterset.qs


def _not_found():
    return ApplicationError(_("未找到该记录。"), code="not_found")


def tags_prefetch():
    return Prefetch("tags", queryset=Tag.objects.order_by("family", "sort_order", "name"))


def resident_queryset(*, actor) -> QuerySet:
    """Every resident the actor may see at the people level, with what a row shows loaded."""
    qs = Resident.objects.select_related("community", "grid", "building").prefetch_related(
        tags_prefetch()
    )
    return actor_scope(actor).filter(qs, Level.PEOPLE)


def resident_list(*, actor, filters=None) -> QuerySet:
    return _apply(ResidentFilter, filters, resident_queryset(actor=actor))


def resident_get(*, actor, pk) -> Resident:
    """One resident in scope, or not_found (a resident out of scope does not exist for you)."""
    qs = resident_queryset(actor=actor).select_related(
        "household", "household__building", "account"
    )
    resident = qs.filter(pk=pk).first()
    if resident is None:
        raise _not_found()
    return resident


def household_queryset(*, actor) -> QuerySet:
    members = Prefetch("members", queryset=Resident.objects.order_by("relation_to_head", "name"))
    qs = Household.objects.select_related("community", "grid", "building").prefetch_related(members)
    return actor_scope(actor).filter(qs, Level.PEOPLE)


def household_list(*, actor, filters=None) -> QuerySet:
    return _apply(HouseholdFilter, filters, household_queryset(actor=actor))


def household_get(*, actor, pk) -> Household:
    household = household_queryset(actor=actor).filter(pk=pk).first()
    if household is None:
        raise _not_found()
    return household


def tag_queryset(*, actor) -> QuerySet:
    return actor_scope(actor).filter(Tag.objects.select_related("street"), Level.PEOPLE)


def tag_list(*, actor, filters=None) -> QuerySet:
    return _apply(TagFilter, filters, tag_queryset(actor=actor))


def tag_get(*, actor, pk) -> Tag:
    tag = tag_queryset(actor=actor).filter(pk=pk).first()
    if tag is None:
        raise _not_found()
    return tag


def access_log_queryset(*, actor) -> QuerySet:
    """Street admins read the log of their streets (not merely of communities they work in)."""
    qs = ResidentAccessLog.objects.select_related("user", "community")
    scope = actor_scope(actor)
    if scope.is_global:
        return qs
    return qs.filter(community__street_id__in=scope.street_ids)


def access_log_list(*, actor, filters=None) -> QuerySet:
    return _apply(ResidentAccessLogFilter, filters, access_log_queryset(actor=actor))


def resident_stats(*, actor) -> dict:
    """Counts of living residents per community and per tag within the actor's ORG scope.

    Numbers only, no names: this is what a district leader may see of the database.
    """
    residents = actor_scope(actor).filter(
        Resident.objects.filter(status=Resident.Status.LIVING), Level.ORG
    )
    per_community = list(
        residents.values("community_id", "community__name")
        .annotate(count=Count("pk"))
        .order_by("community__name")
    )
    per_tag = list(
        residents.filter(tags__isnull=False)
        .values("tags__id", "tags__name", "tags__family")
        .annotate(count=Count("pk"))
        .order_by("tags__family", "tags__name")
    )
    total = residents.count()
    return {
        "total": total,
        "communities": [
            {"id": r["community_id"], "name": r["community__name"], "count": r["count"]}
            for r in per_community
        ],
        "tags": [
            {
                "id": r["tags__id"],
                "name": r["tags__name"],
                "family": r["tags__family"],
                "count": r["count"],
            }
            for r in per_tag
        ],
    }
