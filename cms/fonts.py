"""The "Ban Lang Sans" web fonts: small WOFF2 subsets of Debian's Noto fonts.

One family name covers four Noto faces, told apart by ``unicode-range``, so a page downloads only
the faces its text needs, and a phone that already has Noto installed downloads nothing. Each face
keeps the OpenType layout features its script needs to shape correctly and nothing else; hinting,
glyph names and most name records are dropped, because they cost bytes a reader never sees.

Until a face arrives, the browser draws its text with a font the reader already has, from the
family ``FALLBACK_FAMILY``: an installed font scaled to the face's width and given its heights
(``cms.font_metrics``), so that swapping in the web font moves nothing on the page.
"""

import functools
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import gflanguages
from fontTools import subset
from fontTools.ttLib import TTFont

from cms.font_metrics import FontMetrics, MetricOverrides, character_frequencies

FAMILY = "Ban Lang Sans"
FALLBACK_FAMILY = "Ban Lang Sans Fallback"

CodepointRange = tuple[int, int]

JOINERS_AND_DOTTED_CIRCLE: tuple[CodepointRange, ...] = ((0x200B, 0x200D), (0x25CC, 0x25CC))

NAME_RECORDS_KEPT = (0, 1, 2)
"""Copyright notice, family and subfamily: enough for a browser to accept the font."""


@dataclass(frozen=True)
class FontFace:
    """One face of the family: which Noto font it comes from and which characters it carries.

    ``unicode_ranges`` are inclusive; characters the source font lacks are left out of the subset
    and of the CSS. ``local_names`` are the source's full and PostScript names, so a browser can use
    an installed copy instead of downloading. ``layout_features`` are the OpenType features kept,
    ``("*",)`` meaning all of them. ``sample`` names the ``gflanguages`` entry whose specimen text
    gives the character frequencies its fallbacks are measured by: the language the face draws
    most (Vietnamese for Latin, as every untranslated page falls back to it); ``None`` where
    ``gflanguages`` has no text in the script, and then the face can have no fallback.
    """

    key: str
    source_filename: str
    unicode_ranges: tuple[CodepointRange, ...]
    local_names: tuple[str, ...]
    sample: str | None
    layout_features: tuple[str, ...] = ("*",)


FACES: tuple[FontFace, ...] = (
    FontFace(
        key="latin",
        source_filename="NotoSans-Regular.ttf",
        unicode_ranges=(
            (0x0020, 0x007E),
            (0x00A0, 0x00FF),
            (0x0102, 0x0103),
            (0x010C, 0x010D),
            (0x0110, 0x0111),
            (0x0114, 0x0115),
            (0x0128, 0x0129),
            (0x012C, 0x012D),
            (0x014E, 0x014F),
            (0x0168, 0x0169),
            (0x016C, 0x016D),
            (0x0180, 0x0180),
            (0x01A0, 0x01A1),
            (0x01AF, 0x01B0),
            (0x0243, 0x0243),
            (0x0300, 0x030C),
            (0x031B, 0x031B),
            (0x0323, 0x0325),
            (0x0327, 0x0328),
            (0x032E, 0x032E),
            (0x0330, 0x0331),
            (0x1EA0, 0x1EF9),
            (0x2000, 0x2022),
            (0x2026, 0x2026),
            (0x202F, 0x2030),
            (0x2032, 0x2033),
            (0x2039, 0x203A),
            (0x2044, 0x2044),
            (0x205F, 0x2060),
            (0x20AB, 0x20AB),
            (0x2122, 0x2122),
            (0x2190, 0x2193),
            (0x25B2, 0x25B2),
            (0x25BC, 0x25BC),
        ),
        local_names=("Noto Sans Regular", "NotoSans-Regular"),
        sample="vi_Latn",
        layout_features=("ccmp", "locl", "mark", "mkmk", "kern", "liga"),
    ),
    FontFace(
        key="khmer",
        source_filename="NotoSansKhmer-Regular.ttf",
        unicode_ranges=((0x1780, 0x17FF), (0x19E0, 0x19FF), *JOINERS_AND_DOTTED_CIRCLE),
        local_names=("Noto Sans Khmer Regular", "NotoSansKhmer-Regular"),
        sample="km_Khmr",
    ),
    FontFace(
        key="tai-viet",
        source_filename="NotoSansTaiViet-Regular.ttf",
        unicode_ranges=((0xAA80, 0xAADF), *JOINERS_AND_DOTTED_CIRCLE),
        local_names=("Noto Sans Tai Viet Regular", "NotoSansTaiViet-Regular"),
        sample="blt_Tavt",
    ),
    FontFace(
        key="cham",
        source_filename="NotoSansCham-Regular.ttf",
        unicode_ranges=((0xAA00, 0xAA5F), *JOINERS_AND_DOTTED_CIRCLE),
        local_names=("Noto Sans Cham Regular", "NotoSansCham-Regular"),
        sample=None,
    ),
)


@dataclass(frozen=True)
class LocalFallback:
    """An installed font that stands in for a web face while the face downloads.

    ``local_names`` are the full and PostScript names browsers look up, of the font and of fonts
    cut to the same widths; ``metrics_file`` is a free font file with those widths, relative to the
    fallback source folder, and ``package`` the Debian package that installs it there.
    """

    face_key: str
    local_names: tuple[str, ...]
    metrics_file: str
    package: str


FALLBACKS: tuple[LocalFallback, ...] = (
    # Debian and Ubuntu's default sans-serif.
    LocalFallback(
        "latin", ("DejaVu Sans", "DejaVuSans"), "dejavu/DejaVuSans.ttf", "fonts-dejavu-core"
    ),
    # Arial on Windows, macOS and iOS; fonts cut to its widths on ChromeOS (Arimo) and Linux.
    LocalFallback(
        "latin",
        ("Arial", "ArialMT", "Arimo", "Arimo-Regular", "Liberation Sans", "LiberationSans"),
        "liberation/LiberationSans-Regular.ttf",
        "fonts-liberation",
    ),
    # Android.
    LocalFallback(
        "latin",
        ("Roboto", "Roboto Regular", "Roboto-Regular"),
        "roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
        "fonts-roboto-unhinted",
    ),
    # Android and Linux with Noto's UI fonts: the same widths as Noto Sans Khmer, shorter lines.
    LocalFallback(
        "khmer",
        ("Noto Sans Khmer UI Regular", "NotoSansKhmerUI-Regular"),
        "noto/NotoSansKhmerUI-Regular.ttf",
        "fonts-noto-ui-core",
    ),
    # Linux set up for Khmer (Debian's task-khmer).
    LocalFallback(
        "khmer", ("Khmer OS System", "KhmerOSsys"), "khmeros/KhmerOSsys.ttf", "fonts-khmeros"
    ),
    # SIL's Tai Viet font, which Tai Dam writers install on Windows, macOS and Linux.
    LocalFallback(
        "tai-viet",
        ("Tai Heritage Pro", "TaiHeritagePro"),
        "taiheritagepro/TaiHeritagePro-Regular.ttf",
        "fonts-sil-taiheritagepro",
    ),
)
"""In order of preference: on a system with several, the first one present is used."""


@dataclass(frozen=True)
class FallbackFace:
    """A local fallback with the descriptors that make it take its web face's room."""

    fallback: LocalFallback
    overrides: MetricOverrides

    def declarations(self) -> list[str]:
        """Its ``src`` and metric descriptors, as they appear in its ``@font-face`` rule."""
        sources = ", ".join(f'local("{name}")' for name in self.fallback.local_names)
        return [f"src: {sources};", *self.overrides.css_declarations()]


@dataclass(frozen=True)
class BuiltFont:
    """A subset written to disk, with the characters its ``@font-face`` rule announces."""

    face: FontFace
    path: Path
    size: int
    unicode_ranges: tuple[CodepointRange, ...]
    fallbacks: tuple[FallbackFace, ...]


class FontSourceError(Exception):
    """An installed source font is not the one ``FACES`` or ``FALLBACKS`` describes."""


def build_fonts(source_dir: Path, out_dir: Path, fallback_dir: Path) -> list[BuiltFont]:
    """Subset every face in ``FACES`` from ``source_dir`` into content-hashed WOFF2 files.

    Files are named ``<key>.<first 10 hex digits of their SHA-256>.woff2``; the same sources give
    the same bytes, so rebuilding without changes leaves every URL, and every cached copy, valid.

    Each character is announced (in ``BuiltFont.unicode_ranges``, hence in the CSS) only by the
    first face that covers it. Browsers download every face whose ``unicode-range`` touches the
    text, so a zero-width joiner in a Vietnamese emoji sequence would otherwise fetch the Cham
    face. The complex-script files still carry the joiners and the dotted circle; HarfBuzz honours
    a joiner inside a Khmer or Cham run from its Unicode properties alone, so announcing it with
    the Latin face costs those scripts nothing.

    Each face's ``FALLBACKS`` are measured from their files under ``fallback_dir``.

    Raises ``FileNotFoundError`` if a source or fallback font is missing and ``FontSourceError``
    if its names differ from the ``local()`` names the CSS would promise.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    announced: set[int] = set()
    for face in FACES:
        source = source_dir / face.source_filename
        fallbacks = tuple(
            measure_fallback(fallback, source, fallback_dir)
            for fallback in FALLBACKS
            if fallback.face_key == face.key
        )
        data, covered = _subset(face, source)
        path = out_dir / f"{face.key}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
        path.write_bytes(data)
        built.append(BuiltFont(face, path, len(data), _as_ranges(covered - announced), fallbacks))
        announced |= covered
    return built


def font_face_css(built: list[BuiltFont], url_prefix: str) -> str:
    """Return the rules of ``FALLBACK_FAMILY``, then one ``@font-face`` per face of ``FAMILY``.

    ``url_prefix`` is prepended to each file name, e.g. ``"../fonts/"`` for a stylesheet in
    ``static/css/``; the licence is expected beside the fonts, as ``OFL.txt``.

    A fallback takes its face's ``unicode-range``. Where several rules of a family cover a
    character, browsers try the last one first and move on when its font is not installed, so the
    fallbacks are written in reverse order of preference.
    """
    # Every byte here is in each page's first visit: one short comment, for the licence.
    rules = [f"/* Noto, SIL OFL 1.1: {url_prefix}OFL.txt; manage.py build_fonts */\n"]
    for font in built:
        unicode_range = ", ".join(_css_range(first, last) for first, last in font.unicode_ranges)
        for fallback_face in reversed(font.fallbacks):
            declarations = "".join(f"  {line}\n" for line in fallback_face.declarations())
            rules.append(
                "@font-face {\n"
                f'  font-family: "{FALLBACK_FAMILY}";\n'
                "  font-style: normal;\n"
                "  font-weight: 400;\n"
                f"{declarations}"
                f"  unicode-range: {unicode_range};\n"
                "}\n"
            )
    for font in built:
        sources = [f'local("{name}")' for name in font.face.local_names]
        sources.append(f'url("{url_prefix}{font.path.name}") format("woff2")')
        unicode_range = ", ".join(_css_range(first, last) for first, last in font.unicode_ranges)
        rules.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY}";\n'
            "  font-style: normal;\n"
            "  font-weight: 400;\n"
            "  font-display: swap;\n"
            f"  src: {', '.join(sources)};\n"
            f"  unicode-range: {unicode_range};\n"
            "}\n"
        )
    return "\n".join(rules)


def measure_fallback(fallback: LocalFallback, web_font: Path, fallback_dir: Path) -> FallbackFace:
    """Size ``fallback``, whose file is under ``fallback_dir``, to its face's ``web_font``.

    Only the characters in the face's ``unicode_ranges`` are counted, so ``web_font`` may be the
    Noto source or the subset built from it: both give the same figures.

    Raises ``FileNotFoundError`` if the fallback's file is missing and ``FontSourceError`` if its
    names are not among its ``local()`` names or the face has no sample text.
    """
    path = fallback_dir / fallback.metrics_file
    _check_names(path, fallback.local_names)
    frequencies = _sample_frequencies(next(face for face in FACES if face.key == fallback.face_key))
    return FallbackFace(
        fallback,
        MetricOverrides.matching(
            FontMetrics.read(web_font, frequencies), FontMetrics.read(path, frequencies)
        ),
    )


@functools.cache
def _sample_frequencies(face: FontFace) -> dict[str, float]:
    if face.sample is None:
        raise FontSourceError(f"the {face.key!r} face has fallbacks but no sample text")
    sample = gflanguages.LoadLanguages()[face.sample].sample_text
    specimens = [text for field, text in sample.ListFields() if field.name.startswith("specimen")]
    drawn = {code for first, last in face.unicode_ranges for code in range(first, last + 1)}
    return character_frequencies("\n".join(specimens), drawn)


def _check_names(path: Path, local_names: tuple[str, ...]) -> None:
    font = TTFont(path, lazy=True)
    try:
        names = {font["name"].getDebugName(4), font["name"].getDebugName(6)}
    finally:
        font.close()
    if not names <= set(local_names):
        raise FontSourceError(
            f"{path} is named {sorted(names)}, which FALLBACKS does not list in {local_names}; "
            "update FALLBACKS so local() points at the installed font."
        )


def _subset(face: FontFace, source: Path) -> tuple[bytes, set[int]]:
    options = _subset_options(face)
    font = subset.load_font(str(source), options)
    try:
        _check_local_names(face, font)
        wanted = {
            codepoint for first, last in face.unicode_ranges for codepoint in range(first, last + 1)
        }
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(wanted & set(font.getBestCmap())))
        subsetter.subset(font)
        covered = set(font.getBestCmap())
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue(), covered


def _subset_options(face: FontFace) -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.glyph_names = False
    options.name_IDs = list(NAME_RECORDS_KEPT)
    options.layout_features = list(face.layout_features)
    return options


def _check_local_names(face: FontFace, font: TTFont) -> None:
    names = (font["name"].getDebugName(4), font["name"].getDebugName(6))
    if names != face.local_names:
        raise FontSourceError(
            f"{face.source_filename} is named {names}, but the {face.key!r} face expects "
            f"{face.local_names}; update FACES so local() points at the installed font."
        )


def _as_ranges(codepoints: Iterable[int]) -> tuple[CodepointRange, ...]:
    ranges: list[list[int]] = []
    for codepoint in sorted(set(codepoints)):
        # Bridging a gap of unassigned code points keeps the CSS short without claiming any
        # character that another font should draw.
        if ranges and all(
            unicodedata.category(chr(gap)) == "Cn" for gap in range(ranges[-1][1] + 1, codepoint)
        ):
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    return tuple((first, last) for first, last in ranges)


def _css_range(first: int, last: int) -> str:
    return f"U+{first:04X}" if first == last else f"U+{first:04X}-{last:04X}"
