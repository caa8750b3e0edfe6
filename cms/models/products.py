"""Local OCOP products ("One Commune One Product") and the page that lists them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from cms.models.translated import TranslatedPage
from cms.ordering import IN_EDITORS_ORDER
from cms.text_language import shown_message


class ProductCategory(models.TextChoices):
    """The OCOP product groups."""

    FOOD = "food", _("Food")
    BEVERAGE = "beverage", _("Beverages")
    HERBAL = "herbal", _("Herbal products")
    TEXTILE = "textile", _("Textiles and garments")
    HANDICRAFT = "handicraft", _("Handicrafts and souvenirs")
    TOURISM = "tourism", _("Community tourism services")


class ProductIndexPage(TranslatedPage):
    """Lists the local OCOP products, best rated first."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*TranslatedPage.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProductPage"]
    max_count = 1

    class Meta:
        verbose_name = _("product list")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Add the published products, filtered by the ``category`` query parameter."""
        context = super().get_context(request, *args, **kwargs)
        products = ProductPage.objects.child_of(self).live().public()
        category = request.GET.get("category")
        if category in ProductCategory.values:
            products = products.filter(category=category)
        context["products"] = products.order_by("-ocop_stars", "title")
        context["categories"] = [
            (value, shown_message(label)) for value, label in ProductCategory.choices
        ]
        context["selected_category"] = category
        return context


phone_validator = RegexValidator(
    r"^\+?[0-9 .]{8,20}$", _("Enter a phone number: digits and spaces, e.g. 0209 123 456.")
)


class ProductPage(TranslatedPage):
    """An OCOP-certified local product, with its producer, price and how to buy it."""

    producer = models.CharField(_("producer"), max_length=200)
    commune = models.CharField(_("commune"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ProductCategory.choices)
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("OCOP certificates are awarded from 3 to 5 stars."),
    )
    price_min = models.PositiveIntegerField(_("lowest price (VND)"))
    price_max = models.PositiveIntegerField(_("highest price (VND)"))
    price_unit = models.CharField(_("price per"), max_length=60, help_text=_("e.g. 500 g pack"))
    phone = models.CharField(_("contact phone"), max_length=20, validators=[phone_validator])
    description = models.TextField(_("description"), max_length=2000)

    translation_required_fields = ("title", "description")
    content_panels = [
        *TranslatedPage.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("producer"), FieldPanel("commune"), FieldPanel("phone")],
            heading=_("Producer"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("ocop_stars")]),
                FieldRowPanel(
                    [FieldPanel("price_min"), FieldPanel("price_max"), FieldPanel("price_unit")]
                ),
            ],
            heading=_("Product"),
        ),
        InlinePanel("photos", label=_("Photos")),
    ]
    search_fields = [
        *TranslatedPage.search_fields,
        index.SearchField("description"),
        index.SearchField("producer"),
        index.FilterField("category"),
    ]
    parent_page_types = ["cms.ProductIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("OCOP product")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__lte=models.F("price_max")),
                name="product_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(ocop_stars__gte=3, ocop_stars__lte=5),
                name="product_ocop_stars_3_to_5",
            ),
        ]

    def clean(self) -> None:
        """Refuse a price range whose lowest price is above its highest."""
        super().clean()
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise ValidationError(
                {"price_max": _("The highest price must not be below the lowest price.")}
            )


class ProductPhoto(Orderable):
    """A photo of an OCOP product, with a translated caption."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        ordering = IN_EDITORS_ORDER
