"""The order of search results, the same on every backend.

Documents in the reader's own language come first, Vietnamese fallbacks after. Then a document
is ranked by what it matched, each signal deciding before the next:

1. ``exact_phrase``: the query as typed, marks included, word after word;
2. ``phrase``: the query's words one after the other, folded ("gia dinh" for "gia đình");
3. ``exact_words``: how many of the query's words it has as typed, wherever they are;
4. ``title``: every word of the query in the title;
5. ``content``: it is an article, product or record, not a photo's or recording's caption.

So a page with the words as typed ranks above one that has them only folded, however long it
is; a page with the words together above one where they only co-occur; a title match above a
mention in the body; and a record above a caption that matched as well. Only among documents
with the same signals does the backend's relevance score (BM25 or ``ts_rank``, weighting titles
and exact forms) decide, and then the document's id.

Each signal but ``content`` is a ``Condition`` on the index, and a document's rank is the sum
of the ``weights`` of the signals it meets, each weight more than all those after it together.
The database backends sort by rank, then score; Elasticsearch adds the rank to its relevance
squashed below 1, which sorts alike.
"""

from typing import NamedTuple

from search.analysis import QueryWords, Word

SIGNALS = ("exact_phrase", "phrase", "exact_words", "title", "content")

FOLDED, TITLE, EXACT = "folded", "title", "exact"


class Condition(NamedTuple):
    """Documents with every one of ``words``, each its tokens in sequence, in ``fields``: the
    folded title or body (``FOLDED``), the folded title (``TITLE``), the exact title or body
    (``EXACT``)."""

    fields: str
    words: tuple[Word, ...]


def matching(words: QueryWords) -> Condition:
    """What a document must have to match the query at all: every folded word."""
    return Condition(FOLDED, tuple(words.required))


def signals(words: QueryWords) -> list[tuple[str, Condition]]:
    """The conditions of a query's signals, each with the signal it counts for (``exact_words``
    once per word). A phrase that tells no match apart (a one-word query's) is left out, which
    changes no order."""
    found: list[tuple[str, Condition]] = []
    if words.exact_phrase_ranks:
        found.append(("exact_phrase", Condition(EXACT, (words.exact_phrase,))))
    if words.phrase_ranks:
        found.append(("phrase", Condition(FOLDED, (words.phrase,))))
    found += [("exact_words", Condition(EXACT, (word,))) for word in words.exact_words]
    found.append(("title", Condition(TITLE, tuple(words.required))))
    return found


def weights(exact_words: int) -> dict[str, int]:
    """What each signal adds to the rank (``exact_words``: per word) for a query of
    ``exact_words`` distinct exact words: more than all the signals after it together."""
    words = exact_words + 1
    return {
        "exact_phrase": 8 * words,
        "phrase": 4 * words,
        "exact_words": 4,
        "title": 2,
        "content": 1,
    }


ORDER_BY_SQL = "fallback, rank DESC, score DESC, id"
"""How the database backends sort matched documents, given each one's ``fallback`` flag,
``rank`` and relevance ``score``: own-language documents first, then by rank, by score, and by
document id (as ``order`` does)."""


def order(
    fallback: bool, rank: int, score: float, document_id: int
) -> tuple[bool, int, float, int]:
    """The sort key of a matched document: smaller comes first (``ORDER_BY_SQL``)."""
    return (fallback, -rank, -score, document_id)
