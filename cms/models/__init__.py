"""The cms models: pages, OCOP products and market prices."""

from cms.models.glossary import GlossaryTerm
from cms.models.interface_strings import InterfaceCatalogueVersion, InterfaceTranslation
from cms.models.market import Commodity, Market, MarketPrice, MarketPricesPage
from cms.models.pages import ArticlePage, HomePage, TopicIndexPage
from cms.models.products import ProductCategory, ProductIndexPage, ProductPage, ProductPhoto
from cms.models.translated import TranslatedPage
from cms.models.translation_sources import TranslationSource, TranslationStatus

__all__ = [
    "ArticlePage",
    "Commodity",
    "GlossaryTerm",
    "HomePage",
    "InterfaceCatalogueVersion",
    "InterfaceTranslation",
    "Market",
    "MarketPrice",
    "MarketPricesPage",
    "ProductCategory",
    "ProductIndexPage",
    "ProductPage",
    "ProductPhoto",
    "TopicIndexPage",
    "TranslatedPage",
    "TranslationSource",
    "TranslationStatus",
]
