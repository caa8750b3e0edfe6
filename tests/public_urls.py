"""The site's public URLs: its URL patterns, read from the resolver and from its routable pages,
and the real URLs of a seeded site, found by following its links as a reader would.

The fuzz test (``tests/cms/test_fuzz.py``) builds its requests from these, so a URL pattern or a
page route added to the site is fuzzed without anyone listing it.
"""

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import (
    LocalePrefixPattern,
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

PRIVATE_PREFIXES = ("admin/", "django-admin/")
"""What is not public: the editors' admin and Django's."""
PAGE_TREE = "wagtail_serve"
"""The catch-all of Wagtail's page tree, fuzzed page kind by page kind and route by route."""
SITE = "http://testserver"
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
LINK = re.compile(r"""\b(?:href|src|action)\s*=\s*["']([^"']+)["']""")
LOCATION = re.compile(r"<(?:loc|link)>([^<]+)</(?:loc|link)>")
CALENDAR_URL = re.compile(r"^URL:(.+)$", re.MULTILINE)
FORM_FIELD = re.compile(r"<(?:input|textarea)\b([^>]*)>", re.IGNORECASE)
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"(.*?)</select>', re.IGNORECASE | re.DOTALL)
NAME = re.compile(r'\bname="([^"]+)"')
VALUE = re.compile(r'\bvalue="([^"]*)"')
XML_ELEMENT = re.compile(r"<(?:[\w-]+:)?(\w+)>([^<]{1,300})</")
XML_ARGUMENTS = {
    "identifier": "identifier",
    "resumptionToken": "resumptionToken",
    "setSpec": "set",
    "datestamp": "from",
    "metadataPrefix": "metadataPrefix",
}
"""XML elements whose text is a query parameter's value (the OAI-PMH answers name them so)."""
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)
"""The answers read for links, and checked for NUL."""


@dataclass(frozen=True)
class Literal:
    """A fixed piece of a URL."""

    text: str


@dataclass(frozen=True)
class Slot:
    """A variable piece: a path converter's value (``kind`` the converter's name), the language
    prefix (``language``), or text matching the regular expression ``regex`` (``regex``)."""

    name: str
    kind: str
    regex: str = ""

    def pattern(self) -> str:
        """The regular expression of its values."""
        if self.kind == "language":
            return "|".join(LANGUAGE_CODES)
        if self.kind == "regex":
            return self.regex
        return get_converters()[self.kind].regex


Part = Literal | Slot


@dataclass
class Target:
    """What the fuzzer aims at: one URL pattern, one kind of page, or one route of a page.

    ``bases`` are what its parts follow (``/``, or a page's URL in each language); ``seeds`` its
    URLs that need no value, where a crawl starts; ``examples`` the real URLs of the seeded site
    that reach it.
    """

    name: str
    bases: list[str]
    parts: tuple[Part, ...]
    seeds: list[str]
    examples: list[str] = field(default_factory=list)

    def slot_values(self) -> dict[str, set[str]]:
        """The value each slot takes in the examples, by slot name."""
        values: dict[str, set[str]] = defaultdict(set)
        slots = [part for part in self.parts if isinstance(part, Slot)]
        pieces = [
            re.escape(part.text) if isinstance(part, Literal) else f"({part.pattern()})"
            for part in self.parts
        ]
        bases = "|".join(re.escape(base) for base in self.bases)
        regex = re.compile(f"(?:{bases})" + "".join(pieces))
        for example in self.examples:
            match = regex.fullmatch(urlsplit(example).path)
            if match is None:
                continue
            # Groups of a slot's own expression follow its group: take each slot's by position.
            groups = iter(match.groups())
            for slot in slots:
                values[slot.name].add(next(groups))
                for _inner in range(re.compile(slot.pattern()).groups):
                    next(groups)
        return values


def parts_of(pattern: RoutePattern | RegexPattern | LocalePrefixPattern) -> list[Part]:
    """One pattern of a resolver's chain as parts."""
    if isinstance(pattern, LocalePrefixPattern):
        return [Slot("language", "language"), Literal("/")]
    if isinstance(pattern, RegexPattern):
        regex = pattern.regex.pattern.removeprefix("^").removesuffix("$")
        return [Slot(f"regex:{regex}", "regex", regex)] if regex else []
    route = str(pattern)
    parts: list[Part] = []
    position = 0
    for match in CONVERTER.finditer(route):
        if match.start() > position:
            parts.append(Literal(route[position : match.start()]))
        parts.append(Slot(match["name"], match["converter"] or "str"))
        position = match.end()
    if position < len(route):
        parts.append(Literal(route[position:]))
    return parts


def _leaves(
    patterns: list[URLPattern | URLResolver], chain: tuple = (), namespace: str = ""
) -> Iterator[tuple[str, tuple]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _leaves(pattern.url_patterns, (*chain, pattern.pattern), inner)
        else:
            yield f"{namespace}{pattern.name or pattern.lookup_str}", (*chain, pattern.pattern)


def public_targets() -> list[Target]:
    """Every URL pattern outside the admin, by view name, except Wagtail's page tree."""
    targets = []
    for name, chain in _leaves(get_resolver().url_patterns):
        parts = tuple(part for pattern in chain for part in parts_of(pattern))
        first = parts[0] if parts else Literal("")
        if name == PAGE_TREE or (
            isinstance(first, Literal) and first.text.startswith(PRIVATE_PREFIXES)
        ):
            continue
        try:
            with translation.override(DEFAULT_LANGUAGE):
                seeds = [reverse(name)]
        except NoReverseMatch:
            seeds = []
        targets.append(Target(name, ["/"], parts, seeds))
    return targets


def page_targets(site: Site) -> list[Target]:
    """A target for each kind of live page of ``site``, and one for each route of a routable
    page that another route does not shadow, following the page's URL in every language."""
    targets: dict[str, Target] = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        bases = sorted({page.url_in(code) for code in LANGUAGE_CODES})
        kind = type(page).__name__
        if not isinstance(page, RoutablePageMixin):
            target = targets.setdefault(kind, Target(kind, [], (), []))
            target.bases += bases
            target.seeds.append(page.url_in(DEFAULT_LANGUAGE))
            continue
        routes = {str(route.pattern): route for route in reversed(page.get_subpage_urls())}
        for route in reversed(routes.values()):
            try:
                seeds = [page.url_in(DEFAULT_LANGUAGE) + page.reverse_subpage(route.name)]
            except NoReverseMatch:
                seeds = []
            name = f"{kind}.{route.name}"
            targets[name] = Target(name, bases, tuple(parts_of(route.pattern)), seeds)
    return list(targets.values())


def page_route(site: Site, path: str) -> str | None:
    """The page target ``path`` reaches in Wagtail's tree (``Kind`` or ``Kind.route``)."""
    code, _slash, rest = path.lstrip("/").partition("/")
    if code not in LANGUAGE_CODES:
        return None
    components = [component for component in rest.split("/") if component]
    request = RequestFactory().get(path)
    with translation.override(code):
        try:
            page = site.root_page.specific.route(request, components).page
        except Http404:
            return None
    match = getattr(request, "routable_resolver_match", None)
    kind = type(page).__name__
    return f"{kind}.{match.url_name}" if match else kind


def target_names(site: Site, url: str) -> list[str]:
    """The targets a URL of the site reaches."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Http404:
        return []
    names = [match.view_name]
    if match.func.__module__.startswith("wagtail.views"):
        route = page_route(site, path)
        names += [route] if route else []
    return names


@dataclass
class Crawl:
    """The URLs a crawl of the site reached: their status and size, by target; and the query
    parameters its links, forms and XML answers carry, with the values they give them."""

    statuses: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def reached(self, target: str) -> list[str]:
        """The crawled URLs of ``target`` that answered 200."""
        return [url for url in self.by_target.get(target, []) if self.statuses[url] == 200]


def links_in(body: str, content_type: str) -> list[str]:
    """Every URL a response names: links, sources, form actions, feed and sitemap locations,
    URLs in JSON and in iCalendar events."""
    if content_type.startswith("application/json"):
        found: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and value.startswith((f"{SITE}/", "/")):
                found.append(value)

        walk(json.loads(body))
        return found
    if content_type.startswith("text/calendar"):
        return CALENDAR_URL.findall(body.replace("\r\n ", "").replace("\r\n", "\n"))
    return [html.unescape(link) for link in LINK.findall(body) + LOCATION.findall(body)]


def remember_values(found: Crawl, body: str) -> None:
    """Note the query parameters and values a body offers: its links' query strings, its form
    fields and their options, and XML elements naming an OAI-PMH argument."""
    for link in LINK.findall(body):
        for name, value in parse_qsl(urlsplit(html.unescape(link)).query):
            found.values[name].add(value)
    for attributes in FORM_FIELD.findall(body):
        if name := NAME.search(attributes):
            value = VALUE.search(attributes)
            found.values[name[1]].add(html.unescape(value[1]) if value else "")
    for name, options in SELECT.findall(body):
        found.values[name].update(html.unescape(value) for value in VALUE.findall(options))
    for element, text in XML_ELEMENT.findall(body):
        if element in XML_ARGUMENTS:
            found.values[XML_ARGUMENTS[element]].add(html.unescape(text.strip()))


def crawl(
    client: Client, site: Site, seeds: list[str], languages: tuple[str, ...], per_target: int
) -> Crawl:
    """Follow the links of the site from ``seeds``, breadth first, in ``languages`` only (and
    at the URLs without a language), up to ``per_target`` URLs of each target.

    Only this site's public URLs are followed (not the admin, not static files); redirects are
    followed through their ``Location``. The calendar's months alone link to 2,400 others.
    """
    found = Crawl()
    queue = list(dict.fromkeys(seeds))
    seen = set(queue)
    queued: dict[str, int] = defaultdict(int)
    for url in queue:
        for name in target_names(site, url):
            queued[name] += 1
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        found.statuses[url] = response.status_code
        for name, value in parse_qsl(urlsplit(url).query):
            found.values[name].add(value)
        for name in target_names(site, url):
            found.by_target[name].append(url)
        content_type = response.get("Content-Type", "")
        links = [response["Location"]] if response.has_header("Location") else []
        if response.streaming:
            # A file: its size counts, its content is not followed.
            found.sizes[url] = len(b"".join(response.streaming_content))
        else:
            found.sizes[url] = len(response.content)
            if content_type.startswith(TEXT_TYPES):
                body = response.content.decode()
                links += links_in(body, content_type)
                remember_values(found, body)
        for link in links:
            parts = urlsplit(urljoin(f"{SITE}{url}", link))
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            first = parts.path.lstrip("/").partition("/")[0]
            if (
                parts.netloc != "testserver"
                or (first in LANGUAGE_CODES and first not in languages)
                or parts.path.lstrip("/").startswith((*PRIVATE_PREFIXES, "static/"))
                or local in seen
            ):
                continue
            seen.add(local)
            names = target_names(site, local)
            if any(queued[name] < per_target for name in names):
                queue.append(local)
                for name in names:
                    queued[name] += 1
    return found
