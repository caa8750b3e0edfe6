"""Interface strings carry the language they are shown in, on every public page type.

Mông, Khmer and the other minority languages have no interface catalogue of their own yet, so
their readers see the Vietnamese one: "Tin mới nhất", the pagination, the labels of a record.
Each such string must say ``lang="vi"`` where the page says ``km``. The check reads the
Vietnamese and English catalogues, finds every text node of a rendered page that is one of
their strings, or the Vietnamese title of a page or record shown for want of a translation,
and asks which language a browser gives it (its nearest ``lang`` ancestor).
"""

import re
from pathlib import Path

import lxml.html
import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from wagtail.models import Page

from cms.demo.loader import load_demo
from heritage.models import HeritageRecord
from tests.page_types import NOT_FOUND, demo_page_urls

pytestmark = pytest.mark.timeout(600)

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
SHORTEST = 4
"""Catalogue strings shorter than this ("Mã", "Lọc") could be page text by chance."""


def catalogue_strings(code: str) -> list[re.Pattern[str]]:
    """Every translated string of our catalogue for ``code``, as a pattern of a whole text."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"))
    patterns = []
    for entry in po.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            literal = PLACEHOLDER.sub("\0", " ".join(text.split()))
            if len(literal.replace("\0", "")) >= SHORTEST:
                parts = map(re.escape, literal.split("\0"))
                patterns.append(re.compile(".+".join(parts)))
    return patterns


def untranslated_titles(code: str) -> list[re.Pattern[str]]:
    """The Vietnamese titles of pages and records with no title in ``code``, shown instead."""
    titles = [
        page.title_vi
        for page in Page.objects.live().specific()
        if getattr(page, f"title_{code}", "missing") in ("", None)
    ]
    titles += HeritageRecord.objects.filter(**{f"title_{code}": ""}).values_list(
        "title_vi", flat=True
    )
    return [re.compile(re.escape(" ".join(title.split()))) for title in titles if title]


def interface_texts(html: str, patterns: list[re.Pattern[str]]) -> list[tuple[str, str]]:
    """``(text, language)`` of each text node that is wholly one of ``patterns``."""
    found = []
    for element in lxml.html.fromstring(html).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            text = " ".join((text or "").split()).strip(" ·:")
            if owner is not None and any(pattern.fullmatch(text) for pattern in patterns):
                found.append((text, owner.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]))
    return found


def markup_in_attributes(html: str) -> list[str]:
    """Attribute values holding markup: a tagged string written where only text may go."""
    return [
        f"<{element.tag} {name}={value!r}>"
        for element in lxml.html.fromstring(html).iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
        if "<span" in value
    ]


def render(source: str, code: str, **context) -> str:
    with translation.override(code):
        return Template("{% load i18n interface_text %}" + source).render(Context(context))


def test_a_string_from_the_vietnamese_catalogue_on_a_khmer_page_says_vi():
    assert render('{% translate "Latest news" %}', "km") == '<span lang="vi">Tin mới nhất</span>'
    assert render('{% translate "Latest news" %}', "vi") == "Tin mới nhất"
    assert render('{% translate "Latest news" %}', "en") == "Latest news"


def test_a_string_no_catalogue_has_says_en_on_a_vietnamese_page():
    assert render('{% translate "Nowhere translated" %}', "vi") == (
        '<span lang="en">Nowhere translated</span>'
    )


def test_a_variable_that_does_not_exist_renders_as_django_renders_it():
    assert render("{% translate missing %}", "km") == ""
    assert render("{% translate label %}", "km", label="Latest news") == (
        '<span lang="vi">Tin mới nhất</span>'
    )


def test_blocktranslate_plural_and_context_find_their_catalogue_entries():
    plural = (
        "{% blocktranslate count count=n %}and {{ count }} more"
        "{% plural %}and {{ count }} more{% endblocktranslate %}"
    )
    assert render(plural, "hmn", n=3) == '<span lang="vi">và 3 lễ hội khác</span>'
    assert render(plural, "en", n=3) == "and 3 more"


def test_a_stored_string_keeps_its_language_for_an_attribute_or_an_element():
    source = '{% translate "Latest news" as latest %}<h2{{ latest|lang_attr }}>{{ latest }}</h2>'
    assert render("{% load cms_tags %}" + source, "km") == '<h2 lang="vi">Tin mới nhất</h2>'
    assert render("{% load cms_tags %}" + source, "vi") == "<h2>Tin mới nhất</h2>"


def test_the_check_sees_an_untagged_vietnamese_string():
    patterns = catalogue_strings("vi")
    html = '<html lang="km"><p>Tin mới nhất</p><p lang="vi">Tin mới nhất</p></html>'
    assert interface_texts(html, patterns) == [("Tin mới nhất", "km"), ("Tin mới nhất", "vi")]


def test_every_page_type_tags_each_interface_string_with_its_catalogue(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("testserver", 80)
    client = Client()
    vietnamese = catalogue_strings("vi")
    seen, wrong, in_attributes = {}, {}, {}
    for code in ("km", "hmn"):
        patterns = vietnamese + untranslated_titles(code)
        expected = "vi"
        for name, url in demo_page_urls(code).items():
            response = client.get(url)
            assert response.status_code == (404 if name == NOT_FOUND else 200), url
            html = response.content.decode()
            texts = interface_texts(html, patterns)
            seen[(code, name)] = len(texts)
            if untagged := sorted({text for text, lang in texts if lang != expected}):
                wrong[(code, name)] = untagged
            if markup := markup_in_attributes(html):
                in_attributes[(code, name)] = markup
    assert not wrong, "\n".join(f"{key}: {texts}" for key, texts in wrong.items())
    assert not in_attributes, "\n".join(f"{key}: {found}" for key, found in in_attributes.items())
    # The positive control: each page shows some interface strings the check recognised.
    assert [key for key, count in seen.items() if count < 3] == []
    # On the Vietnamese home page the same strings are simply in the page's language.
    vietnamese_home = interface_texts(client.get("/vi/").content.decode(), vietnamese)
    assert len(vietnamese_home) >= 10
    assert {lang for _, lang in vietnamese_home} == {"vi"}
