"""The full-text index on each database: how rows are written, matched and ranked.

Both index the same four analysed columns of a document (exact and folded title, exact and
folded body), each token prefixed with the document's language, in the order of the text. A
query requires each of its folded words, its tokens one after the other, in the folded title or
body. The signals that order the matches (``search.ranking``) are conditions on the same index,
which the database checks for every matched row as it sorts them; among rows with the same
signals, a relevance score decides, in which titles count more than bodies and exact forms
more than folded ones.

SQLite's FTS5 table keeps the four columns and every token's position: a word of several tokens
is an FTS5 phrase, and each signal is a further match on the table.

PostgreSQL's ``tsvector`` holds them with weights A (exact title), B (folded title), C (exact
body) and D (folded body). The exact and folded tokens of a text share positions (where they are
as many), and the body starts a few positions after the title, so no phrase spans the two. A
lexeme in both forms (a word without marks) keeps the higher weight, so folded words are matched
whatever the weight and exact ones as A or C. A ``tsvector`` keeps at most 256 positions of a
lexeme, and none past 16,383: so a Khmer run is indexed as its clusters and also as cluster
pairs (each at the position of its first cluster), which are far rarer, and a Khmer word of
several clusters is matched as its pairs in sequence.
"""

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import BooleanField, Field, FloatField, IntegerField
from django.db.models.expressions import Expression

from search import ranking
from search.analysis import BREAK, AutocompleteQuery, QueryWords, Word

INDEX_TABLE = "search_index"
MERGE_PAGES = 500
"""Pages of the SQLite index merged per transaction when it is optimised (about 2 MB)."""
ANALYSIS_LIMIT = 2000
"""Rows of each index SQLite samples for the planner's statistics."""
LOCK_SECONDS = 0.2
"""About how long one write transaction of a long run on SQLite (a rebuild's batch) may hold
the database's one write lock: what a writer waiting for it waits at most, besides its turn."""
WRITERS_TURN_SECONDS = 0.12
"""How long a long run of SQLite write transactions leaves the database's one write lock free
after each: longer than the longest sleep of SQLite's busy handler (100 ms), so a writer that
was waiting for the lock takes it before the next transaction of the run does."""

TITLE_EXACT_WEIGHT = 10.0
TITLE_FOLDED_WEIGHT = 4.0
BODY_EXACT_WEIGHT = 2.5
BODY_FOLDED_WEIGHT = 1.0

MAX_POSITION = 16383
COLUMN_GAP = 4
"""Positions between the title's tokens and the body's in a ``tsvector``: more than the widest
step of a phrase query (2, from a Khmer run's last pair to the token after the run)."""

_KHMER_LETTER = re.compile("[\u1780-\u17b3\u17d7\u17dc]")


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

    def relabeled_clone(self, change_map: Mapping[str, str]) -> "IndexSQL":
        """Follow the index table when the query is relabelled as a subquery."""
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # params may be a list; the stubs want a tuple
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
        params: list[tuple[int | str, ...]]
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

    def optimise(self, progress: Callable[[str], None] | None = None) -> None:
        """Make a freshly filled index fast to query, and give the planner its statistics.

        On PostgreSQL, rows inserted in bulk wait in the GIN index's pending list, which every
        query reads through until it is merged. On SQLite, FTS5 merges its segments into one,
        ``MERGE_PAGES`` pages per transaction, with the writers' turn after each, so that
        writers never wait long for the lock; the statistics are taken from a sample
        (``analysis_limit``). ``progress`` is told after each step.
        """
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT gin_clean_pending_list('search_index_vector'::regclass)")
                cursor.execute(f"ANALYZE {INDEX_TABLE}")
                cursor.execute("ANALYZE search_searchdocument")
                return
            sqlite = connection.connection
            # A negative number begins FTS5's merge of every segment into one; a positive one
            # goes on with that merge. Beginning it again at each step would never end while
            # writers add segments between the steps, and each beginning adds a level to the
            # index's structure until FTS5 finds it malformed.
            pages, step = -MERGE_PAGES, 0
            while True:
                before = sqlite.total_changes
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rank) VALUES ('merge', %s)",
                        [pages],
                    )
                if sqlite.total_changes - before < 2:  # FTS5's sign that nothing was left
                    break
                pages, step = MERGE_PAGES, step + 1
                writers_turn()
                if progress is not None:
                    progress(f"Search index: merging, step {step}")
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")

    def match(self, language: str, words: QueryWords) -> IndexSQL:
        """A condition: each folded word, its tokens in sequence, in the folded title or body."""
        condition = ranking.matching(words)
        if self.vendor == "postgresql":
            return _ts_match(_ts_condition(language, condition))
        return _fts_match(_fts_condition(language, condition))

    def rank(self, language: str, words: QueryWords) -> IndexSQL:
        """A matched row's rank from the index's ranking signals (``search.ranking``;
        ``content`` is not the index's): the sum of the weights of the signals it meets.

        PostgreSQL checks each signal on the row's ``tsvector``. On SQLite, a signal is whether
        the row is among those of one more FTS5 query (with the query's own match where the
        signal does not imply it), which SQLite runs once per search.
        """
        weights = ranking.weights(len(words.exact_words))
        signals = ranking.signals(words)
        if self.vendor == "postgresql":
            return IndexSQL(
                " + ".join(
                    f"{weights[name]} * ({{table}}.vector @@ %s::tsquery)::int"
                    for name, _condition in signals
                ),
                [_ts_condition(language, condition) for _name, condition in signals],
                IntegerField(),
            )
        main = _fts_condition(language, ranking.matching(words))
        terms, params = [], []
        for name, condition in signals:
            expression = _fts_condition(language, condition)
            if name == "exact_words" and len(words.required) > 1:
                expression = f"({main}) AND ({expression})"
            terms.append(
                f"{weights[name]} * ({{table}}.rowid IN "
                f"(SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %s))"
            )
            params.append(expression)
        return IndexSQL(" + ".join(terms), params, IntegerField())

    def score(self, language: str, words: QueryWords) -> IndexSQL:
        """The relevance of a matched row, higher is better (SQLite: of the ``match`` above)."""
        if self.vendor == "postgresql":
            exact = _ts_lexemes(language, words.exact_words)
            folded = _ts_lexemes(language, words.required)
            query = " | ".join(
                [f"{_ts_lexeme(lexeme)}:AC" for lexeme in exact]
                + [_ts_lexeme(lexeme) for lexeme in folded]
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

    def title_prefix_match(self, language: str, typed: AutocompleteQuery) -> IndexSQL:
        """A condition: the folded title has every whole word, and the word being typed with
        the start of its last token."""
        *lead, prefix = qualify(language, typed.last)
        if self.vendor == "postgresql":
            parts = [_ts_phrase(qualify(language, word), "AB") for word in typed.words]
            parts.append(_ts_phrase([*lead, prefix], "AB", prefix=True))
            return _ts_match(" & ".join(parts))
        parts = [_fts_all(language, typed.words), _fts_phrase([*lead, prefix]) + " *"]
        expression = " AND ".join(part for part in parts if part)
        return _fts_match(f"{{title_folded}} : ({expression})")


def writers_turn() -> None:
    """Between the write transactions of a long run on SQLite (a rebuild's batches, the
    index's merge steps), leave the write lock free for a writer that waits for it
    (``WRITERS_TURN_SECONDS``); SQLite's lock is not handed on in turn, and a run that takes it
    again at once can keep a waiting writer out until the run ends."""
    if connection.vendor == "sqlite":
        time.sleep(WRITERS_TURN_SECONDS)


def next_batch_size(size: int, held: float, limit: int) -> int:
    """How many objects the next write transaction of a long run writes, after one of ``size``
    objects held the write lock ``held`` seconds: on SQLite, as many as take ``LOCK_SECONDS``
    at that pace (at least one, at most ``limit``; one for the first, when none was written);
    elsewhere, where a transaction locks rows and not the database, ``limit``."""
    if connection.vendor != "sqlite":
        return limit
    return max(1, min(limit, int(size * LOCK_SECONDS / max(held, 0.001))))


def database_index() -> FullTextIndex:
    """The full-text index of the default database."""
    return FullTextIndex(connection.vendor)


_FTS_COLUMNS = {
    ranking.FOLDED: "{title_folded body_folded}",
    ranking.TITLE: "{title_folded}",
    ranking.EXACT: "{title_exact body_exact}",
}
_TS_WEIGHTS = {ranking.FOLDED: "", ranking.TITLE: "AB", ranking.EXACT: "AC"}
"""Which columns, or ``tsvector`` weights, hold each kind of field of a ``Condition`` (a folded
word is matched whatever the weight: see the module's docstring)."""


def _fts_condition(language: str, condition: ranking.Condition) -> str:
    """A ``Condition`` as an FTS5 query."""
    return f"{_FTS_COLUMNS[condition.fields]} : ({_fts_all(language, condition.words)})"


def _ts_condition(language: str, condition: ranking.Condition) -> str:
    """A ``Condition`` as a ``tsquery``."""
    return _ts_all(language, condition.words, _TS_WEIGHTS[condition.fields])


def _fts_match(expression: str) -> IndexSQL:
    """A condition: the row matches an FTS5 query."""
    return IndexSQL(f"{{table}}.{INDEX_TABLE} MATCH %s", [expression], BooleanField())


def _fts_string(term: str) -> str:
    """A term as an FTS5 string, which the tokenizer reads as one token."""
    return '"' + term.replace('"', '""') + '"'


def _fts_phrase(tokens: Sequence[str]) -> str:
    """Qualified tokens as an FTS5 phrase: one after the other."""
    return " + ".join(map(_fts_string, tokens))


def _fts_all(language: str, words: Sequence[Word]) -> str:
    """Every word, each as a phrase of its tokens."""
    return " AND ".join(_fts_phrase(qualify(language, word)) for word in words)


def _ts_match(query: str) -> IndexSQL:
    """A condition: the row matches a ``tsquery``."""
    return IndexSQL("{table}.vector @@ %s::tsquery", [query], BooleanField())


def _ts_lexeme(term: str) -> str:
    """A term as a quoted ``tsquery``/``tsvector`` lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _is_khmer(token: str) -> bool:
    """Whether a qualified token is a Khmer letter cluster."""
    return bool(_KHMER_LETTER.match(token.partition("_")[2]))


def _ts_elements(tokens: Sequence[str]) -> Iterator[tuple[str, int]]:
    """The lexemes a sequence of qualified tokens is matched by, each with its offset: a run of
    Khmer clusters as its pairs, unless it is a single cluster."""
    start = 0
    while start < len(tokens):
        end = start + 1
        while end < len(tokens) and _is_khmer(tokens[start]) and _is_khmer(tokens[end]):
            end += 1
        if end - start == 1:
            yield tokens[start], start
        for offset in range(start, end - 1):
            yield tokens[offset] + tokens[offset + 1].partition("_")[2], offset
        start = end


def _ts_lexemes(language: str, words: Sequence[Word]) -> list[str]:
    """The distinct lexemes that match ``words`` (a Khmer word's cluster pairs, which are far
    rarer than its clusters and so far quicker to rank by)."""
    lexemes = (lexeme for word in words for lexeme, _ in _ts_elements(qualify(language, word)))
    return list(dict.fromkeys(lexemes))


def _ts_phrase(tokens: Sequence[str], weights: str = "", prefix: bool = False) -> str:
    """Qualified tokens, one after the other, as a ``tsquery``; with ``prefix``, the last token
    only starts a lexeme."""
    elements = list(_ts_elements(tokens))
    parts: list[str] = []
    previous = 0
    for number, (lexeme, offset) in enumerate(elements):
        star = "*" if prefix and number == len(elements) - 1 else ""
        label = f":{star}{weights}" if star or weights else ""
        if parts:
            parts.append(" <-> " if offset - previous == 1 else f" <{offset - previous}> ")
        parts.append(_ts_lexeme(lexeme) + label)
        previous = offset
    return "(" + "".join(parts) + ")"


def _ts_all(language: str, words: Sequence[Word], weights: str = "") -> str:
    """Every word, each as a phrase of its tokens, as a ``tsquery``."""
    return " & ".join(_ts_phrase(qualify(language, word), weights) for word in words)


def _tsvector(columns: AnalysedColumns) -> str:
    """The ``tsvector`` literal of a document: exact and folded tokens of the title, then of
    the body, each with its weight (see the module's docstring)."""
    lexemes: list[str] = []
    position = 1
    for exact, folded, weights in (
        (columns.title_exact, columns.title_folded, "AB"),
        (columns.body_exact, columns.body_folded, "CD"),
    ):
        exact_tokens, folded_tokens = exact.split(), folded.split()
        folded_start = position
        if len(exact_tokens) != len(folded_tokens):
            folded_start += len(exact_tokens) + COLUMN_GAP
        lexemes += _positioned(exact_tokens, position, weights[0])
        lexemes += _positioned(folded_tokens, folded_start, weights[1])
        position = max(position + len(exact_tokens), folded_start + len(folded_tokens))
        position += COLUMN_GAP
    return " ".join(lexemes)


def _positioned(tokens: Sequence[str], start: int, weight: str) -> Iterator[str]:
    """Tokens as ``tsvector`` entries from position ``start``, a Khmer cluster followed by
    another also as the pair of the two; a clause break only takes its position."""
    for number, token in enumerate(tokens):
        if token.partition("_")[2] == BREAK:
            continue
        position = f":{min(start + number, MAX_POSITION)}{weight}"
        yield _ts_lexeme(token) + position
        following = tokens[number + 1] if number + 1 < len(tokens) else ""
        if following and _is_khmer(token) and _is_khmer(following):
            yield _ts_lexeme(token + following.partition("_")[2]) + position
