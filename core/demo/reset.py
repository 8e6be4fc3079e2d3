"""Deleting the demo: every row that lies in the demo district, found through `scope_paths`.

Any model that declares where it sits in the organisation tree is covered, including the
models later issues add, without this module knowing them. Rows are deleted leaf first: a
model whose rows are still protected by another's is retried after the others are gone.
"""

from django.apps import apps
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.test.utils import override_settings

from accounts.models import RoleAssignment, User
from grids.models import District, Street

from . import data
from .builder import PENDING_RESIDENT_PHONE, VERIFIED_RESIDENT_PHONE
from .cases import DEPARTMENTS


def demo_usernames():
    names = ["admin", "district_leader", "street_admin", "worker", "grid_leader"]
    names += [f"worker{n}" for n in range(2, len(data.BASE_COMMUNITIES) + 1)]
    names += [login for login, *_rest in DEPARTMENTS]  # the departments' staff (cases)
    return [*names, VERIFIED_RESIDENT_PHONE, PENDING_RESIDENT_PHONE]


def _in_district(model, district):
    paths = model.scope_paths
    if paths.district == "pk":
        return model._default_manager.filter(pk=district.pk)
    return model._default_manager.filter(**{f"{paths.district}_id": district.pk})


@transaction.atomic
def delete_demo() -> bool:
    district = District.objects.filter(code=data.DISTRICT["code"]).first()
    if district is None:
        return False
    # A model whose table is not migrated yet holds no demo rows.
    tables = set(connection.introspection.table_names())
    scoped = [
        m
        for m in apps.get_models()
        if hasattr(m, "scope_paths")
        and m not in (District, Street)
        and not m._meta.proxy
        and m.scope_paths.district is not None
        and m._meta.db_table in tables
    ]
    # The demo's history rows are demo data too; no new history row is written for what a
    # reset removes (one per resident would make a reset of 100,000 take minutes).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in scoped:
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model"):
                _delete_history(history.model, model, district)
        # A row pointing at another row of its own table (a topic merged into another) would
        # protect it from the collector: those links go first, the rows go anyway.
        for model in scoped:
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is model and f.null:
                    _in_district(model, district).exclude(**{f.name: None}).update(**{f.name: None})
        _delete_reminders(district, tables)
        pending = scoped
        while pending:
            # First what nothing references any more, with one DELETE per table; then, when
            # only referenced rows are left, Django's collector (SET_NULL, CASCADE, PROTECT).
            left = [
                m for m in pending if not _delete_unreferenced(_in_district(m, district), tables)
            ]
            if len(left) == len(pending):
                left = [m for m in pending if not _collect_delete(_in_district(m, district))]
                if len(left) == len(pending):
                    names = [m.__name__ for m in left]
                    raise RuntimeError(f"demo rows still referenced: {names}")
            pending = left
        Street.objects.filter(district=district).delete()
        district.delete()
        users = User.objects.filter(username__in=demo_usernames())
        RoleAssignment.history.filter(user_id__in=users.values("pk")).delete()
        users.delete()
    return True


def _delete_reminders(district, tables):
    """The reminder ledger keeps (clock, subject id) without a foreign key: the demo's rows are
    found through each registered clock's subject model."""
    from django.utils import timezone

    from notifications.clocks import registered
    from notifications.models import Reminder

    if Reminder._meta.db_table not in tables:
        return
    for key, clock in registered().items():
        model = clock.due(level=clock.levels[0], now=timezone.now()).model
        if getattr(model, "scope_paths", None) is None or model.scope_paths.district is None:
            continue
        ids = _in_district(model, district).values("pk")
        Reminder.objects.filter(clock=key, subject_id__in=ids).delete()


def _raw_delete(qs):
    model = qs.model
    qn = connection.ops.quote_name
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.pk.column)} IN ({sql})",
            params,
        )


def _delete_unreferenced(qs, tables) -> bool:
    """Delete `qs` in one statement if no row anywhere points at it (its own many-to-many
    rows are removed first). Returns whether it did."""
    for field in qs.model._meta.local_many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name()
        _raw_delete(through._base_manager.filter(**{f"{source}__in": qs.values("pk")}))
    for relation in qs.model._meta.related_objects:
        if relation.related_model._meta.db_table not in tables:
            continue
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": qs.values("pk")}
        )
        if related.exists():
            return False
    _raw_delete(qs)
    return True


def _collect_delete(qs) -> bool:
    try:
        with transaction.atomic():
            qs.delete()
    except (ProtectedError, RestrictedError):
        return False
    return True


def _delete_history(history_model, model, district):
    paths = model.scope_paths
    if paths.district in (None, "pk"):
        return
    # Historical rows keep the foreign keys (without constraints), so the same path works.
    history_model._default_manager.filter(**{f"{paths.district}_id": district.pk}).delete()
