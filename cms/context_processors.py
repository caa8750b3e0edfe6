"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

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
