"""The ``{% page_metadata %}`` tag: title, description, OpenGraph and JSON-LD of a response."""

from typing import Any, cast

from django import template
from django.utils.safestring import SafeString

from cms.metadata import json_ld_script, response_metadata
from cms.text_language import reading_code

register = template.Library()


@register.inclusion_tag("components/metadata.html", takes_context=True)
def page_metadata(
    context: template.Context, title: str = "", description: str = "", lang: str = ""
) -> dict[str, Any]:
    """The head elements describing this response.

    ``title`` and ``description`` replace the page's (for responses without a page: search,
    errors), written in ``lang``, by default the language of the reader's interface strings.
    """
    # The stubs narrow a context's values to strings and numbers; it holds pages and requests.
    flat = cast(dict[str, Any], context.flatten())
    metadata = response_metadata(flat, title=title, description=description, lang=lang)
    return {"meta": metadata, "reading_code": reading_code()}


@register.filter
def json_ld(data: dict[str, Any]) -> SafeString:
    """A schema.org description as a safe ``<script type="application/ld+json">`` block."""
    return json_ld_script(data)
