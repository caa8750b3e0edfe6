r"""Text analysis shared by every search backend, at index time and at query time.

Backends store and search the analysed strings this module returns: tokens separated by single
spaces, each a run of letters, marks and digits (``[\p{L}\p{M}\p{N}]+``), in the order of the
text, so that their positions say which words are next to each other. A backend must split them
on spaces only and fold nothing further: SQLite FTS5's default tokenizer, for one, leaves
"việt" unfolded and cuts Tai Viet and Khmer words apart at every vowel sign.

Each text is indexed in two forms:

* folded (``index_text``): Latin, Greek and Cyrillic letters lose their marks, đ and ƀ become
  d and b, apostrophes go, case is folded. "le hoi", "LỄ HỘI" and a decomposed "lễ hội" all
  give the tokens of "Lễ hội".
* exact (``index_exact``): marks kept. Backends store it in a second field, and a document
  with the words as typed ranks above one that has them only folded (``search.ranking``), so
  "má" ranks above "mà" for the query "má".

A query (``query_words``) is a sequence of words, each a sequence of tokens a match must have
one after the other: a spaced word is one token; a Khmer run is several.

Khmer has no spaces between words. Its text is cut into letter clusters (a consonant or
independent vowel with its subscripts and signs, ``cms.text.graphemes``), indexed in order. A
Khmer query run must match its clusters in sequence, as a phrase, so a word inside a longer
phrase or a derived form (សេរី in សេរីភាព) is found without a dictionary, and a document whose
clusters only occur apart is not. Spaces in Khmer separate phrases, not words, and are used
inconsistently, so a run of the text continues across them; in a query, each space-separated
part is a word of its own.

Tai Viet and Cham are written with spaces between words, and their words stay whole, vowel signs
(and Tai Viet's vowels written before the consonant) included.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import regex

from cms.text import KHMER_COENG, graphemes, nfc

APOSTROPHES = "\u2019\u2018\u02bc\u02bb`\u00b4\u2032\u201b\uff07"
"""Variants of the apostrophe in names such as M'nông and K'Ho: ’ ‘ ʼ ʻ ` ´ ′ ‛ ＇."""

_UNIFY: dict[int, str | None] = {
    **{ord(char): "'" for char in APOSTROPHES},
    ord("\u200b"): " ",  # zero width space: a word boundary in Khmer
    **{ord(char): None for char in "\u00ad\u200c\u200d\u2060\ufeff\u17b4\u17b5"},
    ord("\u17a3"): "\u17a2",
    ord("\u17a4"): "\u17a2\u17b6",
}
"""Mappings shared by both forms: invisible characters (soft hyphen, joiners, byte order mark,
Khmer inherent vowels) go, and Unicode's deprecated Khmer vowels become their replacements."""

FOLDED_LETTERS: dict[str, str] = {
    "đ": "d",
    "ð": "d",
    "ƀ": "b",
    "ɓ": "b",
    "ɗ": "d",
    "\u17b2": "\u17b1",
}
"""Lower-case letters with no decomposition that fold to another letter.

đ (Vietnamese and every Latin minority orthography here) and ƀ (Ê Đê, Jrai, Bahnar, M'nông);
ð, the eth that legacy-encoding converters and some keyboards write for đ; ɓ and ɗ, the phonetic
letters for the sounds ƀ and đ spell. Khmer ឲ is a variant spelling of ឱ (ឲ្យ and ឱ្យ are one
word). The other letters of these orthographies (č ñ ĭ ŏ ŭ ĕ, ê̆ ơ̆ ư̆ ô̆) decompose to a base and
marks, and lose the marks.
"""

_KHMER_SUBSCRIPT_DA = KHMER_COENG + "\u178a"
_KHMER_SUBSCRIPT_TA = KHMER_COENG + "\u178f"
"""Subscript da and subscript ta look the same, and writers use either (សេចក្ដី, សេចក្តី)."""

COMBINING_DIACRITICS = (
    "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\u2de0-\u2dff\ua66f-\ua67d\ua69e\ua69f\ufe20-\ufe2f"
)
"""The blocks of marks that Latin, Greek and Cyrillic letters take. Khmer, Tai Viet and Cham
vowel signs are encoded with their scripts, outside these."""

_HAS_DIACRITIC = re.compile(f"[{COMBINING_DIACRITICS}]")
_MARKED_LETTER = regex.compile(
    rf"([\p{{Latin}}\p{{Greek}}\p{{Cyrillic}}])[{COMBINING_DIACRITICS}]+"
)


def _tone_on_second_vowel(pair: str) -> str:
    """Move the tone mark of the first of two vowels to the second: "òa" → "oà"."""
    decomposed = unicodedata.normalize("NFD", pair[0])
    first, tone = decomposed[0], decomposed[1:]
    return unicodedata.normalize("NFC", first + pair[1] + tone)


_TONE_ON_FIRST_VOWEL = {
    first + second: _tone_on_second_vowel(first + second)
    for firsts, seconds in (("òóỏõọ", "ae"), ("ùúủũụ", "y"))
    for first in firsts
    for second in seconds
}
"""Vietnamese writes the tone of a final oa, oe, uy on either vowel (hòa, hoà; thủy, thuỷ)."""

_TONE_PLACEMENT = regex.compile(rf"(?:{'|'.join(_TONE_ON_FIRST_VOWEL)})(?![\p{{L}}\p{{M}}])")

_KHMER_START = "\u1780-\u17b3\u17d7\u17dc"
_KHMER_RUN = f"[{_KHMER_START}][{_KHMER_START}\u17b4-\u17d3\u17dd]*"
_HAS_KHMER = re.compile(f"[{_KHMER_START}]")
_KHMER_QUERY_RUN = regex.compile(_KHMER_RUN)
_KHMER_INDEX_RUN = regex.compile(f"{_KHMER_RUN}(?: {_KHMER_RUN})*")
"""Khmer letters and their signs; at index time a run continues across single spaces. Khmer
digits and punctuation are not part of it."""

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:'[\p{L}\p{M}\p{N}]+)*")
"""Letters, marks and digits, possibly joined by apostrophes, never starting with a mark."""

_ASCII_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")
"""``_WORD`` for case-folded ASCII text, which most folded Latin text is; ``re`` is faster."""

_CLAUSE_END = regex.compile(r"(?!')[\p{Po}\p{Ps}\p{Pe}\p{Pi}\p{Pf}]")
"""Punctuation that ends a clause (full stops, commas, the Khmer khan, brackets, quotation
marks), not apostrophes or the hyphens inside words and names."""

BREAK = "_"
"""The token the index puts between clauses and between lines: it holds a position, so words
either side are not next to each other, and no query has it."""


class _Table(dict[int, str | None]):
    """``str.translate`` table that leaves characters it has no entry for unchanged.

    ``str.translate`` raises and swallows an exception for every character a plain dict lacks,
    which makes it several times slower on text that is mostly left alone.
    """

    def __missing__(self, codepoint: int) -> str | None:
        self[codepoint] = self._translate(chr(codepoint))
        return self[codepoint]

    def _translate(self, char: str) -> str | None:
        """The replacement of a character the table has not seen."""
        return char


class _FoldTable(_Table):
    """``str.translate`` table that folds each character, computed the first time it is seen."""

    def _translate(self, char: str) -> str | None:
        """The folded form of ``char``: its letter, ASCII digit or base letter without marks."""
        if char in FOLDED_LETTERS:
            return FOLDED_LETTERS[char]
        if unicodedata.decimal(char, None) is not None:
            return str(unicodedata.decimal(char))
        return nfc(_MARKED_LETTER.sub(r"\1", unicodedata.normalize("NFD", char)))


_UNIFY_TABLE = _Table(_UNIFY)
_FOLD_TABLE = _FoldTable(_UNIFY)


Word = tuple[str, ...]
"""A word of a query: the tokens a match has one after the other (one for a spaced word)."""


class QueryWords(NamedTuple):
    """A user's query as the index matches it: its words in order, folded and exact."""

    folded: tuple[Word, ...]
    exact: tuple[Word, ...]

    @classmethod
    def of_terms(cls, terms: Sequence[str]) -> "QueryWords":
        """A query of folded one-token words, which are their own exact form."""
        words = tuple((term,) for term in terms)
        return cls(words, words)

    @property
    def required(self) -> list[Word]:
        """The distinct folded words, each of which a match must have."""
        return list(dict.fromkeys(self.folded))

    @property
    def exact_words(self) -> list[Word]:
        """The distinct exact words, each of which ranks a document higher."""
        return list(dict.fromkeys(self.exact))

    @property
    def phrase(self) -> Word:
        """Every folded token of the query, in order."""
        return tuple(token for word in self.folded for token in word)

    @property
    def exact_phrase(self) -> Word:
        """Every exact token of the query, in order."""
        return tuple(token for word in self.exact for token in word)

    @property
    def phrase_ranks(self) -> bool:
        """Whether the phrase tells matches apart: not for one word, which every match has."""
        return [self.phrase] != self.required

    @property
    def exact_phrase_ranks(self) -> bool:
        """Whether the exact phrase says more than the exact words: not for one word."""
        return bool(self.exact_words) and [self.exact_phrase] != self.exact_words


class AutocompleteQuery(NamedTuple):
    """A query typed so far: ``words`` are whole; ``last`` is the word being typed, whose last
    token may be the start of one."""

    words: list[Word]
    last: Word


def fold(text: str) -> str:
    """Return ``text`` folded for matching regardless of marks, case and apostrophe style.

    NFC; case folded; marks on Latin, Greek and Cyrillic letters removed (marks on Khmer, Tai
    Viet and Cham letters are vowels and stay); đ → d, ƀ → b and the like; Khmer look-alike
    spellings made one; digits of every script → ASCII; apostrophes → '; whitespace collapsed
    to single spaces.
    """
    folded = nfc(nfc(text).casefold()).translate(_FOLD_TABLE)
    if _HAS_DIACRITIC.search(folded):
        folded = _MARKED_LETTER.sub(r"\1", folded)
    return " ".join(folded.replace(_KHMER_SUBSCRIPT_DA, _KHMER_SUBSCRIPT_TA).split())


def exact(text: str) -> str:
    """Return ``text`` in the exact form, which keeps marks.

    NFC; case folded; apostrophes → '; the tone of a word-final Vietnamese oa, oe or uy on the
    second vowel (hòa → hoà, thủy → thuỷ); whitespace collapsed to single spaces.
    """
    unified = nfc(nfc(text).casefold()).translate(_UNIFY_TABLE)
    unified = _TONE_PLACEMENT.sub(lambda match: _TONE_ON_FIRST_VOWEL[match[0]], unified)
    return " ".join(unified.split())


def index_text(text: str) -> str:
    """Return the folded tokens of ``text``, space-separated, for the folded index field."""
    return _clauses_tokens(map(fold, text.splitlines()))


def index_exact(text: str) -> str:
    """Return the exact tokens of ``text``, space-separated, for the exact index field."""
    return _clauses_tokens(map(exact, text.splitlines()))


def query_words(query: str, limit: int | None = None) -> QueryWords:
    """The words of a user's query, folded and exact, with at most ``limit`` tokens in each form
    (the last word kept cut short rather than left out)."""
    return QueryWords(
        _limited(_query_words(fold(query)), limit), _limited(_query_words(exact(query)), limit)
    )


def query_terms(query: str) -> list[str]:
    """Return the distinct folded tokens of a user's query, in order."""
    return list(dict.fromkeys(token for word in _query_words(fold(query)) for token in word))


def query_exact_terms(query: str) -> list[str]:
    """Return the distinct exact tokens of a user's query, in order."""
    return list(dict.fromkeys(token for word in _query_words(exact(query)) for token in word))


def autocomplete_prefix(query: str) -> AutocompleteQuery:
    """Split a query still being typed into whole folded words and the word being typed.

    A Khmer word being typed is the clusters typed so far, the last of which may be incomplete.
    """
    words = _query_words(fold(query))
    if not words:
        return AutocompleteQuery([], ())
    return AutocompleteQuery(list(dict.fromkeys(words[:-1])), words[-1])


def _clauses_tokens(lines: Iterable[str]) -> str:
    """The tokens of analysed lines, with ``BREAK`` between clauses and between lines."""
    clauses = (_index_tokens(clause) for line in lines for clause in _CLAUSE_END.split(line))
    return f" {BREAK} ".join(clause for clause in clauses if clause)


def _index_tokens(analysed: str) -> str:
    """Words of folded or exact text, with each Khmer run as its letter clusters."""
    if analysed.isascii():
        return " ".join(_ASCII_WORD.findall(analysed)).replace("'", "")
    tokens: list[str] = []
    start = 0
    if _HAS_KHMER.search(analysed):
        for run in _KHMER_INDEX_RUN.finditer(analysed):
            tokens += _WORD.findall(analysed, start, run.start())
            tokens += graphemes(run[0].replace(" ", ""))
            start = run.end()
    tokens += _WORD.findall(analysed, start)
    return " ".join(tokens).replace("'", "")


def _query_words(analysed: str) -> list[Word]:
    """Words of a folded or exact query: each Khmer run the sequence of its letter clusters."""
    words: list[Word] = []
    start = 0
    if _HAS_KHMER.search(analysed):
        for run in _KHMER_QUERY_RUN.finditer(analysed):
            words += [
                (word.replace("'", ""),) for word in _WORD.findall(analysed, start, run.start())
            ]
            words.append(tuple(graphemes(run[0])))
            start = run.end()
    words += [(word.replace("'", ""),) for word in _WORD.findall(analysed, start)]
    return words


def _limited(words: list[Word], limit: int | None) -> tuple[Word, ...]:
    """The first ``limit`` tokens of ``words``, still grouped in words."""
    if limit is None:
        return tuple(words)
    kept: list[Word] = []
    for word in words:
        if limit <= 0:
            break
        kept.append(word[:limit])
        limit -= len(word)
    return tuple(kept)
