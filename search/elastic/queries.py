"""The Elasticsearch request bodies of a search, a count and an autocomplete.

They ask what the database backend asks (``search.backends``), in Elasticsearch's terms: each
folded word, its tokens one after the other, in the folded title or body; the reader's language
only; own-language documents before Vietnamese fallbacks. The cultural protocols and facet
filters are ``filter`` clauses of the same query, so totals and facet counts come from what the
reader may see.

The score gives the order of ``search.ranking``: each signal is a constant score weighted so that
it outweighs every signal after it, added to a relevance squashed below 1 (``s / (s + 1)``) in
which titles weigh more than bodies and exact forms more than folded ones, and a phrase match of
the query as typed in the title, analysed by the cluster (ICU when it has it), adds a little.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from search import ranking
from search.analysis import AutocompleteQuery, QueryWords, Word
from search.backends import (
    BODY_EXACT_WEIGHT,
    BODY_FOLDED_WEIGHT,
    TITLE_EXACT_WEIGHT,
    TITLE_FOLDED_WEIGHT,
)
from search.models import DocumentType, facet_tokens

Body = dict[str, Any]

PHRASE_WEIGHT = 3.0
PHRASE_SLOP = 2
MAX_FACET_VALUES = 2000
"""Facet tokens an answer counts: every province, ethnic group, kind and topic, and the few
hundred date rules of the archive's festivals (``search.models.facet_tokens``)."""
MAX_EXPANSIONS = 200
"""Tokens a Khmer word being typed may end in, in an autocomplete."""
HIT_FIELDS = ["document_id", "facets"]
"""What a search reads of each hit: which document it is, to re-check and show from the
database, and its facets, to take it out of the counts when the re-check hides it."""

FIELDS = {
    ranking.FOLDED: ("title_folded", "body_folded"),
    ranking.TITLE: ("title_folded",),
    ranking.EXACT: ("title_exact", "body_exact"),
}
SQUASHED = "_score / (_score + 1)"


def _tokens_in(field: str, word: Word, boost: float | None = None) -> Body:
    """``word``'s tokens one after the other in a token field."""
    options: Body = {} if boost is None else {"boost": boost}
    if len(word) == 1:
        return {"term": {field: {"value": word[0], **options}}}
    return {"match_phrase": {field: {"query": " ".join(word), **options}}}


def _in_either(word: Word, fields: Sequence[str]) -> Body:
    """``word`` in one of the token ``fields``."""
    if len(fields) == 1:
        return _tokens_in(fields[0], word)
    return {
        "bool": {
            "should": [_tokens_in(field, word) for field in fields],
            "minimum_should_match": 1,
        }
    }


def _condition(condition: ranking.Condition) -> Body:
    """A ``search.ranking.Condition``: each of its words in one of its token fields."""
    clauses = [_in_either(word, FIELDS[condition.fields]) for word in condition.words]
    return clauses[0] if len(clauses) == 1 else {"bool": {"filter": clauses}}


def _signal(condition: Body, weight: float) -> Body:
    """A constant ``weight`` for the documents that meet ``condition``."""
    return {"constant_score": {"filter": condition, "boost": weight}}


def _relevance(words: QueryWords, phrase: str) -> Body:
    """BM25 over the query's tokens, titles and exact forms weighing more, squashed below 1."""
    folded = dict.fromkeys(token for word in words.required for token in word)
    exact = dict.fromkeys(token for word in words.exact_words for token in word)
    should: list[Body] = [
        _tokens_in(field, (token,), weight)
        for tokens, weighted in (
            (exact, (("title_exact", TITLE_EXACT_WEIGHT), ("body_exact", BODY_EXACT_WEIGHT))),
            (folded, (("title_folded", TITLE_FOLDED_WEIGHT), ("body_folded", BODY_FOLDED_WEIGHT))),
        )
        for token in tokens
        for field, weight in weighted
    ]
    if phrase:
        should.append(
            {
                "match_phrase": {
                    "title": {"query": phrase, "slop": PHRASE_SLOP, "boost": PHRASE_WEIGHT}
                }
            }
        )
    return {"script_score": {"query": {"bool": {"should": should}}, "script": {"source": SQUASHED}}}


def signals(words: QueryWords) -> list[Body]:
    """The ranking signals of ``search.ranking`` as constant scores of their weights."""
    weights = ranking.weights(len(words.exact_words))
    clauses = [
        _signal(_condition(condition), weights[name]) for name, condition in ranking.signals(words)
    ]
    not_caption = {"bool": {"must_not": [{"term": {"doc_type": DocumentType.MEDIA.value}}]}}
    clauses.append(_signal(not_caption, weights["content"]))
    return clauses


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
        {"terms": {"facets": facet_tokens(name, values)}}
        for name, values in filters.items()
        if values
    ]


def matching(
    language: str,
    words: QueryWords,
    audience: Sequence[str] | None,
    filters: Mapping[str, Sequence[str]],
    phrase: str = "",
) -> Body:
    """The query: documents of ``language`` that ``audience`` may see, with every folded word,
    scored by the ranking signals and then by relevance (``phrase``: the query as typed)."""
    return {
        "bool": {
            "filter": [
                {"term": {"language": language}},
                *audience_filters(audience),
                *facet_filters(filters),
                *(
                    _in_either(word, FIELDS[ranking.FOLDED])
                    for word in ranking.matching(words).words
                ),
            ],
            "should": [_relevance(words, phrase), *signals(words)],
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
    language: str, typed: AutocompleteQuery, audience: Sequence[str] | None, limit: int
) -> Body:
    """Titles with every whole word and the word being typed, shortest first."""
    *lead, prefix = typed.last
    if lead:
        started: Body = {
            "match_phrase_prefix": {
                "title_folded": {"query": " ".join(typed.last), "max_expansions": MAX_EXPANSIONS}
            }
        }
    else:
        started = {"prefix": {"title_folded": prefix}}
    return {
        "query": {
            "bool": {
                "filter": [
                    {"term": {"language": language}},
                    *audience_filters(audience),
                    *(_tokens_in("title_folded", word) for word in typed.words),
                    started,
                ]
            }
        },
        "size": limit,
        "sort": [{"fallback": "asc"}, {"title_length": "asc"}, {"document_id": "asc"}],
        "_source": ["document_id"],
    }
