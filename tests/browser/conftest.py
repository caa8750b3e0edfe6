"""Real Chromium through Playwright, against the live test server, at phone size."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

from cms.demo.loader import load_demo
from tests.browser.axe import axe_script  # noqa: F401 (a fixture for every browser test)
from tests.browser.snapshot import DatabaseSnapshot

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
ANSWERING_TIMEOUT = 30
"""Seconds a test's end waits for the live server to finish the requests it is answering."""


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return configured if Path(configured).exists() else shutil.which("chromium")


LATIN_ONLY_FONTS = "/usr/share/fonts/truetype/liberation"
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Chromium that sees only Latin system fonts (Liberation, a Chromium dependency).

    Like a phone without Noto, it must download our web fonts for Vietnamese marks and for
    Khmer, Tai Viet and Cham, so the tests see exactly which font files a page costs.
    """
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found: install Debian's chromium or set CHROMIUM_PATH")
    if not Path(LATIN_ONLY_FONTS).is_dir():
        pytest.skip(f"{LATIN_ONLY_FONTS} missing: install Debian's fonts-liberation")
    from playwright.sync_api import sync_playwright

    config_dir = tmp_path_factory.mktemp("fontconfig")
    fonts_conf = config_dir / "fonts.conf"
    fonts_conf.write_text(FONTCONFIG.format(fonts=LATIN_ONLY_FONTS, cache=config_dir / "cache"))
    environment = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf)}
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told it is safe, as it is here (one test thread).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_FLAGS, env=environment
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone(browser):
    """A phone-size page, JavaScript on (as most browsers), recording every request URL."""
    context = browser.new_context(service_workers="block", viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


@pytest.fixture
def no_script_phone(browser):
    """A phone-size page with JavaScript off, as on many cheap phones' data-saving browsers."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, device_scale_factor=2)
    yield context.new_page()
    context.close()


def fits_the_screen(page) -> bool:
    """Whether ``page``, once loaded, is no wider than the phone: nothing to scroll sideways."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture(scope="session")
def demo_snapshot() -> DatabaseSnapshot:
    """The test database as the demo loader left it, copied by the first test that needs it."""
    return DatabaseSnapshot()


@pytest.fixture
def demo_site(transactional_db, live_server, demo_snapshot):
    """The demo site, served by a live server: loaded by the first test, put back as it was
    loaded before each one after (the database is emptied after each test)."""
    if demo_snapshot.taken:
        demo_snapshot.restore()
    else:
        load_demo("localhost", 80)
        demo_snapshot.take()
    return live_server


class Answering:
    """How many requests Django is answering, in any thread: the live server's included."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs: object) -> None:
        """``request_started``: one more request is being answered."""
        with self.changed:
            self.count += 1

    def finished(self, **kwargs: object) -> None:
        """``request_finished``: a request's answer is complete."""
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait(self) -> None:
        """Wait until no request is being answered; fail if one never ends."""
        with self.changed:
            if not self.changed.wait_for(lambda: self.count <= 0, ANSWERING_TIMEOUT):
                pytest.fail(f"the live server was still answering {self.count} request(s)")


@pytest.fixture(scope="session")
def answering():
    """Requests being answered, counted from Django's request signals."""
    counter = Answering()
    request_started.connect(counter.started, weak=False)
    request_finished.connect(counter.finished, weak=False)
    yield counter
    request_started.disconnect(counter.started)
    request_finished.disconnect(counter.finished)


@pytest.fixture(autouse=True)
def requests_answered_before_the_flush(request, answering):
    """After a test with the live server, wait for its requests to be answered before the
    database is emptied: a request still running holds tables of the shared in-memory SQLite
    database, and the flush fails ("database table is locked") or leaves rows behind.

    The database and the live server are requested from here, so they are torn down after
    this fixture; the pages' browser contexts, set up after it, are closed before it waits.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    request.getfixturevalue("live_server")
    yield
    answering.wait()
