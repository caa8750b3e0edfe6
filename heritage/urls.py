"""The archive's URLs outside Wagtail's page tree: the JSON API, and its calendar and feed files.

Wagtail serves pages only at paths made of slash-terminated words, so the archive page's routes
that name a file (``calendar.ics``, ``calendar/province/12.ics``, ``feed.xml``) never reach it.
They are matched here, under their language prefix (which ``LocaleMiddleware`` activates as
for any page), and handed to Wagtail, which routes them to the page like any other path.
"""

from django.urls import include, path, re_path
from wagtail import views as wagtail_views

from cms.languages import LANGUAGE_CODES
from heritage import api

LANGUAGE_PREFIX = "|".join(LANGUAGE_CODES)
FILE_ROUTES = r"calendar\.ics|calendar/province/\d+\.ics|calendar/ethnic-group/\w+\.ics|feed\.xml"

api_patterns = [
    path("records/", api.record_list, name="records"),
    path("records/<str:slug>/", api.record_detail, name="record"),
]

urlpatterns = [
    path("api/heritage/", include((api_patterns, "heritage_api"))),
    re_path(
        rf"^(?:{LANGUAGE_PREFIX})/(?P<path>(?:[\w-]+/)+(?:{FILE_ROUTES}))$",
        wagtail_views.serve,
        name="heritage_files",
    ),
]
