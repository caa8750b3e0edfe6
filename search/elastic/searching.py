"""Searches on Elasticsearch: the requests of ``queries``, sent, and their answers read.

Every function raises ``client.Unavailable`` when the cluster should not or cannot answer; the
search service then asks the database.
"""

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from heritage.audience import user_audience
from search.elastic import client, queries
from search.models import counted_facets

User = AbstractBaseUser | AnonymousUser


class Found(NamedTuple):
    """A page of a search's hits (their stored fields), its total and its facet counts."""

    total: int
    facet_counts: dict[str, dict[str, int]]
    hits: list[dict[str, Any]]


def _search(**request: Any) -> dict[str, Any]:
    """Send a search request to the alias, if searches may use the cluster now."""
    if not client.usable():
        raise client.Unavailable("Elasticsearch is down or behind the database")
    es = client.backend().es
    return dict(client.call(es.search, index=client.alias(), **request))


def found(
    language: str,
    folded: Sequence[str],
    exact: Sequence[str],
    phrase: str,
    user: User,
    filters: Mapping[str, Sequence[str]],
    start: int,
    size: int,
) -> Found:
    """Hits ``start`` to ``start + size`` of the documents matching the query that ``user`` may
    see, with the total and the facet counts over all of them."""
    query = queries.matching(language, folded, exact, user_audience(user), filters, phrase)
    answer = _search(**queries.search_body(query, start, size))
    buckets = answer["aggregations"]["facets"]["buckets"]
    return Found(
        total=answer["hits"]["total"]["value"],
        facet_counts=counted_facets((bucket["key"], bucket["doc_count"]) for bucket in buckets),
        hits=[hit["_source"] for hit in answer["hits"]["hits"]],
    )


def count(
    language: str, terms: Sequence[str], user: User, filters: Mapping[str, Sequence[str]]
) -> int:
    """How many documents with every one of ``terms`` ``user`` may see."""
    query = queries.matching(language, terms, terms, user_audience(user), filters)
    answer = _search(**queries.count_body(query))
    return int(answer["hits"]["total"]["value"])


def completions(
    language: str, terms: Sequence[str], prefix: str, user: User, limit: int
) -> list[dict[str, Any]]:
    """The stored title, URL and type of the titles an autocomplete offers."""
    body = queries.autocomplete_body(language, terms, prefix, user_audience(user), limit)
    return [hit["_source"] for hit in _search(**body)["hits"]["hits"]]
