"""The interface catalogues: complete in Vietnamese, and compiled from the committed sources."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from cms.catalogues import compile_catalogue

LOCALE = Path(settings.BASE_DIR) / "locale"
"""The committed catalogues (``LOCALE_PATHS`` starts with those compiled from the database)."""


def test_vietnamese_catalogue_translates_every_message():
    catalogue = polib.pofile(str(LOCALE / "vi/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 50


@pytest.mark.parametrize("po_path", sorted(LOCALE.glob("*/LC_MESSAGES/django.po")), ids=str)
def test_committed_mo_matches_its_po(po_path, tmp_path):
    copy = tmp_path / "django.po"
    copy.write_bytes(po_path.read_bytes())
    compile_catalogue(copy)
    fresh = {entry.msgid: entry.msgstr for entry in polib.mofile(str(copy.with_suffix(".mo")))}
    committed = {
        entry.msgid: entry.msgstr for entry in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    assert fresh == committed, "run `make messages` and commit the .mo files"


@pytest.mark.parametrize("po_path", sorted(LOCALE.glob("*/LC_MESSAGES/django.po")), ids=str)
def test_every_catalogue_declares_valid_plural_forms(po_path):
    header = polib.pofile(str(po_path)).metadata
    assert header["Plural-Forms"] in {"nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);"}
    assert header["Language"] == po_path.parts[-3]
