"""The search page, its autocomplete endpoint, and the admin report of what readers search for."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from search import querylog, service

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class FacetLink:
    """A facet value as a link that adds it to the search, or removes it when selected."""

    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    """A facet's name and its values' links."""

    name: str
    label: str
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


def _url(params: QueryDict, **changes: Any) -> str:
    """A query string with ``changes`` made, back to page 1 unless a page is given."""
    updated = params.copy()
    updated.pop("page", None)
    for name, values in changes.items():
        updated.setlist(name, values)
    return "?" + updated.urlencode()


def _facet_groups(results: service.Results, params: QueryDict) -> list[FacetGroup]:
    """Links for every facet with values, each toggling one value of its facet."""
    groups = []
    for name, values in results.facets.items():
        selected = params.getlist(name)
        links = []
        for facet in values:
            chosen = (
                [value for value in selected if value != facet.value]
                if facet.selected
                else [*selected, facet.value]
            )
            links.append(
                FacetLink(facet.label, facet.count, facet.selected, _url(params, **{name: chosen}))
            )
        if links:
            groups.append(FacetGroup(name, str(service.FACETS[name]), links))
    return groups


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """One page of results for ``q`` in the reader's language, with facets and suggestions."""
    params = request.GET
    query = params.get("q", "").strip()[:MAX_QUERY_LENGTH]
    language = _reading_language()
    filters = {name: params.getlist(name) for name in service.FACETS if params.getlist(name)}
    page = _page_number(params)
    context: dict[str, Any] = {"query": query, "results": None}
    if query:
        results = service.search(query, language, request.user, filters, page)
        if page == 1 and not filters:
            querylog.log_query(query, language, results.total)
        context.update(
            results=results,
            facet_groups=_facet_groups(results, params),
            previous_url=_url(params, page=[str(results.page - 1)]) if results.page > 1 else "",
            next_url=(
                _url(params, page=[str(results.page + 1)])
                if results.page < results.num_pages
                else ""
            ),
            suggestion_urls=[
                (suggestion, _url(QueryDict(), q=[suggestion.query]))
                for suggestion in results.suggestions
            ],
        )
    response = render(request, "search/search.html", context)
    patch_vary_headers(response, ("Cookie",))
    return response


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Titles the reader may open, matching what they have typed so far, as JSON."""
    text = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
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
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


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
