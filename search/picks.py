"""Editors' picks (Wagtail search promotions): shown only when the reader could open them now.

A pick of a page needs the page live and every view restriction on it and its ancestors passed
by this reader (signed in, in the groups, or having given the password in this session). A pick
that is a link into this site is followed the way a request for it would be: a page as above; a
record of the heritage archive (its page or its API entry) under the record protocols; a stored
file under the media access policy; a link that leads nowhere is not shown. Links to other sites
are shown to everyone. Otherwise a pick would name what its reader may not see.
"""

import copy
import enum
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, Site

from cms.languages import LANGUAGE_CODES
from cms.models import TranslatedPage
from heritage import api as heritage_api
from heritage.browse import visible_records
from heritage.models import HeritageIndexPage
from media.access import FileAccess, access_to
from media.views import serve_media_file
from search.analysis import query_terms
from search.documents import text_in


class Reach(enum.Enum):
    """Who could open a pick's target now: everyone, this reader only, or not this reader."""

    EVERYONE = "everyone"
    THIS_READER = "this reader"
    NOT_THIS_READER = "not this reader"


@dataclass(frozen=True)
class Pick:
    """An editor's pick for the query; ``private`` when not everyone could open it."""

    title: str
    url: str
    description: str
    private: bool = False


def editors_picks(query: str, language: str, request: HttpRequest) -> list[Pick]:
    """The promotions for ``query`` in ``language`` that ``request``'s reader could open now.

    A promotion's query matches regardless of case and marks. One written ``km: …`` (a language
    code and a colon first) applies only to readers of that language.
    """
    folded = " ".join(query_terms(query))
    if not folded:
        return []
    picks = []
    for promotion in _promotions():
        code, promoted = _promotion_query(promotion.query.query_string)
        if promoted != folded or code not in (None, language):
            continue
        if promotion.page is not None:
            page = promotion.page.specific
            reach = page_reach(request, page)
            if isinstance(page, TranslatedPage):
                title, url = text_in(page, "title", language), page.url_in(language)
            else:
                title, url = page.title, page.url
        elif promotion.external_link_url:
            reach = link_reach(request, promotion.external_link_url)
            title = promotion.external_link_text or promotion.external_link_url
            url = promotion.external_link_url
        else:
            continue
        if reach is not Reach.NOT_THIS_READER:
            picks.append(Pick(title, url or "", promotion.description, reach is Reach.THIS_READER))
    return picks


def page_reach(request: HttpRequest, page: Page) -> Reach:
    """Who could open ``page`` now: it must be live, and its view restrictions passed."""
    if not page.live:
        return Reach.NOT_THIS_READER
    restrictions = list(page.get_view_restrictions())
    if not all(restriction.accept_request(request) for restriction in restrictions):
        return Reach.NOT_THIS_READER
    return Reach.THIS_READER if restrictions else Reach.EVERYONE


def link_reach(request: HttpRequest, url: str) -> Reach:
    """Who could open ``url`` now, if it leads into this site; everyone, if it leads away."""
    target = urlsplit(urljoin(request.build_absolute_uri(), url))
    if target.scheme not in ("http", "https") or not _is_this_site(request, target.hostname):
        return Reach.EVERYONE
    language = translation.get_language_from_path(target.path)
    with translation.override(language or translation.get_language()):
        try:
            match = resolve(target.path)
        except Resolver404:
            return Reach.NOT_THIS_READER
        if match.func is wagtail_views.serve:
            path = match.kwargs.get("path", match.args[0] if match.args else "")
            return _routed_reach(request, target.hostname, path)
    if match.func is heritage_api.record_detail:
        return _record_reach(request, match.kwargs["slug"])
    if match.func is serve_media_file:
        access = access_to(request, match.kwargs["path"])
        return {
            FileAccess.PUBLIC: Reach.EVERYONE,
            FileAccess.PRIVATE: Reach.THIS_READER,
            FileAccess.DENIED: Reach.NOT_THIS_READER,
        }[access]
    return Reach.EVERYONE


def _is_this_site(request: HttpRequest, hostname: str | None) -> bool:
    """Whether ``hostname`` is the requested host or one of the Wagtail sites'."""
    if not hostname:
        return True
    own = urlsplit(request.build_absolute_uri()).hostname
    return hostname == own or Site.objects.filter(hostname=hostname).exists()


def _routed_reach(request: HttpRequest, hostname: str | None, path: str) -> Reach:
    """Who could open the page (and, in the archive, the record) Wagtail serves at ``path``."""
    site = Site.objects.filter(hostname=hostname).first() or Site.find_for_request(request)
    if site is None:
        return Reach.NOT_THIS_READER
    # Routing records the matched sub-route on the request; the reader's own is left as it is.
    routing = copy.copy(request)
    try:
        page, _args, _kwargs = site.root_page.specific.route(
            routing, [part for part in path.split("/") if part]
        )
    except Http404:
        return Reach.NOT_THIS_READER
    reach = page_reach(request, page)
    match = getattr(routing, "routable_resolver_match", None)
    if reach is Reach.NOT_THIS_READER or not isinstance(page, HeritageIndexPage) or not match:
        return reach
    if match.url_name != "record":
        return reach
    record = _record_reach(request, match.kwargs["slug"])
    return reach if record is Reach.EVERYONE else record


def _record_reach(request: HttpRequest, slug: str) -> Reach:
    """Who could open the heritage record ``slug`` now, under its protocol."""
    if visible_records(AnonymousUser()).filter(slug=slug).exists():
        return Reach.EVERYONE
    if request.user.is_authenticated and visible_records(request.user).filter(slug=slug).exists():
        return Reach.THIS_READER
    return Reach.NOT_THIS_READER


def _promotions() -> list[SearchPromotion]:
    """All search promotions, with their query and page."""
    return list(SearchPromotion.objects.select_related("query", "page").order_by("sort_order"))


@cache
def _promotion_query(query_string: str) -> tuple[str | None, str]:
    """The language a promotion is for (``None``: all) and its query, folded."""
    code, colon, rest = query_string.partition(":")
    if colon and code.strip() in LANGUAGE_CODES:
        return code.strip(), " ".join(query_terms(rest))
    return None, " ".join(query_terms(query_string))
