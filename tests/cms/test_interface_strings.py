"""Interface strings translated in the admin: only by the language's translators, checked, taken
all or nothing from an uploaded PO file, served at once by every worker, and counted on the
translations dashboard.

No text here is Jrai, Khmer or any other minority language: the translations are marked test
strings such as "[jra test] Search", which no one should take for the language.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task
from wagtail.users.models import UserProfile

from cms.interface_catalogue import message_key_hash
from cms.models import InterfaceCatalogueVersion, InterfaceTranslation
from cms.translators import TRANSLATOR_GROUPS

ROOT = Path(settings.BASE_DIR)
LIST = "/admin/translations/interface/{}/"
SEARCH = ("", "Search")
PRICE = ("", "Price of %(name)s")
EDIT_SEARCH = LIST.format("jra") + message_key_hash(SEARCH) + "/"
EDIT_PRICE = LIST.format("jra") + message_key_hash(PRICE) + "/"


@pytest.fixture(autouse=True)
def runtime_catalogues(settings, tmp_path):
    """Catalogues compiled at run time go to this test's own ``VAR_DIR``."""
    settings.VAR_DIR = tmp_path
    settings.LOCALE_PATHS = [tmp_path / "locale", ROOT / "locale"]
    return tmp_path / "locale"


def person(django_user_model, name, *groups):
    user = django_user_model.objects.create_user(name, password="pw")
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def speaking(user, code):
    """``user``'s admin in ``code``."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = code
    profile.save()


@pytest.fixture
def jrai_client(client, django_user_model):
    """A Jrai translator, whose admin is in English."""
    user = person(django_user_model, "jrai", TRANSLATOR_GROUPS["jra"])
    speaking(user, "en")
    client.force_login(user)
    return client


def message_keys(code):
    """Every message of ``code``: the Vietnamese catalogue's and its own."""
    return {
        (entry.msgctxt or "", entry.msgid)
        for path in (
            ROOT / f"locale/{code}/LC_MESSAGES/django.po",
            ROOT / "locale/vi/LC_MESSAGES/django.po",
        )
        for entry in polib.pofile(str(path))
    }


def upload(client, code, text):
    file = SimpleUploadedFile("t.po", text.encode(), content_type="text/x-gettext-translation")
    return client.post(LIST.format(code) + "upload/", {"file": file})


def uploaded(client, code, text):
    """The report of uploading ``text`` as ``code``'s catalogue."""
    return upload(client, code, text).content.decode()


def po_file(code, *entries):
    body = "".join(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n' for msgid, msgstr in entries)
    return (
        f'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: nplurals=1; plural=0;\\n"\n\n{body}'
    )


# Permission


@pytest.mark.django_db
def test_a_jrai_translator_translates_jrai_and_finds_no_khmer(jrai_client):
    assert jrai_client.get(LIST.format("jra")).status_code == 200  # the positive control
    assert jrai_client.get(EDIT_SEARCH).status_code == 200
    assert jrai_client.get(LIST.format("jra") + "po/").status_code == 200
    for code in ("km", "vi", "xx"):  # Khmer is another's; Vietnamese and xx are no such list
        assert jrai_client.get(LIST.format(code)).status_code == 404
        assert jrai_client.get(LIST.format(code) + "po/").status_code == 404
        edit = LIST.format(code) + message_key_hash(SEARCH) + "/"
        assert jrai_client.post(edit, {"form_0": "[km test] Search"}).status_code == 404
        answer = upload(jrai_client, code, po_file(code, ("Search", "[km test] Search")))
        assert answer.status_code == 404
    assert not InterfaceTranslation.objects.exists()
    # Khmer's list is answered as a list that does not exist, word for word.
    assert jrai_client.get(LIST.format("km")).content == jrai_client.get(LIST.format("xx")).content
    assert jrai_client.get(LIST.format("jra") + "0123456789abcdef/").status_code == 404


@pytest.mark.django_db
def test_an_editor_translates_every_language_but_no_one_signed_out_does(admin_client, client):
    assert admin_client.get(LIST.format("km")).status_code == 200
    assert client.get(LIST.format("jra")).status_code == 302  # to the sign-in page


# Listing and translating


@pytest.mark.django_db
def test_the_list_shows_english_vietnamese_and_the_translation_each_in_its_language(jrai_client):
    jrai_client.post(EDIT_SEARCH, {"form_0": "[jra test] Search"})
    body = jrai_client.get(LIST.format("jra") + "?q=search&state=translated").content.decode()
    rows = re.findall(r"<tr>\n(<td lang=\"en\">.*?)\n</tr>", body, re.S)
    assert len(rows) == 1
    assert '<td lang="en">Search</td>' in rows[0]
    assert '<td lang="vi">Tìm kiếm</td>' in rows[0]
    assert '<td lang="jra">[jra test] Search</td>' in rows[0]
    untranslated = jrai_client.get(LIST.format("jra") + "?q=search&state=untranslated")
    assert "[jra test] Search" not in untranslated.content.decode()
    assert "Search queries" in untranslated.content.decode()
    # 50 a page, the filters carried to the next.
    body = jrai_client.get(LIST.format("jra") + "?state=untranslated").content.decode()
    assert body.count('<td lang="en">') == 50
    assert 'href="?state=untranslated&amp;page=2"' in body


@pytest.mark.django_db
def test_a_saved_translation_is_served_at_once_and_compiled_outside_the_repository(
    jrai_client, client, runtime_catalogues
):
    assert (
        '<h1 lang="vi">Không tìm thấy trang</h1>'
        in client.get("/jra/no-such-page/").content.decode()
    )
    before = InterfaceCatalogueVersion.objects.filter(language="jra").first()
    edit = LIST.format("jra") + message_key_hash(("", "Page not found")) + "/"
    response = jrai_client.post(edit, {"form_0": "[jra test] Page not found"})
    assert response.status_code == 302
    assert response["Location"] == LIST.format("jra") + "?"
    row = InterfaceTranslation.objects.get(language="jra")
    assert (row.msgid, row.msgstr, row.translated_by.username) == (
        "Page not found",
        "[jra test] Page not found",
        "jrai",
    )
    assert InterfaceCatalogueVersion.objects.get(language="jra") != before
    body = client.get("/jra/no-such-page/").content.decode()
    assert "<h1>[jra test] Page not found</h1>" in body
    compiled = polib.mofile(str(runtime_catalogues / "jra/LC_MESSAGES/django.mo"))
    assert compiled.find("Page not found").msgstr == "[jra test] Page not found"
    assert not (ROOT / "locale/jra/LC_MESSAGES/django.mo").read_bytes().count(b"[jra test]")
    # Emptied, the string goes back to the Vietnamese.
    jrai_client.post(edit, {"form_0": ""})
    assert not InterfaceTranslation.objects.exists()
    assert '<h1 lang="vi">Không tìm thấy trang</h1>' in client.get("/jra/x/").content.decode()


@pytest.mark.django_db
def test_a_translation_saved_in_the_admin_wins_over_the_committed_one(admin_client, client):
    english = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    assert english.find("Home page").msgstr == "Home page"  # committed, and shown on a 404
    assert ">Home page</a>" in client.get("/en/no-such-page/").content.decode()
    edit = LIST.format("en") + message_key_hash(("", "Home page")) + "/"
    admin_client.post(edit, {"form_0": "[en test] Home page"})
    assert ">[en test] Home page</a>" in client.get("/en/no-such-page/").content.decode()


@pytest.mark.django_db
def test_a_plural_string_has_a_field_per_plural_form_of_the_language(admin_client, client):
    more = ("", "and %(count)s more")
    khmer = LIST.format("km") + message_key_hash(more) + "/"
    assert admin_client.get(khmer).content.decode().count("<textarea") == 1  # nplurals=1
    english_stars = LIST.format("en") + message_key_hash(("", "%(stars)s star OCOP")) + "/"
    assert admin_client.get(english_stars).content.decode().count("<textarea") == 2
    admin_client.post(khmer, {"form_0": "[km test] %(count)s"})
    row = InterfaceTranslation.objects.get(language="km")
    assert (row.msgid_plural, row.msgstr, row.msgstr_plural) == (
        "and %(count)s more",
        "",
        ["[km test] %(count)s"],
    )
    client.get("/km/no-such-page/")  # a request takes the new catalogue into use
    with translation.override("km"):
        assert ngettext("and %(count)s more", "and %(count)s more", 3) == "[km test] %(count)s"


# Validation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "text", "error"),
    [
        (EDIT_PRICE, "[jra test] Price", "Keep every placeholder of the English text"),
        (EDIT_PRICE, "[jra test] %(nome)s", "Keep every placeholder of the English text"),
        (EDIT_PRICE, "[jra test] %(name)s %(name)s", "Keep every placeholder of the English text"),
        (EDIT_PRICE, "[jra test] 5% %(name)s", "write a percent sign twice"),
        (EDIT_SEARCH, "[jra test] Search %s", "The English text has no placeholder"),
        (EDIT_SEARCH, "[jra test] {name}", "The English text has no placeholder"),
        (EDIT_SEARCH, "<b>[jra test]</b> Search", "The English text holds no markup"),
        (EDIT_SEARCH, '[jra test] <img src=x onerror="alert(1)">', "holds no markup"),
    ],
)
def test_a_translation_keeps_placeholders_and_adds_no_markup(jrai_client, edit, text, error):
    body = jrai_client.post(edit, {"form_0": text}).content.decode()
    assert error in body
    assert not InterfaceTranslation.objects.exists()


@pytest.mark.django_db
def test_errors_are_explained_in_the_translators_language(jrai_client, django_user_model):
    user = django_user_model.objects.get(username="jrai")
    speaking(user, "vi")
    body = jrai_client.post(EDIT_PRICE, {"form_0": "[jra test] Price"}).content.decode()
    assert "Giữ nguyên từng ký hiệu thay thế của văn bản tiếng Anh: %(name)s." in body
    speaking(user, "en")
    body = jrai_client.post(EDIT_PRICE, {"form_0": "[jra test] Price"}).content.decode()
    assert "Keep every placeholder of the English text exactly as it is: %(name)s." in body


@pytest.mark.django_db
def test_a_translation_is_stored_in_nfc_with_its_placeholders(jrai_client):
    decomposed = unicodedata.normalize("NFD", "[jra test] Giá %(name)s")
    assert jrai_client.post(EDIT_PRICE, {"form_0": decomposed}).status_code == 302
    assert InterfaceTranslation.objects.get().msgstr == "[jra test] Giá %(name)s"


# Upload and download


@pytest.mark.django_db
def test_an_upload_with_one_wrong_entry_saves_nothing_and_says_why(jrai_client):
    body = uploaded(
        jrai_client,
        "jra",
        po_file("jra", ("Search", "[jra test] Search"), ("Price of %(name)s", "[jra test] Price")),
    )
    assert "Nothing was saved" in body
    assert "Keep every placeholder of the English text exactly as it is: %(name)s." in body
    assert not InterfaceTranslation.objects.exists()
    assert not InterfaceCatalogueVersion.objects.exists()
    body = uploaded(jrai_client, "jra", po_file("jra", ("No such string here", "[jra test] x")))
    assert "This is not one of the site" in body and not InterfaceTranslation.objects.exists()
    body = uploaded(jrai_client, "jra", po_file("km", ("Search", "[km test] Search")))
    assert "The file is for the language “km”, not “jra”." in body
    body = uploaded(jrai_client, "jra", 'msgid "Search"\nmsgstr ')
    assert "Nothing was saved" in body and not InterfaceTranslation.objects.exists()


@pytest.mark.django_db
def test_an_upload_saves_every_entry_together_and_reports_the_changes(jrai_client):
    jrai_client.post(EDIT_SEARCH, {"form_0": "[jra test] Search"})
    body = uploaded(
        jrai_client,
        "jra",
        po_file(
            "jra",
            ("Search", "[jra test] Search, again"),
            ("Price of %(name)s", "[jra test] %(name)s"),
            ("Page not found", ""),
            ("Home page", "[jra test] Home page"),
        ),
    )
    assert "Nothing was saved" not in body
    assert "Translated: 2" in body and "Changed: 1" in body
    assert "Not translated or marked fuzzy: left as it was: 1" in body
    assert '<td lang="jra">[jra test] Search</td>' in body  # before
    assert '<td lang="jra">[jra test] Search, again</td>' in body  # after
    saved = dict(InterfaceTranslation.objects.values_list("msgid", "msgstr"))
    assert saved == {
        "Search": "[jra test] Search, again",
        "Price of %(name)s": "[jra test] %(name)s",
        "Home page": "[jra test] Home page",
    }


@pytest.mark.django_db
def test_the_download_is_the_catalogue_as_served_and_uploads_back_unchanged(jrai_client):
    jrai_client.post(EDIT_SEARCH, {"form_0": "[jra test] Search"})
    response = jrai_client.get(LIST.format("jra") + "po/")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="banlang-interface-jra-'
    )
    text = response.content.decode()
    assert '"Language: jra\\n"' in text
    assert '#. vi: Tìm kiếm\nmsgid "Search"\nmsgstr "[jra test] Search"' in text
    assert text.count("\nmsgid ") == len(message_keys("jra")) + 1  # and the header
    body = uploaded(jrai_client, "jra", text)
    assert "Unchanged: 1" in body and "Nothing was saved" not in body
    assert InterfaceTranslation.objects.count() == 1


# Coverage


@pytest.mark.django_db
def test_the_dashboard_counts_each_languages_translated_interface_strings(admin_client):
    total = len(message_keys("jra"))
    english = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    committed_english = len(english.translated_entries())
    admin_client.post(EDIT_SEARCH, {"form_0": "[jra test] Search"})
    admin_client.post(EDIT_PRICE, {"form_0": "[jra test] %(name)s"})
    translated_english = next(
        entry for entry in english.translated_entries() if not entry.msgid_plural
    )
    english_edit = LIST.format("en") + message_key_hash(("", translated_english.msgid)) + "/"
    admin_client.post(english_edit, {"form_0": translated_english.msgstr + " [en test]"})
    body = admin_client.get("/admin/translations/").content.decode()

    def row(code):
        found = re.search(
            rf'href="/admin/translations/interface/{code}/" lang="{code}">[^<]+</a></th>'
            r"<td>(\d+)</td><td>(\d+)</td>",
            body,
        )
        return int(found.group(1)), int(found.group(2))

    assert row("jra") == (2, total)
    assert row("km") == (0, len(message_keys("km")))
    assert row("en") == (committed_english, len(message_keys("en")))  # a change, not one more


@pytest.mark.django_db
def test_a_translator_sees_the_counts_and_links_only_to_their_language(jrai_client):
    body = jrai_client.get("/admin/translations/").content.decode()
    assert 'href="/admin/translations/interface/jra/"' in body
    assert 'href="/admin/translations/interface/km/"' not in body
    assert '<span lang="km">' in body


# Two workers


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env):
    """One gunicorn worker process serving the site; yields its address."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn failed"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def fetch(opener, url, data=None):
    try:
        with opener.open(
            url, data=urllib.parse.urlencode(data).encode() if data else None
        ) as answer:
            return answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


@pytest.mark.timeout(300)
def test_two_workers_both_serve_a_translation_saved_through_one_of_them(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    env.pop("DATABASE_URL", None)  # SQLite in the test's VAR_DIR, which both workers share
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*manage, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.org"],
        cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": "pw"}, check=True, capture_output=True,
    )  # fmt: skip
    reader = urllib.request.build_opener()
    with gunicorn(env) as first, gunicorn(env) as second:
        for server in (first, second):
            assert '<h1 lang="vi">Không tìm thấy trang</h1>' in fetch(
                reader, f"{server}/jra/nothing/"
            )
        cookies = http.cookiejar.CookieJar()
        editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        fetch(editor, f"{first}/admin/login/")
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
        fetch(
            editor,
            f"{first}/admin/login/",
            {"csrfmiddlewaretoken": token, "username": "chief", "password": "pw"},
        )
        edit = first + LIST.format("jra") + message_key_hash(("", "Page not found")) + "/"
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")  # rotated
        posted = {"csrfmiddlewaretoken": token, "form_0": "[jra test] Page not found"}
        saved = fetch(editor, edit, posted)
        assert "Đã lưu bản dịch; trang web dùng ngay." in saved  # the admin is in Vietnamese
        for server in (second, first):  # neither restarted
            assert "<h1>[jra test] Page not found</h1>" in fetch(reader, f"{server}/jra/nothing/")
    assert (tmp_path / "locale/jra/LC_MESSAGES/django.mo").exists()


@task()
def home_page_in_english() -> str:
    """What a task renders "Home page" as, in English."""
    with translation.override("en"):
        return translation.gettext("Home page")


def test_a_task_takes_up_the_translations_saved_since_before_it_runs(admin_client):
    """A worker running tasks serves no request: each task starts by taking them up."""
    admin_client.get("/admin/")  # this process compiles what there is
    edit = LIST.format("en") + message_key_hash(("", "Home page")) + "/"
    admin_client.post(edit, {"form_0": "[en test] Home page"})
    with translation.override("en"):
        assert translation.gettext("Home page") == "Home page"  # not taken up yet
    assert home_page_in_english.enqueue().return_value == "[en test] Home page"
