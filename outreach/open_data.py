"""Publishing the open datasets (``outreach.open_data_sets``) as files, and the catalogue.

Each dataset is published as a folder ``VAR_DIR/open-data/<name>/`` holding its CSV, its
Frictionless Data Package descriptor (``datapackage.json``) and its chart's figures. A new
version is written to ``<name>.new/``, validated with ``frictionless``, and only then put in
place: ``<name>`` is a symbolic link to the current version under ``.releases/``, replaced in
one rename, so a reader gets the old files or the new ones, never half of each. A version that
fails (its rows could not be counted, a count of people below 10 reached it, or its files do
not validate) is moved to ``<name>.failed/`` for someone to look at and logged; the previous
version stays published.

``catalog.jsonld`` then lists what is published, as a DCAT-AP 3 catalogue in JSON-LD.
"""

import contextlib
import csv
import datetime
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frictionless
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from outreach.links import site_url
from outreach.open_data_sets import DATASETS
from outreach.open_data_tables import Dataset, Figures
from outreach.suppression import THRESHOLD

logger = logging.getLogger(__name__)

FOLDER = "open-data"
RELEASES = ".releases"
DESCRIPTOR = "datapackage.json"
FIGURES = "chart.json"
CATALOGUE = "catalog.jsonld"
KEPT_RELEASES = 2
"""Versions kept of each dataset: the current one, and the one before it, which a reader who
opened it just before the swap may still be reading."""
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CATALOGUE_LANGUAGES = ("vi", "en")
TITLE = _("Open data")
DESCRIPTION = _(
    "Figures of Bản Làng, free to reuse under CC BY 4.0: articles and their translations, "
    "bulletins and their reach, residents' questions and answers, public heritage records, "
    "market prices and loudspeaker programmes. No count of people below 10 is shown."
)
EU = "http://publications.europa.eu/resource/authority"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FORMATS = {
    "csv": ("CSV", "https://www.iana.org/assignments/media-types/text/csv"),
    "json": ("JSON", "https://www.iana.org/assignments/media-types/application/json"),
}


def root() -> Path:
    """The folder the open data is published in."""
    return Path(settings.VAR_DIR) / FOLDER


def csv_path(name: str) -> Path:
    """Where the published CSV of dataset ``name`` is read."""
    return root() / name / f"{name}.csv"


def package_path(name: str) -> Path:
    """Where the published descriptor of dataset ``name`` is read."""
    return root() / name / DESCRIPTOR


def catalogue_path() -> Path:
    """Where the published DCAT catalogue is read."""
    return root() / CATALOGUE


@dataclass(frozen=True)
class Package:
    """A published dataset, as its descriptor tells it: since when, when last, how big, and
    its chart's figures."""

    name: str
    created: datetime.datetime
    last_modified: datetime.datetime
    rows: int
    bytes: int
    figures: Figures


def published(name: str) -> Package | None:
    """The published version of dataset ``name``; ``None`` when it has none yet."""
    if name not in DATASETS:
        return None
    try:
        descriptor = json.loads(package_path(name).read_text(encoding="utf-8"))
        figures = json.loads((root() / name / FIGURES).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    resource = descriptor["resources"][0]
    return Package(
        name=name,
        created=datetime.datetime.fromisoformat(descriptor["created"]),
        last_modified=datetime.datetime.fromisoformat(descriptor["lastModified"]),
        rows=resource["rows"],
        bytes=resource["bytes"],
        figures=Figures.from_json(figures),
    )


def publish_all(now: datetime.datetime | None = None) -> dict[str, bool]:
    """Publish every dataset, then the catalogue; for each dataset, whether its new version
    was published (``False``: its previous version, if any, is still served)."""
    now = now or timezone.now()
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    with _only_publication(folder):
        results = {name: publish(dataset, now) for name, dataset in DATASETS.items()}
        write_catalogue(now)
    return results


def publish(dataset: Dataset, now: datetime.datetime) -> bool:
    """Write, validate and put in place a new version of ``dataset``; whether it was."""
    work = root() / f"{dataset.name}.new"
    _remove(work)
    work.mkdir()
    try:
        _write(dataset, work, now)
        report = frictionless.validate(str(work / DESCRIPTOR))
    except Exception:
        logger.exception("Open data %s could not be written; not published", dataset.name)
        _set_aside(work, dataset.name)
        return False
    if not report.valid:
        errors = "; ".join(f"{kind}: {note}" for kind, note in report.flatten(["type", "note"]))
        logger.error("Open data %s is not valid, not published: %s", dataset.name, errors[:2000])
        _set_aside(work, dataset.name)
        return False
    _put_in_place(work, dataset.name, now)
    _remove(root() / f"{dataset.name}.failed")
    return True


def failed(name: str) -> bool:
    """Whether the last publication of dataset ``name`` failed (and was set aside)."""
    return (root() / f"{name}.failed").is_dir()


def _write(dataset: Dataset, folder: Path, now: datetime.datetime) -> None:
    """Write the CSV, the chart's figures and the descriptor of ``dataset`` in ``folder``."""
    data = folder / f"{dataset.name}.csv"
    chart = dataset.chart()
    rows = 0
    with data.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([column.name for column in dataset.columns])
        for row in dataset.rows():
            if dataset.about_people:
                _refuse_small_counts(dataset, row)
            writer.writerow([column.cell(row[column.name]) for column in dataset.columns])
            chart.add(row)
            rows += 1
    digest = hashlib.sha256()
    with data.open("rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    previous = published(dataset.name)
    created = previous.created if previous else now
    descriptor = _descriptor(dataset, created, now)
    descriptor["resources"][0] |= {
        "bytes": data.stat().st_size,
        "hash": f"sha256:{digest.hexdigest()}",
        "rows": rows,
    }
    _write_json(folder / FIGURES, chart.figures().as_json())
    _write_json(folder / DESCRIPTOR, descriptor)


class SmallCount(ValueError):
    """A count of people from 1 to 9 reached publication without being suppressed."""


def _refuse_small_counts(dataset: Dataset, row: dict[str, Any]) -> None:
    """Stop the publication of ``dataset`` at a count of people below the threshold, which its
    rows should have suppressed: whatever went wrong there, it is not written."""
    for column in dataset.columns:
        value = row[column.name]
        if column.type == "integer" and isinstance(value, int) and 0 < value < THRESHOLD:
            raise SmallCount(f"{dataset.name}: a count below {THRESHOLD} in {column.name}")


def _in(code: str, text: Promise | str) -> str:
    with translation.override(code):
        return str(text)


def _descriptor(
    dataset: Dataset, created: datetime.datetime, now: datetime.datetime
) -> dict[str, Any]:
    """The Data Package descriptor of ``dataset``, in English."""
    base = site_url()
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": dataset.name,
        "id": base + reverse("open_data_files:package", args=[dataset.name]),
        "title": _in("en", dataset.title),
        "description": _in("en", dataset.description),
        "homepage": base + _landing_page("en"),
        "created": created.isoformat(),
        "lastModified": now.isoformat(),
        "licenses": [LICENCE],
        "sources": [{"title": settings.WAGTAIL_SITE_NAME, "path": base + "/"}],
        "resources": [
            {
                "name": dataset.name,
                "type": "table",
                "path": f"{dataset.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": dataset.schema(),
            }
        ],
    }


def _landing_page(code: str) -> str:
    with translation.override(code):
        return reverse("open_data:index")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _put_in_place(work: Path, name: str, now: datetime.datetime) -> None:
    """Make ``work`` the published version of ``name`` in one rename of its link."""
    releases = root() / RELEASES
    releases.mkdir(exist_ok=True)
    release = releases / f"{name}.{now:%Y%m%dT%H%M%S%f}.{secrets.token_hex(4)}"
    os.rename(work, release)
    link = root() / f".{name}.link"
    _remove(link)
    os.symlink(os.path.relpath(release, root()), link)
    os.replace(link, root() / name)
    versions = sorted(path for path in releases.iterdir() if path.name.startswith(f"{name}."))
    for old in versions[:-KEPT_RELEASES]:
        if old != release:
            _remove(old)


def _set_aside(work: Path, name: str) -> None:
    """Keep a version that failed under ``<name>.failed/``, in place of the last one."""
    failed = root() / f"{name}.failed"
    _remove(failed)
    os.rename(work, failed)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@contextlib.contextmanager
def _only_publication(folder: Path) -> Iterator[None]:
    """Hold the publication lock: two publications at once (the scheduled one and an
    officer's) would write into the same ``<name>.new/``."""
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_catalogue(now: datetime.datetime) -> None:
    """Write the catalogue of what is published, replacing the last one in one rename."""
    packages = [package for name in DATASETS if (package := published(name)) is not None]
    path = catalogue_path()
    written = path.with_name(f".{CATALOGUE}.new")
    _write_json(written, catalogue(packages, now))
    os.replace(written, path)


def _texts(text: Promise | str) -> list[dict[str, str]]:
    return [{"@value": _in(code, text), "@language": code} for code in CATALOGUE_LANGUAGES]


def _when(moment: datetime.datetime) -> dict[str, str]:
    return {"@value": moment.isoformat(), "@type": "xsd:dateTime"}


def catalogue(packages: list[Package], now: datetime.datetime) -> dict[str, Any]:
    """A DCAT-AP 3 catalogue of ``packages``, as JSON-LD with its context inline."""
    base = site_url()
    publisher = {
        "@id": f"{base}/#publisher",
        "@type": "foaf:Agent",
        "foaf:name": settings.WAGTAIL_SITE_NAME,
    }
    licence = {"@id": LICENCE["path"]}
    landing = base + _landing_page("vi")
    return {
        "@context": CONTEXT,
        "@id": base + reverse("open_data_files:catalog"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(TITLE),
        "dct:description": _texts(DESCRIPTION),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:language": [
            {"@id": f"{EU}/language/VIE"},
            {"@id": f"{EU}/language/ENG"},
        ],
        "dct:spatial": {"@id": f"{EU}/country/VNM"},
        "dct:modified": _when(now),
        "foaf:homepage": {"@id": landing},
        "dcat:dataset": [
            _dataset(package, base, landing, publisher, licence) for package in packages
        ],
    }


def _dataset(
    package: Package,
    base: str,
    landing: str,
    publisher: dict[str, str],
    licence: dict[str, str],
) -> dict[str, Any]:
    dataset = DATASETS[package.name]
    files = {
        "csv": base + reverse("open_data_files:csv", args=[dataset.name]),
        "json": base + reverse("open_data_files:package", args=[dataset.name]),
    }
    return {
        "@id": f"{files['json']}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": _texts(dataset.title),
        "dct:description": _texts(dataset.description),
        "dct:issued": _when(package.created),
        "dct:modified": _when(package.last_modified),
        "dct:publisher": {"@id": publisher["@id"]},
        "dct:license": licence,
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/DAILY"},
        "dct:spatial": {"@id": f"{EU}/country/VNM"},
        "dcat:theme": {"@id": f"{EU}/data-theme/{dataset.theme}"},
        "dcat:landingPage": {"@id": f"{landing}#{dataset.name}"},
        "dcat:distribution": [
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": kind.upper() if kind == "csv" else DESCRIPTOR,
                "dcat:accessURL": {"@id": f"{landing}#{dataset.name}"},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {"@id": f"{EU}/file-type/{FORMATS[kind][0]}"},
                "dcat:mediaType": {"@id": FORMATS[kind][1]},
                "dct:license": licence,
                **(
                    {"dcat:byteSize": {"@value": package.bytes, "@type": "xsd:nonNegativeInteger"}}
                    if kind == "csv"
                    else {
                        "dct:conformsTo": {"@id": "https://datapackage.org/standard/data-package/"}
                    }
                ),
            }
            for kind, url in files.items()
        ],
    }
