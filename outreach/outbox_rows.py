"""Writing many outbox rows at once, selected and written by the database itself."""

from typing import Any

from django.db import NotSupportedError, connection
from django.db.models import Field, Func, QuerySet, UUIDField

from outreach.models import Message


class RandomUUID(Func):
    """A random version 4 UUID made by the database, a new one for each row."""

    output_field = UUIDField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:  # type: ignore[override]  # Django passes only compiler and connection
        raise NotSupportedError(f"RandomUUID is not written for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return "gen_random_uuid()", []

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:  # type: ignore[override]  # params may be a list; the stubs want a tuple
        # 32 hex digits, as Django keeps a UUID in SQLite, with the version and variant bits.
        return (
            "lower(hex(randomblob(4)) || hex(randomblob(2)) || '4' || substr(hex(randomblob(2)), 2)"
            " || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2)"
            " || hex(randomblob(6)))",
            [],
        )


INSERTED = (
    "key", "bulletin", "contact", "channel", "kind", "language", "subject", "text", "html",
    "link", "urgent", "state", "attempts", "due_at", "provider_id", "error", "created_at",
)  # fmt: skip
"""The columns ``insert_messages`` fills, in its rows' order; the others are empty."""


def _column(name: str) -> str:
    """The column of ``Message``'s field ``name``."""
    field = Message._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # a field with a column
    return field.column


def insert_messages(rows: QuerySet) -> int:
    """Insert the messages ``rows`` selects, a ``values_list`` of the ``INSERTED`` fields'
    values, in one ``INSERT … SELECT``: the rows never pass through Python. A message already
    there (the same bulletin or digest and contact) is left as it is. How many were added."""
    columns = ", ".join(connection.ops.quote_name(_column(name)) for name in INSERTED)
    select, params = rows.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # SQLite reads "ON CONFLICT" after a SELECT as the SELECT's own unless it has a WHERE.
        cursor.execute(
            f"INSERT INTO {Message._meta.db_table} ({columns}) "
            f"SELECT * FROM ({select}) AS selected WHERE TRUE ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount
