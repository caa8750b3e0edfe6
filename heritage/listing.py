"""The browse list of the archive: facet links with counts, and pages that keep the filters."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import QueryDict
from django.utils.translation import gettext as _

from heritage.browse import Browser, Choices, Filters
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

    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A filter with its values: the reader picks one, or all."""

    name: str
    title: str
    options: list[Option]
    all_url: str
    selected: bool


def _facet(
    params: QueryDict,
    filters: Filters,
    name: str,
    title: str,
    values: list[tuple[Any, str]],
    counts: dict[Any, int],
) -> Facet:
    chosen = getattr(filters, name)
    options = [
        Option(label, counts.get(value, 0), query_with(params, name, value), value == chosen)
        for value, label in values
        if counts.get(value) or value == chosen
    ]
    return Facet(name, title, options, query_with(params, name, None), chosen is not None)


def facets(browser: Browser, choices: Choices, params: QueryDict) -> list[Facet]:
    """Each filter's values with the number of visible records having them, the others applied.

    A value no visible record has is left out, unless it is the one chosen.
    """
    filters = browser.filters
    groups = sorted(choices.ethnic_groups.values(), key=lambda group: group.name)
    group_counts = browser.ethnic_group_counts()
    return [
        _facet(
            params,
            filters,
            "kind",
            _("Kind"),
            [(value, str(label)) for value, label in HeritageKind.choices],
            browser.kind_counts(),
        ),
        _facet(
            params,
            filters,
            "ethnic_group",
            _("Ethnic group"),
            [(group.code, group.name) for group in groups],
            {group.code: group_counts[group.pk] for group in groups if group.pk in group_counts},
        ),
        _facet(
            params,
            filters,
            "province",
            _("Province"),
            [(pk, province.name) for pk, province in choices.provinces.items()],
            browser.province_counts(),
        ),
        _facet(
            params,
            filters,
            "month",
            _("Month"),
            [(month, month_name(month)) for month in range(1, 13)],
            browser.month_counts(),
        ),
    ]


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
