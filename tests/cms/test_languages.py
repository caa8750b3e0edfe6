"""The ten content languages are first-class: Django activates each from the URL and headers."""

import re

import pytest
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import get_language_info

from cms.languages import CONTENT_LANGUAGES, LANGUAGE_CODES

RELEASE = ["vi", "en", "hmn", "blt", "km", "cjm", "rad", "jra", "bdq", "cmo"]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_release_languages_are_the_registry_and_django_languages():
    assert list(LANGUAGE_CODES) == RELEASE
    assert [code for code, _ in settings.LANGUAGES] == RELEASE
    assert settings.LANGUAGE_CODE == "vi"


@pytest.mark.parametrize("code", RELEASE)
def test_every_language_is_known_to_django_with_its_native_name(code):
    info = get_language_info(code)
    assert info["name_local"] == next(x.name_native for x in CONTENT_LANGUAGES if x.code == code)
    assert LANG_INFO[code]["bidi"] is False


@pytest.mark.parametrize("code", RELEASE)
def test_every_language_has_a_compiled_catalogue_so_django_supports_it(code):
    assert translation.check_for_language(code)
    assert translation.get_supported_language_variant(code) == code


@pytest.mark.parametrize("code", RELEASE)
def test_home_page_is_served_under_every_language_prefix_with_html_lang(client, home, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    assert html_lang(response) == code


@pytest.mark.parametrize(
    ("header", "expected"),
    [("km", "km"), ("hmn,vi;q=0.8", "hmn"), ("en-US,en;q=0.9", "en"), ("fr-FR", "vi"), ("", "vi")],
)
def test_root_serves_home_in_the_accept_language_without_redirect(client, home, header, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert html_lang(response) == expected
    assert "Accept-Language" in response["Vary"]
    assert (
        f'<link rel="canonical" href="http://testserver/{expected}/">' in response.content.decode()
    )


def test_root_honours_the_language_cookie_over_the_header(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "jra"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="km")
    assert html_lang(response) == "jra"


@pytest.mark.parametrize("code", ["hmn", "blt", "km", "cjm", "rad", "jra", "bdq", "cmo"])
def test_untranslated_interface_strings_fall_back_to_vietnamese_not_english(code):
    with translation.override(code):
        assert translation.gettext("Latest news") == "Tin mới nhất"
        assert translation.ngettext("%(stars)s star OCOP", "%(stars)s stars OCOP", 4) == (
            "OCOP %(stars)s sao"
        )


def test_english_interface_is_english():
    with translation.override("en"):
        assert translation.gettext("Latest news") == "Latest news"
        assert translation.ngettext("%(stars)s star OCOP", "%(stars)s stars OCOP", 1) == (
            "%(stars)s star OCOP"
        )


def test_language_switcher_names_each_language_in_its_own_script(client, home):
    body = client.get("/vi/").content.decode()
    for language in CONTENT_LANGUAGES:
        link = (
            rf'<a href="/{language.code}/" hreflang="{language.code}" lang="{language.code}"[^>]*>'
        )
        assert re.search(link + re.escape(language.name_native) + "</a>", body)
    assert 'lang="vi" aria-current="true">Tiếng Việt' in body
