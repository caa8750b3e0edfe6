"""Admin URLs that name an object answer 404 for one the editor may not see, as for a missing one.

Wagtail's views check model permissions, and some of them (history, usage, preview, choosers,
bulk actions) check nothing about the object itself; where they do, a refusal is a redirect with
a message, which tells a hidden object from a missing one. ``AdminObjectGuardMiddleware`` asks
``cms.admin_visibility`` before any view runs, for

- the URL arguments naming an object, in the URL namespaces apps register with
  ``guard_admin_namespace`` (an image's pages, a snippet's pages and chooser…), and in any URL
  naming a model by ``app_label`` and ``model_name`` (bulk actions, editing sessions);
- the ``id`` values of their query string (choosing several objects, bulk actions, the admin
  API's ``find``), where a hidden one becomes an id naming nothing.

``bulk_action`` is Wagtail's bulk-action dispatcher, whose "select all" also selects only what
the editor may see.

Reverting to a revision brings back a whole version, every language and inline item: it is
refused to a translator, who changes only their languages (``cms.translators``).
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from cms.admin_visibility import is_visible, primary_keys, visible_instances
from cms.translators import ALL_LANGUAGES, translatable_languages

ModelGetter = Callable[[], type[Model]]

_namespaces: dict[str, tuple[ModelGetter, tuple[str, ...]]] = {}


def guard_admin_namespace(namespace: str, model: ModelGetter, *arguments: str) -> None:
    """Let the URLs of ``namespace`` open only objects of ``model()`` the editor may see.

    ``arguments`` are the names under which those URLs take an object's primary key.
    """
    _namespaces[namespace] = (model, arguments)


def named_model(kwargs: dict[str, Any]) -> type[Model] | None:
    """The model a URL names by ``app_label`` and ``model_name``, if any."""
    if "app_label" not in kwargs or "model_name" not in kwargs:
        return None
    try:
        return apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except (LookupError, ValueError):
        return None


class AdminObjectGuardMiddleware:
    """Refuse, as missing, admin URLs naming objects the editor may not see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        """Raise 404 for a hidden object in the URL; drop hidden ids from the query string;
        refuse reverting to a translator."""
        match = request.resolver_match
        reverting = match is not None and match.url_name == "revisions_revert"
        if reverting and translatable_languages(request.user) != ALL_LANGUAGES:
            raise PermissionDenied
        guard = _namespaces.get(match.namespace) if match else None
        if guard is not None:
            model, arguments = guard[0](), guard[1]
        elif (named := named_model(kwargs)) is not None:
            model, arguments = named, ("object_id",)
        else:
            return
        for argument in arguments:
            value = kwargs.get(argument)
            if value is not None and not is_visible(request.user, model, unquote(str(value))):
                raise Http404
        ids = request.GET.getlist("id")
        visible = visible_instances(request.user, model)
        if ids and visible is not None:
            query = request.GET.copy()
            query.setlist("id", visible_ids(visible, model, ids))
            request.GET = query  # type: ignore[assignment]  # the stubs type GET as never replaced


NOTHING = "0"
"""An id no row has (keys start at 1)."""


def visible_ids(visible: QuerySet, model: type[Model], ids: list[str]) -> list[str]:
    """``ids`` (and ``all``), each naming an object not in ``visible`` replaced by an id naming
    nothing, so the view answers exactly as for an id that does not exist."""
    keys = {value: primary_keys(model, [value]) for value in ids if value != "all"}
    wanted = [key for found in keys.values() for key in found]
    shown = set(visible.filter(pk__in=wanted).values_list("pk", flat=True))
    return [value if value == "all" or set(keys[value]) & shown else NOTHING for value in ids]


def bulk_action(request: HttpRequest, app_label: str, model_name: str, action: str) -> HttpResponse:
    """Wagtail's bulk-action dispatcher; "all" selects only what the editor may see."""
    model = named_model({"app_label": app_label, "model_name": model_name})
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if model is None or action_class is None:
        raise Http404
    listed: type[Model] = model

    class VisibleBulkAction(action_class):  # type: ignore[valid-type,misc]
        def get_all_objects_in_listing_query(self, parent_id: Any) -> Any:
            everything = super().get_all_objects_in_listing_query(parent_id)
            visible = visible_instances(self.request.user, listed)
            if visible is None:
                return everything
            if isinstance(everything, QuerySet):
                return everything.filter(pk__in=visible.values("pk"))
            kept = set(visible.values_list("pk", flat=True))
            return [pk for pk in everything if pk in kept]

    return VisibleBulkAction(request, model).dispatch(request)
