"""What a translation of an interface string must keep: the English text's placeholders exactly
(``%(name)s``, ``%s``, ``{name}``), and its markup, or none where it has none (a translation is
written into the page as it is by ``{% blocktranslate %}``). Text is taken in NFC.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from cms.interface_catalogue import InterfaceString
from cms.translation_import import PLACEHOLDER

TAG = re.compile(r"<[^<>]*>")


def _sources(message: InterfaceString) -> list[str]:
    """The English texts a form may follow: the singular, and the plural if there is one."""
    return [message.msgid, message.msgid_plural] if message.msgid_plural else [message.msgid]


def problem_with(message: InterfaceString, text: str) -> str:
    """Why ``text`` (in NFC) cannot be a form of ``message``'s translation, in the reader's
    language, or ``""``. An empty form is no problem: it is no translation."""
    if not text:
        return ""
    sources = _sources(message)
    placeholders = Counter(PLACEHOLDER.findall(text))
    if all(placeholders != Counter(PLACEHOLDER.findall(source)) for source in sources):
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        if not expected:
            return _("The English text has no placeholder: leave out %(found)s.") % {
                "found": " ".join(sorted(placeholders))
            }
        return _("Keep every placeholder of the English text exactly as it is: %(expected)s.") % {
            "expected": " ".join(expected)
        }
    formatted = any("%" in "".join(PLACEHOLDER.findall(source)) for source in sources)
    if formatted and "%" in PLACEHOLDER.sub("", text).replace("%%", ""):
        return _("Values are filled into this text: write a percent sign twice.")
    if all("<" not in source for source in sources):
        if "<" in text:
            return _("The English text holds no markup: leave out “<” and any tag.")
        return ""
    tags = Counter(TAG.findall(text))
    if all(tags != Counter(TAG.findall(source)) for source in sources):
        return _("Keep the markup of the English text exactly as it is: %(tags)s.") % {
            "tags": " ".join(TAG.findall(sources[-1]))
        }
    return ""
