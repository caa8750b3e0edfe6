"""fonts.css stays in step with the fonts: each fallback is sized to the web face shipped."""

from pathlib import Path

import pytest
from django.conf import settings

from cms.fonts import FALLBACK_FAMILY, FALLBACKS, measure_fallback
from cms.management.commands.build_fonts import DEFAULT_FALLBACK_SOURCE

STATIC = Path(settings.BASE_DIR) / "static"


def shipped_face(key):
    (path,) = (STATIC / "fonts").glob(f"{key}.*.woff2")
    return path


@pytest.mark.parametrize("fallback", FALLBACKS, ids=lambda fallback: fallback.local_names[0])
def test_fonts_css_sizes_each_fallback_to_the_web_face_it_stands_in_for(fallback):
    if not (DEFAULT_FALLBACK_SOURCE / fallback.metrics_file).exists():
        pytest.skip(f"install {fallback.package} to measure {fallback.local_names[0]}")
    measured = measure_fallback(fallback, shipped_face(fallback.face_key), DEFAULT_FALLBACK_SOURCE)
    rule = f'  font-family: "{FALLBACK_FAMILY}";\n  font-style: normal;\n  font-weight: 400;\n'
    rule += "".join(f"  {line}\n" for line in measured.declarations())
    assert rule in (STATIC / "css" / "fonts.css").read_text(encoding="utf-8")
