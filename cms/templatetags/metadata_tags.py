"""The ``{% page_metadata %}`` tag: title, description, OpenGraph and JSON-LD of a response."""

from typing import Any

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
    metadata = response_metadata(context.flatten(), title=title, description=description, lang=lang)
    return {"meta": metadata, "reading_code": reading_code()}


@register.filter
def json_ld(data: dict[str, Any]) -> SafeString:
    """A schema.org description as a safe ``<script type="application/ld+json">`` block."""
    return json_ld_script(data)
