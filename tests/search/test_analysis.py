"""The one text analysis every search backend uses at index time and at query time."""

import re
import unicodedata
from functools import cache
from html.parser import HTMLParser

import pytest
import regex

from cms.text import KHMER_COENG, nfc
from search.analysis import (
    BREAK,
    AutocompleteQuery,
    autocomplete_prefix,
    exact,
    fold,
    index_exact,
    index_text,
    query_exact_terms,
    query_terms,
    query_words,
)
from tests.shared_data import needs_shared_data, sample_file, udhr_file, udhr_folder

TAI_VIET_PREPENDED_VOWELS = "\uaab5\uaab6\uaab9\uaabb\uaabc"
TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")


class _Paragraphs(HTMLParser):
    """The text of each heading and paragraph of a UDHR page."""

    BLOCKS = frozenset({"h1", "h2", "p"})

    def __init__(self):
        super().__init__()
        self.paragraphs = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._current = []

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self._current is not None:
            self.paragraphs.append("".join(self._current))
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


@cache
def udhr(code):
    """Paragraphs of the Universal Declaration of Human Rights in one language."""
    parser = _Paragraphs()
    parser.feed(udhr_file(code).read_text(encoding="utf-8"))
    return tuple(parser.paragraphs)


def sample(language, field="tester"):
    """One sample text of a gflanguages language file."""
    source = sample_file(language).read_text(encoding="utf-8")
    return re.search(rf'^\s*{field}: "(.*)"$', source, re.MULTILINE)[1].replace("\\n", "\n")


def tokens(analysed):
    return analysed.split()


def words(analysed):
    """The tokens that are words, without the breaks between clauses."""
    return [token for token in tokens(analysed) if token != BREAK]


def has_sequence(analysed, word):
    """Whether the tokens of ``word`` occur one after the other among ``analysed``'s tokens."""
    found = tokens(analysed)
    return any(
        tuple(found[start : start + len(word)]) == tuple(word)
        for start in range(len(found) - len(word) + 1)
    )


def khmer_word(word, form=query_words):
    """The one word a Khmer query without spaces is: its letter clusters, in order."""
    ((clusters,),) = [form(word).folded]
    return clusters


# Folding Vietnamese and the Latin minority orthographies


@pytest.mark.parametrize(
    "query",
    [
        "le hoi long tong",
        "LỄ HỘI LỒNG TỒNG",
        unicodedata.normalize("NFD", "Lễ hội Lồng Tồng"),
        "  Lễ\u00a0hội\tLồng  Tồng ",
    ],
)
def test_spellings_of_a_festival_give_its_terms(query):
    assert query_terms(query) == tokens(index_text("Lễ hội Lồng Tồng"))


def test_decomposed_query_finds_composed_text():
    assert query_terms(unicodedata.normalize("NFD", "lễ hội")) == ["le", "hoi"]
    assert set(query_terms(unicodedata.normalize("NFD", "lễ hội"))) <= set(
        tokens(index_text("Lễ hội Lồng Tồng"))
    )


def test_letters_with_two_marks_fold():
    assert fold("Việt Nam, Hội, Người Ê Đê") == "viet nam, hoi, nguoi e de"


def test_letters_without_a_decomposition_fold_to_their_base():
    assert fold("Đắk Lắk đ") == "dak lak d"
    assert fold("Ƀuôn ƀuôn") == "buon buon"
    assert fold("ÐÀ NẴNG") == "da nang", "eth, written for Đ by legacy converters"
    assert fold("ɓ ɗ Ɓ Ɗ") == "b d b d"


def test_ede_letters_with_breves_fold():
    assert fold("Ă Ĕ Ê̆ Ĭ Ŏ Ô̆ Ơ̆ Ŭ Ư̆ Č Ñ") == "a e e i o o o u u c n"


@needs_shared_data
def test_jrai_letters_fold_to_ascii():
    text = sample("jra_Latn")
    assert "ơ̆" in text
    assert "Ƀ" in sample("jra_Latn", "specimen_48")
    assert "modo modor" in index_text(text)
    assert query_terms("Ƀing gơñu") == ["bing", "gonu"]
    for field in ("tester", "specimen_48"):
        assert index_text(sample("jra_Latn", field)).isascii()
    assert query_exact_terms("mơdơ̆") == ["mơdơ̆"]


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ", "ʻ", "`", "´", "′"])
def test_apostrophe_variants_are_one(apostrophe):
    assert fold(f"M{apostrophe}Nông") == "m'nong"
    assert exact(f"M{apostrophe}Nông") == "m'nông"
    assert query_terms(f"người M{apostrophe}nông, K{apostrophe}Ho") == ["nguoi", "mnong", "kho"]


def test_name_is_found_with_or_without_its_apostrophe():
    assert query_terms("Mnông") == tokens(index_text("M’Nông"))
    assert query_exact_terms("mnông") == tokens(index_exact("Mʼnông"))


def test_apostrophes_used_as_quotes_are_not_part_of_words():
    assert query_terms("'Lễ hội' ‘xuống đồng’") == ["le", "hoi", "xuong", "dong"]


def test_exact_form_keeps_marks_and_folded_form_drops_them():
    assert query_exact_terms("má") != query_exact_terms("mà")
    assert query_terms("má") == query_terms("mà") == ["ma"]
    assert "má" in tokens(index_exact("Má tôi"))
    assert "má" not in tokens(index_exact("mà thôi"))
    assert "ma" in tokens(index_text("mà thôi"))


def test_exact_form_ignores_where_the_tone_of_oa_oe_uy_is_written():
    assert exact("Hòa bình, thủy lợi, khỏe, HÒA") == "hoà bình, thuỷ lợi, khoẻ, hoà"
    assert exact("hoàn toàn, ngoài, quý, của") == "hoàn toàn, ngoài, quý, của"


@needs_shared_data
def test_udhr_vietnamese_not_in_nfc_gives_nfc_tokens():
    paragraphs = udhr("vie")
    assert not all(unicodedata.is_normalized("NFC", p) for p in paragraphs)
    for paragraph in paragraphs:
        assert index_text(paragraph) == index_text(nfc(paragraph))
        assert index_text(paragraph).isascii()
        assert unicodedata.is_normalized("NFC", index_exact(paragraph))
    whole = set(tokens(index_exact(" ".join(paragraphs))))
    assert {"hoà", "quyền", "người"} <= whole
    assert set(query_exact_terms("hòa bình")) <= whole


def test_digits_of_every_script_fold_to_ascii():
    assert fold("Năm ១៩៤៨, ꩑꩒") == "nam 1948, 12"
    assert query_exact_terms("១៩៤៨") == ["១៩៤៨"]


def test_invisible_characters_are_ignored():
    assert query_terms("Lễ\u00adhội\u200d") == ["lehoi"]
    assert query_terms("Lễ\u200bhội") == ["le", "hoi"]


# Khmer: letter clusters, in sequence


WORDS_INSIDE_PHRASES = ["សេរីភាព", "ពិភពលោក", "មនុស្ស", "ទទួលស្គាល់", "គ្រួសារ", "ឯករាជ្យ"]


@needs_shared_data
@pytest.mark.parametrize("word", WORDS_INSIDE_PHRASES)
def test_khmer_word_inside_a_phrase_is_found(word):
    khmer = re.compile(r"[\u1780-\u17dd]")
    found_inside = False
    for paragraph in udhr("khm"):
        for occurrence in re.finditer(word, paragraph):
            start, end = occurrence.span()
            assert has_sequence(index_text(paragraph), khmer_word(word))
            ((exact_clusters,),) = [query_words(word).exact]
            assert has_sequence(index_exact(paragraph), exact_clusters)
            found_inside |= bool(
                start
                and end < len(paragraph)
                and khmer.match(paragraph[start - 1])
                and khmer.match(paragraph[end])
            )
    assert found_inside, f"{word} never occurs inside a longer unspaced run"


@needs_shared_data
@pytest.mark.parametrize("word", ["កុំព្យូទ័រ", "អាកាសធាតុ"])
def test_khmer_word_absent_from_the_text_is_not_found(word):
    text = " ".join(udhr("khm"))
    assert word not in text
    assert not has_sequence(index_text(text), khmer_word(word))


@needs_shared_data
def test_khmer_word_whose_clusters_all_occur_apart_is_not_found():
    text = " ".join(udhr("khm"))
    assert "អាកាសធាតុ" not in text
    assert set(khmer_word("អាកាសធាតុ")) <= set(tokens(index_text(text)))
    assert not has_sequence(index_text(text), khmer_word("អាកាសធាតុ"))


def test_khmer_query_is_its_clusters_in_sequence():
    assert query_words("សិទ្ធិមនុស្ស").folded == (("សិ", "ទ្ធិ", "ម", "នុ", "ស្ស"),)
    assert query_words("គឺ").folded == (("គឺ",),)
    assert query_words("សេរីភាព និង sốt rét").folded == (
        ("សេ", "រី", "ភា", "ព"),
        ("និ", "ង"),
        ("sot",),
        ("ret",),
    )


def test_khmer_clusters_apart_are_not_the_word():
    assert not has_sequence(index_text("សិទ្ធិ ការពារ មនុស្ស"), khmer_word("សិទ្ធិមនុស្ស"))
    assert has_sequence(index_text("ការពារសិទ្ធិមនុស្សជាតិ"), khmer_word("សិទ្ធិមនុស្ស"))


def test_a_word_inside_a_derived_form_is_its_clusters_in_sequence():
    assert has_sequence(index_text("សេរីភាព"), khmer_word("សេរី"))
    assert has_sequence(index_text("ការអប់រំ"), khmer_word("អប់រំ"))


def test_a_long_query_keeps_its_first_tokens_in_their_words():
    words = query_words("lễ hội " + "សិទ្ធិមនុស្ស" * 4, limit=8)
    assert words.folded == (("le",), ("hoi",), ("សិ", "ទ្ធិ", "ម", "នុ", "ស្ស", "សិ"))
    assert words.exact == (("lễ",), ("hội",), ("សិ", "ទ្ធិ", "ម", "នុ", "ស្ស", "សិ"))


@needs_shared_data
def test_khmer_one_syllable_word_is_found():
    paragraph = next(p for p in udhr("khm") if "គឺ" in p)
    assert khmer_word("គឺ") == ("គឺ",)
    assert "គឺ" in tokens(index_text(paragraph))


@needs_shared_data
def test_khmer_words_are_found_across_spaces_and_subscript_spellings():
    paragraph = next(p for p in udhr("khm") if "លក់ ដូរ" in p)
    assert has_sequence(index_text(paragraph), khmer_word("លក់ដូរ"))
    assert query_words("លក់ ដូរ").phrase == khmer_word("លក់ដូរ")
    assert has_sequence(index_text("លក់\u200bដូរ"), khmer_word("លក់ដូរ"))
    with_da = next(p for p in udhr("khm") if "សេចក្ដី" in p)
    assert has_sequence(index_text(with_da), khmer_word("សេចក្តី")), "subscript ta for da"


@needs_shared_data
def test_no_khmer_syllable_is_split_after_a_coeng():
    text = " ".join(udhr("khm"))
    assert text.count(KHMER_COENG) > 900
    for analysed in (index_text(text), index_exact(text)):
        khmer_tokens = [token for token in tokens(analysed) if "\u1780" <= token[0] <= "\u17dd"]
        assert len(khmer_tokens) > 5_000
        assert not [token for token in khmer_tokens if token.endswith(KHMER_COENG)]


@needs_shared_data
def test_folding_keeps_khmer_signs():
    text = " ".join(udhr("khm"))
    marks = [char for char in nfc(text) if unicodedata.category(char) in ("Mn", "Mc")]
    assert [char for char in fold(text) if unicodedata.category(char) in ("Mn", "Mc")] == marks


# Tai Dam (Tai Viet) and Cham


@needs_shared_data
def test_tai_dam_words_keep_their_vowel_signs():
    text = " ".join(udhr("blt"))
    written = [word for word in re.split(r"[\s.,:;()&\-]+", text) if word]
    assert words(index_text(text)) == [fold(word) for word in written]
    for token in words(index_text(text)) + words(index_exact(text)):
        assert unicodedata.category(token[0]) not in ("Mn", "Mc")
        assert token not in TAI_VIET_PREPENDED_VOWELS
    assert query_terms("ꪹꪕꪸꪉ ꪵꪠꪙ") == ["ꪹꪕꪸꪉ", "ꪵꪠꪙ"]
    assert fold(text) == " ".join(nfc(text).casefold().split())


@needs_shared_data
def test_tai_dam_sample_words_stay_whole():
    text = sample("blt_Tavt", "specimen_16")
    assert words(index_text(text)) == re.findall(r"[^\s,.]+", text)


def test_cham_words_keep_their_vowel_and_final_signs():
    name = unicodedata.lookup
    words = [
        "ꨌꩌ",
        name("CHAM LETTER KA") + name("CHAM VOWEL SIGN I") + name("CHAM CONSONANT SIGN FINAL NG"),
        name("CHAM LETTER PA") + name("CHAM CONSONANT SIGN RA") + name("CHAM VOWEL SIGN O"),
        name("CHAM LETTER A") + name("CHAM VOWEL SIGN AI") + name("CHAM CONSONANT SIGN FINAL H"),
    ]
    text = " ".join(words) + name("CHAM PUNCTUATION DANDA")
    assert tokens(index_text(text)) == tokens(index_exact(text)) == words
    assert query_terms(words[1]) == [words[1]]


# Properties over every text


def all_texts():
    texts = [
        "Lễ hội Lồng Tồng",
        "Ƀing gơñu mơdơ̆-mơđơr, M’Nông K‘Ho",
        "ΆΈΉ Ёлка й",
        "ﬁ ß İstanbul",
        "សេចក្ដី ឲ្យ\u200b១៩៤៨",
    ]
    if udhr_folder() is not None:
        texts += [" ".join(udhr(code)) for code in ("vie", "khm", "blt", "eng", "blu")]
        texts += [sample(language) for language in ("jra_Latn", "vi_Latn", "km_Khmr")]
    return texts


@pytest.mark.parametrize("text", all_texts(), ids=lambda text: text[:12])
def test_fold_and_exact_are_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert exact(exact(text)) == exact(text)
    assert index_text(fold(text)) == index_text(text)
    assert index_exact(exact(text)) == index_exact(text)


@pytest.mark.parametrize("text", all_texts(), ids=lambda text: text[:12])
def test_tokens_are_letters_marks_and_digits(text):
    for analysed in (index_text(text), index_exact(text)):
        assert analysed == " ".join(analysed.split())
        assert all(TOKEN.fullmatch(token) for token in words(analysed))
        assert BREAK not in (tokens(analysed)[:1] + tokens(analysed)[-1:])
        assert f"{BREAK} {BREAK}" not in analysed


def test_clauses_and_lines_are_apart():
    assert index_text("Tự do, công bằng.\nHoà bình (nhân loại)") == (
        "tu do _ cong bang _ hoa binh _ nhan loai"
    )
    assert index_exact("សិទ្ធិ។ មនុស្ស") == "សិ ទ្ធិ _ ម នុ ស្ស"
    assert index_text("M’Nông ‘xuống đồng’ Ê-đê") == "mnong xuong dong e de"


# Autocomplete


def test_autocomplete_splits_whole_words_from_the_word_being_typed():
    assert autocomplete_prefix("Lễ hội Lồ") == AutocompleteQuery([("le",), ("hoi",)], ("lo",))
    assert autocomplete_prefix("M’") == AutocompleteQuery([], ("m",))
    assert autocomplete_prefix("  ") == AutocompleteQuery([], ())
    assert autocomplete_prefix("sốt សិទ្ធិម") == AutocompleteQuery([("sot",)], ("សិ", "ទ្ធិ", "ម"))


@needs_shared_data
@pytest.mark.parametrize("word", ["សិទ្ធិមនុស្ស", "សេចក្ដីថ្លៃថ្នូរ", "លក់ដូរ"])
def test_khmer_typed_character_by_character_completes(word):
    index = tokens(index_text(" ".join(udhr("khm"))))
    for length in range(1, len(word) + 1):
        typed = autocomplete_prefix(word[:length])
        *lead, prefix = typed.last
        assert not typed.words
        assert any(
            index[start : start + len(lead)] == lead and index[start + len(lead)].startswith(prefix)
            for start in range(len(index) - len(lead))
        ), word[:length]
