"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from cms.data_saving import saves_data
from cms.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE
from cms.languages import get_language as language_entry


def reading_language(request: HttpRequest) -> dict[str, Any]:
    """The reader's language entry and all languages, for ``<html lang>`` and the switcher."""
    code = get_language() or DEFAULT_LANGUAGE
    try:
        current = language_entry(code)
    except KeyError:
        current = language_entry(DEFAULT_LANGUAGE)
    return {"reading_language": current, "content_languages": CONTENT_LANGUAGES}


def data_saving(request: HttpRequest) -> dict[str, Any]:
    """``text_first``: the reader saves data, so pages show links instead of images."""
    return {"text_first": saves_data(request)}
