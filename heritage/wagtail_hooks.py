"""Admin for the heritage archive: records, community groups and reference data."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.utils import unquote
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from heritage.importing.views import IMPORT_PERMISSION, RecordImportView, export_view
from heritage.models import CommunityGroup, EthnicGroup, HeritageRecord, Place, RecordMedia

View = Callable[..., HttpResponse]


def protocol_guarded(view: View) -> View:
    """Answer 404 for any record the user may not see, whatever the view does with it."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None:
            allowed = HeritageRecord.objects.visible_to(request.user)
            if not allowed.filter(pk=unquote(str(pk))).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


def guard_all(patterns: list[URLPattern]) -> list[URLPattern]:
    """The same URL patterns, each view behind ``protocol_guarded``."""
    return [
        URLPattern(
            pattern.pattern, protocol_guarded(pattern.callback), pattern.default_args, pattern.name
        )
        for pattern in patterns
    ]


class VisibleRecordsMixin:
    """Chooser listings limited to the records the user may see."""

    def get_object_list(self) -> QuerySet[HeritageRecord]:
        """Only visible records."""
        return HeritageRecord.objects.visible_to(self.request.user)


class RecordChooseView(VisibleRecordsMixin, ChooseView):
    """The record chooser, protocol-aware."""


class RecordChooseResultsView(VisibleRecordsMixin, ChooseResultsView):
    """The record chooser's results, protocol-aware."""


class RecordChooserViewSet(SnippetChooserViewSet):
    """Choosing a record never shows one the editor may not see."""

    choose_view_class = RecordChooseView
    choose_results_view_class = RecordChooseResultsView

    def get_urlpatterns(self) -> list[URLPattern]:
        """Every chooser URL naming a record goes through the protocol guard."""
        return guard_all(super().get_urlpatterns())


class HeritageRecordViewSet(SnippetViewSet):
    """Records, with drafts, revisions, locking, workflows and previews.

    Editors see only the records their protocols allow, in the admin as everywhere else.
    """

    model = HeritageRecord
    icon = "folder-open-inverse"
    list_display = ["title", "kind", "protocol", "live"]
    list_filter = ["kind", "protocol"]
    search_fields = ["title"]

    chooser_viewset_class = RecordChooserViewSet

    def get_queryset(self, request: HttpRequest) -> QuerySet[HeritageRecord]:
        """Only the records the signed-in editor may see."""
        return HeritageRecord.objects.visible_to(request.user)

    def get_urlpatterns(self) -> list[URLPattern]:
        """Every URL naming a record (edit, history, preview, revisions…) is guarded."""
        return guard_all(super().get_urlpatterns())


class CommunityGroupViewSet(SnippetViewSet):
    """Community groups and their members."""

    model = CommunityGroup
    icon = "group"
    list_display = ["name", "ethnic_group", "place"]


class EthnicGroupViewSet(SnippetViewSet):
    """The 54 ethnic groups (reference data)."""

    model = EthnicGroup
    icon = "user"
    list_display = ["code", "name", "language_group"]
    search_fields = ["name"]


class PlaceViewSet(SnippetViewSet):
    """Administrative units in force and former (reference data)."""

    model = Place
    icon = "site"
    list_display = ["name", "level", "parent", "valid_until"]
    list_filter = ["level"]
    search_fields = ["name"]


class RecordImportMenuItem(MenuItem):
    """Shown only to those who may import."""

    def is_shown(self, request: HttpRequest) -> bool:
        """Officers who may add records."""
        return request.user.has_perm(IMPORT_PERMISSION)


class RecordImportViewSet(ViewSet):
    """Importing records from spreadsheets and exporting them, under the Heritage menu."""

    name = "heritage_records_import"
    url_prefix = "heritage/import"
    icon = "upload"
    menu_label = _("Import and export")
    menu_item_class = RecordImportMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        """The import page and one export download per format."""
        return [
            path("", RecordImportView.as_view(), name="index"),
            path("export/<str:kind>/", export_view, name="export"),
        ]


class HeritageViewSetGroup(SnippetViewSetGroup):
    """The heritage menu."""

    menu_label = _("Heritage")
    menu_icon = "folder-open-inverse"
    items = (
        HeritageRecordViewSet,
        CommunityGroupViewSet,
        EthnicGroupViewSet,
        PlaceViewSet,
        RecordImportViewSet,
    )


register_snippet(HeritageViewSetGroup)


def without_hidden_media(objects: QuerySet, request: HttpRequest, field: str) -> QuerySet:
    """``objects`` (images or recordings) less those only in media items the editor may not see.

    Their files are refused to the editor anyway (``heritage.media_access``); the chooser does not
    offer them either, so their titles do not show.
    """
    items = RecordMedia.objects.filter(**{f"{field}__isnull": False})
    visible = items.visible_to(request.user)
    hidden = items.exclude(pk__in=visible.values("pk")).values(field)
    return objects.exclude(Q(pk__in=hidden) & ~Q(pk__in=visible.values(field)))


@hooks.register("construct_image_chooser_queryset")
def hide_protected_images(images: QuerySet, request: HttpRequest) -> QuerySet:
    """The image chooser offers no image kept for others by a cultural protocol."""
    return without_hidden_media(images, request, "image")


@hooks.register("construct_media_chooser_queryset")
def hide_protected_recordings(media: QuerySet, request: HttpRequest) -> QuerySet:
    """The audio and video chooser offers no recording kept for others by a cultural protocol."""
    return without_hidden_media(media, request, "media")
