"""Stored files served so phones can seek, cached when safe, hidden when the policy says so."""

import pytest
from django.test import override_settings

from media.access import FileAccess

CONTENT = bytes(range(256)) * 40
pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "renditions/ab").mkdir(parents=True)
    (tmp_path / "renditions/ab/abcdef.mp4").write_bytes(CONTENT)
    (tmp_path / "media").mkdir()
    (tmp_path / "media/original.mp4").write_bytes(CONTENT)
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
