"""Admin URLs that open one object answer 404 to an editor who may not see that object.

Wagtail's generic views check model permissions, and some of them (history, usage, preview,
choosers) check nothing about the object itself. Wrapping a view, or a viewset's URL patterns,
puts one check in front of every view that names an object (by ``pk``, or another argument).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern

View = Callable[..., HttpResponse]
Allowed = Callable[[HttpRequest, str], bool]
"""Whether the request's user may see the object with this primary key."""


def guarded(view: View, allowed: Allowed, argument: str = "pk") -> View:
    """``view``, answering 404 for any object ``allowed`` refuses; ``argument`` names it."""

    @wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get(argument)
        if pk is not None and not allowed(request, unquote(str(pk))):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded_view


def guard_patterns(patterns: list[URLPattern], allowed: Allowed) -> list[URLPattern]:
    """The same URL patterns, each view behind ``allowed``."""
    return [
        URLPattern(
            pattern.pattern, guarded(pattern.callback, allowed), pattern.default_args, pattern.name
        )
        for pattern in patterns
    ]
