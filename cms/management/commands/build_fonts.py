"""``manage.py build_fonts``: rebuild the "Ban Lang Sans" WOFF2 subsets and static/css/fonts.css."""

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cms.fonts import FALLBACKS, FontSourceError, build_fonts, font_face_css

BASE_DIR = Path(__file__).resolve().parents[3]
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/noto")
DEFAULT_FALLBACK_SOURCE = Path("/usr/share/fonts/truetype")


class Command(BaseCommand):
    """Subset the Noto fonts, drop outdated subsets and write the stylesheet that loads them."""

    help = (
        "Subset Noto Sans, Noto Sans Khmer, Noto Sans Tai Viet and Noto Sans Cham into small "
        "content-hashed WOFF2 files and write the @font-face rules that load them, with local "
        "fallbacks sized to match them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Where the Noto fonts are read from and where the subsets and stylesheet go."""
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help=f"directory holding the Noto TTF files (default: {DEFAULT_SOURCE}, from the "
            "Debian package fonts-noto-core)",
        )
        parser.add_argument(
            "--fallback-source",
            type=Path,
            default=DEFAULT_FALLBACK_SOURCE,
            help="directory holding the fallback fonts the metric overrides are measured on "
            f"(default: {DEFAULT_FALLBACK_SOURCE}; Debian packages "
            f"{', '.join(sorted({fallback.package for fallback in FALLBACKS}))})",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=BASE_DIR / "static" / "fonts",
            help="directory for the WOFF2 files; other *.woff2 files in it are deleted "
            "(default: static/fonts)",
        )
        parser.add_argument(
            "--css",
            type=Path,
            default=BASE_DIR / "static" / "css" / "fonts.css",
            help="stylesheet to write (default: static/css/fonts.css)",
        )

    def handle(
        self,
        *args: Any,
        source: Path | str,
        fallback_source: Path | str,
        out: Path | str,
        css: Path | str,
        **options: Any,
    ) -> None:
        """Build the subsets, remove stale ones, write the CSS and print what was written."""
        source, fallback_source = Path(source), Path(fallback_source)
        out, css = Path(out), Path(css)
        try:
            built = build_fonts(source, out, fallback_source)
        except FileNotFoundError as error:
            raise CommandError(
                f"{error.filename} is missing; {_installs(error.filename)}"
            ) from error
        except FontSourceError as error:
            raise CommandError(str(error)) from error

        written = {font.path.name for font in built}
        for stale in sorted(out.glob("*.woff2")):
            if stale.name not in written:
                stale.unlink()
                self.stdout.write(f"removed {stale.name}")

        css.parent.mkdir(parents=True, exist_ok=True)
        url_prefix = Path(os.path.relpath(out, css.parent)).as_posix() + "/"
        css.write_text(font_face_css(built, url_prefix), encoding="utf-8")

        self.stdout.write(f"{'face':<10} {'file':<28} {'bytes':>7}")
        for font in built:
            self.stdout.write(f"{font.face.key:<10} {font.path.name:<28} {font.size:>7}")
        self.stdout.write(f"{'total':<10} {'':<28} {sum(font.size for font in built):>7}")
        for font in built:
            for fallback_face in font.fallbacks:
                self.stdout.write(
                    f"{font.face.key:<10} fallback {fallback_face.fallback.local_names[0]}, "
                    f"size-adjust {100 * fallback_face.overrides.size_adjust:.2f}%"
                )
        self.stdout.write(self.style.SUCCESS(f"wrote {css}"))


def _installs(filename: str | None) -> str:
    """Say which Debian package installs the missing font ``filename``."""
    for fallback in FALLBACKS:
        if filename and Path(filename).as_posix().endswith(fallback.metrics_file):
            return f"install {fallback.package} or pass --fallback-source."
    return "install fonts-noto-core or pass --source."
