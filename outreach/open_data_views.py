"""The open data page in each language, and the published files, served as they were written
(``outreach.open_data``): to anyone, from any site, with validators for caches."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from outreach import open_data
from outreach.open_data_charts import ShownChart, shown_chart
from outreach.open_data_sets import DATASETS
from outreach.open_data_tables import Dataset
from outreach.suppression import HIDDEN, SMALL

MAX_AGE = 3600
"""Seconds a cache may keep a file without asking again: the data changes once a day."""


@dataclass(frozen=True)
class Entry:
    """A dataset as the page lists it: its published version (if any) and its chart."""

    dataset: Dataset
    package: open_data.Package | None
    chart: ShownChart | None


def entries() -> list[Entry]:
    """Every dataset, with its published version and chart where it has one."""
    listed = []
    for name, dataset in DATASETS.items():
        package = open_data.published(name)
        chart = shown_chart(dataset, package.figures) if package else None
        listed.append(Entry(dataset, package, chart))
    return listed


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The datasets, each with its description, last update, size, files and chart."""
    context = {"entries": entries(), "small": SMALL, "hidden": HIDDEN}
    return render(request, "outreach/open_data.html", context)


def _serve(request: HttpRequest, path: Path, content_type: str) -> HttpResponseBase:
    """The file at ``path``, or 404. Opened before anything is said of it, so that its headers
    describe the version being sent even if a new one is put in place meanwhile."""
    try:
        file = path.open("rb")
    except (FileNotFoundError, NotADirectoryError) as missing:
        raise Http404 from missing
    status = os.fstat(file.fileno())
    etag = f'"{status.st_ino:x}-{status.st_mtime_ns:x}-{status.st_size:x}"'
    unchanged = get_conditional_response(request, etag=etag, last_modified=int(status.st_mtime))
    if unchanged is not None:
        file.close()
        response: HttpResponseBase = unchanged
    else:
        response = FileResponse(file, content_type=content_type)
        response["Last-Modified"] = http_date(status.st_mtime)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _dataset_name(name: str) -> str:
    if name not in DATASETS:
        raise Http404
    return name


@require_safe
def data_csv(request: HttpRequest, name: str) -> HttpResponseBase:
    """A dataset's CSV."""
    path = open_data.csv_path(_dataset_name(name))
    return _serve(request, path, "text/csv; charset=utf-8")


@require_safe
def data_package(request: HttpRequest, name: str) -> HttpResponseBase:
    """A dataset's Data Package descriptor."""
    path = open_data.package_path(_dataset_name(name))
    return _serve(request, path, "application/json")


@require_safe
def catalogue(request: HttpRequest) -> HttpResponseBase:
    """The DCAT catalogue of every published dataset."""
    return _serve(request, open_data.catalogue_path(), "application/ld+json")
