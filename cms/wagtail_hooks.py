"""Admin registration of the cms snippets (commodities, markets and market prices), and the
dashboard's workflow panels filtered by what each editor may see."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.admin_reports import replace_moderation_panels
from cms.models import Commodity, Market, MarketPrice

hooks.register("construct_homepage_panels", replace_moderation_panels)


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
