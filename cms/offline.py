"""Reading offline: the service worker, what it keeps ahead of time, and the offline page.

The worker (``cms/templates/cms/service_worker.js``) is an enhancement: every page reads the same
without it. It keeps the pages a reader opened, and ahead of time the pages listed by
``offline_pages`` in the reader's language; it never keeps the admin, media files, answers
marked ``private`` or ``no-store`` (signed-in readers, cultural protocols) or anything but GETs.

``static/js/offline.js`` registers it after the page has loaded, then tells it what to keep
ahead (nothing for a reader whose browser saves data) and the page read before the worker was
there. That script has no comments: it is part of every page's first visit, and the page-weight
budget counts it.
"""

import hashlib
import json
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from cms.languages import LANGUAGE_CODES
from cms.models import MarketPricesPage, TopicIndexPage, TranslatedPage
from cms.topics import Topic

WORKER_TEMPLATE = "cms/service_worker.js"
PAGES_KEPT = 50
"""How many pages a reader opened the worker keeps (about 1 MB at 20 KB a page)."""
STATIC_FILES_KEPT = 30
HEALTH_ARTICLES_KEPT = 5
REFRESH_SECONDS = 12 * 3600
"""How often the worker fetches the pages it keeps ahead of time again, at most."""
NEVER_KEPT = ("/admin/", "/django-admin/", "/media/", "/documents/", "/api/", "/oai/", "/sw.js")
"""Path prefixes the worker leaves to the network: the admin, (protected) files, APIs."""
STATIC_KEPT_AHEAD = ("css/fonts.css", "css/site.css", "css/market.css", "js/offline.js")
"""What the pages kept ahead load (the market prices page its own style sheet too)."""


def worker_script() -> str:
    """The worker's JavaScript with its settings; its version changes with either."""
    config = {
        "pages_limit": PAGES_KEPT,
        "static_limit": STATIC_FILES_KEPT,
        "refresh_seconds": REFRESH_SECONDS,
        "never": NEVER_KEPT,
        "static": settings.STATIC_URL,
        "offline_path": "/offline/",
        "languages": list(LANGUAGE_CODES),
    }
    template = get_template(WORKER_TEMPLATE)
    assert isinstance(template, DjangoTemplate)  # the site's only template engine
    source = template.template.source + json.dumps(config, sort_keys=True)
    config["version"] = hashlib.sha256(source.encode()).hexdigest()[:12]
    return template.render({"config": mark_safe(json.dumps(config, sort_keys=True))})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker at ``/sw.js``, so that its scope is the whole site.

    Browsers look for a new worker on every visit; ``no-cache`` with an ETag makes that a
    ``304 Not Modified`` of a few hundred bytes while the worker is unchanged.
    """
    script = worker_script()
    etag = quote_etag(hashlib.sha256(script.encode()).hexdigest()[:16])
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    # The stubs do not say that the response given, or a 304, comes back.
    return cast(HttpResponse, get_conditional_response(request, etag=etag, response=response))


def kept_ahead() -> list[TranslatedPage]:
    """The pages kept for reading offline before they are opened: the market prices, the health
    section and its newest articles."""
    prices = list(MarketPricesPage.objects.live().public())
    health = list(TopicIndexPage.objects.live().public().filter(topic=Topic.HEALTH))
    articles = list(health[0].articles()[:HEALTH_ARTICLES_KEPT]) if health else []
    return [*prices, *health, *articles]


@require_GET
@cache_control(max_age=600)
def offline_pages(request: HttpRequest) -> JsonResponse:
    """What the worker keeps ahead of time in the reader's language (the URL's prefix): the
    offline page, the pages of ``kept_ahead`` and the style sheets."""
    pages = [reverse("offline_page"), *(page.get_url(request) for page in kept_ahead())]
    return JsonResponse({"pages": pages, "static": [static(name) for name in STATIC_KEPT_AHEAD]})


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page never read when there is no connection."""
    return render(request, "cms/offline_page.html", {"kept": kept_ahead()})


def clears_browser_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a sign-out view: the browser then drops its caches, the worker's included.

    ``"storage"`` covers the worker's caches (and unregisters it; the next page registers it
    again); ``"cache"`` covers the HTTP cache.
    """

    def signing_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return signing_out
