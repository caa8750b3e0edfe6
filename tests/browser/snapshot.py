"""The whole test database copied once and put back before each test that reads the demo site.

Loading the demo (pages, records, prices, media through ffmpeg, search indexing) takes half a
minute; putting a copy back takes about a second. Each browser test still starts from the demo
exactly as ``load_demo`` leaves it, and is emptied after it as any transactional test is.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection

SCHEMA = "banlang_snapshot"
"""Where the PostgreSQL copy is kept: a schema of the test database, outside its search path."""


class DatabaseSnapshot:
    """A copy of every table of the test database, taken once and put back at will."""

    def __init__(self) -> None:
        self.taken = False
        self._sqlite: sqlite3.Connection | None = None
        self._sequences: list[tuple[str, int | None]] = []

    def take(self) -> None:
        """Copy the database as it is now."""
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self._sqlite)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
                cursor.execute(f"CREATE SCHEMA {SCHEMA}")
                for table in self._tables():
                    cursor.execute(f'CREATE TABLE {SCHEMA}."{table}" AS TABLE "{table}"')
                cursor.execute(
                    "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = current_schema()"
                )
                self._sequences = cursor.fetchall()
        self.taken = True

    def restore(self) -> None:
        """Put the copy back in place of whatever the database holds."""
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            assert self._sqlite is not None
            self._sqlite.backup(connection.connection)
        else:
            tables = self._tables()
            with connection.cursor() as cursor:
                # As a replica: no triggers and no foreign-key checks while the rows go back.
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))
                for table in tables:
                    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SCHEMA}."{table}"')
                for sequence, value in self._sequences:
                    if value is None:
                        cursor.execute("SELECT setval(%s, 1, false)", [sequence])
                    else:
                        cursor.execute("SELECT setval(%s, %s)", [sequence, value])
                cursor.execute("SET session_replication_role = DEFAULT")
        # Content types are cached by id, and the flush after the last test made new ones.
        ContentType.objects.clear_cache()

    @staticmethod
    def _tables() -> list[str]:
        with connection.cursor() as cursor:
            return connection.introspection.table_names(cursor)
