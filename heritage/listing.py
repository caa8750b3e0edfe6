"""The browse list of the archive: facet links with counts, and pages that keep the filters."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.formatting import written_language
from cms.languages import DEFAULT_LANGUAGE
from cms.text_language import Message, Text, reading_code, shown_message
from heritage.browse import FILTER_NAMES, Browser, Choices, Filters, Store
from heritage.display import month_name
from heritage.models.records import HeritageKind


def query_with(params: QueryDict, name: str, value: object | None) -> str:
    """The query string with filter ``name`` set to ``value`` (or removed), from page one."""
    kept = [
        (key, item) for key, items in params.lists() if key not in (name, "page") for item in items
    ]
    if value is not None:
        kept.append((name, str(value)))
    return f"?{urlencode(kept)}"


@dataclass(frozen=True)
class Option:
    """One value of a filter, how many records have it, and the link choosing it."""

    label: Text | Message
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A filter with its values: the reader picks one, or all."""

    name: str
    title: Message
    options: list[Option]
    all_url: str
    selected: bool


def _facet(
    params: QueryDict,
    filters: Filters,
    name: str,
    title: Promise,
    values: list[tuple[Any, Text | Message]],
    counts: dict[Any, int],
) -> Facet:
    chosen = getattr(filters, name)
    options = [
        Option(label, counts.get(value, 0), query_with(params, name, value), value == chosen)
        for value, label in values
        if counts.get(value) or value == chosen
    ]
    return Facet(
        name, shown_message(title), options, query_with(params, name, None), chosen is not None
    )


def facets(browser: Browser, choices: Choices, params: QueryDict) -> list[Facet]:
    """Each filter's values with the number of visible records having them, the others applied.

    A value no visible record has is left out, unless it is the one chosen.
    """
    filters = browser.filters
    months_language = written_language(reading_code())
    return [
        _facet(
            params,
            filters,
            "kind",
            _("Kind"),
            [(value, shown_message(label)) for value, label in HeritageKind.choices],
            browser.kind_counts(),
        ),
        _facet(
            params,
            filters,
            "ethnic_group",
            _("Ethnic group"),
            list(choices.ethnic_groups.items()),
            browser.ethnic_group_counts(),
        ),
        _facet(
            params,
            filters,
            "province",
            _("Province"),
            [(pk, Text(name, DEFAULT_LANGUAGE)) for pk, name in choices.provinces.items()],
            browser.province_counts(),
        ),
        _facet(
            params,
            filters,
            "month",
            _("Month"),
            [(month, Text(month_name(month), months_language)) for month in range(1, 13)],
            browser.month_counts(),
        ),
    ]


def facet_block(browser: Browser, choices: Choices, params: QueryDict, store: Store) -> str:
    """The filters with their counts, as HTML; kept in ``store`` for the next same query.

    Only a query of valid filters (and a page), each once, is kept: then the links depend on
    the filters alone. Any other query is rendered afresh.
    """

    def render() -> str:
        return render_to_string(
            "heritage/includes/facets.html", {"facets": facets(browser, choices, params)}
        )

    named = {name: params.getlist(name) for name in params if name in FILTER_NAMES}
    filters = browser.filters
    plain = params.keys() <= FILTER_NAMES | {"page"} and all(
        values == [str(getattr(filters, name))] for name, values in named.items()
    )
    if not plain:
        return render()
    return store(f"facets:{get_language()}:{browser.year}:{filters.key}", render)


class FilteredPage:
    """A page of results for the shared pagination component, its links keeping the filters.

    The component links to ``?page=<previous_page_number>``; the "numbers" given here carry the
    reader's other query parameters after them.
    """

    def __init__(self, page: Page, params: QueryDict) -> None:
        self.page = page
        query = params.copy()
        query.pop("page", None)
        self.rest = f"&{query.urlencode()}" if query else ""

    def __iter__(self) -> Iterator[Any]:
        return iter(self.page)

    def __len__(self) -> int:
        return len(self.page)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def previous_page_number(self) -> str:
        """The previous page's number, followed by the filters."""
        return f"{self.page.previous_page_number()}{self.rest}"

    def next_page_number(self) -> str:
        """The next page's number, followed by the filters."""
        return f"{self.page.next_page_number()}{self.rest}"
