"""URL configuration: the admin, then every public URL under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.views.account import LogoutView
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms import admin_guards, admin_reports, feeds, offline, views
from media.views import serve_media_file

admin_overrides = decorate_urlpatterns(
    [
        path("bulk/<str:app_label>/<str:model_name>/<str:action>/", admin_guards.bulk_action),
        *admin_reports.urlpatterns,
    ],
    # Wagtail decorates its own admin views so, in this order (wagtail.admin.urls).
    lambda view: never_cache(display_custom_404(require_admin_access(view))),
)

urlpatterns = [
    # Wagtail's sign-out, which also has the browser drop what it kept (cms/offline.py).
    path("admin/logout/", offline.clears_browser_data(LogoutView.as_view())),
    # Ahead of Wagtail's own views at the same addresses: they show only what the editor may see.
    path("admin/", include(admin_overrides)),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("oai/", include("heritage.oai")),
    path("outreach/", include("outreach.api_urls")),
    path("loudspeakers/", include("outreach.loudspeaker_urls")),
    path("open-data/", include("outreach.open_data_urls")),
    path("", include("heritage.urls")),
    path("", views.home_in_reader_language, name="home_in_reader_language"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media_file, name="media_file"),
]

urlpatterns += i18n_patterns(
    path("feeds/<str:topic>/rss.xml", feeds.ArticleRssFeed(), name="feed_rss"),
    path("feeds/<str:topic>/atom.xml", feeds.ArticleAtomFeed(), name="feed_atom"),
    path("search/", include("search.urls")),
    path("subscribe/", include("outreach.urls")),
    path("ask/", include("outreach.feedback_urls")),
    path("offline/", offline.offline_page, name="offline_page"),
    path("offline/pages.json", offline.offline_pages, name="offline_pages"),
    path("open-data/", include("outreach.open_data_page_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
