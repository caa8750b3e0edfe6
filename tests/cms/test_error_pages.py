"""The site's own "not found" and "server error" pages, in the reader's language, with DEBUG on
(``make run``) as well as off."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from cms.languages import LANGUAGE_CODES

DJANGO_DEBUG_PAGE = "because you have <code>DEBUG = True</code> in"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["khong-co-trang-nay/", "khong/co.txt"])
@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_a_missing_page_is_the_sites_own_page_in_the_readers_language(
    client, home, settings, debug, path, code
):
    settings.DEBUG = debug
    response = client.get(f"/{code}/{path}")
    body = response.content.decode()
    assert response.status_code == 404
    assert DJANGO_DEBUG_PAGE not in body
    assert f'<html lang="{code}"' in body
    assert f'<a href="/{code}/"' in body
    assert f'<a href="/{code}/search/"' in body
    with translation.override(code):
        heading = {"en": "Page not found", "vi": "Không tìm thấy trang"}.get(
            code, translation.gettext("Page not found")
        )
    assert re.search(f"<h1[^>]*>{heading}</h1>", body)


def test_a_missing_page_outside_the_language_prefixes_is_in_vietnamese(client, home, settings):
    settings.DEBUG = True
    response = client.get("/oai/khong-co/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="vi"' in body and "<h1>Không tìm thấy trang</h1>" in body
    assert DJANGO_DEBUG_PAGE not in body


def test_developers_can_ask_for_djangos_technical_page(client, home, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = client.get("/km/khong-co-trang-nay/")
    assert response.status_code == 404
    assert DJANGO_DEBUG_PAGE in response.content.decode()
    settings.DEBUG = False
    response = client.get("/km/khong-co-trang-nay/")
    assert DJANGO_DEBUG_PAGE not in response.content.decode()


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_the_server_error_page_needs_no_context_and_speaks_the_readers_language(db, code):
    request = RequestFactory().get(f"/{code}/")
    with translation.override(code):
        response = server_error(request)
        heading = translation.gettext("Server error")
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{code}"' in body
    assert f'<a href="/{code}/"' in body
    assert f'<a href="/{code}/search/"' in body
    assert {"en": "Server error", "vi": "Lỗi máy chủ"}.get(code, heading) == heading
    assert body.count("<h1") == 1
    assert re.search(f"<h1[^>]*>{heading}</h1>", body)


@pytest.mark.parametrize("code", ["vi", "km"])
def test_an_error_with_debug_on_is_the_sites_error_page_and_is_logged(
    client, home, settings, caplog, code
):
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.cms.failing_urls"
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get(f"/{code}/hong/")
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{code}"' in body
    assert "Traceback" not in body and "RuntimeError" not in body
    assert [record.exc_info[0] for record in caplog.records] == [RuntimeError]


def test_developers_can_ask_for_djangos_traceback_page(client, home, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    settings.ROOT_URLCONF = "tests.cms.failing_urls"
    client.raise_request_exception = False
    response = client.get("/vi/hong/")
    assert response.status_code == 500
    assert "RuntimeError" in response.content.decode()


def test_a_refusal_with_debug_on_keeps_its_status(client, home, settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.cms.failing_urls"
    assert client.get("/vi/cam/").status_code == 403
