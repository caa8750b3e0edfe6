"""Admin registration of the cms snippets (commodities, markets and market prices), the
translation coverage dashboard, the dashboard's workflow panels filtered by what each editor
may see, and the admin's fonts, styles and field labels for every script on any screen."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import interface_admin, translation_admin
from cms.admin_guards import guard_admin_namespace
from cms.admin_reports import replace_moderation_panels
from cms.admin_visibility import register_visibility
from cms.glossary_admin import GlossaryViewSet, glossary_visible_to
from cms.models import Commodity, GlossaryTerm, Market, MarketPrice

hooks.register("construct_homepage_panels", replace_moderation_panels)


@hooks.register("register_admin_urls")
def translation_admin_urls() -> list:
    """The translation coverage dashboard, and the files translators take away and bring back."""
    return [
        path("translations/", translation_admin.coverage, name="cms_translations"),
        path("translations/export/", translation_admin.export, name="cms_translations_export"),
        path(
            "translations/import/",
            translation_admin.import_translations,
            name="cms_translations_import",
        ),
        *interface_admin_urls(),
    ]


def interface_admin_urls() -> list:
    """A language's interface strings, one string's form, and the catalogue as a PO file."""
    prefix = "translations/interface/<str:language>/"
    return [
        path(prefix, interface_admin.interface_list, name="cms_interface_strings"),
        path(f"{prefix}po/", interface_admin.interface_download, name="cms_interface_download"),
        path(f"{prefix}upload/", interface_admin.interface_upload, name="cms_interface_upload"),
        path(f"{prefix}<str:slug>/", interface_admin.interface_edit, name="cms_interface_edit"),
    ]


@hooks.register("register_admin_menu_item")
def translations_menu_item() -> MenuItem:
    """A menu entry for the translation coverage dashboard, for everyone in the admin."""
    return MenuItem(_("Translations"), reverse("cms_translations"), icon_name="globe", order=250)


ADMIN_STYLESHEETS = ("css/fonts.css", "css/admin.css")
"""The site's subset faces (each downloaded only for text that needs it), then the admin's own
font stack, language-tab colours and phone layout, which use them."""


@hooks.register("insert_global_admin_css")
def admin_fonts_and_styles() -> SafeString:
    """Link the site's web fonts and the admin stylesheet on every admin page."""
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(path),) for path in ADMIN_STYLESHEETS)
    )


@hooks.register("insert_global_admin_js")
def draftail_labels() -> SafeString:
    """Give every rich-text editor in the admin the name of its field."""
    return format_html('<script src="{}" defer></script>', static("js/draftail-labels.js"))


class CommodityViewSet(SnippetViewSet):
    """Commodities whose prices are followed."""

    model = Commodity
    icon = "tag"
    list_display = ["name", "unit", "slug"]
    search_fields = ["name"]


class MarketViewSet(SnippetViewSet):
    """Markets where prices are recorded."""

    model = Market
    icon = "home"
    list_display = ["name", "province"]


class MarketPriceViewSet(SnippetViewSet):
    """Daily prices, filterable by commodity, market and date."""

    model = MarketPrice
    icon = "list-ul"
    list_display = ["commodity", "market", "price", "date"]
    list_filter = ["commodity", "market", "date"]
    list_per_page = 50


class MarketViewSetGroup(SnippetViewSetGroup):
    """The market information menu."""

    menu_label = _("Market information")
    menu_icon = "tag"
    items = (MarketPriceViewSet, CommodityViewSet, MarketViewSet)


register_snippet(MarketViewSetGroup)


register_snippet(GlossaryViewSet)
guard_admin_namespace(GlossaryTerm.snippet_viewset.url_namespace, lambda: GlossaryTerm, "pk")  # type: ignore[attr-defined]  # set by register_snippet
register_visibility(GlossaryTerm, glossary_visible_to)
