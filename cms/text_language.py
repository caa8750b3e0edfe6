"""Which language a piece of shown text is really in.

Readers of a minority language often see Vietnamese: a translated field without text in their
language falls back to Vietnamese (modeltranslation), and an interface string their catalogue
lacks falls back to the Vietnamese catalogue (Django). Every such piece of text must carry the
language it is in, so that screen readers, hyphenation and font selection treat it right.
"""

import inspect
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, trans_real
from modeltranslation.fields import NONE, TranslationFieldDescriptor
from modeltranslation.utils import build_localized_fieldname, resolution_order

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

MESSAGE_ID_LANGUAGE = "en"
"""Interface strings are written in English in the code; a string no catalogue has stays so."""


def reading_code() -> str:
    """The active language, as a content language code (Vietnamese for any other)."""
    code = get_language() or DEFAULT_LANGUAGE
    return code if code in LANGUAGE_CODES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Text:
    """Some text and the language it is written in."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def field_language(instance: models.Model, name: str, code: str | None = None) -> str:
    """The language of the value ``instance.<name>`` shows to a reader of ``code``.

    Follows modeltranslation's own fallback order and notion of an empty value, so it names
    the language of exactly the text the field returns. A field that is not translated, or
    is empty in every language, counts as written in ``code``.
    """
    code = code or reading_code()
    descriptor = inspect.getattr_static(type(instance), name, None)
    if not isinstance(descriptor, TranslationFieldDescriptor):
        return code
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    for lang in resolution_order(code, descriptor.fallback_languages):
        value = getattr(instance, build_localized_fieldname(name, lang), None)
        if descriptor.meaningful_value(value, undefined):
            return lang
    return code


def localized_text(instance: models.Model, name: str, code: str | None = None) -> Text:
    """Field ``name`` as a reader of ``code`` sees it, with the language it is in."""
    code = code or reading_code()
    lang = field_language(instance, name, code)
    value = getattr(instance, build_localized_fieldname(name, lang), None)
    return Text(value or "", lang)


def message_language(
    message: str, code: str | None = None, *, plural: bool = False, context: str | None = None
) -> str:
    """The language ``gettext(message)`` answers in for a reader of ``code``; with ``plural``,
    ``ngettext(message, …)``, and with ``context``, ``pgettext(context, message)``.

    Django looks a message up in the language's catalogues (ours and those of installed apps),
    then in the Vietnamese ones (``LANGUAGE_CODE``), and otherwise shows the English message id.
    """
    text = f"{context}\x04{message}" if context else message
    key: str | tuple[str, int] = (text, 0) if plural else text
    catalogue: trans_real.DjangoTranslation | None = trans_real.translation(code or reading_code())
    while catalogue is not None:
        # The merged catalogue of each language; Django offers no public lookup of it.
        if key in getattr(catalogue, "_catalog", {}):
            return catalogue.language()
        catalogue = getattr(catalogue, "_fallback", None)
    return MESSAGE_ID_LANGUAGE


class Message(SafeString):
    """An interface string as shown (escaped), with the language of the catalogue it came from."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "Message":
        message = super().__new__(cls, text)
        message.lang = lang
        return message


def shown_message(text: Promise) -> Message:
    """A lazily translated interface string (a choice's label, a filter's name) as the reader
    sees it, with the language of the catalogue it came from.

    It must still be lazy: only then is its message id known, the text it shows without any
    catalogue.
    """
    if not isinstance(text, Promise):
        raise TypeError(f"{text!r} is not a lazy translation (gettext_lazy)")
    with translation.override(None):
        msgid = str(text)
    return Message(escape(str(text)), message_language(msgid))


def tagged_html(text: Text | Message | str, lang: str = "") -> SafeString:
    """``text`` as HTML, in ``<span lang="…">`` when its language (``lang``, or the one ``text``
    carries) is not the reader's."""
    lang = lang or getattr(text, "lang", "")
    shown = text.text if isinstance(text, Text) else text
    if not lang or lang == reading_code():
        return conditional_escape(shown)
    return format_html('<span lang="{}">{}</span>', lang, shown)
