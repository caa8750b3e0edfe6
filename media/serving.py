"""Serving stored files with HTTP Range, so phones can seek in audio and video.

In the embedded set-up the application streams the bytes itself: 206 Partial Content for a
``Range`` request, a ``multipart/byteranges`` body for several ranges, 304 for a conditional
request the client's copy satisfies (RFC 9110, sections 13 and 14). Behind nginx, set
``MEDIA_ACCEL_REDIRECT_PREFIX`` and the application only checks access and answers with
``X-Accel-Redirect``; nginx then serves the bytes, ranges and conditions.
"""

import mimetypes
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from media.byte_ranges import WHITESPACE, ByteSpan, spans_to_send

CHUNK_BYTES = 64 * 1024
IMMUTABLE_FOLDERS = ("renditions/", "posters/", "waveforms/", "images/")
SAFE_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def read_span(file: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    """Yield ``length`` bytes of ``file`` from ``start``, in chunks."""
    file.seek(start)
    remaining = length
    while remaining > 0:
        chunk = file.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            break
        remaining -= len(chunk)
        yield chunk


def stream(file: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    """Yield ``length`` bytes from ``start``, then close the file."""
    with file:
        yield from read_span(file, start, length)


def stream_parts(
    file: BinaryIO, parts: list[tuple[bytes, ByteSpan]], end: bytes
) -> Iterator[bytes]:
    """Yield each part's header and bytes, then ``end``, then close the file."""
    with file:
        for head, span in parts:
            yield head
            yield from read_span(file, span.first, span.length)
        yield end


def cache_control(relative_path: str, private: bool) -> str:
    """Year-long ``immutable`` for content-hashed files, short for others, none if private."""
    if private:
        return "private, no-store"
    if relative_path.startswith(IMMUTABLE_FOLDERS):
        return "public, max-age=31536000, immutable"
    return "public, max-age=3600"


def if_range_holds(if_range: str, etag: str, stat: os.stat_result) -> bool:
    """Whether an ``If-Range`` validator matches the file, so its ranges may be sent (13.1.5).

    An entity tag must equal the file's strong ETag, so a weak one never matches. A date must
    equal Last-Modified and be a strong validator (8.8.2.2): the second it names has ended, so
    the file cannot change again within it (stored files are written once, not twice a second).
    """
    if_range = if_range.strip(WHITESPACE)
    if '"' in if_range[:3]:
        return if_range == etag
    date = parse_http_date_safe(if_range)
    return date == int(stat.st_mtime) and time.time() >= date + 1


def single_part_response(
    path: Path, span: ByteSpan, size: int, content_type: str, headers: dict[str, str]
) -> StreamingHttpResponse:
    """A 206 holding one span of the file (15.3.7.1)."""
    response = StreamingHttpResponse(
        stream(path.open("rb"), span.first, span.length),
        status=206,
        content_type=content_type,
        headers=headers,
    )
    response["Content-Range"] = f"bytes {span.first}-{span.last}/{size}"
    response["Content-Length"] = str(span.length)
    return response


def multipart_response(
    path: Path, spans: list[ByteSpan], size: int, content_type: str, headers: dict[str, str]
) -> StreamingHttpResponse:
    """A 206 holding several spans as ``multipart/byteranges`` (14.6, 15.3.7.2).

    When that body would be larger than the file, the whole file is sent instead (a 200):
    section 14.2 lets a server ignore ranges that are an inefficient way to ask for the data.
    """
    boundary = secrets.token_hex(16)
    heads = [
        (b"\r\n" if number else b"")
        + (
            f"--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Range: bytes {span.first}-{span.last}/{size}\r\n\r\n"
        ).encode("latin-1")
        for number, span in enumerate(spans)
    ]
    end = f"\r\n--{boundary}--\r\n".encode("latin-1")
    length = sum(map(len, heads)) + sum(span.length for span in spans) + len(end)
    if length > size:
        return whole_response(path, size, content_type, headers)
    response = StreamingHttpResponse(
        stream_parts(path.open("rb"), list(zip(heads, spans, strict=True)), end),
        status=206,
        content_type=f"multipart/byteranges; boundary={boundary}",
        headers=headers,
    )
    response["Content-Length"] = str(length)
    return response


def whole_response(
    path: Path, size: int, content_type: str, headers: dict[str, str]
) -> StreamingHttpResponse:
    """The whole file, as a 200."""
    response = StreamingHttpResponse(
        stream(path.open("rb"), 0, size), content_type=content_type, headers=headers
    )
    response["Content-Length"] = str(size)
    return response


def file_response(
    request: HttpRequest,
    path: Path,
    relative_path: str,
    private: bool = False,
    accel_prefix: str = "",
) -> HttpResponseBase:
    """The file at ``path``: whole (200), in part (206), unchanged (304), or a 412 or 416.

    Preconditions are evaluated in the order of RFC 9110 section 13.2.2; ``Range`` applies to
    GET only, and only when ``If-Range``, if sent, matches.
    """
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
    # Django's precondition check copies the 304's validators and Cache-Control from this.
    unconditional = HttpResponse(headers=headers)
    # The stubs do not say that the response given, or a 304 or 412, comes back.
    conditional = cast(
        HttpResponse,
        get_conditional_response(
            request, etag=etag, last_modified=int(stat.st_mtime), response=unconditional
        ),
    )
    if conditional is not unconditional:
        return conditional
    requested = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if (
        request.method != "GET"
        or requested is None
        or (if_range is not None and not if_range_holds(if_range, etag, stat))
    ):
        return whole_response(path, stat.st_size, content_type, headers)
    spans = spans_to_send(requested, stat.st_size)
    if spans is None:
        return whole_response(path, stat.st_size, content_type, headers)
    if not spans:
        headers["Content-Range"] = f"bytes */{stat.st_size}"
        return HttpResponse(status=416, headers=headers)
    if len(spans) == 1:
        return single_part_response(path, spans[0], stat.st_size, content_type, headers)
    return multipart_response(path, spans, stat.st_size, content_type, headers)
