"""A language's interface strings: the committed catalogues' messages, with the translations
translators made in the admin (``InterfaceTranslation``) over the committed ones.

The messages are those of the Vietnamese catalogue, which is complete, and of the language's own
catalogue (a minority language's may lag behind: ``makemessages`` is not run for every change).
A message is translated when each of its forms has text, in the database or, failing that, in
the committed catalogue; a fuzzy committed translation counts as none, as it does in the
compiled catalogue.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polib
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models import InterfaceCatalogueVersion, InterfaceTranslation
from cms.po_files import po_header

INTERFACE_LANGUAGES: tuple[str, ...] = tuple(
    code for code in LANGUAGE_CODES if code != DEFAULT_LANGUAGE
)
"""The languages whose interface strings are translated in the admin: all but Vietnamese, the
source every other falls back to."""

MessageKey = tuple[str, str]
"""A message's context (``""`` for none) and English message id."""

PLURAL_COUNT = re.compile(r"nplurals\s*=\s*(\d+)")


def committed_po_path(language: str) -> Path:
    """Where ``language``'s committed catalogue is."""
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


@lru_cache(maxsize=32)
def _parsed(path: str, modified_ns: int) -> polib.POFile:
    return polib.pofile(path, wrapwidth=0)


def committed_catalogue(language: str) -> polib.POFile:
    """``language``'s committed catalogue, read again only when the file changed (do not change
    what it returns)."""
    path = committed_po_path(language)
    return _parsed(str(path), path.stat().st_mtime_ns)


def plural_count(language: str) -> int:
    """How many plural forms ``language``'s catalogue declares."""
    header = committed_catalogue(language).metadata.get("Plural-Forms", "")
    found = PLURAL_COUNT.search(header)
    return int(found.group(1)) if found else 1


def entry_forms(entry: polib.POEntry, plurals: int) -> tuple[str, ...]:
    """The translated forms of a committed entry (``()`` when fuzzy: not in use)."""
    if "fuzzy" in entry.flags:
        return ()
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural.get(number, "") for number in range(plurals))
    return (entry.msgstr,)


def saved_forms(row: InterfaceTranslation) -> tuple[str, ...]:
    """The forms of a translation saved in the admin."""
    return tuple(row.msgstr_plural) if row.msgid_plural else (row.msgstr,)


def is_translated(forms: tuple[str, ...]) -> bool:
    """Whether every form has text."""
    return bool(forms) and all(forms)


def message_key_hash(key: MessageKey) -> str:
    """A short, stable name of a message for URLs."""
    return hashlib.sha256("\x04".join(key).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class InterfaceString:
    """One interface string in one language: the English, the Vietnamese, and its translation
    as served (the database's if a translator saved one, else the committed one)."""

    msgctxt: str
    msgid: str
    msgid_plural: str
    vietnamese: str
    committed: tuple[str, ...]
    translation: tuple[str, ...]
    translated_by: Model | None = None

    @property
    def key(self) -> MessageKey:
        """The message's context and English text."""
        return (self.msgctxt, self.msgid)

    @property
    def slug(self) -> str:
        """The message's name in URLs."""
        return message_key_hash(self.key)

    @property
    def translated(self) -> bool:
        """Whether every form of the translation has text."""
        return is_translated(self.translation)


def _message_entries(language: str) -> dict[MessageKey, tuple[polib.POEntry | None, polib.POEntry]]:
    """Each message: its entry in the language's committed catalogue (if it has one), and the
    entry it is read from (that one, else the Vietnamese catalogue's)."""
    own = {(entry.msgctxt or "", entry.msgid): entry for entry in committed_catalogue(language)}
    vietnamese = {
        (entry.msgctxt or "", entry.msgid): entry for entry in committed_catalogue(DEFAULT_LANGUAGE)
    }
    keys = dict.fromkeys([*vietnamese, *own])
    return {key: (own.get(key), own.get(key) or vietnamese[key]) for key in keys}


def interface_strings(language: str) -> list[InterfaceString]:
    """Every interface string of ``language``, in the Vietnamese catalogue's order."""
    plurals = plural_count(language)
    saved = {
        (row.msgctxt, row.msgid): row
        for row in InterfaceTranslation.objects.filter(language=language).select_related(
            "translated_by"
        )
    }
    vietnamese = {
        (entry.msgctxt or "", entry.msgid): entry for entry in committed_catalogue(DEFAULT_LANGUAGE)
    }
    strings = []
    for key, (own, entry) in _message_entries(language).items():
        committed = entry_forms(own, plurals) if own else ()
        row = saved.get(key)
        strings.append(
            InterfaceString(
                msgctxt=key[0],
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural or "",
                vietnamese=_vietnamese_text(vietnamese.get(key)),
                committed=committed,
                translation=saved_forms(row) if row else committed,
                translated_by=row.translated_by if row else None,
            )
        )
    return strings


def _vietnamese_text(entry: polib.POEntry | None) -> str:
    if entry is None:
        return ""
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def interface_coverage() -> dict[str, tuple[int, int]]:
    """Per language: how many interface strings are translated, and how many there are."""
    saved: dict[str, set[MessageKey]] = {code: set() for code in INTERFACE_LANGUAGES}
    for language, msgctxt, msgid in InterfaceTranslation.objects.values_list(
        "language", "msgctxt", "msgid"
    ):
        saved.setdefault(language, set()).add((msgctxt, msgid))
    coverage = {}
    for code in INTERFACE_LANGUAGES:
        plurals = plural_count(code)
        entries = _message_entries(code)
        committed = {
            key
            for key, (own, _entry) in entries.items()
            if own and is_translated(entry_forms(own, plurals))
        }
        coverage[code] = (len((committed | saved[code]) & entries.keys()), len(entries))
    return coverage


@transaction.atomic
def save_translations(
    language: str, changes: dict[MessageKey, tuple[str, ...]], user: User | None
) -> None:
    """Save ``changes`` (each message's forms) to ``language``'s interface catalogue, and give
    the catalogue a new version, so every worker compiles it again. A message whose forms are
    empty goes back to its committed translation, or to none."""
    entries = _message_entries(language)
    for key, forms in changes.items():
        if not any(forms):
            InterfaceTranslation.objects.filter(
                language=language, msgctxt=key[0], msgid=key[1]
            ).delete()
            continue
        entry = entries[key][1]
        plural = bool(entry.msgid_plural)
        InterfaceTranslation.objects.update_or_create(
            language=language,
            msgctxt=key[0],
            msgid=key[1],
            defaults={
                "msgid_plural": entry.msgid_plural or "",
                "msgstr": "" if plural else forms[0],
                "msgstr_plural": list(forms) if plural else [],
                "translated_by": user,
            },
        )
    InterfaceCatalogueVersion.bump(language)


def catalogue_po(language: str) -> bytes:
    """``language``'s interface catalogue as a PO file: every message, its translation as
    served, and the Vietnamese as a comment."""
    committed = committed_catalogue(language)
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        **po_header(language),
        "Plural-Forms": committed.metadata.get("Plural-Forms", "nplurals=1; plural=0;"),
    }
    for message in interface_strings(language):
        catalogue.append(po_entry(message, plural_count(language)))
    return str(catalogue).encode()


def po_entry(message: InterfaceString, plurals: int) -> polib.POEntry:
    """``message`` as a PO entry, its Vietnamese as an extracted comment."""
    entry = polib.POEntry(
        msgctxt=message.msgctxt or None,
        msgid=message.msgid,
        comment=f"vi: {message.vietnamese}" if message.vietnamese else "",
    )
    if message.msgid_plural:
        entry.msgid_plural = message.msgid_plural
        forms = message.translation or ("",) * plurals
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = message.translation[0] if message.translation else ""
    return entry
