"""Builds the demo site: sections, articles, OCOP products, a year of market prices, heritage.

Vietnamese and English texts were written for the demo (``articles.json``, ``products.json``,
``market.json``). Minority-language text appears only where it is authentic: the language samples
that the ``gflanguages`` package ships (Universal Declaration of Human Rights excerpts), published
as clearly labelled sample articles. Every other page shows the fallback notice in the minority
languages, as a fresh deployment would. The heritage archive's records, communities and sample
users come from ``heritage.demo``. Running the loader again changes nothing.
"""

import datetime
import hashlib
import html
import io
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gflanguages
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site

from cms.demo.signals import demo_loaded
from cms.models import (
    ArticlePage,
    Commodity,
    HomePage,
    Market,
    MarketPrice,
    MarketPricesPage,
    ProductIndexPage,
    ProductPage,
    ProductPhoto,
    TopicIndexPage,
    TranslatedPage,
)
from cms.topics import Topic

DEMO_DIR = Path(__file__).resolve().parent
PRICE_DAYS = 365
PRICE_STEP = 500
PRICE_STEP_CHEAP = 100
LANGUAGE_SAMPLE_DATE = datetime.date(2026, 5, 1)

HOME = {
    "vi": {
        "title": "Bản Làng",
        "slug": "trang-chu",
        "intro": "Tin tức chính sách, giá cả thị trường và thông tin sức khỏe "
        "cho đồng bào dân tộc thiểu số và miền núi.",
    },
    "en": {
        "title": "Bản Làng",
        "slug": "home",
        "intro": "Policy news, market prices and health information "
        "for ethnic-minority and mountainous areas.",
    },
}

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    Topic.POLICY: {"vi": ("Chính sách", "chinh-sach"), "en": ("Policy", "policy")},
    Topic.MARKET: {"vi": ("Thị trường", "thi-truong"), "en": ("Market", "market")},
    Topic.HEALTH: {"vi": ("Sức khỏe", "suc-khoe"), "en": ("Health", "health")},
    Topic.EDUCATION: {"vi": ("Giáo dục", "giao-duc"), "en": ("Education", "education")},
    Topic.SCIENCE_TECHNOLOGY: {
        "vi": ("Khoa học – Công nghệ", "khoa-hoc-cong-nghe"),
        "en": ("Science & technology", "science-technology"),
    },
    Topic.SECURITY_ORDER: {
        "vi": ("An ninh – Trật tự", "an-ninh-trat-tu"),
        "en": ("Security & order", "security-order"),
    },
    Topic.CULTURE: {"vi": ("Văn hóa", "van-hoa"), "en": ("Culture", "culture")},
}

PRODUCT_INDEX = {
    "vi": (
        "Sản phẩm OCOP",
        "san-pham-ocop",
        "Sản phẩm đặc trưng của các xã, được chứng nhận OCOP.",
    ),
    "en": ("OCOP products", "ocop-products", "Distinctive local products, OCOP certified."),
}
PRICES_PAGE = {
    "vi": (
        "Giá cả thị trường",
        "gia-ca-thi-truong",
        "Giá nông sản tại các chợ, cập nhật hằng ngày.",
    ),
    "en": (
        "Market prices",
        "market-prices",
        "Farm produce prices at local markets, updated daily.",
    ),
}


LANGUAGE_SAMPLES = {
    "km": ("km_Khmr", "tiếng Khmer", "Khmer"),
    "blt": ("blt_Tavt", "tiếng Thái Đen (chữ Thái Việt)", "Tai Dam (Tai Viet script)"),
    "jra": ("jra_Latn", "tiếng Gia Rai", "Jarai"),
}


@dataclass
class DemoReport:
    """What one run of the loader created (the apps above ``cms`` count theirs in too)."""

    pages: int = 0
    images: int = 0
    prices: int = 0
    records: int = 0
    media: int = 0
    users: int = 0


def read_json(name: str) -> Any:
    """A demo data file from this package."""
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def set_translations(page: TranslatedPage | Any, texts: dict[str, dict[str, Any]]) -> None:
    """Set ``<field>_<lang>`` for every language and field given."""
    for code, fields in texts.items():
        for name, value in fields.items():
            setattr(page, f"{name}_{code}", value)


def publish_child(parent: Page, page: TranslatedPage, texts: dict[str, dict[str, Any]]) -> Page:
    """Add ``page`` under ``parent`` with its translations, and publish it."""
    set_translations(page, texts)
    with translation.override("vi"):
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def body_blocks(blocks: list[dict[str, str]]) -> list[dict[str, str]]:
    """StreamField data from the demo's plain-text blocks (paragraphs become ``<p>``)."""
    result = []
    for block in blocks:
        if block["type"] == "paragraph":
            text = (
                html.escape(block["value"])
                .replace("&lt;b&gt;", "<b>")
                .replace("&lt;/b&gt;", "</b>")
            )
            result.append({"type": "paragraph", "value": f"<p>{text}</p>"})
        else:
            result.append({"type": block["type"], "value": block["value"]})
    return result


def placeholder_image(title: str, colour: tuple[int, int, int], label: str) -> Image:
    """A generated, clearly labelled placeholder photo (reused if it exists)."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 1200, 60):
        draw.line([(step, 675), (step + 300, 0)], fill=tuple(min(c + 18, 255) for c in colour))
    draw.rectangle([(40, 560), (1160, 640)], fill=(255, 255, 255))
    draw.text((60, 585), f"{label} - demo placeholder", fill=(20, 20, 20))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    return Image.objects.create(
        title=title,
        file=ImageFile(buffer, name=f"demo-{hashlib.sha256(title.encode()).hexdigest()[:12]}.jpg"),
    )


def ensure_home(hostname: str, port: int) -> HomePage:
    """The home page as the default site's root, replacing Wagtail's welcome page.

    Works on an emptied database too (``manage.py flush``): the locale, root page and root
    collection that Wagtail's migrations create are made again when missing.
    """
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Collection.get_first_root_node() or Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = HomePage(title="Bản Làng", slug="trang-chu")
        texts = {code: dict(values) for code, values in HOME.items()}
        publish_child(root, home, texts)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    welcome = site.root_page if site.pk else None
    site.hostname, site.port, site.root_page, site.site_name = hostname, port, home, "Bản Làng"
    site.save()
    if welcome is not None and welcome.pk != home.pk and not isinstance(welcome.specific, HomePage):
        welcome.delete()
    return home


def ensure_section(
    parent: Page, model: type[TranslatedPage], key: dict[str, Any], texts: dict[str, dict[str, Any]]
) -> TranslatedPage:
    """A section page under ``parent`` found by ``key``, created when missing."""
    existing = model.objects.child_of(parent).filter(**key).first()
    if existing:
        return existing
    page = model(show_in_menus=True, **key)
    return publish_child(parent, page, texts)


def load_articles(sections: dict[str, TopicIndexPage], report: DemoReport) -> None:
    """The demo articles, each in Vietnamese and English."""
    for item in read_json("articles.json"):
        section = sections[item["topic"]]
        if ArticlePage.objects.child_of(section).filter(slug_vi=item["vi"]["slug"]).exists():
            continue
        texts = {
            code: {
                "title": item[code]["title"],
                "slug": item[code]["slug"],
                "summary": item[code]["summary"],
                "body": body_blocks(item[code]["body"]),
                "source": item["source"],
            }
            for code in ("vi", "en")
        }
        page = ArticlePage(date=datetime.date.fromisoformat(item["date"]))
        publish_child(section, page, texts)
        report.pages += 1


def load_language_samples(culture: TopicIndexPage, report: DemoReport) -> None:
    """One labelled sample article per language that ``gflanguages`` has authentic text for."""
    languages = gflanguages.LoadLanguages()
    vi_sample = languages["vi_Latn"].sample_text
    for code, (key, name_vi, name_en) in LANGUAGE_SAMPLES.items():
        slug_vi = f"mau-ngon-ngu-{code}"
        if ArticlePage.objects.child_of(culture).filter(slug_vi=slug_vi).exists():
            continue
        sample = languages[key].sample_text
        source = f"gflanguages {gflanguages.__version__} (Apache-2.0), UDHR"
        paragraphs = [p for p in sample.specimen_16.split("\n") if p.strip()]
        texts = {
            "vi": {
                "title": f"Mẫu ngôn ngữ: {name_vi}",
                "slug": slug_vi,
                "summary": f"Trang mẫu để kiểm tra hiển thị {name_vi}: trích đoạn Tuyên ngôn "
                "Quốc tế Nhân quyền do bộ dữ liệu gflanguages cung cấp. Không phải bản dịch của "
                "bài viết nào.",
                "body": [
                    {"type": "paragraph", "value": f"<p>{html.escape(vi_sample.specimen_36)}</p>"},
                    {"type": "paragraph", "value": f"<p>{html.escape(vi_sample.specimen_32)}</p>"},
                ],
                "source": source,
            },
            "en": {
                "title": f"Language sample: {name_en}",
                "slug": f"language-sample-{code}",
                "summary": f"A sample page to check how {name_en} text is displayed: excerpts of "
                "the Universal Declaration of Human Rights from the gflanguages data set. It is "
                "not a translation of any article.",
                "body": [
                    {
                        "type": "paragraph",
                        "value": "<p>Switch to the language in the menu to read the sample.</p>",
                    }
                ],
                "source": source,
            },
            code: {
                "title": sample.styles,
                "slug": f"{code}-sample",
                "summary": sample.tester,
                "body": [
                    {"type": "paragraph", "value": f"<p>{html.escape(paragraph)}</p>"}
                    for paragraph in paragraphs
                ],
                "source": source,
            },
        }
        publish_child(culture, ArticlePage(date=LANGUAGE_SAMPLE_DATE), texts)
        report.pages += 1


def load_products(index: ProductIndexPage, report: DemoReport) -> None:
    """The demo OCOP products, each with a placeholder photo."""
    for number, item in enumerate(read_json("products.json")):
        if ProductPage.objects.child_of(index).filter(slug_vi=item["vi"]["slug"]).exists():
            continue
        texts = {code: dict(item[code]) for code in ("vi", "en")}
        page = ProductPage(
            category=item["category"],
            ocop_stars=item["stars"],
            price_min=item["price_min"],
            price_max=item["price_max"],
            phone=item["phone"],
        )
        colour = (60 + number * 20 % 120, 110, 90 + number * 15 % 100)
        photo = placeholder_image(f"Demo: {item['en']['title']}", colour, item["en"]["title"])
        page.photos = [
            ProductPhoto(image=photo, caption_vi="Ảnh minh họa", caption_en="Placeholder photo")
        ]
        publish_child(index, page, texts)
        report.pages += 1
        report.images += 1


def seasonal_prices(
    commodity: dict[str, Any], market_key: str, today: datetime.date
) -> list[tuple[datetime.date, int]]:
    """A year of plausible daily prices: a seasonal swing and a seeded random walk.

    Deterministic for a commodity, market and day, so reloading reproduces the same prices.
    """
    rng = random.Random(f"{commodity['key']}/{market_key}")
    walk = 1.0
    prices = []
    start = today - datetime.timedelta(days=PRICE_DAYS - 1)
    for offset in range(PRICE_DAYS):
        day = start + datetime.timedelta(days=offset)
        walk = min(max(walk * (1 + rng.gauss(0, commodity["volatility"] / 4)), 0.7), 1.3)
        season = 1 + commodity["season_amplitude"] * math.sin(
            2 * math.pi * day.timetuple().tm_yday / 365
        )
        step = PRICE_STEP_CHEAP if commodity["base_price"] < 20_000 else PRICE_STEP
        prices.append((day, round(commodity["base_price"] * walk * season / step) * step))
    return prices


def load_market(report: DemoReport, today: datetime.date) -> None:
    """Commodities, markets and a year of daily prices (existing days are kept)."""
    data = read_json("market.json")
    markets = {}
    for item in data["markets"]:
        market = Market.objects.filter(name_vi=item["name"]["vi"]).first() or Market()
        set_translations(
            market,
            {
                code: {"name": item["name"][code], "province": item["province"][code]}
                for code in ("vi", "en")
            },
        )
        market.save()
        markets[item["key"]] = market
    for item in data["commodities"]:
        commodity = Commodity.objects.filter(slug_en=item["key"]).first() or Commodity()
        set_translations(
            commodity,
            {
                code: {
                    "name": item["name"][code],
                    "unit": item["unit"][code],
                    "slug": item["slug"][code],
                }
                for code in ("vi", "en")
            },
        )
        commodity.save()
        for key, market in markets.items():
            rows = [
                MarketPrice(commodity=commodity, market=market, date=day, price=price)
                for day, price in seasonal_prices(item, key, today)
            ]
            before = MarketPrice.objects.filter(commodity=commodity, market=market).count()
            MarketPrice.objects.bulk_create(rows, ignore_conflicts=True)
            report.prices += (
                MarketPrice.objects.filter(commodity=commodity, market=market).count() - before
            )


def ensure_admin(username: str, password: str) -> bool:
    """A superuser for the demo admin; returns whether it was created."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        return False
    users.objects.create_superuser(username=username, email="", password=password)
    return True


@transaction.atomic
def load_demo(hostname: str, port: int, today: datetime.date | None = None) -> DemoReport:
    """Build (or complete) the demo site; returns what was added."""
    report = DemoReport()
    home = ensure_home(hostname, port)
    sections: dict[str, TopicIndexPage] = {}
    for topic, names in SECTIONS.items():
        texts = {code: {"title": title, "slug": slug} for code, (title, slug) in names.items()}
        sections[topic] = ensure_section(home, TopicIndexPage, {"topic": topic}, texts)
    product_texts = {
        code: {"title": t, "slug": s, "intro": i} for code, (t, s, i) in PRODUCT_INDEX.items()
    }
    products = ensure_section(home, ProductIndexPage, {}, product_texts)
    prices_texts = {
        code: {"title": t, "slug": s, "intro": i} for code, (t, s, i) in PRICES_PAGE.items()
    }
    ensure_section(home, MarketPricesPage, {}, prices_texts)
    load_articles(sections, report)
    load_language_samples(sections[Topic.CULTURE], report)
    load_products(products, report)
    load_market(report, today or datetime.date.today())
    demo_loaded.send(sender=DemoReport, report=report, home=home)
    return report
