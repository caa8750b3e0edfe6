"""The site's URLs and two views that fail, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    *i18n_patterns(path("hong/", broken), path("cam/", refused)),
    *site_urlpatterns,
]
