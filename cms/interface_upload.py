"""A translated PO file of a language's interface strings, brought back: every entry checked as
in the admin's form, and then all of it saved, or none of it; a report of what changed."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polib
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.interface_catalogue import (
    InterfaceString,
    MessageKey,
    interface_strings,
    plural_count,
    save_translations,
)
from cms.interface_checks import problem_with
from cms.po_files import UnreadableUpload, parse_po, utf8_text
from cms.text import nfc


class UploadOutcome(models.TextChoices):
    """What an upload did with one entry."""

    ADDED = "added", gettext_lazy("Translated")
    CHANGED = "changed", gettext_lazy("Changed")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    SKIPPED = "skipped", gettext_lazy("Not translated or marked fuzzy: left as it was")
    REFUSED = "refused", gettext_lazy("Refused")


@dataclass
class UploadLine:
    """One entry of an uploaded file that changed or was refused."""

    msgid: str
    outcome: UploadOutcome
    before: str = ""
    after: str = ""
    reason: str = ""


@dataclass
class UploadReport:
    """The result of uploading one file."""

    language: str
    lines: list[UploadLine] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    problem: str = ""
    """Why the whole file was refused."""

    @property
    def refused(self) -> bool:
        """Whether nothing of the file was saved."""
        return bool(self.problem) or bool(self.counts[UploadOutcome.REFUSED])

    def outcome_counts(self) -> list[tuple[UploadOutcome, int]]:
        """Each outcome that happened, with how many entries had it."""
        return [
            (outcome, self.counts[outcome]) for outcome in UploadOutcome if self.counts[outcome]
        ]


class UnreadableCatalogue(Exception):
    """The file is not a PO file of this language's interface strings."""


def read_po(data: bytes, language: str) -> polib.POFile:
    """The PO file ``data``, which must be ``language``'s."""
    try:
        catalogue = parse_po(utf8_text(data))
    except UnreadableUpload as error:
        raise UnreadableCatalogue(str(error)) from error
    found = catalogue.metadata.get("Language", "")
    if not found:
        raise UnreadableCatalogue(_("The file does not say its language (the Language header)."))
    if found != language:
        raise UnreadableCatalogue(
            _("The file is for the language “%(found)s”, not “%(language)s”.")
            % {"found": found, "language": language}
        )
    return catalogue


def _forms(entry: polib.POEntry, plurals: int) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(nfc(entry.msgstr_plural.get(number, "")) for number in range(plurals))
    return (nfc(entry.msgstr),)


def _line(
    entry: polib.POEntry, message: InterfaceString | None, forms: tuple[str, ...]
) -> UploadLine:
    """What to do with ``entry``, the translation of ``message`` (none: no such message)."""
    after = " | ".join(forms)
    if message is None:
        reason = _("This is not one of the site's interface strings (its English text differs).")
        return UploadLine(entry.msgid, UploadOutcome.REFUSED, after=after, reason=reason)
    before = " | ".join(message.translation)
    if "fuzzy" in entry.flags or not any(forms):
        return UploadLine(entry.msgid, UploadOutcome.SKIPPED, before=before)
    if (entry.msgid_plural or "") != message.msgid_plural:
        reason = _("The plural forms differ from the site's: download the file again.")
        return UploadLine(entry.msgid, UploadOutcome.REFUSED, before, after, reason)
    if not all(forms):
        reason = _("Every plural form needs a translation.")
        return UploadLine(entry.msgid, UploadOutcome.REFUSED, before, after, reason)
    for form in forms:
        if reason := problem_with(message, form):
            return UploadLine(entry.msgid, UploadOutcome.REFUSED, before, after, reason)
    if forms == message.translation:
        return UploadLine(entry.msgid, UploadOutcome.UNCHANGED, before, after)
    outcome = UploadOutcome.CHANGED if message.translated else UploadOutcome.ADDED
    return UploadLine(entry.msgid, outcome, before, after)


def upload_catalogue(data: bytes, language: str, user: Any) -> UploadReport:
    """Check every entry of the PO file ``data`` and, if none is refused, save the translations
    that changed into ``language``'s interface catalogue, all together."""
    report = UploadReport(language=language)
    try:
        catalogue = read_po(data, language)
    except UnreadableCatalogue as error:
        report.problem = str(error)
        return report
    plurals = plural_count(language)
    messages = {message.key: message for message in interface_strings(language)}
    changes: dict[MessageKey, tuple[str, ...]] = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        forms = _forms(entry, plurals)
        line = _line(entry, messages.get(key), forms)
        report.counts[line.outcome] += 1
        if line.outcome in (UploadOutcome.ADDED, UploadOutcome.CHANGED):
            changes[key] = forms
        if line.outcome in (UploadOutcome.ADDED, UploadOutcome.CHANGED, UploadOutcome.REFUSED):
            report.lines.append(line)
    if not report.refused and changes:
        save_translations(language, changes, user)
    return report
