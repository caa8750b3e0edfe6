"""The reader-visible fields translated with modeltranslation, per model."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from cms.models import (
    ArticlePage,
    Commodity,
    HomePage,
    Market,
    MarketPricesPage,
    ProductIndexPage,
    ProductPage,
    ProductPhoto,
    TopicIndexPage,
)


@register(HomePage)
class HomePageTranslation(TranslationOptions):
    """Home page introduction."""

    fields = ("intro",)


@register(TopicIndexPage)
class TopicIndexPageTranslation(TranslationOptions):
    """Topic section introduction."""

    fields = ("intro",)


@register(ArticlePage)
class ArticlePageTranslation(TranslationOptions):
    """Everything a reader reads in an article."""

    fields = ("summary", "body", "source", "audio")


@register(ProductIndexPage)
class ProductIndexPageTranslation(TranslationOptions):
    """Product list introduction."""

    fields = ("intro",)


@register(ProductPage)
class ProductPageTranslation(TranslationOptions):
    """Everything a reader reads about a product."""

    fields = ("producer", "commune", "price_unit", "description")


@register(ProductPhoto)
class ProductPhotoTranslation(TranslationOptions):
    """Photo captions."""

    fields = ("caption",)


@register(MarketPricesPage)
class MarketPricesPageTranslation(TranslationOptions):
    """Market prices page introduction."""

    fields = ("intro",)


@register(Commodity)
class CommodityTranslation(TranslationOptions):
    """Commodity names and units, and the slugs of their price history in each language."""

    fields = ("name", "unit", "slug")
    # Stored as NULL when not given, so a slug is unique among those given in a language.
    empty_values = {"slug": None}


@register(Market)
class MarketTranslation(TranslationOptions):
    """Market and province names."""

    fields = ("name", "province")
