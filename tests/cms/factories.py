"""Factories for the cms models. Titles and texts are Vietnamese unless a test says otherwise."""

import datetime

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.models import Page, Site

from cms.models import (
    ArticlePage,
    Commodity,
    HomePage,
    Market,
    MarketPrice,
    MarketPricesPage,
    ProductIndexPage,
    ProductPage,
    TopicIndexPage,
)
from cms.topics import Topic


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Bản Làng"
    slug = "trang-chu"
    title_en = "Bản Làng"
    intro = "Tin tức cho bà con vùng cao."
    intro_en = "News for the highlands."

    class Meta:
        model = HomePage


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    topic = Topic.HEALTH
    title = "Sức khỏe"
    slug = "suc-khoe"
    title_en = "Health"
    slug_en = "health"
    show_in_menus = True

    class Meta:
        model = TopicIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Phòng chống sốt rét mùa mưa số {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    summary = "Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": "Vì sao phải ngủ màn"},
            {"type": "paragraph", "value": "<p>Muỗi truyền bệnh sốt rét đốt vào ban đêm.</p>"},
        ]
    )
    date = datetime.date(2026, 10, 1)
    source = "Trạm Y tế xã (demo)"

    class Meta:
        model = ArticlePage


class ProductIndexPageFactory(wagtail_factories.PageFactory):
    title = "Sản phẩm OCOP"
    slug = "san-pham-ocop"

    class Meta:
        model = ProductIndexPage


class ProductPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chè Shan tuyết số {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    producer = "Hợp tác xã chè Suối Giàng (demo)"
    commune = "Xã Suối Giàng, tỉnh Lào Cai"
    category = "beverage"
    ocop_stars = 4
    price_min = 150_000
    price_max = 300_000
    price_unit = "gói 200 g"
    phone = "0216 000 121"
    description = "Chè búp hái từ cây chè cổ thụ."

    class Meta:
        model = ProductPage


class MarketPricesPageFactory(wagtail_factories.PageFactory):
    title = "Giá cả thị trường"
    slug = "gia-ca-thi-truong"
    title_en = "Market prices"
    slug_en = "market-prices"

    class Meta:
        model = MarketPricesPage


class CommodityFactory(factory.django.DjangoModelFactory):
    name = "Cà phê nhân"
    name_en = "Green coffee"
    slug = factory.Sequence(lambda n: f"coffee-{n}")
    unit = "kg"

    class Meta:
        model = Commodity


class MarketFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Chợ Pleiku {n}")
    province = "Gia Lai"

    class Meta:
        model = Market


class MarketPriceFactory(factory.django.DjangoModelFactory):
    commodity = factory.SubFactory(CommodityFactory)
    market = factory.SubFactory(MarketFactory)
    price = 115_000
    date = datetime.date(2026, 11, 20)

    class Meta:
        model = MarketPrice


def make_site_root(home: HomePage) -> HomePage:
    """Make ``home`` the default site's root, as the demo does."""
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.hostname = "testserver"
    site.save()
    if old_root.pk != home.pk:
        Page.objects.filter(pk=old_root.pk).delete()
    return home
