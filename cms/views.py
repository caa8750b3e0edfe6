"""Views of the public site that are not Wagtail pages."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from cms import sitemaps
from cms.sites import find_site


@require_GET
def home_in_reader_language(request: HttpRequest) -> HttpResponse:
    """Serve the home page at ``/`` in the reader's language, without a redirect.

    ``LocaleMiddleware`` has already chosen the language from the cookie or ``Accept-Language``.
    On a 2G connection a redirect costs a whole round trip, so the page is served here; its
    canonical link and language switcher point at the ``/<lang>/`` URLs.
    """
    find_site(request)  # remembered on the request, where Wagtail's view finds it
    response = wagtail_views.serve(request, "")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap(request: HttpRequest) -> HttpResponse:
    """The sitemap index: the files of each section (``cms.sitemaps``)."""
    return sitemap_views.index(
        request, sitemaps.sections(request), sitemap_url_name="sitemap_section"
    )


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One file of a section (``?p=`` for the second and later), each address with its
    alternates; an unknown section or file is a 404."""
    return sitemap_views.sitemap(request, sitemaps.sections(request), section=section)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let crawlers in, keep them out of the admin, and point them at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
