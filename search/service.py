"""The one search contract: ``search`` and ``autocomplete``, whatever the backend.

Matching, the cultural protocols and facet filters are one query; the facet counts, the total
(the count of documents of each type) and the page of hits all come from what it matched,
counted and sorted by the database, which hands over only the counts and a page of ids. So a
reader never sees, counts or is offered what they may not see, and a page of results is full
whenever there are more results. Documents in the reader's own language come before documents
shown in Vietnamese because they are not translated yet.

With an Elasticsearch cluster configured, searches go to it; when it is down, slow or behind,
the database answers the same query, and the results say so. The cluster's protocol filters use
audience tokens written when a document was indexed, so its hits are re-checked against the
database's rule before they are shown (``elastic.searching``).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import regex
from django.contrib.auth import models as auth
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cms.formatting import written_language
from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.text import nfc
from cms.text_language import Message, Text, localized_text, reading_code, shown_message
from cms.topics import Topic
from heritage.display import month_name
from heritage.models import EthnicGroup, HeritageKind, Place
from search import ranking
from search.analysis import QueryWords, autocomplete_prefix, fold, query_terms, query_words
from search.backends import database_index
from search.elastic import client as elasticsearch
from search.elastic import searching as elastic_search
from search.highlight import exact_matches, highlight, snippet
from search.models import (
    DocumentType,
    FacetToken,
    IndexRow,
    SearchDocument,
    SearchFacet,
    SearchTerm,
    counted_facets,
    facet_tokens,
)
from search.protocols import visible_documents

PER_PAGE = 10
MAX_PAGE = 100
AUTOCOMPLETE_LIMIT = 8
MAX_SUGGESTIONS = 3
MAX_CANDIDATES = 12
MAX_TERMS = 16
"""Terms of a query beyond these are ignored: enough for any real query, and a pasted page of
text cannot make the database intersect hundreds of posting lists."""

FACETS: dict[str, Promise] = {
    "type": _("Type"),
    "topic": _("Topic"),
    "kind": _("Kind"),
    "ethnic_group": _("Ethnic group"),
    "province": _("Province"),
    "month": _("Month"),
    "media_type": _("Media type"),
}
MEDIA_TYPES = {"image": _("Photo"), "audio": _("Audio"), "video": _("Video")}
FALLBACK_NOTICE = _(
    "The main search service is not answering, so these results come from the backup search. "
    "They may be ordered differently."
)

User = auth.User | auth.AnonymousUser
Filters = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Hit:
    """One result: its title and snippet with the matched words marked."""

    title: SafeString
    url: str
    snippet: SafeString
    doc_type: str
    type_label: Message
    language: str
    fallback: bool


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet, how many results have it, and whether the reader filtered by it."""

    value: str
    label: str
    count: int
    selected: bool = False
    lang: str = ""
    """The language ``label`` is written in, where it is not the reader's."""


@dataclass(frozen=True)
class Suggestion:
    """A query to try instead, which finds something the reader may see."""

    query: str
    count: int


@dataclass
class Results:
    """What a search found: one page of hits, the total, facets and suggestions."""

    query: str
    language: str
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    notice: str = ""

    @property
    def num_pages(self) -> int:
        """How many pages of hits there are (at least one)."""
        return max(1, min(MAX_PAGE, -(-self.total // self.per_page)))

    @property
    def first(self) -> int:
        """The number of the first hit on this page, counting from 1."""
        return (self.page - 1) * self.per_page + 1


@dataclass(frozen=True)
class Completion:
    """A title the search box offers as the reader types."""

    title: str
    url: str
    doc_type: str


def search(
    query: str,
    language: str,
    user: User,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Search ``language``'s documents for ``query`` as ``user`` may see them."""
    language = language if language in LANGUAGE_CODES else DEFAULT_LANGUAGE
    filters = {name: list(values) for name, values in (filters or {}).items() if name in FACETS}
    results = Results(query=query, language=language, per_page=per_page)
    words = query_words(query, MAX_TERMS)
    if not words.folded:
        return results
    if elasticsearch.configured():
        try:
            return _search_elasticsearch(results, words, user, filters, page)
        except elasticsearch.Unavailable:
            results.notice = str(FALLBACK_NOTICE)
    matched = _matched(language, words, user, filters)
    results.page = max(1, min(page, MAX_PAGE))
    found = counted_page(matched, language, words, results.first - 1, per_page)
    results.total = sum(found.facet_counts.get("type", {}).values())
    results.facets = _facets(found.facet_counts, filters, language)
    if results.page > results.num_pages:  # past the last page: the last page instead
        results.page = results.num_pages
        found = counted_page(matched, language, words, results.first - 1, per_page)
    if results.total:
        results.hits = _documents_as_hits(found.ids, query)
    else:
        results.suggestions = suggestions(query, language, user, filters)
    return results


def _search_elasticsearch(
    results: Results, words: QueryWords, user: User, filters: Filters, page: int
) -> Results:
    """``results`` filled by Elasticsearch; a page past the last is answered with the last.

    The hits are those the database's protocol rule still lets ``user`` see (see
    ``elastic.searching.found``), shown as the database holds them.
    """
    language, size = results.language, results.per_page
    results.page = max(1, min(page, MAX_PAGE))
    found = elastic_search.found(
        language, words, nfc(results.query), user, filters, (results.page - 1) * size, size
    )
    results.total = found.total
    results.page = min(results.page, results.num_pages)
    results.facets = _facets(found.facet_counts, filters, language)
    start = (results.page - 1) * size
    results.hits = _documents_as_hits(found.document_ids[start : start + size], results.query)
    if not results.total:
        results.suggestions = suggestions(
            results.query,
            language,
            user,
            filters,
            count=lambda terms: elastic_search.count(
                language, QueryWords.of_terms(terms), user, filters
            ),
        )
    return results


def autocomplete(
    text: str, language: str, user: User, limit: int = AUTOCOMPLETE_LIMIT
) -> list[Completion]:
    """Titles starting like what the reader has typed so far, that they may see."""
    language = language if language in LANGUAGE_CODES else DEFAULT_LANGUAGE
    typed = autocomplete_prefix(text)
    if not typed.last or (not typed.words and len("".join(typed.last)) < 2):
        return []
    if elasticsearch.configured():
        try:
            ids = elastic_search.completions(language, typed, user, limit)
        except elasticsearch.Unavailable:
            pass
        else:
            documents = SearchDocument.objects.only("title", "url", "doc_type").in_bulk(ids)
            return [
                Completion(document.title, document.url, document.doc_type)
                for document in (documents[pk] for pk in ids if pk in documents)
            ]
    condition = database_index().title_prefix_match(language, typed)
    rows = (
        IndexRow.objects.filter(condition)
        .filter(visible_documents(user, prefix="document__"))
        .order_by("document__fallback", Length("document__title"), "document_id")
        .values_list("document__title", "document__url", "document__doc_type")[:limit]
    )
    return [Completion(title, url, doc_type) for title, url, doc_type in rows]


def _matched(language: str, words: QueryWords, user: User, filters: Filters) -> QuerySet[IndexRow]:
    """The index rows matching the query that ``user`` may see, filtered by facet values."""
    matched = IndexRow.objects.filter(database_index().match(language, words)).filter(
        visible_documents(user, prefix="document__")
    )
    for name, values in filters.items():
        tokens = SearchFacet.objects.filter(
            document_id=OuterRef("pk"), value__token__in=facet_tokens(name, values)
        )
        matched = matched.filter(Exists(tokens))
    return matched


@dataclass(frozen=True)
class CountedPage:
    """What the database found for a search: counts per facet value, and a page of ids."""

    facet_counts: dict[str, dict[str, int]]
    ids: list[int]


def counted_page(
    matched: QuerySet[IndexRow], language: str, words: QueryWords, start: int, size: int
) -> CountedPage:
    """The facet counts of the matched documents and the ids of hits ``start`` to
    ``start + size`` in the order of ``search.ranking``, in one statement.

    The matched rows, each with its rank and score, are a materialised common table
    expression, so the full-text match and the protocol joins run once for both: one branch
    counts the facet rows of the matched documents, the other sorts them and keeps a page
    (with its sort keys, since a union keeps no order).
    """
    index = database_index()
    content = ranking.weights(len(words.exact_words))["content"]
    not_media = Case(
        When(document__doc_type=DocumentType.MEDIA, then=Value(0)), default=Value(content)
    )
    ranked = matched.annotate(
        rank=ExpressionWrapper(index.rank(language, words) + not_media, IntegerField()),
        score=index.score(language, words),
    ).values_list("document_id", "document__fallback", "rank", "score")
    sql, params = ranked.query.sql_with_params()
    facet_table, token_table = SearchFacet._meta.db_table, FacetToken._meta.db_table
    statement = f"""
        WITH matched (id, fallback, rank, score) AS MATERIALIZED ({sql})
        SELECT token, counted.n, NULL, NULL, NULL FROM (
            SELECT value_id, COUNT(*) AS n
            FROM {facet_table} WHERE document_id IN (SELECT id FROM matched) GROUP BY value_id
        ) AS counted JOIN {token_table} ON {token_table}.id = counted.value_id
        UNION ALL
        SELECT * FROM (
            SELECT NULL, id, fallback, rank, score FROM matched
            ORDER BY {ranking.ORDER_BY_SQL} LIMIT %s OFFSET %s
        ) AS page
    """
    with connections[ranked.db].cursor() as cursor:
        cursor.execute(statement, [*params, size, start])
        rows = cursor.fetchall()
    page = sorted(
        (row[1:] for row in rows if row[0] is None),
        key=lambda row: ranking.order(bool(row[1]), row[2], row[3], row[0]),
    )
    return CountedPage(
        counted_facets((token, count) for token, count, *_ in rows if token is not None),
        [row[0] for row in page],
    )


def _documents_as_hits(ids: Sequence[int], query: str) -> list[Hit]:
    """The documents ``ids`` as hits, in this order."""
    documents = SearchDocument.objects.in_bulk(ids)
    return [
        _hit(
            document.title,
            document.url,
            document.text,
            document.doc_type,
            document.language,
            document.fallback,
            query,
        )
        for document in (documents[pk] for pk in ids if pk in documents)
    ]


def _hit(
    title: str, url: str, text: str, doc_type: str, language: str, fallback: bool, query: str
) -> Hit:
    """A hit as readers see it: matched words marked (only as typed, where the hit has them
    so), and the language its text is in."""
    exact = exact_matches((title, text), query)
    return Hit(
        title=highlight(title, query, exact=exact),
        url=url,
        snippet=snippet(text, query, exact),
        doc_type=doc_type,
        type_label=shown_message(dict(DocumentType.choices)[doc_type]),
        language=DEFAULT_LANGUAGE if fallback else language,
        fallback=fallback,
    )


def _facets(
    counts: dict[str, dict[str, int]], filters: Filters, language: str
) -> dict[str, list[FacetValue]]:
    """Facet values with their labels in ``language``: months in calendar order, the others
    most frequent first.

    A value the reader filtered by is listed even when nothing has it, so it can be removed.
    """
    facets = {}
    for name in FACETS:
        values = {value: 0 for value in filters.get(name, ())} | counts.get(name, {})
        labels = facet_labels(name, list(values), language)
        facets[name] = sorted(
            (
                _facet_value(labels.get(value), value, count, value in filters.get(name, ()))
                for value, count in values.items()
            ),
            key=_month_order if name == "month" else _frequency_order,
        )
    return facets


def _month_order(facet: FacetValue) -> int:
    """A month facet value's place in the year (its value is the month's number)."""
    return int(facet.value) if facet.value.isdecimal() else 0


def _frequency_order(facet: FacetValue) -> tuple[int, str]:
    """Most frequent first, then by label as readers sort it (Đắk Lắk among the D)."""
    return (-facet.count, fold(facet.label))


def _facet_value(
    label: Text | Message | None, value: str, count: int, selected: bool
) -> FacetValue:
    """A facet value shown by its label (by itself where it has none), noting the label's
    language where it is not the reader's."""
    if label is None:
        return FacetValue(value, value, count, selected)
    lang = label.lang if label.lang != reading_code() else ""
    return FacetValue(value, str(label), count, selected, lang)


def facet_labels(name: str, values: Sequence[str], language: str) -> dict[str, Text | Message]:
    """What readers see for facet values, each with the language it is in (the active
    language is the reader's)."""
    choices = {"type": DocumentType.choices, "topic": Topic.choices, "kind": HeritageKind.choices}
    if name in choices:
        return {value: shown_message(label) for value, label in choices[name]}
    if name == "media_type":
        return {value: shown_message(label) for value, label in MEDIA_TYPES.items()}
    if name == "month":
        written = written_language(language)
        return {
            str(number): Text(month_name(number), written)
            for number in range(1, 13)
            if str(number) in values
        }
    if name == "ethnic_group":
        groups = EthnicGroup.objects.filter(code__in=values)
        return {group.code: localized_text(group, "name", language) for group in groups}
    if name == "province":
        ids = [
            int(value)
            for value in values
            if value.isascii() and value.isdigit() and len(value) < 10
        ]
        return {
            str(pk): Text(place, DEFAULT_LANGUAGE)
            for pk, place in Place.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    return {}


def suggestions(
    query: str,
    language: str,
    user: User,
    filters: Filters,
    count: Callable[[list[str]], int] | None = None,
) -> list[Suggestion]:
    """Other queries that find what ``user`` may see, for a query that found nothing.

    ``count`` says how many documents a query's terms find (by default, in the database).

    Each candidate (one word spelled differently, as known words of the language are; or one
    word left out) is searched under the reader's protocols before it is offered, so nothing is
    suggested that only leads to records hidden from them. Khmer queries get none: their terms
    are syllable pairs, which make no sense shown back to the reader.
    """
    if _KHMER.search(query):
        return []
    folded = query_terms(query)[:MAX_TERMS]
    candidates: list[list[str]] = []
    for position, term in enumerate(folded):
        for spelling in _respellings(term, language):
            candidates.append([*folded[:position], spelling, *folded[position + 1 :]])
    if len(folded) > 1:
        candidates += [
            folded[:position] + folded[position + 1 :] for position in range(len(folded))
        ]
    if count is None:

        def count(terms: list[str]) -> int:
            return _matched(language, QueryWords.of_terms(terms), user, filters).count()

    found: list[Suggestion] = []
    for terms in candidates[:MAX_CANDIDATES]:
        if matches := count(terms):
            found.append(Suggestion(" ".join(terms), matches))
    found.sort(key=lambda suggestion: -suggestion.count)
    return found[:MAX_SUGGESTIONS]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LATIN = regex.compile(r"[a-z0-9]+")
_KHMER = regex.compile(r"[\u1780-\u17ff]")


def _respellings(term: str, language: str, limit: int = 5) -> list[str]:
    """Known words of ``language`` one edit (a letter deleted, swapped, changed or added) away."""
    if len(term) < 3:
        return []
    alphabet = _LETTERS if _LATIN.fullmatch(term) else "".join(sorted(set(term)))
    splits = [(term[:cut], term[cut:]) for cut in range(len(term) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + char + right[1:] for left, right in splits if right for char in alphabet}
    edits |= {left + char + right for left, right in splits for char in alphabet}
    edits.discard(term)
    known = SearchTerm.objects.filter(language=language, term__in=sorted(edits))
    return sorted(known.values_list("term", flat=True)[:limit])
