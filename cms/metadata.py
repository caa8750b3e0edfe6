"""What a page says about itself to search engines and link previews.

One ``Metadata`` per response: the ``<title>``, the meta description, OpenGraph and Twitter card
tags, and schema.org JSON-LD (``NewsArticle`` for articles, ``Product`` with its offer in đồng for
OCOP products, ``WebSite`` for the home page). Pages of other apps refine it through a
``page_metadata(request, context, metadata)`` method (the heritage archive adds its records and
their festivals); templates without a page pass their title and description to the tag.

Every text carries the language it is really written in: a page read in Khmer whose Vietnamese
text is shown says ``vi_VN`` in ``og:locale``.
"""

import json
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from wagtail.models import Page, Site

from cms.languages import DEFAULT_LANGUAGE
from cms.models import ArticlePage, HomePage, MarketPricesPage, ProductPage, TranslatedPage
from cms.text import nfc, truncate_graphemes
from cms.text_language import Text, localized_text, message_language, reading_code

DESCRIPTION_LENGTH = 160
"""Graphemes of a meta description: about what search results show."""
HEADLINE_LENGTH = 110
"""The longest ``NewsArticle`` headline search engines accept."""
SHARED_IMAGE = "format-jpeg|width-720"
"""The rendition shared in link previews: one the article and product pages already make."""
SITE_DESCRIPTION = gettext_noop(
    "News, market prices, health advice and cultural heritage for Vietnam's ethnic-minority "
    "and mountainous areas."
)
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
"""What would let JSON inside ``<script>`` end the element or start markup."""
SCHEMA = "https://schema.org"
VIETNAM = "VN"


@dataclass(frozen=True)
class Metadata:
    """Title, description, address, image and structured data of one page as read.

    ``title`` is the page's own title (empty on the home page, whose title is the site's name);
    each text knows its language, and ``lang`` is the language of the page's text as a whole.
    """

    title: Text
    description: Text
    url: str
    lang: str
    og_type: str = "website"
    image_url: str = ""
    structured_data: tuple[dict[str, Any], ...] = ()

    @property
    def site_name(self) -> str:
        """The site's name."""
        return site_name()

    @property
    def full_title(self) -> str:
        """The ``<title>``: the page's title and the site's name, or the site's name alone."""
        if not self.title or self.title.text == self.site_name:
            return self.site_name
        return f"{self.title} · {self.site_name}"

    @property
    def full_title_lang(self) -> str:
        """The language of the ``<title>``: the page title's, or Vietnamese for the site's name."""
        if not self.title or self.title.text == self.site_name:
            return SITE_NAME_LANGUAGE
        return self.title.lang

    @property
    def og_title(self) -> str:
        """``og:title``: the page's title; the site's name on the home page."""
        return self.title.text or self.site_name

    @property
    def locale(self) -> str:
        """``og:locale``: the text's language as spoken in Vietnam, e.g. ``vi_VN``, ``km_VN``."""
        return f"{self.lang}_{VIETNAM}"


SITE_NAME_LANGUAGE = DEFAULT_LANGUAGE
"""The site's name, Bản Làng, is Vietnamese."""


def site_name() -> str:
    """The site's name, as Wagtail's admin shows it."""
    return settings.WAGTAIL_SITE_NAME


def interface_language() -> str:
    """The language the reader's interface strings come in: theirs, or Vietnamese where their
    catalogue has none (told by the site's description, translated wherever anything is)."""
    return message_language(SITE_DESCRIPTION)


def plain(text: str) -> str:
    """Text without markup, on one line, in NFC."""
    return nfc(" ".join(strip_tags(text).split()))


def description_text(text: str) -> str:
    """``text`` as a meta description: plain, cut between letters at ``DESCRIPTION_LENGTH``."""
    return truncate_graphemes(plain(text), DESCRIPTION_LENGTH)


def site_description() -> Text:
    """The site's description in the reader's language, or in Vietnamese."""
    return Text(gettext(SITE_DESCRIPTION), interface_language())


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` block, safe inside HTML whatever ``data`` holds."""
    text = json.dumps(
        data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def absolute(request: HttpRequest, url: str) -> str:
    """``url`` made absolute against the request's site."""
    return request.build_absolute_uri(url)


def canonical_url(page: Page, request: HttpRequest) -> str:
    """The page's absolute address in the reader's language; on a route, that route's."""
    url = page.get_full_url(request) or absolute(request, page.get_url(request) or "/")
    match = getattr(request, "routable_resolver_match", None)
    if match is not None and hasattr(page, "reverse_subpage"):
        url += page.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
    return url


def image_url(request: HttpRequest, image: Any) -> str:
    """The absolute address of the shared rendition of a Wagtail image."""
    return absolute(request, image.get_rendition(SHARED_IMAGE).url)


def publisher(request: HttpRequest) -> dict[str, Any]:
    """The site as the schema.org ``Organization`` publishing the pages."""
    site = Site.find_for_request(request)
    home = site.root_page.get_full_url(request) if site else absolute(request, "/")
    return {
        "@type": "Organization",
        "name": site_name(),
        "url": home,
    }


def page_language(page: Page, code: str) -> str:
    """The language the page's text is shown in: the reader's, or Vietnamese in its place."""
    if isinstance(page, TranslatedPage) and not page.has_translation(code):
        return DEFAULT_LANGUAGE
    return code


def page_title(page: Page, code: str) -> Text:
    """The page's SEO title, else its title, in the reader's language or Vietnamese.

    The home page has only its SEO title, if any: the site's name is its title.
    """
    title = localized_text(page, "seo_title", code)
    if title or isinstance(page, HomePage):
        return title
    return localized_text(page, "title", code)


DESCRIBING_FIELDS = ("search_description", "summary", "intro", "description")
"""The fields that may say what a page is about, the editor's search description first."""


def page_description(page: Page, code: str) -> Text:
    """The first of ``DESCRIBING_FIELDS`` the page has text in (in the reader's language or in
    Vietnamese), else the site's description."""
    for name in DESCRIBING_FIELDS:
        if hasattr(page, name):
            text = localized_text(page, name, code)
            if plain(text.text):
                return Text(description_text(text.text), text.lang)
    return site_description()


def generic_metadata(request: HttpRequest) -> Metadata:
    """What a response without a page (search, errors) says: the site's name and description."""
    return Metadata(
        title=Text("", interface_language()),
        description=site_description(),
        url=absolute(request, escape_uri_path(request.path)),
        lang=interface_language(),
    )


def news_article(page: ArticlePage, request: HttpRequest, metadata: Metadata) -> dict[str, Any]:
    """schema.org ``NewsArticle`` of an article."""
    published = page.date
    modified = page.last_published_at
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": truncate_graphemes(metadata.title.text, HEADLINE_LENGTH),
        "inLanguage": metadata.lang,
        "mainEntityOfPage": metadata.url,
        "datePublished": published.isoformat(),
        "dateModified": (
            modified.replace(microsecond=0).isoformat()
            if modified and modified.date() >= published
            else published.isoformat()
        ),
        "publisher": publisher(request),
    }
    source = localized_text(page, "source").text
    data["author"] = {"@type": "Organization", "name": source} if source else publisher(request)
    if metadata.image_url:
        data["image"] = [metadata.image_url]
    return data


def product(page: ProductPage, request: HttpRequest, metadata: Metadata) -> dict[str, Any]:
    """schema.org ``Product`` of an OCOP product, offered in đồng at its price or price range."""
    producer = {
        "@type": "Organization",
        "name": localized_text(page, "producer").text,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": localized_text(page, "commune").text,
            "addressCountry": VIETNAM,
        },
    }
    if page.price_min == page.price_max:
        offer: dict[str, Any] = {"@type": "Offer", "price": page.price_min}
    else:
        offer = {"@type": "AggregateOffer", "lowPrice": page.price_min, "highPrice": page.price_max}
    offer["priceCurrency"] = "VND"
    offer["url"] = metadata.url
    offer["seller"] = producer
    offer["eligibleQuantity"] = {
        "@type": "QuantitativeValue",
        "value": 1,
        "unitText": localized_text(page, "price_unit").text,
    }
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": metadata.title.text,
        "description": metadata.description.text,
        "url": metadata.url,
        "category": str(page.get_category_display()),
        "manufacturer": producer,
        "countryOfOrigin": VIETNAM,
        "offers": offer,
    }
    if metadata.image_url:
        data["image"] = [metadata.image_url]
    return data


def website(request: HttpRequest, metadata: Metadata) -> dict[str, Any]:
    """schema.org ``WebSite`` of the home page."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": site_name(),
        "url": metadata.url,
        "description": metadata.description.text,
        "inLanguage": metadata.lang,
        "publisher": publisher(request),
    }


def price_history(page: MarketPricesPage, context: dict[str, Any], metadata: Metadata) -> Metadata:
    """A commodity's price history: its name before the page's title, and what it shows."""
    name = localized_text(context["commodity"], "name")
    message = gettext_noop(
        "Prices of %(commodity)s over the past year, market by market, with monthly averages."
    )
    title = f"{name} · {metadata.title}"
    # Both parts must be in one language for the title to name it; else the commodity's says.
    title_lang = metadata.title.lang if name.lang == metadata.title.lang else name.lang
    return replace(
        metadata,
        title=Text(title, title_lang),
        description=Text(
            description_text(gettext(message) % {"commodity": name.text}),
            message_language(message) if name.lang == reading_code() else name.lang,
        ),
    )


def page_metadata(page: Page, request: HttpRequest, context: dict[str, Any]) -> Metadata:
    """Everything ``page`` (on the route the request took) says about itself."""
    code = reading_code()
    specific = page.specific
    metadata = Metadata(
        title=page_title(specific, code),
        description=page_description(specific, code),
        url=canonical_url(specific, request),
        lang=page_language(specific, code),
    )
    if isinstance(specific, HomePage):
        metadata = replace(metadata, structured_data=(website(request, metadata),))
    elif isinstance(specific, ArticlePage):
        image = specific.lead_image
        metadata = replace(
            metadata, og_type="article", image_url=image_url(request, image) if image else ""
        )
        metadata = replace(metadata, structured_data=(news_article(specific, request, metadata),))
    elif isinstance(specific, ProductPage):
        photo = specific.photos.select_related("image").first()
        metadata = replace(
            metadata, og_type="product", image_url=image_url(request, photo.image) if photo else ""
        )
        metadata = replace(metadata, structured_data=(product(specific, request, metadata),))
    elif isinstance(specific, MarketPricesPage) and "commodity" in context:
        metadata = price_history(specific, context, metadata)
    refine = getattr(specific, "page_metadata", None)
    return refine(request, context, metadata) if refine else metadata


def response_metadata(
    context: dict[str, Any], title: str = "", description: str = "", lang: str = ""
) -> Metadata:
    """The metadata of the response a template renders: its page's, or the site's, with the
    ``title`` and ``description`` a template gives, in ``lang`` (by default the interface's
    language)."""
    request = context["request"]
    page = context.get("page")
    if isinstance(page, Page):
        metadata = page_metadata(page, request, context)
    else:
        metadata = generic_metadata(request)
    lang = lang or interface_language()
    if title:
        metadata = replace(metadata, title=Text(title, lang), lang=lang)
    if description:
        metadata = replace(metadata, description=Text(description_text(description), lang))
    return metadata
