"""Several ranges in one request: a ``multipart/byteranges`` answer, read back with ``email``."""

import email.parser
import email.policy
import http.client
from urllib.parse import urlsplit

import pytest
from wagtail.models import Collection

from tests.media.test_serving import CONTENT, RENDITION, SIZE, store_video


@pytest.fixture
def stored(settings, tmp_path):
    if Collection.get_first_root_node() is None:
        # An earlier live-server test emptied the database, the root collection with it.
        Collection.add_root(name="Root")
    settings.MEDIA_ROOT = tmp_path
    store_video(tmp_path, {"renditions/ab/abcdef.mp4": CONTENT})
    return tmp_path


def parts(content_type: str, content: bytes) -> list[tuple[str, str, bytes]]:
    """Each body part's Content-Type, Content-Range and bytes, parsed by the standard library."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + content
    )
    assert message.get_content_type() == "multipart/byteranges"
    assert message.is_multipart()
    assert not message.defects
    return [
        (part["Content-Type"], part["Content-Range"], part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def expected(*spans: tuple[int, int]) -> list[tuple[str, str, bytes]]:
    return [
        ("video/mp4", f"bytes {first}-{last}/{SIZE}", CONTENT[first : last + 1])
        for first, last in spans
    ]


def multipart(response) -> list[tuple[str, str, bytes]]:
    content = b"".join(response.streaming_content)
    assert response.status_code == 206
    assert "Content-Range" not in response
    assert response["Content-Length"] == str(len(content))
    return parts(response["Content-Type"], content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "spans"),
    [
        ("bytes=0-9,100-199,-16", [(0, 9), (100, 199), (SIZE - 16, SIZE - 1)]),
        ("bytes=0-0,-1", [(0, 0), (SIZE - 1, SIZE - 1)]),
        ("bytes=-16, 0-9", [(SIZE - 16, SIZE - 1), (0, 9)]),
        ("bytes=500-599,0-99,50-149", [(500, 599), (0, 149)]),
        ("bytes=0-9,10-19,30-39", [(0, 19), (30, 39)]),
        ("bytes=0-9,,20-29," + f"{SIZE}-", [(0, 9), (20, 29)]),
    ],
)
def test_several_ranges_get_one_part_each_in_the_order_asked(client, stored, header, spans):
    assert multipart(client.get(RENDITION, HTTP_RANGE=header)) == expected(*spans)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99,50-149", 0, 149),
        ("bytes=0-9,10-19", 0, 19),
        ("bytes=0-,0-", 0, SIZE - 1),
        (f"bytes=0-9,{SIZE}-,-0", 0, 9),
    ],
)
def test_ranges_that_merge_into_one_get_a_single_part(client, stored, header, first, last):
    response = client.get(RENDITION, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert b"".join(response.streaming_content) == CONTENT[first : last + 1]


@pytest.mark.django_db
def test_sixteen_small_ranges_are_served_and_seventeen_get_the_whole_file(client, stored):
    sixteen = [(100 * n, 100 * n + 9) for n in range(16)]
    header = "bytes=" + ",".join(f"{first}-{last}" for first, last in sixteen)
    assert multipart(client.get(RENDITION, HTTP_RANGE=header)) == expected(*sixteen)

    response = client.get(RENDITION, HTTP_RANGE=header + ",2000-2009")
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert b"".join(response.streaming_content) == CONTENT


@pytest.mark.django_db
def test_ranges_whose_answer_would_outgrow_the_file_get_the_whole_file(client, stored):
    response = client.get(RENDITION, HTTP_RANGE="bytes=0-5000,5002-")
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE)
    assert b"".join(response.streaming_content) == CONTENT


def fetch(url: str, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """A GET over a real socket: status, headers and every byte of the body."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_a_real_http_client_gets_every_part_with_its_bytes(live_server, stored):
    status, headers, content = fetch(
        live_server.url, RENDITION, Range="bytes=0-9, 4000-4999, -100, 5-14"
    )
    assert status == 206
    assert headers["Content-Length"] == str(len(content))
    assert headers.get("Content-Range") is None
    assert headers.get("Content-Encoding") is None
    assert parts(headers["Content-Type"], content) == expected(
        (0, 14), (4000, 4999), (SIZE - 100, SIZE - 1)
    )


def test_a_real_http_client_gets_the_whole_file_for_a_range_it_wrote_badly(live_server, stored):
    single = fetch(live_server.url, RENDITION, Range="bytes=10-19")
    assert single[0] == 206
    assert single[2] == CONTENT[10:20]

    status, headers, content = fetch(live_server.url, RENDITION, Range="bytes=19-10")
    assert status == 200
    assert headers["Content-Length"] == str(SIZE)
    assert content == CONTENT
