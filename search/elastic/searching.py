"""Searches on Elasticsearch: the requests of ``queries``, sent, and their answers read.

The cluster filters by the audience tokens a document got when it was indexed; a record made
secret keeps its old tokens there until the worker indexes it again. So the hits are re-checked
against the database's protocol rule (``search.protocols.visible_documents``) before anything is
shown, and a hit the rule now hides is dropped from the page and from the total and facet counts.

A search reads the ids of its first ``window`` hits, not only of its page: the hits before the
page, so that pages follow each other whatever was dropped, and a page more, to refill the page
from. Only hidden hits among those are taken out of the counts: the total is exact when every
hit the rule now hides ranks among them (always when the search matches at most
``CHECKED_HITS`` documents), and otherwise counts the hidden ones ranked lower too, until the
worker has re-indexed them.

Every function raises ``client.Unavailable`` when the cluster should not or cannot answer; the
search service then asks the database.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.contrib.auth import models as auth

from heritage.audience import user_audience
from search.analysis import AutocompleteQuery, QueryWords
from search.elastic import client, queries
from search.models import SearchDocument, counted_facets
from search.protocols import visible_documents

User = auth.User | auth.AnonymousUser

CHECKED_HITS = 100
"""A search reads and re-checks at least this many of its first hits."""


class Found(NamedTuple):
    """The documents of a search's first hits that the reader may see, in order; the total and
    the facet counts, less the hits the database's rule hides."""

    total: int
    facet_counts: dict[str, dict[str, int]]
    document_ids: list[int]


def window(start: int, size: int) -> int:
    """How many of the first hits a page of ``size`` hits from ``start`` reads."""
    return max(CHECKED_HITS, start + 2 * size)


def visible_ids(ids: Sequence[int], user: User) -> set[int]:
    """Which of the documents ``ids`` ``user`` may see, by the database's rule as it is now."""
    documents = SearchDocument.objects.filter(pk__in=ids).filter(visible_documents(user))
    return set(documents.values_list("pk", flat=True))


def _search(**request: Any) -> dict[str, Any]:
    """Send a search request to the alias, if searches may use the cluster now."""
    if not client.usable():
        raise client.Unavailable("Elasticsearch is down or behind the database")
    es = client.backend().es
    return dict(client.call(es.search, index=client.alias(), **request))


def _sources(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored fields of an answer's hits."""
    return [hit["_source"] for hit in answer["hits"]["hits"]]


def found(
    language: str,
    words: QueryWords,
    phrase: str,
    user: User,
    filters: Mapping[str, Sequence[str]],
    start: int,
    size: int,
) -> Found:
    """The documents matching the query that ``user`` may see, enough for hits ``start`` to
    ``start + size``, with the total and the facet counts over all of them."""
    query = queries.matching(language, words, user_audience(user), filters, phrase)
    answer = _search(**queries.search_body(query, 0, window(start, size)))
    hits = _sources(answer)
    visible = visible_ids([hit["document_id"] for hit in hits], user)
    hidden = [hit for hit in hits if hit["document_id"] not in visible]
    tokens = Counter(
        {
            bucket["key"]: bucket["doc_count"]
            for bucket in answer["aggregations"]["facets"]["buckets"]
        }
    )
    tokens.subtract(token for hit in hidden for token in hit.get("facets", ()))
    return Found(
        total=max(0, answer["hits"]["total"]["value"] - len(hidden)),
        facet_counts=counted_facets((token, count) for token, count in tokens.items() if count > 0),
        document_ids=[hit["document_id"] for hit in hits if hit["document_id"] in visible],
    )


def count(
    language: str, words: QueryWords, user: User, filters: Mapping[str, Sequence[str]]
) -> int:
    """How many documents with every one of ``words`` ``user`` may see (less those among the
    first ``CHECKED_HITS`` that the database's rule hides)."""
    query = queries.matching(language, words, user_audience(user), filters)
    answer = _search(**queries.count_body(query, CHECKED_HITS))
    ids = [hit["document_id"] for hit in _sources(answer)]
    hidden = len(ids) - len(visible_ids(ids, user))
    return max(0, int(answer["hits"]["total"]["value"]) - hidden)


def completions(language: str, typed: AutocompleteQuery, user: User, limit: int) -> list[int]:
    """The documents whose titles an autocomplete offers, at most ``limit``, in order: read
    from twice as many hits, so that the offer stays full when the re-check drops some."""
    body = queries.autocomplete_body(language, typed, user_audience(user), 2 * limit)
    ids = [hit["document_id"] for hit in _sources(_search(**body))]
    visible = visible_ids(ids, user)
    return [pk for pk in ids if pk in visible][:limit]
