"""The full-text index on each database: how rows are written, matched and ranked.

Both index the same four analysed columns of a document (exact and folded title, exact and
folded body), each token prefixed with the document's language. A query requires every folded
term in the folded title or body; the exact terms only add to the score, and titles count more
than bodies, so "má" ranks above "mà" and a title match above a passing mention.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import BooleanField, Field, FloatField
from django.db.models.expressions import Expression

INDEX_TABLE = "search_index"

TITLE_EXACT_WEIGHT = 10.0
TITLE_FOLDED_WEIGHT = 4.0
BODY_EXACT_WEIGHT = 2.5
BODY_FOLDED_WEIGHT = 1.0


class AnalysedColumns(NamedTuple):
    """A document's analysed text, each column's tokens space-separated and language-prefixed."""

    title_exact: str
    title_folded: str
    body_exact: str
    body_folded: str


class IndexSQL(Expression):
    """SQL about the index table of a query over ``IndexRow``, wherever the query puts it.

    ``{table}`` in the template stands for the table's alias, which changes when the query is
    used as a subquery.
    """

    def __init__(self, template: str, params: Sequence[Any], output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params, self.alias = template, list(params), INDEX_TABLE

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> "IndexSQL":
        """Remember the alias of the query's base table, the index table."""
        resolved = self.copy()
        if query is not None:
            resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map: dict[str, str]) -> "IndexSQL":
        """Follow the index table when the query is relabelled as a subquery."""
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """The template with the table's alias."""
        return self.template.format(table=compiler.quote_name_unless_alias(self.alias)), self.params


def qualify(language: str, tokens: Iterable[str]) -> list[str]:
    """Tokens prefixed with their language, as the index stores them."""
    return [f"{language}_{token}" for token in tokens if token]


@dataclass(frozen=True)
class FullTextIndex:
    """What the search service needs from the database's full-text index."""

    vendor: str

    def insert(self, rows: Sequence[tuple[int, AnalysedColumns]]) -> None:
        """Add the analysed text of documents (by id) to the index."""
        if not rows:
            return
        if self.vendor == "postgresql":
            sql = f"INSERT INTO {INDEX_TABLE} (rowid, vector) VALUES (%s, %s::tsvector)"
            params = [(pk, _tsvector(columns)) for pk, columns in rows]
        else:
            sql = (
                f"INSERT INTO {INDEX_TABLE} "
                "(rowid, title_exact, title_folded, body_exact, body_folded) "
                "VALUES (%s, %s, %s, %s, %s)"
            )
            params = [(pk, *columns) for pk, columns in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def optimise(self) -> None:
        """Make a freshly filled index fast to query, and give the planner its statistics.

        On PostgreSQL, rows inserted in bulk wait in the GIN index's pending list, which every
        query reads through until it is merged; on SQLite, FTS5 merges its segments.
        """
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT gin_clean_pending_list('search_index_vector'::regclass)")
                cursor.execute(f"ANALYZE {INDEX_TABLE}")
                cursor.execute("ANALYZE search_searchdocument")
            else:
                cursor.execute(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('optimize')")
                cursor.execute("ANALYZE")

    def match(self, folded: Sequence[str], exact: Sequence[str]) -> IndexSQL:
        """A condition: every folded term in the folded title or body (terms qualified)."""
        if self.vendor == "postgresql":
            query = " & ".join(f"{_ts_lexeme(term)}:BD" for term in folded)
            return IndexSQL("{table}.vector @@ %s::tsquery", [query], BooleanField())
        required = " AND ".join(map(_fts_string, folded))
        optional = " OR ".join(map(_fts_string, exact))
        expression = f"{{title_folded body_folded}} : ({required})"
        if optional:
            expression += (
                f" AND ({{title_exact body_exact}} : ({optional})"
                f" OR {{title_folded body_folded}} : ({_fts_string(folded[0])}))"
            )
        return IndexSQL(f"{{table}}.{INDEX_TABLE} MATCH %s", [expression], BooleanField())

    def score(self, folded: Sequence[str], exact: Sequence[str]) -> IndexSQL:
        """The relevance of a matched row, higher is better (SQLite: of the ``match`` above)."""
        if self.vendor == "postgresql":
            query = " | ".join(
                [f"{_ts_lexeme(term)}:AC" for term in exact]
                + [f"{_ts_lexeme(term)}:BD" for term in folded]
            )
            weights = ", ".join(
                str(weight / TITLE_EXACT_WEIGHT)
                for weight in (
                    BODY_FOLDED_WEIGHT,
                    BODY_EXACT_WEIGHT,
                    TITLE_FOLDED_WEIGHT,
                    TITLE_EXACT_WEIGHT,
                )
            )
            return IndexSQL(
                f"ts_rank('{{{{{weights}}}}}', {{table}}.vector, %s::tsquery)",
                [query],
                FloatField(),
            )
        return IndexSQL(
            f"-bm25({{table}}.{INDEX_TABLE}, {TITLE_EXACT_WEIGHT}, {TITLE_FOLDED_WEIGHT}, "
            f"{BODY_EXACT_WEIGHT}, {BODY_FOLDED_WEIGHT})",
            [],
            FloatField(),
        )

    def title_prefix_match(self, terms: Sequence[str], prefix: str) -> IndexSQL:
        """A condition: the folded title has every whole term and a token starting ``prefix``."""
        if self.vendor == "postgresql":
            parts = [f"{_ts_lexeme(term)}:B" for term in terms] + [f"{_ts_lexeme(prefix)}:*B"]
            return IndexSQL("{table}.vector @@ %s::tsquery", [" & ".join(parts)], BooleanField())
        parts = [_fts_string(term) for term in terms] + [f"{_fts_string(prefix)} *"]
        return IndexSQL(
            f"{{table}}.{INDEX_TABLE} MATCH %s",
            [f"{{title_folded}} : ({' AND '.join(parts)})"],
            BooleanField(),
        )


def database_index() -> FullTextIndex:
    """The full-text index of the default database."""
    return FullTextIndex(connection.vendor)


def _fts_string(term: str) -> str:
    """A term as an FTS5 string, which the tokenizer reads as one token."""
    return '"' + term.replace('"', '""') + '"'


def _ts_lexeme(term: str) -> str:
    """A term as a quoted ``tsquery``/``tsvector`` lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(columns: AnalysedColumns) -> str:
    """The ``tsvector`` literal of a document: each column's tokens with their own weight."""
    parts: list[str] = []
    position = 0
    for tokens, weight in zip(columns, "ABCD", strict=True):
        for token in tokens.split():
            position = min(position + 1, 16383)
            parts.append(f"{_ts_lexeme(token)}:{position}{weight}")
    return " ".join(parts)
