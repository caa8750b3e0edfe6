"""Serving stored files with HTTP Range, so phones can seek in audio and video.

In the embedded set-up the application streams the bytes itself (206 Partial Content for a
``Range`` request). Behind nginx, set ``MEDIA_ACCEL_REDIRECT_PREFIX`` and the application only
checks access and answers with ``X-Accel-Redirect``; nginx then serves the bytes and ranges.
"""

import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag

CHUNK_BYTES = 64 * 1024
IMMUTABLE_FOLDERS = ("renditions/", "posters/", "waveforms/", "images/")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
SAFE_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte asked for by a single-range header; ``None`` if unsatisfiable.

    ``bytes=0-99``, ``bytes=100-`` and ``bytes=-100`` (the last 100) are understood; a header
    naming several ranges is answered with its first.
    """
    match = RANGE.match(header.split(",")[0].strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if first == "":
        if last == "" or int(last) == 0:
            return None
        return max(size - int(last), 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return None
    return start, end


def stream(file: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    """Yield ``length`` bytes from ``start``, then close the file."""
    with file:
        file.seek(start)
        remaining = length
        while remaining > 0:
            chunk = file.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def cache_control(relative_path: str, private: bool) -> str:
    """Year-long ``immutable`` for content-hashed files, short for others, none if private."""
    if private:
        return "private, no-store"
    if relative_path.startswith(IMMUTABLE_FOLDERS):
        return "public, max-age=31536000, immutable"
    return "public, max-age=3600"


def file_response(
    request: HttpRequest,
    path: Path,
    relative_path: str,
    private: bool = False,
    accel_prefix: str = "",
) -> HttpResponse:
    """The file at ``path`` as a full (200) or partial (206) response, or a 416."""
    stat = path.stat()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    etag = quote_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
    headers = {
        "Accept-Ranges": "bytes",
        "Cache-Control": cache_control(relative_path, private),
        "ETag": etag,
        "Last-Modified": http_date(stat.st_mtime),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SAFE_FILE_POLICY,
    }
    if accel_prefix:
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + relative_path
        return response
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    requested = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if requested and (if_range is None or if_range == etag):
        span = byte_range(requested, stat.st_size)
        if span is None:
            headers["Content-Range"] = f"bytes */{stat.st_size}"
            return HttpResponse(status=416, headers=headers)
        start, end = span
        length = end - start + 1
        response = StreamingHttpResponse(
            stream(path.open("rb"), start, length),
            status=206,
            content_type=content_type,
            headers=headers,
        )
        response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
        response["Content-Length"] = str(length)
        return response
    response = StreamingHttpResponse(
        stream(path.open("rb"), 0, stat.st_size), content_type=content_type, headers=headers
    )
    response["Content-Length"] = str(stat.st_size)
    return response
