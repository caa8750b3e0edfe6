"""The relevance set: queries in every script and spelling, and what must come in the top 3."""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from search import indexing, service
from search.models import SearchDocument
from tests.search import corpus
from tests.search.clusters import BACKENDS, searching_on
from tests.search.test_analysis import WORDS_INSIDE_PHRASES, needs_shared_data

pytestmark = pytest.mark.django_db


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.fixture(scope="module", params=BACKENDS)
def made(request, django_db_setup, django_db_blocker):
    """The corpus, built and indexed once per backend, rolled back after it."""
    with searching_on(request.param), django_db_blocker.unblock(), transaction.atomic():
        objects = corpus.build(with_khmer=corpus.UDHR.is_dir())
        indexing.rebuild()
        yield objects
        transaction.set_rollback(True)


def url_of(obj, language):
    content_type = ContentType.objects.get_for_model(type(obj))
    return SearchDocument.objects.get(
        content_type=content_type, object_id=obj.pk, language=language
    ).url


def top(query, language, count=3):
    results = service.search(query, language, AnonymousUser())
    assert not results.notice, "the configured backend did not answer"
    return [hit.url for hit in results.hits[:count]]


CASES = [
    ("vi", "sốt rét", "malaria"),
    ("vi", "sot ret", "malaria"),
    ("vi", nfd("sốt rét"), "malaria"),
    ("vi", "SỐT RÉT MÙA MƯA", "malaria"),
    ("vi", "vắc xin", "vaccine"),
    ("vi", "vac xin tre em", "vaccine"),
    ("vi", "cà phê", "coffee"),
    ("vi", "ca phe tay nguyen", "coffee"),
    ("vi", "lúa nương", "rice"),
    ("vi", "lua nuong", "rice"),
    ("vi", "hoà giải", "mediation"),
    ("vi", "hoa giai", "mediation"),
    ("vi", nfd("hòa giải"), "mediation"),
    ("vi", "chè shan tuyết", "tea"),
    ("vi", "che shan tuyet", "tea"),
    ("vi", "thổ cẩm", "brocade"),
    ("vi", "tho cam mong", "brocade"),
    ("vi", "sáp ong", "brocade"),
    ("vi", "lung tam", "brocade"),
    ("vi", "gầu tào", "gau_tao"),
    ("vi", "gau tao", "gau_tao"),
    ("vi", nfd("Lễ hội Gầu Tào"), "gau_tao"),
    ("vi", "khèn", "khen"),
    ("vi", "múa xòe", "xoe"),
    ("vi", "mua xoe", "xoe"),
    ("vi", "bỏ mả", "tomb"),
    ("vi", "bo ma jrai", "tomb"),
    ("vi", "Thái Đen", "tai"),
    ("vi", "thai den", "tai"),
    ("en", "malaria", "malaria"),
    ("en", "Malaria mosquitoes", "malaria"),
    ("en", "coffee prices", "coffee"),
    ("en", "upland rice", "rice"),
    ("en", "vaccinating children", "vaccine"),
    ("en", "immunisation", "vaccine"),
    ("en", "gau tao", "gau_tao"),
    ("hmn", "gaox tos", "gau_tao"),
    ("hmn", "Noj Peb Caug", "gau_tao"),
    ("blt", "ꪹꪕꪸꪉ", "tai"),
    ("blt", "ꪶꪔꪙ ꪠꪴ", "tai"),
    ("jra", "pơthi", "tomb"),
    ("jra", "pothi", "tomb"),
    ("jra", nfd("ƀơ̆ng huă"), "tomb"),
    ("jra", "bong", "bong"),
    ("km", "sốt rét", "malaria"),
]


@pytest.mark.parametrize(("language", "query", "expected"), CASES)
def test_expected_result_is_in_the_top_three(made, language, query, expected):
    if language == "blt" and not corpus.UDHR.is_dir():
        pytest.skip("third-party test data absent: no Tai Dam UDHR")
    assert url_of(made[expected], language) in top(query, language)


@pytest.mark.parametrize(
    ("language", "query", "first", "second"),
    [
        ("vi", "má", "mother", "but"),
        ("vi", "mà", "but", "mother"),
        ("jra", "ƀơ̆ng", "tomb", "bong"),
        ("en", "coffee", "coffee", "arabica"),
    ],
)
def test_exact_spelling_and_own_language_rank_first(made, language, query, first, second):
    urls = top(query, language, 10)
    assert urls.index(url_of(made[first], language)) < urls.index(url_of(made[second], language))


@needs_shared_data
@pytest.mark.parametrize("word", WORDS_INSIDE_PHRASES)
def test_khmer_word_from_inside_a_phrase_finds_its_paragraph(made, word):
    containing = {
        url_of(made[f"khmer_{number}"], "km")
        for number in corpus.KHMER_PARAGRAPHS
        if word in corpus.paragraph(number)
    }
    assert containing
    urls = top(word, "km", 10)
    assert set(urls[: len(containing)]) == containing


@needs_shared_data
@pytest.mark.parametrize("word", ["កុំព្យូទ័រ", "អាកាសធាតុ"])
def test_khmer_word_absent_from_every_paragraph_finds_nothing(made, word):
    assert service.search(word, "km", AnonymousUser()).total == 0


def test_folded_query_finds_both_spellings(made):
    urls = top("ma", "vi", 10)
    assert {url_of(made["mother"], "vi"), url_of(made["but"], "vi")} <= set(urls)


def test_untranslated_content_is_found_in_vietnamese_after_own_language(made):
    results = service.search("coffee", "en", AnonymousUser())
    own, fallback = results.hits[0], results.hits[-1]
    assert (own.fallback, own.language) == (False, "en")
    assert (fallback.fallback, fallback.language) == (True, "vi")
    assert "<mark>Coffee</mark>" in fallback.title


def test_khmer_reader_finds_vietnamese_text_of_untranslated_articles(made):
    hit = service.search("sốt rét", "km", AnonymousUser()).hits[0]
    assert hit.fallback
    assert hit.url.startswith("/km/")
    assert "<mark>sốt</mark> <mark>rét</mark>" in hit.title


def test_snippet_marks_folded_and_decomposed_matches(made):
    hit = service.search(nfd("mua xoe"), "vi", AnonymousUser()).hits[0]
    assert hit.title == "<mark>Múa</mark> <mark>xòe</mark> trước nhà văn hóa"


@needs_shared_data
def test_khmer_snippet_marks_the_word_inside_its_phrase(made):
    hit = service.search("សេរីភាព", "km", AnonymousUser()).hits[0]
    assert "<mark>សេរីភាព</mark>" in hit.snippet
