"""Reads for the lists sent upward, within the one scope mechanism.

Lists: superusers all; street admins their street's; community workers their street's (items
only of their own communities); district leaders their district's. Items are limited by their
community through `Scope.q(..., Level.ORG)`, which covers exactly those communities (grid
leaders' grids are no community of theirs, so grid leaders see nothing)."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from accounts.models import Role
from accounts.scope import actor_scope
from grids.models import Community

from .filters import ItemFilter, ReportFilter, apply_filters
from .models import ReportItem, UpwardReport

READER_ROLES = {Role.STREET_ADMIN, Role.COMMUNITY_WORKER, Role.DISTRICT_LEADER}


def _readable_communities(actor):
    scope = actor_scope(actor)
    if scope.is_global:
        return None
    if not READER_ROLES & set(scope.roles):
        return frozenset()
    # Street admins' and workers' communities in full, district leaders' district (no grids).
    return scope.org_community_ids


def item_queryset(actor):
    qs = ReportItem.objects.select_related(
        "community", "topic", "grid_event", "grid_event__category", "report"
    )
    communities = _readable_communities(actor)
    if communities is None:
        return qs
    return qs.filter(community_id__in=communities)


def report_queryset(actor):
    qs = UpwardReport.objects.select_related("street")
    communities = _readable_communities(actor)
    if communities is None:
        return qs
    streets = Community.objects.filter(pk__in=communities).values("street_id")
    return qs.filter(street_id__in=streets)


def _with_counts(qs, actor):
    items = item_queryset(actor).values("pk")
    in_scope = Q(items__pk__in=items)
    return qs.annotate(
        item_count=Count("items", filter=in_scope, distinct=True),
        accepted_count=Count(
            "items",
            filter=in_scope & Q(items__status__in=["accepted", "in_progress", "done"]),
            distinct=True,
        ),
        done_count=Count("items", filter=in_scope & Q(items__status="done"), distinct=True),
    )


def report_list(*, actor, filters=None):
    qs = _with_counts(report_queryset(actor), actor).order_by("-year", "kind", "street_id", "pk")
    return apply_filters(ReportFilter, filters, qs)


def report_get(*, actor, pk, with_items=True) -> UpwardReport:
    qs = _with_counts(report_queryset(actor), actor)
    if with_items:
        qs = qs.prefetch_related(
            Prefetch(
                "items",
                queryset=item_queryset(actor).order_by("position", "pk"),
                to_attr="visible_items",
            )
        )
    return get_object_or_404(qs, pk=pk)


def item_get(*, actor, report, pk) -> ReportItem:
    return get_object_or_404(item_queryset(actor), report=report, pk=pk)


def report_figures(*, actor, filters=None) -> list[dict]:
    """Aggregates per list kind, year and item status (counts only; for district leaders)."""
    qs = apply_filters(ItemFilter, filters, item_queryset(actor))
    return list(
        qs.values("report__year", "report__kind", "status")
        .annotate(count=Count("pk"))
        .order_by("report__year", "report__kind", "status")
    )
