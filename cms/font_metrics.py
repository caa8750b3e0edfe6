"""How much room a font's text takes, and how to make another font take exactly as much.

The same computation as Capsize's ``createFontStack`` (which Next.js's ``next/font`` and
fontaine reuse): a font's average character width is the advance of each character weighted by
how often it occurs in real text of the language, marks counting nothing; a fallback is scaled
by ``size-adjust`` to the web font's average width, and its ascent, descent and line gap are
replaced by the web font's, divided by that scale so they hold after it.
"""

import unicodedata
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

GDEF_MARK_CLASS = 3


def character_frequencies(text: str, drawn: Container[int]) -> dict[str, float]:
    """Each character's share of the characters of ``text`` (in NFC) whose code point is in
    ``drawn``: those the font being measured draws, as Capsize counts only its subset's range.
    """
    counts = Counter(
        character for character in unicodedata.normalize("NFC", text) if ord(character) in drawn
    )
    total = sum(counts.values())
    return {character: count / total for character, count in sorted(counts.items())}


@dataclass(frozen=True)
class FontMetrics:
    """A font's vertical metrics (from ``hhea``, as Capsize reads them) and average width.

    All values are in font units; ``descent`` is negative below the baseline, as in the font.
    """

    units_per_em: int
    ascent: int
    descent: int
    line_gap: int
    average_width: float

    @classmethod
    def read(cls, path: Path, frequencies: dict[str, float]) -> "FontMetrics":
        """Measure the font file at ``path`` against the character ``frequencies`` of a text."""
        font = TTFont(path, lazy=True)
        try:
            return cls(
                units_per_em=font["head"].unitsPerEm,
                ascent=font["hhea"].ascent,
                descent=font["hhea"].descent,
                line_gap=font["hhea"].lineGap,
                average_width=sum(
                    share * _advance(font, character) for character, share in frequencies.items()
                ),
            )
        finally:
            font.close()


@dataclass(frozen=True)
class MetricOverrides:
    """The ``@font-face`` descriptors that make a fallback take a web font's room, as fractions."""

    size_adjust: float
    ascent: float
    descent: float
    line_gap: float

    @classmethod
    def matching(cls, web: FontMetrics, fallback: FontMetrics) -> "MetricOverrides":
        """Scale ``fallback`` to the average width of ``web`` and give it ``web``'s heights."""
        size_adjust = (web.average_width / web.units_per_em) / (
            fallback.average_width / fallback.units_per_em
        )
        adjusted_em = web.units_per_em * size_adjust
        return cls(
            size_adjust=size_adjust,
            ascent=web.ascent / adjusted_em,
            descent=abs(web.descent) / adjusted_em,
            line_gap=web.line_gap / adjusted_em,
        )

    def css_declarations(self) -> list[str]:
        """The four descriptors, in percent, ready to go inside an ``@font-face`` rule."""
        return [
            f"size-adjust: {_percent(self.size_adjust)};",
            f"ascent-override: {_percent(self.ascent)};",
            f"descent-override: {_percent(self.descent)};",
            f"line-gap-override: {_percent(self.line_gap)};",
        ]


def _advance(font: TTFont, character: str) -> int:
    """The room ``character`` takes in ``font``, in font units.

    A mark takes none. A character the font lacks is measured as its canonical decomposition,
    a base letter and marks, which is how a shaper draws it and how Arial and the fonts cut to
    its widths space their accented letters (Arial's "ệ" is as wide as its "e"); anything else
    as the font's ``.notdef``, as Capsize measures it.
    """
    glyph = font.getBestCmap().get(ord(character))
    if glyph is None:
        parts = unicodedata.normalize("NFD", character)
        if parts != character:
            return sum(_advance(font, part) for part in parts)
        if unicodedata.category(character) in {"Mn", "Me"}:
            return 0
        glyph = ".notdef"
    if _is_mark(font, glyph):
        return 0
    return font["hmtx"][glyph][0]


def _is_mark(font: TTFont, glyph: str) -> bool:
    if "GDEF" not in font:
        return False
    class_definitions = font["GDEF"].table.GlyphClassDef
    return bool(class_definitions) and class_definitions.classDefs.get(glyph) == GDEF_MARK_CLASS


def _percent(fraction: float) -> str:
    return f"{100 * fraction:.2f}%"
