"""Unicode-correct text: NFC on save, truncation by user-perceived character."""

import unicodedata

from cms.text import graphemes, nfc, truncate_graphemes
from tests.cms.factories import ArticlePageFactory, CommodityFactory
from tests.shared_data import needs_shared_data, udhr_file


def test_decomposed_vietnamese_is_stored_composed(health):
    decomposed = unicodedata.normalize("NFD", "Lễ hội Lồng Tồng")
    page = ArticlePageFactory(
        parent=health,
        title=decomposed,
        slug="le-hoi",
        summary=unicodedata.normalize("NFD", "Hội xuống đồng"),
        body=[
            {
                "type": "paragraph",
                "value": unicodedata.normalize("NFD", "<p>Người Tày ở Việt Bắc</p>"),
            }
        ],
    )
    page.refresh_from_db()
    assert page.title_vi == "Lễ hội Lồng Tồng"
    assert unicodedata.is_normalized("NFC", page.summary_vi)
    assert page.body_vi[0].value.source == "<p>Người Tày ở Việt Bắc</p>"


def test_snippet_text_is_stored_composed(db):
    commodity = CommodityFactory(name=unicodedata.normalize("NFD", "Hồ tiêu"))
    commodity.refresh_from_db()
    assert commodity.name_vi == "Hồ tiêu"


@needs_shared_data
def test_udhr_vietnamese_with_combining_marks_normalises():
    text = udhr_file("vie").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", text)
    assert unicodedata.is_normalized("NFC", nfc(text))


def test_jrai_letter_with_two_marks_is_one_grapheme():
    assert len("ơ̆") == 2
    assert graphemes("mơdơ̆") == ["m", "ơ", "d", "ơ̆"]


def test_truncation_never_splits_a_letter_from_its_mark():
    assert truncate_graphemes("mơdơ̆-mơđơr", 5) == "mơdơ̆…"


def test_truncation_keeps_khmer_subscript_consonants_with_their_base():
    text = "ក្សត្រ"
    clusters = graphemes(text)
    assert "".join(clusters) == text
    assert all(not cluster.endswith("\u17d2") for cluster in clusters)
    shortened = truncate_graphemes(text + text, 3)
    assert not shortened.rstrip("…").endswith("\u17d2")


def test_truncation_prefers_a_word_boundary_in_spaced_scripts():
    assert truncate_graphemes("Giá cà phê hôm nay tăng nhẹ", 20) == "Giá cà phê hôm nay…"


def test_short_text_is_left_alone():
    assert truncate_graphemes("Tết", 3) == "Tết"
