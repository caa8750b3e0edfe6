"""The search page, its autocomplete endpoint, and the admin report of what readers search for."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.text_language import Message, shown_message
from heritage.privacy import keep_private
from search import parameters, querylog, service
from search.picks import editors_picks


@dataclass(frozen=True)
class FacetLink:
    """A facet value as a link that adds it to the search, or removes it when selected; no
    link (``url`` empty) when its facet carries as many values as it may."""

    label: str
    count: int
    selected: bool
    url: str
    lang: str = ""
    """The language ``label`` is written in, where it is not the reader's."""


@dataclass(frozen=True)
class FacetGroup:
    """A facet's name and its values' links."""

    name: str
    label: Message
    links: list[FacetLink]


def _reading_language() -> str:
    """The active language, as the search's content language."""
    return get_language() or DEFAULT_LANGUAGE


def _page_number(params: QueryDict) -> int:
    """The ``page`` parameter, 1 when missing or not a number."""
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        return 1


def _url(query: str, filters: Mapping[str, Sequence[str]], page: int = 1) -> str:
    """The query string of a search: its query, its filters and, after the first, its page.

    Links are built from the checked search only, so whatever else a request carried is not
    repeated in every link of the page.
    """
    params = QueryDict(mutable=True)
    params["q"] = query
    for name in service.FACETS:
        if values := filters.get(name):
            params.setlist(name, list(values))
    if page > 1:
        params["page"] = str(page)
    return "?" + params.urlencode()


def _facet_groups(
    results: service.Results, filters: Mapping[str, Sequence[str]]
) -> list[FacetGroup]:
    """Links for every facet with values, each toggling one value of its facet."""
    groups = []
    for name, values in results.facets.items():
        selected = list(filters.get(name, ()))
        full = len(selected) >= parameters.MAX_VALUES
        links = []
        for facet in values:
            if facet.selected:
                chosen = [value for value in selected if value != facet.value]
            elif full:
                links.append(FacetLink(facet.label, facet.count, False, "", facet.lang))
                continue
            else:
                chosen = [*selected, facet.value]
            url = _url(results.query, {**filters, name: chosen})
            links.append(FacetLink(facet.label, facet.count, facet.selected, url, facet.lang))
        if links:
            groups.append(FacetGroup(name, shown_message(service.FACETS[name]), links))
    return groups


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """One page of results for ``q`` in the reader's language, with facets and suggestions.

    Input no form sends is left out and said, with a 400 (see ``parameters``).
    """
    query, errors = parameters.read_query(request.GET)
    filters, filter_errors = parameters.read_filters(request.GET)
    errors += filter_errors
    language = _reading_language()
    page = _page_number(request.GET)
    context: dict[str, Any] = {"query": query, "results": None, "errors": errors, "picks": []}
    if query:
        results = service.search(query, language, request.user, filters, page)
        if page == 1 and not filters and not errors:
            anonymous_count = None if request.user.is_authenticated else results.total
            querylog.log_query(query, language, anonymous_count)
        context.update(
            results=results,
            picks=editors_picks(query, language, request),
            facet_groups=_facet_groups(results, filters),
            previous_url=(_url(query, filters, results.page - 1) if results.page > 1 else ""),
            next_url=(
                _url(query, filters, results.page + 1) if results.page < results.num_pages else ""
            ),
            suggestion_urls=[
                (suggestion, _url(suggestion.query, {})) for suggestion in results.suggestions
            ],
        )
    response = render(request, "search/search.html", context, status=400 if errors else 200)
    patch_vary_headers(response, ("Cookie",))
    return keep_private(response, request, any(pick.private for pick in context["picks"]))


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Titles the reader may open, matching what they have typed so far, as JSON."""
    text, errors = parameters.read_query(request.GET, strip=False)
    if errors:
        response = JsonResponse({"query": text, "results": [], "error": errors[0]}, status=400)
    else:
        completions = service.autocomplete(text, _reading_language(), request.user)
        response = JsonResponse(
            {
                "query": text,
                "results": [
                    {"title": item.title, "url": item.url, "type": item.doc_type}
                    for item in completions
                ],
            }
        )
    patch_vary_headers(response, ("Cookie",))
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=300)
    return keep_private(response, request)


@permission_required("search.view_querylog", raise_exception=True)
def query_report(request: HttpRequest) -> HttpResponse:
    """The most searched queries, and those that found nothing, per language."""
    languages = [
        {
            "language": language,
            "top": querylog.top_queries(language.code),
            "zero": querylog.zero_result_queries(language.code),
        }
        for language in CONTENT_LANGUAGES
    ]
    return render(
        request,
        "search/query_report.html",
        {"languages": languages, "days": querylog.REPORT_DAYS},
    )
