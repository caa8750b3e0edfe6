"""Interface catalogues compiled from the committed ones and the admin's translations, and
taken into use by every worker without a restart.

Saving a translation gives its language's catalogue a new version in the database
(``InterfaceCatalogueVersion``). On each request, before the reader's language is activated,
``reload_changed_catalogues`` reads the versions (one small query) and compares them with the
ones this process compiled. A language whose version differs is compiled, with polib (no GNU
gettext), into ``VAR_DIR/locale/<code>/LC_MESSAGES/django.mo``, first in ``LOCALE_PATHS``:
the committed catalogue's translations, each replaced by the database's where it has one. Then
Django's translation caches are emptied, as its autoreloader does when a ``.mo`` file changes,
and the language's catalogue is loaded again.

Workers may share ``VAR_DIR``: compiling and loading happen under a file lock, and the versions
are read inside it before the translations, so a file is never replaced by an older one, and a
worker that compiled a version no newer than the database's notices on its next request.
"""

import fcntl
import gettext
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import trans_real

from cms.interface_catalogue import INTERFACE_LANGUAGES, committed_catalogue
from cms.models import InterfaceCatalogueVersion, InterfaceTranslation

_compiled: dict[str, dict[str, str]] = {}
"""Per runtime catalogue directory, the version of each language this process last compiled."""
_compiling = threading.Lock()


def runtime_locale() -> Path:
    """Where the catalogues compiled at run time are written: ``VAR_DIR/locale``."""
    return Path(settings.VAR_DIR) / "locale"


def runtime_mo_path(language: str) -> Path:
    """``language``'s compiled catalogue under ``VAR_DIR``."""
    return runtime_locale() / language / "LC_MESSAGES" / "django.mo"


def catalogue_versions() -> dict[str, str] | None:
    """The version of each language's catalogue translated in the admin; ``None`` when the
    database cannot tell (not migrated yet, or out of reach), and the catalogues in use stay."""
    try:
        return {
            language: str(version)
            for language, version in InterfaceCatalogueVersion.objects.values_list(
                "language", "version"
            )
        }
    except DatabaseError:
        return None


def reload_changed_catalogues() -> None:
    """Compile and load again every catalogue whose version changed since this process last
    compiled it (all of them on its first call); on most requests, one query and nothing else."""
    directory = str(runtime_locale())
    versions = catalogue_versions()
    if versions is None or _compiled.get(directory) == versions:
        return
    with _compiling, _directory_lock(runtime_locale()):
        versions = catalogue_versions()  # read again, before the translations compiled
        if versions is None:
            return
        compiled = _compiled.get(directory)
        changed = [
            code
            for code in INTERFACE_LANGUAGES
            if compiled is None or versions.get(code) != compiled.get(code)
        ]
        written = [code for code in changed if _write(code, code in versions)]
        if written:
            forget_loaded_catalogues()
            for code in written:
                trans_real.translation(code)  # read now, under the lock
        _compiled[directory] = versions


def _write(language: str, translated_in_admin: bool) -> bool:
    """Compile ``language``'s catalogue, or remove it when the admin holds no translation of
    it (one left by an earlier database); whether a file changed."""
    target = runtime_mo_path(language)
    if not translated_in_admin:
        existed = target.exists()
        target.unlink(missing_ok=True)
        return existed
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".django-{os.getpid()}-{threading.get_ident()}.mo")
    compiled_catalogue(language).save_as_mofile(str(partial))
    os.replace(partial, target)
    return True


def compiled_catalogue(language: str) -> polib.POFile:
    """``language``'s catalogue as served: the committed translations, each replaced by the one
    saved in the admin where there is one."""
    committed = committed_catalogue(language)
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = dict(committed.metadata)
    saved = {
        (row.msgctxt, row.msgid): row
        for row in InterfaceTranslation.objects.filter(language=language).order_by("pk")
    }
    for entry in committed.translated_entries():
        if (entry.msgctxt or "", entry.msgid) not in saved:
            catalogue.append(entry)
    for row in saved.values():
        entry = polib.POEntry(msgctxt=row.msgctxt or None, msgid=row.msgid)
        if row.msgid_plural:
            entry.msgid_plural = row.msgid_plural
            entry.msgstr_plural = dict(enumerate(row.msgstr_plural))
        else:
            entry.msgstr = row.msgstr
        catalogue.append(entry)
    return catalogue


def forget_loaded_catalogues() -> None:
    """Have Django read the catalogues under ``VAR_DIR`` again, as its autoreloader does when a
    ``.mo`` file changes (``django.utils.translation.reloader``). Requests under way keep the
    catalogue they activated; each request activates its language anew."""
    prefix = os.path.abspath(runtime_locale()) + os.sep
    for key in [key for key in gettext._translations if key[1].startswith(prefix)]:  # type: ignore[attr-defined]
        gettext._translations.pop(key, None)  # type: ignore[attr-defined]
    trans_real._translations = {}  # type: ignore[attr-defined]  # private, not in the stubs
    trans_real._default = None  # type: ignore[attr-defined]  # private, not in the stubs


@contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    """Hold the lock of the runtime catalogues, which other worker processes share."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".compiling.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
