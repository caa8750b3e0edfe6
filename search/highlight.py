"""Highlighted snippets: the words of a text that a query matched, marked with ``<mark>``.

A word of the text is matched when its folded tokens include a folded term of the query, so
"le hoi" marks "Lễ hội" as the index matched it; but where a hit has a query word as typed
(``exact_matches``), only that spelling is marked: "hội" marks "hội", not "hơi" or "hỏi". Khmer
has no spaces between words: a query word is marked where its syllables occur in sequence within
a run of Khmer text.
"""

from collections.abc import Iterable, Iterator
from functools import lru_cache

import regex
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cms.text import graphemes
from search.analysis import fold, index_exact, index_text, query_exact_terms, query_terms

SNIPPET_LENGTH = 240

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019\u02bc\u2018][\p{L}\p{M}\p{N}]+)*")
_KHMER = regex.compile(r"[\u1780-\u17dd]+")

Span = tuple[int, int]


@lru_cache(maxsize=8192)
def _folded_tokens(word: str) -> frozenset[str]:
    """The folded tokens of a word of a text (words recur, on a page and from page to page)."""
    return frozenset(index_text(word).split())


@lru_cache(maxsize=8192)
def _exact_tokens(word: str) -> frozenset[str]:
    """The exact tokens of a word of a text."""
    return frozenset(index_exact(word).split())


def _exact_forms(query: str) -> dict[str, set[str]]:
    """The spellings of the query's words as typed, by their folded form."""
    forms: dict[str, set[str]] = {}
    for term in query_exact_terms(query):
        for folded in index_text(term).split():
            forms.setdefault(folded, set()).add(term)
    return forms


def exact_matches(texts: Iterable[str], query: str) -> frozenset[str]:
    """The folded terms of ``query`` that ``texts`` have as typed, marks and all."""
    forms = _exact_forms(query)
    found: set[str] = set()
    for text in texts:
        for word in _WORD.finditer(text):
            for term in forms.keys() & _folded_tokens(word[0]):
                if forms[term] & _exact_tokens(word[0]):
                    found.add(term)
    return frozenset(found)


def matched_spans(text: str, query: str, exact: frozenset[str] = frozenset()) -> list[Span]:
    """Start and end offsets of the parts of ``text`` that ``query`` matches, in order; for the
    folded terms in ``exact``, only the words spelled as typed."""
    terms = set(query_terms(query))
    if not terms:
        return []
    forms = _exact_forms(query) if exact else {}
    spans = []
    for word in _WORD.finditer(text):
        if _KHMER.search(word[0]):
            continue
        found = terms.intersection(_folded_tokens(word[0]))
        if found and any(
            term not in exact or forms[term].intersection(_exact_tokens(word[0])) for term in found
        ):
            spans.append(word.span())
    khmer_words = [graphemes(part) for part in _KHMER.findall(fold(query))]
    if khmer_words:
        for run in _KHMER.finditer(text):
            spans += _khmer_spans(run[0], run.start(), khmer_words)
    return _merged(sorted(spans))


def _khmer_spans(run: str, offset: int, words: list[list[str]]) -> Iterator[Span]:
    """Where each query word's syllables occur in sequence in a run of Khmer text."""
    syllables = graphemes(run)
    folded = [fold(syllable) for syllable in syllables]
    starts = [offset]
    for syllable in syllables:
        starts.append(starts[-1] + len(syllable))
    for word in words:
        size = len(word)
        for index in range(len(folded) - size + 1):
            if folded[index : index + size] == word:
                yield starts[index], starts[index + size]


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined into one."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str, query: str, length: int | None = None, exact: frozenset[str] = frozenset()
) -> SafeString:
    """``text`` escaped, the matched words marked (see ``matched_spans``); cut to about
    ``length`` characters around the first match when it is longer (``None``: never cut)."""
    spans = matched_spans(text, query, exact)
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 3)
        if start:
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if space > 0 and start - space < 30 else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + length // 2 else end
    parts = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    # Every piece of text was escaped above.
    return mark_safe("".join(parts))


def snippet(text: str, query: str, exact: frozenset[str] = frozenset()) -> SafeString:
    """The part of a document's text to show under its title, matches marked."""
    return highlight(" ".join(text.split()), query, SNIPPET_LENGTH, exact)
