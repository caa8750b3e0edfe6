"""Interface catalogues: compiling ``.po`` files to ``.mo`` with polib instead of msgfmt.

polib keeps the header as written; Babel drops ``Plural-Forms`` for locales CLDR does not know,
which is most of our languages.
"""

from pathlib import Path

import polib


def compile_catalogue(po_path: Path) -> int:
    """Write ``po_path``'s ``.mo`` beside it; return how many messages are translated.

    Untranslated and fuzzy messages are left out of the ``.mo``, so Django falls back to the
    Vietnamese catalogue for them.
    """
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(catalogue.translated_entries())
