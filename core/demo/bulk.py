"""Fast inserts for the demo's large tables (households, residents, their tags).

`bulk_create` builds a model instance per row and prepares every value through the field
machinery; for 100,000 residents that alone took most of a minute. Here rows are plain
tuples written with `executemany`, primary keys reserved up front (so that children can point
at their parents without reading anything back), and every column the caller leaves out takes
its field default, so a column added to a model later still gets a valid value.
"""

import io

from django.db import connection
from django.db.models import DateField, DateTimeField

BATCH = 5000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value):
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def _copy_text(rows):
    """Rows in PostgreSQL's COPY text format (tab-separated, \\N for NULL)."""
    return io.StringIO("".join("\t".join(map(_copy_value, row)) + "\n" for row in rows))


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model`, taken from the table's own sequence."""
    if count == 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # nextval is safe against concurrent inserts and leaves the sequence past our ids.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the build holds the write lock for its whole transaction, and AUTOINCREMENT
        # moves its counter past explicit ids, so max+1 onwards is ours.
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


class Inserter:
    """INSERTs rows of `model` given as tuples in the order of `names` (field attnames)."""

    def __init__(self, model, names):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(names) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.given = [fields[n] for n in names]
        # Columns left out: the primary key (auto) or the field's default, prepared once.
        self.constant = []
        for field in model._meta.concrete_fields:
            if field.attname in names or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = field.pre_save(model(), add=True)
            else:
                # "" for a text field without a default, None for a nullable one.
                value = field.get_default()
                if value is None and not field.null:
                    raise ValueError(f"{model.__name__}.{field.attname} needs a value")
            self.constant.append((field, field.get_db_prep_save(value, connection)))
        self.adapt = [
            i for i, f in enumerate(self.given) if isinstance(f, DateField | DateTimeField)
        ]
        qn = connection.ops.quote_name
        columns = [f.column for f in self.given] + [f.column for f, _v in self.constant]
        self.width = len(columns)
        self.head = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES "
        )
        self.values = f"({', '.join(['%s'] * len(columns))})"
        self.sql = self.head + self.values
        self.copy_sql = (
            f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        )
        self.tail = tuple(v for _f, v in self.constant)
        self.pending = []
        self.count = 0

    def add(self, row: tuple):
        if self.adapt:
            row = list(row)
            for i in self.adapt:
                row[i] = self.given[i].get_db_prep_save(row[i], connection)
        self.pending.append(tuple(row) + self.tail)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # In-process: executemany is the fastest path.
                cursor.executemany(self.sql, self.pending)
            elif hasattr(cursor.cursor, "copy_expert"):
                # psycopg2 on PostgreSQL: COPY, several times faster than INSERT.
                cursor.cursor.copy_expert(self.copy_sql, _copy_text(self.pending))
            else:
                # A network round trip per row (executemany) would dominate: send multi-row
                # VALUES, within PostgreSQL's 65,535 parameters per statement.
                per_statement = max(1, 60_000 // self.width)
                for start in range(0, len(self.pending), per_statement):
                    chunk = self.pending[start : start + per_statement]
                    cursor.execute(
                        self.head + ", ".join([self.values] * len(chunk)),
                        [value for row in chunk for value in row],
                    )
        self.count += len(self.pending)
        self.pending = []
