"""Admin for the heritage archive: records, community groups and reference data; and the home
page's section of coming festivals."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList, Panel
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    RevisionsCompareView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.admin_choices import VisibleChooserViewSet
from cms.admin_guards import guard_admin_namespace
from cms.models.pages import HOME_SECTIONS_HOOK
from cms.sitemaps import SITEMAP_SECTIONS_HOOK
from cms.translation_state import TRANSLATED_PARTS_HOOK
from heritage.admin_forms import CHILDREN, WIDENED_ACTION, ConfirmationPanel, HeritageRecordForm
from heritage.admin_permissions import ProtocolAwareImagesAdminAPIViewSet, register_policies
from heritage.audience import open_to_record_readers, visible_children
from heritage.importing.views import (
    IMPORT_PERMISSION,
    ImportDetailView,
    RecordImportView,
    export_view,
)
from heritage.models import CommunityGroup, EthnicGroup, HeritageRecord, Place
from heritage.models.pages import home_festivals
from heritage.sitemap import RecordSitemap

register_policies()
hooks.register(HOME_SECTIONS_HOOK, home_festivals)


class RecordRevisionsCompareView(RevisionsCompareView):
    """Comparing two versions of a record shows only the children the editor may see."""

    def _get_revision_and_heading(self, revision_id: str) -> tuple[HeritageRecord, str]:
        record, heading = super()._get_revision_and_heading(revision_id)
        for name in CHILDREN:
            children = list(getattr(record, name).all())
            setattr(record, name, visible_children(self.request.user, record, children))
        return record, heading


class HeritageRecordViewSet(SnippetViewSet):
    """Records, with drafts, revisions, locking, workflows and previews.

    Editors see only the records their protocols allow, in the admin as everywhere else.
    """

    model = HeritageRecord
    icon = "folder-open-inverse"
    list_display = ["title", "kind", "protocol", "live"]
    list_filter = ["kind", "protocol"]
    search_fields = ["title"]

    chooser_viewset_class = VisibleChooserViewSet
    revisions_compare_view_class = RecordRevisionsCompareView

    def get_queryset(self, request: HttpRequest) -> QuerySet[HeritageRecord]:
        """Only the records the signed-in editor may see."""
        return HeritageRecord.objects.visible_to(request.user)

    def get_edit_handler(self) -> ObjectList:
        """The record's panels on its protocol-holding form, with the confirmation of a wider
        audience after the media items."""
        panels: list[Panel] = []
        for panel in self.model.panels:
            panels.append(panel)
            if getattr(panel, "relation_name", None) == "media_items":
                panels.append(ConfirmationPanel("confirm_wider_audience"))
        return ObjectList(panels, base_form_class=HeritageRecordForm).bind_to_model(self.model)


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
            path("<uuid:pk>/", ImportDetailView.as_view(), name="detail"),
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
for viewset in (HeritageRecord.snippet_viewset, HeritageRecord.snippet_viewset.chooser_viewset):
    guard_admin_namespace(viewset.url_namespace, lambda: HeritageRecord, "pk")


@hooks.register(SITEMAP_SECTIONS_HOOK)
def record_sitemap(request: HttpRequest) -> dict[str, Any]:
    """The archive's records, in files of their own."""
    return {"records": RecordSitemap(request)}


@hooks.register(TRANSLATED_PARTS_HOOK)
def translated_with_the_record(instance: Any, relation: str, parts: list[Any]) -> list[Any]:
    """A record's narratives and media items are translated with it, counted and exported,
    only where everyone who may see the record may see them."""
    if isinstance(instance, HeritageRecord) and relation in CHILDREN:
        return [part for part in parts if open_to_record_readers(instance, part)]
    return parts


@hooks.register("construct_admin_api", order=1)
def protect_images_in_admin_api(router: Any) -> None:
    """The admin API lists no image kept for others (after Wagtail registers its own endpoint)."""
    router.register_endpoint("images", ProtocolAwareImagesAdminAPIViewSet)


@hooks.register("register_log_actions")
def register_widened_audience(actions: LogActionRegistry) -> None:
    """The log entry of a file an editor chose to show to a wider audience."""

    @actions.register_action(WIDENED_ACTION)
    class WidenedAudience(LogFormatter):
        label = _("Show to a wider audience")

        def format_message(self, log_entry: Any) -> str:
            return gettext("Shown to a wider audience, on heritage record %(record)s") % {
                "record": log_entry.data.get("record", "?")
            }
