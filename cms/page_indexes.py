"""Indexes on the page table's localized URL paths, which routing selects pages by.

wagtail-modeltranslation adds ``url_path_<lang>`` (and the other translated columns) to Wagtail's
page table with its own command, run after the migrations by its ``migrate``, and indexes none
of them; without an index, routing a request reads every page of the site. After the
migrations, this adds the columns the same way (a no-op once they exist; its ``migrate`` then
finds nothing missing) and indexes each language's path.
"""

import contextlib
import io
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page
from wagtail_modeltranslation.management.commands.sync_page_translation_fields import (
    Command as SyncPageTranslationFields,
)

from cms.languages import LANGUAGE_CODES


def path_index_name(code: str) -> str:
    """The name of the index on language ``code``'s URL paths."""
    return f"{Page._meta.db_table}_url_path_{code}_idx"


def index_page_paths(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Add the page table's translated columns if missing, and index each language's URL path
    (a ``post_migrate`` handler)."""
    table = Page._meta.db_table
    connection = connections[using]
    # wagtail-modeltranslation's command knows one database; and Wagtail's may be unmigrated.
    if using != DEFAULT_DB_ALIAS or table not in connection.introspection.table_names():
        return
    with contextlib.redirect_stdout(io.StringIO()):
        SyncPageTranslationFields().handle(interactive=False)
    with connection.cursor() as cursor:
        for code in LANGUAGE_CODES:
            column = build_localized_fieldname("url_path", code)
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{path_index_name(code)}" ON "{table}" ("{column}")'
            )
