"""Compression of text responses: BREACH padding where a secret can be in the page, none on
the pages every reader gets alike, so their size (the page-weight budget) and bytes (shared
caches) are the same for everyone."""

import gzip

import pytest

from heritage.models import Place

FNAME = 0x08
"""The gzip header flag Django's BREACH mitigation sets: random bytes in the file name field."""


def padded(response) -> bool:
    assert response["Content-Encoding"] == "gzip"
    return bool(response.content[3] & FNAME)


@pytest.mark.django_db
def test_a_public_page_is_compressed_alike_for_every_anonymous_reader(client, article):
    first = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert not padded(first)
    assert first.content == second.content
    assert gzip.decompress(first.content).decode().startswith("<!doctype html>")


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_padded(client):
    province = Place.objects.current().provinces().first()
    response = client.get(f"/vi/subscribe/?province={province.pk}", HTTP_ACCEPT_ENCODING="gzip")
    assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)
    assert padded(response)


@pytest.mark.django_db
def test_a_signed_in_users_page_is_padded(admin_client, article):
    response = admin_client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert padded(response)
