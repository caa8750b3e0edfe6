"""Importing a translation file: every unit checked, then all saved as drafts, or nothing.

Each unit of the file is checked against the item as it is now (``cms.translation_units``): its
item must exist and be the translator's to edit, its key must name a text of that item, and its
translation must keep the source's markup and placeholders, fit the field and be written in the
language's script. Text is taken in NFC. A unit whose Vietnamese changed since the export is
taken but *flagged*: its translation stays outdated. A translation left as it was but marked done
by the translator (no longer ``initial`` or fuzzy) *confirms* an outdated unit.

If any unit is refused, nothing is saved and the report gives the reason for each. Otherwise
each item changed gets one new draft revision by the translator, in one transaction; nothing is
published. The report lists every unit: what it was, what it is, and what happened.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import regex
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, get_language
from cms.text import nfc
from cms.translation_exchange import editable, site_name
from cms.translation_files import FileUnit, UnreadableFile, read
from cms.translation_state import State, doubt, unit_states, vouch
from cms.translation_units import TextUnit, put_translation, text_units
from cms.translators import translatable_languages

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}")
SCRIPT_PROPERTY = {"Latn": "Latin", "Khmr": "Khmer", "Tavt": "Tai_Viet", "Cham": "Cham"}
VOID_TAGS = frozenset({"br", "hr", "img", "embed"})


class Outcome(models.TextChoices):
    """What an import did with one unit."""

    CHANGED = "changed", gettext_lazy("Changed")
    FLAGGED = "flagged", gettext_lazy("Changed, to check")
    CONFIRMED = "confirmed", gettext_lazy("Confirmed as up to date")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    UNTRANSLATED = "untranslated", gettext_lazy("Not translated")
    REFUSED = "refused", gettext_lazy("Refused")


@dataclass
class ReportLine:
    """One unit of an imported file, and what happened to it."""

    item: str
    label: str
    key: str
    outcome: Outcome
    before: str = ""
    after: str = ""
    reason: str = ""


@dataclass
class ImportReport:
    """The result of importing one file."""

    language: str = ""
    lines: list[ReportLine] = field(default_factory=list)
    problem: str = ""
    """Why the whole file was refused."""
    saved: int = 0
    """How many items got a new draft revision."""

    @property
    def refused(self) -> bool:
        """Whether nothing of the file was saved."""
        return bool(self.problem) or any(line.outcome == Outcome.REFUSED for line in self.lines)

    def counts(self) -> dict[Outcome, int]:
        """How many units had each outcome."""
        found = Counter(line.outcome for line in self.lines)
        return {outcome: found[outcome] for outcome in Outcome}


class _Tags(HTMLParser):
    """The start tags (with their attributes) of an HTML text, and whether they are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[f"<{tag} {sorted(attrs)}>"] += 1
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.balanced = False


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    parser.balanced = parser.balanced and not parser.open
    return parser


def problem_with(unit: TextUnit, target: str, language: str) -> str:
    """Why ``target`` cannot be the translation of ``unit`` into ``language``, or ``""``.

    Markup and placeholders are those of the Vietnamese here, never of the file's source, which
    is the translator's to edit as much as the translation: rich text is stored and shown as
    it is, so a tag slipped into both would reach readers."""
    source = unit.source
    if unit.html:
        theirs = _tags(target)
        if not theirs.balanced:
            return _("The markup is broken: a tag is not closed, or closed out of order.")
        if theirs.tags != _tags(source).tags:
            return _("The markup differs from the Vietnamese: keep every tag and link as it is.")
    elif "<" in target and _tags(target).tags and not _tags(source).tags:
        return _("The text holds markup; this field is plain text.")
    if Counter(PLACEHOLDER.findall(target)) != Counter(PLACEHOLDER.findall(source)):
        return _("The placeholders differ from the Vietnamese: keep each one as it is.")
    if unit.max_length and len(target) > unit.max_length:
        return _("%(length)d characters; this field holds at most %(limit)d.") % {
            "length": len(target),
            "limit": unit.max_length,
        }
    if target != source and not _in_script(target, language):
        return _("The text is not written in the script of this language.")
    return ""


def _in_script(text: str, language: str) -> bool:
    """Whether at least half the letters of ``text`` are of a script ``language`` is written in."""
    letters = regex.findall(r"\p{L}", text)
    if not letters:
        return True
    scripts = "".join(
        rf"\p{{Script={SCRIPT_PROPERTY[script]}}}" for script in get_language(language).scripts
    )
    ours = len(regex.findall(f"[{scripts}]", text))
    return ours * 2 >= len(letters)


def import_file(data: bytes, user: Any) -> ImportReport:
    """Check the translation file ``data`` and, if every unit passes, save it as drafts by
    ``user``; say what happened to each unit."""
    report = ImportReport()
    try:
        document = read(data)
    except UnreadableFile as error:
        report.problem = str(error)
        return report
    report.language = document.language
    if document.language not in LANGUAGE_CODES or document.language == DEFAULT_LANGUAGE:
        report.problem = _("The file is for a language we do not translate into (%(code)s).") % {
            "code": document.language or "—"
        }
    elif document.language not in translatable_languages(user):
        report.problem = _("The file is for %(language)s, which you do not translate.") % {
            "language": get_language(document.language).name_native
        }
    elif document.site != site_name():
        report.problem = _("The file comes from another site (%(site)s).") % {
            "site": document.site or "—"
        }
    elif document.declared_units != len(document.units):
        report.problem = _(
            "The file holds %(found)d units but was written with %(declared)s: "
            "it is cut short, or units were removed."
        ) % {"found": len(document.units), "declared": document.declared_units or "—"}
    if report.problem:
        return report
    plans = _check(document.units, document.language, user, report)
    if report.refused:
        return report
    try:
        with transaction.atomic():
            report.saved = _save(plans, document.language, user)
    except ValidationError as error:
        report.problem = _("The drafts could not be saved: %(reason)s") % {
            "reason": " ".join(error.messages)
        }
    return report


@dataclass
class _Plan:
    instance: Model
    targets: dict[str, str] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)
    confirmed: set[str] = field(default_factory=set)


def _check(
    units: list[FileUnit], language: str, user: Any, report: ImportReport
) -> dict[str, _Plan]:
    """Check each unit, add its line to ``report``; the changes to make, by item."""
    plans: dict[str, _Plan] = {}
    found: dict[str, dict[str, TextUnit] | None] = {}
    states: dict[str, dict[str, State]] = {}
    seen: set[tuple[str, str]] = set()
    for entry in units:
        if entry.item not in found:
            instance = editable(user, entry.item)
            found[entry.item] = None
            if instance is not None:
                plans[entry.item] = _Plan(instance)
                found[entry.item] = {unit.key: unit for unit in text_units(instance, language)}
                states[entry.item] = unit_states(instance)[language]
        line = ReportLine(item=entry.item, label=entry.key, key=entry.key, outcome=Outcome.REFUSED)
        report.lines.append(line)
        mine = found[entry.item]
        if mine is None:
            line.reason = _("No such item here, or not yours to translate.")
            continue
        plan = plans[entry.item]
        line.item = str(plan.instance)
        lock = plan.instance.get_lock()  # type: ignore[attr-defined]
        if lock is not None and lock.for_user(user):
            line.reason = _("This item is locked by someone else.")
            continue
        unit = mine.get(entry.key)
        if unit is None:
            line.reason = _(
                "No such text in this item: its id was changed, or the Vietnamese was removed."
            )
            continue
        line.label, line.before = unit.label, unit.translation
        if (entry.item, entry.key) in seen:
            line.reason = _("This unit appears twice in the file.")
            continue
        seen.add((entry.item, entry.key))
        target = nfc(entry.target)
        line.after = target
        if not target.strip():
            line.outcome, line.after = Outcome.UNTRANSLATED, ""
            continue
        line.reason = problem_with(unit, target, language)
        if line.reason:
            continue
        source_changed = nfc(entry.source) != unit.source
        if target != unit.translation:
            plan.targets[unit.key] = target
            line.outcome = Outcome.CHANGED
        elif (
            entry.vouched
            and not source_changed
            and states[entry.item].get(unit.state_unit) == State.OUTDATED
        ):
            plan.confirmed.add(unit.state_unit)
            line.outcome = Outcome.CONFIRMED
        else:
            line.outcome = Outcome.UNCHANGED
        if source_changed and line.outcome == Outcome.CHANGED:
            plan.flagged.add(unit.state_unit)
            line.outcome = Outcome.FLAGGED
            line.reason = _("The Vietnamese changed since the export: check this translation.")
    return plans


def _save(plans: dict[str, _Plan], language: str, user: Any) -> int:
    """Save each plan's changes as a draft revision by ``user``; how many items changed."""
    saved = 0
    for plan in plans.values():
        instance = plan.instance
        if put_translation(instance, language, plan.targets):
            instance.save_revision(user=user, log_action=True)  # type: ignore[attr-defined]
            saved += 1
        if plan.flagged:
            doubt(instance, language, plan.flagged, user)
        if plan.confirmed - plan.flagged:
            vouch(instance, language, plan.confirmed - plan.flagged, user)
    return saved
