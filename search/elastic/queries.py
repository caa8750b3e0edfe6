"""The Elasticsearch request bodies of a search, a count and an autocomplete.

They ask what the database backend asks (``search.backends``), in Elasticsearch's terms: every
folded term in the folded title or body, exact terms only adding to the score, titles weighing
more than bodies, the reader's language only, own-language documents before Vietnamese
fallbacks. The cultural protocols and facet filters are ``filter`` clauses of the same query,
so totals and facet counts come from what the reader may see; a phrase match of the query as
typed, analysed by the cluster (ICU when it has it), adds to the score.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from search.backends import (
    BODY_EXACT_WEIGHT,
    BODY_FOLDED_WEIGHT,
    TITLE_EXACT_WEIGHT,
    TITLE_FOLDED_WEIGHT,
)
from search.models import facet_token

Body = dict[str, Any]

PHRASE_WEIGHT = 3.0
PHRASE_SLOP = 2
MAX_FACET_VALUES = 500
HIT_FIELDS = ["document_id", "facets"]
"""What a search reads of each hit: which document it is, to re-check and show from the
database, and its facets, to take it out of the counts when the re-check hides it."""


def _either(term: str, title: tuple[str, float], body: tuple[str, float]) -> Body:
    """``term`` in the title field or the body field, each with its weight."""
    return {
        "bool": {
            "should": [
                {"term": {field: {"value": term, "boost": weight}}}
                for field, weight in (title, body)
            ],
            "minimum_should_match": 1,
        }
    }


def audience_filters(audience: Sequence[str] | None) -> list[Body]:
    """Documents whose record and media item are both for someone in ``audience``.

    ``None`` is a superuser's audience: everything.
    """
    if audience is None:
        return []
    return [
        {"terms": {"audience": list(audience)}},
        {"terms": {"item_audience": list(audience)}},
    ]


def facet_filters(filters: Mapping[str, Sequence[str]]) -> list[Body]:
    """One clause per facet: any of its chosen values (``name=value`` tokens)."""
    return [
        {"terms": {"facets": [facet_token(name, value).strip() for value in values]}}
        for name, values in filters.items()
        if values
    ]


def matching(
    language: str,
    folded: Sequence[str],
    exact: Sequence[str],
    audience: Sequence[str] | None,
    filters: Mapping[str, Sequence[str]],
    phrase: str = "",
) -> Body:
    """The query: documents of ``language`` that ``audience`` may see, with every folded term."""
    should: list[Body] = [
        _either(term, ("title_exact", TITLE_EXACT_WEIGHT), ("body_exact", BODY_EXACT_WEIGHT))
        for term in exact
    ]
    if phrase:
        should.append(
            {
                "match_phrase": {
                    "title": {"query": phrase, "slop": PHRASE_SLOP, "boost": PHRASE_WEIGHT}
                }
            }
        )
    return {
        "bool": {
            "filter": [
                {"term": {"language": language}},
                *audience_filters(audience),
                *facet_filters(filters),
            ],
            "must": [
                _either(
                    term, ("title_folded", TITLE_FOLDED_WEIGHT), ("body_folded", BODY_FOLDED_WEIGHT)
                )
                for term in folded
            ],
            "should": should,
        }
    }


def search_body(query: Body, start: int, size: int) -> Body:
    """Hits ``start`` to ``start + size``, the exact total, and every facet value's count, in
    one request."""
    return {
        "query": query,
        "from": start,
        "size": size,
        "sort": [{"fallback": "asc"}, {"_score": "desc"}, {"document_id": "asc"}],
        "track_scores": True,
        "track_total_hits": True,
        "_source": HIT_FIELDS,
        "aggs": {"facets": {"terms": {"field": "facets", "size": MAX_FACET_VALUES}}},
    }


def count_body(query: Body, size: int) -> Body:
    """How many documents match, exactly, and which the first ``size`` hits are."""
    return {"query": query, "size": size, "track_total_hits": True, "_source": ["document_id"]}


def autocomplete_body(
    language: str, terms: Sequence[str], prefix: str, audience: Sequence[str] | None, limit: int
) -> Body:
    """Titles with every whole term and a word starting with ``prefix``, shortest first."""
    return {
        "query": {
            "bool": {
                "filter": [
                    {"term": {"language": language}},
                    *audience_filters(audience),
                    *({"term": {"title_folded": term}} for term in terms),
                    {"prefix": {"title_folded": prefix}},
                ]
            }
        },
        "size": limit,
        "sort": [{"fallback": "asc"}, {"title_length": "asc"}, {"document_id": "asc"}],
        "_source": ["document_id"],
    }
