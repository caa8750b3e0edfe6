"""Stored files served so phones can seek, cached when safe, hidden when the policy says so."""

import os
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils.http import http_date

from media.access import FileAccess
from media.models import MediaAsset, MediaRendition

CONTENT = bytes(range(256)) * 40
pytestmark = pytest.mark.django_db


def store_video(root: Path, renditions: dict[str, bytes]) -> MediaAsset:
    """A video whose original and renditions are in the storage at ``root``, as processing
    leaves them: each file written, and a row saying which recording it belongs to."""
    (root / "media").mkdir(exist_ok=True)
    (root / "media/original.mp4").write_bytes(CONTENT)
    asset = MediaAsset.objects.create(
        title="Lễ xuống đồng", type="video", file="media/original.mp4"
    )
    for name, content in renditions.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
        MediaRendition.objects.create(
            asset=asset,
            profile=Path(name).stem,
            file=name,
            mime_type="video/mp4",
            size=len(content),
        )
    return asset


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    store_video(tmp_path, {"renditions/ab/abcdef.mp4": CONTENT, "renditions/ab/empty.mp4": b""})
    (tmp_path / "secret.txt").write_bytes(b"not for you")
    return tmp_path


RENDITION = "/media/renditions/ab/abcdef.mp4"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_request_gets_206_with_exact_bytes(client, stored):
    response = client.get(RENDITION, HTTP_RANGE="bytes=100-1099")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{len(CONTENT)}"
    assert response["Content-Length"] == "1000"
    assert body(response) == CONTENT[100:1100]


def test_open_ended_and_suffix_ranges(client, stored):
    tail = client.get(RENDITION, HTTP_RANGE=f"bytes={len(CONTENT) - 10}-")
    assert body(tail) == CONTENT[-10:]
    last = client.get(RENDITION, HTTP_RANGE="bytes=-16")
    assert last["Content-Range"] == f"bytes {len(CONTENT) - 16}-{len(CONTENT) - 1}/{len(CONTENT)}"
    assert body(last) == CONTENT[-16:]


def test_unsatisfiable_range_gets_416(client, stored):
    response = client.get(RENDITION, HTTP_RANGE=f"bytes={len(CONTENT)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_whole_file_advertises_ranges_and_hashed_files_are_immutable(client, stored):
    response = client.get(RENDITION, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in response
    assert body(response) == CONTENT
    original = client.get("/media/media/original.mp4")
    assert original["Cache-Control"] == "public, max-age=3600"


def test_if_range_with_a_stale_etag_gets_the_whole_file(client, stored):
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200


def test_conditional_request_gets_304(client, stored):
    etag = client.get(RENDITION)["ETag"]
    assert client.get(RENDITION, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "path", ["/media/../manage.py", "/media/%2e%2e/manage.py", "/media/nothing.mp4"]
)
def test_paths_outside_storage_or_missing_are_not_found(client, stored, path):
    assert client.get(path).status_code == 404


def policy_for_tests(request, path):
    if path == "secret.txt":
        return FileAccess.DENIED
    if path.startswith("media/"):
        return FileAccess.PRIVATE
    return FileAccess.PUBLIC


@override_settings()
def test_access_policy_hides_denied_files_and_keeps_private_ones_out_of_caches(
    client, stored, settings
):
    settings.BANLANG_MEDIA = {
        **settings.BANLANG_MEDIA,
        "ACCESS_POLICY": f"{__name__}.policy_for_tests",
    }
    assert client.get("/media/secret.txt").status_code == 404
    private = client.get("/media/media/original.mp4", HTTP_RANGE="bytes=0-1")
    assert private.status_code == 206
    assert private["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_app_only_checks_and_delegates(client, stored, settings):
    settings.BANLANG_MEDIA = {**settings.BANLANG_MEDIA, "ACCEL_REDIRECT_PREFIX": "/protected/"}
    response = client.get(RENDITION)
    assert response["X-Accel-Redirect"] == "/protected/renditions/ab/abcdef.mp4"
    assert response.content == b""


SIZE = len(CONTENT)


def assert_whole_file(response) -> None:
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert response["Content-Length"] == str(SIZE)
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    "header",
    [
        "items=0-99",
        "bytes=99-10",
        "bytes=0-99, 99-10",
        "bytes=",
        "bytes=,",
        "bytes=-",
        "bytes=abc",
        "bytes=0x10-0x20",
        "bytes=0 - 99",
        "bytes =0-99",
        "bytes=--5",
        "bytes=1-2-3",
        "bytes=+1-5",
        "bytes=0-99;",
        "bytes=0-99 junk",
        "bytes=0-99, abc",
        "bytes=" + "9" * 5000 + "-",
    ],
)
def test_a_range_header_that_cannot_be_understood_is_ignored(client, stored, header):
    assert_whole_file(client.get(RENDITION, HTTP_RANGE=header))


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),
        ("Bytes=0-9", 0, 9),
        ("bytes= 0-9", 0, 9),
        ("bytes=\t0-9 ,\t", 0, 9),
        ("bytes=,, 0-9,,", 0, 9),
        ("bytes=100-999999999999999999999999", 100, SIZE - 1),
        ("bytes=0-" + "9" * 900, 0, SIZE - 1),
        ("bytes=-99999999999", 0, SIZE - 1),
        ("bytes=-1", SIZE - 1, SIZE - 1),
        ("bytes=-0,0-0", 0, 0),
        (f"bytes={SIZE}-, 5-9", 5, 9),
        (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE - 1),
    ],
)
def test_each_form_of_a_byte_range_gets_exactly_its_bytes(client, stored, header, first, last):
    response = client.get(RENDITION, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == CONTENT[first : last + 1]


@pytest.mark.parametrize(
    "header",
    ["bytes=-0", f"bytes={SIZE}-{SIZE + 10}", f"bytes={SIZE}-, -0", "bytes=" + "9" * 900 + "-"],
)
def test_well_formed_ranges_none_of_which_is_in_the_file_get_416(client, stored, header):
    response = client.get(RENDITION, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


def test_a_head_request_ignores_range(client, stored):
    response = client.head(RENDITION, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert response["Content-Length"] == str(SIZE)


def test_an_empty_file_is_sent_whole_whatever_the_range(client, stored):
    for header in ("bytes=0-", "bytes=-5"):
        response = client.get("/media/renditions/ab/empty.mp4", HTTP_RANGE=header)
        assert response.status_code == 200
        assert response["Content-Length"] == "0"
        assert body(response) == b""


LAST_WEEK = time.time() - 7 * 86400


@pytest.fixture
def settled(stored):
    """The rendition, last changed a week ago: its Last-Modified date is a strong validator."""
    os.utime(stored / "renditions/ab/abcdef.mp4", (LAST_WEEK, LAST_WEEK))
    return stored


def test_if_range_with_the_current_etag_gets_the_range(client, settled):
    etag = client.get(RENDITION)["ETag"]
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert response.status_code == 206
    assert body(response) == CONTENT[:10]


def test_if_range_with_a_weak_etag_never_matches(client, settled):
    etag = client.get(RENDITION)["ETag"]
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f"W/{etag}")
    assert_whole_file(response)


def test_if_range_with_the_last_modified_date_gets_the_range(client, settled):
    modified = client.get(RENDITION)["Last-Modified"]
    assert modified == http_date(LAST_WEEK)
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=modified)
    assert response.status_code == 206
    assert body(response) == CONTENT[:10]


@pytest.mark.parametrize("if_range", [http_date(LAST_WEEK + 1), http_date(LAST_WEEK - 1), "soon"])
def test_if_range_with_another_date_or_garbage_gets_the_whole_file(client, settled, if_range):
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=if_range)
    assert_whole_file(response)


def test_if_range_with_a_date_from_the_second_the_file_changed_is_weak(client, stored):
    soon = time.time() + 60
    os.utime(stored / "renditions/ab/abcdef.mp4", (soon, soon))
    modified = client.get(RENDITION)["Last-Modified"]
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=modified)
    assert_whole_file(response)


@pytest.mark.parametrize(
    "if_none_match",
    ['"other", {etag}', "*", "W/{etag}", '"a",{etag} , "b"'],
)
def test_if_none_match_lists_stars_and_weak_tags_get_304(client, stored, if_none_match):
    etag = client.get(RENDITION)["ETag"]
    response = client.get(
        RENDITION, HTTP_IF_NONE_MATCH=if_none_match.format(etag=etag), HTTP_RANGE="bytes=0-9"
    )
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_if_none_match_with_other_tags_gets_the_file(client, stored):
    response = client.get(RENDITION, HTTP_IF_NONE_MATCH='"other", W/"another"')
    assert_whole_file(response)


def test_if_modified_since_gets_304_unless_if_none_match_says_otherwise(client, settled):
    later = http_date(LAST_WEEK + 60)
    assert client.get(RENDITION, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    earlier = client.get(RENDITION, HTTP_IF_MODIFIED_SINCE=http_date(LAST_WEEK - 60))
    assert_whole_file(earlier)
    overruled = client.get(RENDITION, HTTP_IF_MODIFIED_SINCE=later, HTTP_IF_NONE_MATCH='"x"')
    assert_whole_file(overruled)


def test_behind_nginx_ranges_and_conditions_are_left_to_nginx(client, stored, settings):
    settings.BANLANG_MEDIA = {**settings.BANLANG_MEDIA, "ACCEL_REDIRECT_PREFIX": "/protected/"}
    response = client.get(
        RENDITION, HTTP_RANGE="bytes=0-9,20-29", HTTP_IF_NONE_MATCH="*", HTTP_IF_RANGE='"x"'
    )
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/renditions/ab/abcdef.mp4"
    assert "Content-Range" not in response
    assert response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/media/..",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/renditions/..%2f..%2f..%2fmanage.py",
        "/media/%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/%5c..%5cmanage.py",
        "/media/%ff.mp4",
        "/media/%c0%ae%c0%ae/manage.py",
        "/media/%ed%a0%80.mp4",
        "/media/",
        "/media/renditions",
        "/media/renditions/ab/",
        "/media/renditions/ab/abcdef.mp4%20",
        "/media/%00",
        "/media/renditions/ab/abcdef.mp4%00.txt",
        "/media/" + "a" * 300 + ".mp4",
        "/media/" + "a/" * 3000 + "b.mp4",
        "/media/renditions/ab/abcdef.mp4/",
    ],
)
def test_hostile_paths_are_not_found(client, stored, path):
    client.raise_request_exception = False
    assert client.get(RENDITION).status_code == 200
    assert client.get("/media/renditions%2fab%2fabcdef.mp4").status_code == 200
    response = client.get(path)
    assert response.status_code == 404


def test_if_match_with_another_tag_fails_the_precondition(client, stored):
    etag = client.get(RENDITION)["ETag"]
    assert client.get(RENDITION, HTTP_IF_MATCH='"stale"').status_code == 412
    response = client.get(RENDITION, HTTP_IF_MATCH=etag, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert body(response) == CONTENT[:10]
