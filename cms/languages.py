"""The one registry of content and interface languages.

Everything language-related is derived from ``CONTENT_LANGUAGES``: Django's ``LANGUAGES`` and
``LANG_INFO``, modeltranslation's fallbacks, Wagtail's content languages, hreflang tags, the
language switcher and the fonts a page needs. To add a language, add one entry here, run
``make messages`` and migrate.
"""

from dataclasses import dataclass
from typing import Literal

from django.conf.locale import LANG_INFO

Script = Literal["Latn", "Khmr", "Tavt", "Cham"]

DEFAULT_LANGUAGE = "vi"


@dataclass(frozen=True)
class ContentLanguage:
    """A language readers can choose, and how to show text written in it."""

    code: str
    name_en: str
    name_vi: str
    name_native: str
    script: Script
    font: str
    direction: Literal["ltr", "rtl"] = "ltr"
    fallbacks: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    also_written_in: tuple[Script, ...] = ()
    """Other scripts its texts are commonly written in, besides ``script``."""

    @property
    def scripts(self) -> tuple[Script, ...]:
        """Every script a text in the language may be written in, its own first."""
        return (self.script, *self.also_written_in)

    @property
    def bidi(self) -> bool:
        """Whether the language is written right to left."""
        return self.direction == "rtl"


CONTENT_LANGUAGES: tuple[ContentLanguage, ...] = (
    ContentLanguage("vi", "Vietnamese", "Tiếng Việt", "Tiếng Việt", "Latn", "latin", fallbacks=()),
    ContentLanguage("en", "English", "Tiếng Anh", "English", "Latn", "latin"),
    ContentLanguage("hmn", "Hmong (Mông)", "Tiếng Mông", "Hmôngz", "Latn", "latin"),
    ContentLanguage("blt", "Tai Dam", "Tiếng Thái Đen", "ꪼꪕ ꪒꪾ", "Tavt", "tai-viet"),
    ContentLanguage("km", "Khmer", "Tiếng Khmer", "ភាសាខ្មែរ", "Khmr", "khmer"),
    # Cham in Vietnam is written in Akhar Thrah and, in schoolbooks and dictionaries, in Latin.
    ContentLanguage("cjm", "Cham", "Tiếng Chăm", "ꨌꩌ", "Cham", "cham", also_written_in=("Latn",)),
    ContentLanguage("rad", "Rade (Ê Đê)", "Tiếng Ê Đê", "Êđê", "Latn", "latin"),
    ContentLanguage("jra", "Jarai", "Tiếng Gia Rai", "Jrai", "Latn", "latin"),
    ContentLanguage("bdq", "Bahnar", "Tiếng Ba Na", "Bahnar", "Latn", "latin"),
    ContentLanguage("cmo", "Mnong", "Tiếng M'nông", "Mnông", "Latn", "latin"),
)

LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in CONTENT_LANGUAGES)
_BY_CODE: dict[str, ContentLanguage] = {language.code: language for language in CONTENT_LANGUAGES}


def get_language(code: str) -> ContentLanguage:
    """Return the registry entry for ``code``; raise ``KeyError`` for a language we do not serve."""
    return _BY_CODE[code]


def django_languages() -> list[tuple[str, str]]:
    """``settings.LANGUAGES``: codes with their native names, as the switcher shows them."""
    return [(language.code, language.name_native) for language in CONTENT_LANGUAGES]


def fallback_languages() -> dict[str, tuple[str, ...]]:
    """``MODELTRANSLATION_FALLBACK_LANGUAGES``: each language's own chain, Vietnamese last."""
    chains: dict[str, tuple[str, ...]] = {"default": (DEFAULT_LANGUAGE,)}
    for language in CONTENT_LANGUAGES:
        chains[language.code] = language.fallbacks
    return chains


def register_lang_info() -> None:
    """Teach Django the languages it does not know, updating ``LANG_INFO`` in place.

    ``django.utils.translation`` and the ``get_language_info`` template tags hold a reference to
    this very dict, so it must be mutated, never rebound.
    """
    for language in CONTENT_LANGUAGES:
        LANG_INFO[language.code] = {
            "bidi": language.bidi,
            "code": language.code,
            "name": language.name_en,
            "name_local": language.name_native,
        }
