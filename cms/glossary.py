"""Finding a language's glossary terms in Vietnamese text (``cms.models.GlossaryTerm``)."""

from dataclasses import dataclass

import regex

from cms.models.glossary import GlossaryTerm
from cms.text import nfc


@dataclass
class Glossary:
    """A language's glossary, read once, to look terms up in many texts."""

    entries: list[GlossaryTerm]
    pattern: regex.Pattern | None

    @classmethod
    def of(cls, language: str) -> "Glossary":
        """The glossary of ``language``."""
        entries = list(GlossaryTerm.objects.filter(language=language))
        terms = sorted({nfc(entry.term).casefold() for entry in entries}, key=len, reverse=True)
        if not terms:
            return cls(entries, None)
        words = "|".join(regex.escape(term) for term in terms)
        return cls(entries, regex.compile(rf"(?<!\w)(?:{words})(?!\w)"))

    def terms_in(self, texts: list[str]) -> list[GlossaryTerm]:
        """The terms occurring in any of ``texts`` as whole words, whatever their case, in the
        glossary's order; a longer term found hides the shorter ones inside it (*Trạm Y tế
        xã*, not also *Y tế*)."""
        if self.pattern is None:
            return []
        found = {match for text in texts for match in self.pattern.findall(nfc(text).casefold())}
        return [entry for entry in self.entries if nfc(entry.term).casefold() in found]


def terms_in(texts: list[str], language: str) -> list[GlossaryTerm]:
    """The glossary terms of ``language`` occurring in any of ``texts`` (``Glossary.terms_in``)."""
    return Glossary.of(language).terms_in(texts)
