"""What a request to the search page or the autocomplete asks for: its query and facet filters,
checked.

No form sends a value twice, a value that is no choice, more values of a facet than a reader
would tick, or control characters; such input is left out and said, in the reader's language,
and the page answers 400 with what remains. Repeated values count once. A facet keeps at most
``MAX_VALUES`` values: every link the page builds repeats them, so they bound its size.
"""

from collections.abc import Collection, Sequence

import regex
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.text import truncate_graphemes
from cms.topics import Topic
from heritage.models import EthnicGroup, HeritageKind, Place
from search.models import DocumentType
from search.service import FACETS, MEDIA_TYPES

MAX_QUERY_LENGTH = 200
MAX_VALUES = 5
SHOWN_LENGTH = 40
"""A value quoted back in a message is cut to this many characters."""

MONTHS = frozenset(str(month) for month in range(1, 13))
STATIC_CHOICES: dict[str, Collection[str]] = {
    "type": frozenset(DocumentType.values),
    "topic": frozenset(Topic.values),
    "kind": frozenset(HeritageKind.values),
    "month": MONTHS,
    "media_type": frozenset(MEDIA_TYPES),
}

_CONTROL = regex.compile(r"[^\P{Cc}\t\n\r]")
"""Control characters other than tab and line breaks, which are spaces to a search."""


def read_query(params: QueryDict, strip: bool = True) -> tuple[str, list[str]]:
    """The ``q`` parameter, cut to ``MAX_QUERY_LENGTH``, control characters left out; and a
    message if there were any. ``strip=False`` keeps outer spaces (the autocomplete reads a
    trailing space as the end of a word)."""
    text = params.get("q", "")
    if strip:
        text = text.strip()
    text = text[:MAX_QUERY_LENGTH]
    cleaned = _CONTROL.sub(" ", text)
    if cleaned == text:
        return text, []
    message = _("The search text had characters that cannot be searched; they were left out.")
    return (cleaned.strip() if strip else cleaned), [message]


def read_filters(params: QueryDict) -> tuple[dict[str, list[str]], list[str]]:
    """The facet filters: each facet's distinct values that are real choices, at most
    ``MAX_VALUES`` of them; and a message for each facet that asked for more or for another."""
    filters: dict[str, list[str]] = {}
    errors: list[str] = []
    for name, label in FACETS.items():
        values = list(dict.fromkeys(value for value in params.getlist(name) if value))
        if len(values) > MAX_VALUES:
            errors.append(
                ngettext(
                    "Choose at most %(count)d value of “%(facet)s”.",
                    "Choose at most %(count)d values of “%(facet)s”.",
                    MAX_VALUES,
                )
                % {"count": MAX_VALUES, "facet": label}
            )
            values = values[:MAX_VALUES]
        known = choices_among(name, values)
        unknown = [value for value in values if value not in known]
        if unknown:
            errors.append(_unknown_message(name, str(label), shown(unknown[0])))
        if chosen := [value for value in values if value in known]:
            filters[name] = chosen
    return filters, errors


def choices_among(name: str, values: Sequence[str]) -> set[str]:
    """Which of ``values`` are values of facet ``name``: ethnic groups by GSO code, provinces
    in force by id, the others from their fixed lists. None has a control character (which
    PostgreSQL cannot even compare)."""
    values = [value for value in values if not _CONTROL.search(value)]
    if name in STATIC_CHOICES:
        return set(values) & set(STATIC_CHOICES[name])
    if name == "ethnic_group":
        return set(EthnicGroup.objects.filter(code__in=values).values_list("code", flat=True))
    if name == "province":
        ids = [int(value) for value in values if _whole_number(value)]
        provinces = Place.objects.current().provinces().filter(pk__in=ids)
        return {str(pk) for pk in provinces.values_list("pk", flat=True)}
    return set()


def shown(value: str) -> str:
    """A value as a message quotes it: control characters replaced, cut short."""
    return truncate_graphemes(_CONTROL.sub("\ufffd", value[: SHOWN_LENGTH * 4]), SHOWN_LENGTH)


def _whole_number(value: str) -> bool:
    """Digits 0-9 only, few enough for any database's integer."""
    return value.isascii() and value.isdigit() and len(value) < 10


def _unknown_message(name: str, label: str, value: str) -> str:
    """What a reader is told about a value that is no choice of facet ``name``."""
    if name == "kind":
        return _("There is no kind of heritage “%(value)s”.") % {"value": value}
    if name == "ethnic_group":
        return _("There is no ethnic group with the code “%(value)s”.") % {"value": value}
    if name == "province":
        return _("There is no province in force with the number “%(value)s”.") % {"value": value}
    if name == "month":
        return _("“%(value)s” is not a month: choose 1 to 12.") % {"value": value}
    return _("“%(value)s” is not one of the choices of “%(facet)s”.") % {
        "value": value,
        "facet": label,
    }
