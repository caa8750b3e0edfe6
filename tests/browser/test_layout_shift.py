"""Pages keep still when the web fonts arrive after the first paint, as they do on a slow link."""

import os
import re
from pathlib import Path

import pytest

from cms.fonts import FALLBACK_FAMILY
from cms.models import ArticlePage
from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, chromium_path

pytestmark = [pytest.mark.browser]

FONT_DELAY_MS = 1000
MAX_CUMULATIVE_LAYOUT_SHIFT = 0.02

READERS_FONTS = {
    "/usr/share/fonts/truetype/dejavu": "fonts-dejavu-core",
    "/usr/share/fonts/truetype/liberation": "fonts-liberation",
    "/usr/share/fonts/truetype/khmeros": "fonts-khmeros",
    "/usr/share/fonts/truetype/taiheritagepro": "fonts-sil-taiheritagepro",
}
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  {dirs}<cachedir>{cache}</cachedir>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
"""

RECORD_LAYOUT_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""
FIRST_PAINT = """new Promise((painted) => {
  const check = () => performance.getEntriesByName("first-contentful-paint").length
    ? painted() : requestAnimationFrame(check);
  check();
})"""
TWO_FRAMES = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
FALLBACK_RULE = re.compile(r"@font-face\s*{[^}]*" + re.escape(FALLBACK_FAMILY) + r"[^}]*}")


@pytest.fixture(scope="module")
def readers_computer(browser, tmp_path_factory):
    """Chromium with the fonts of a Debian computer set up for Khmer and Tai Dam, without Noto.

    DejaVu and Liberation draw Latin, Khmer OS and Tai Heritage Pro the other scripts until the
    web fonts arrive, and Debian's own rules (``/etc/fonts/conf.d``) pick the default fonts;
    none of them is a font the web faces' ``local()`` names, so every page downloads its faces.
    """
    missing = [package for folder, package in READERS_FONTS.items() if not Path(folder).is_dir()]
    if missing:
        pytest.skip(f"install {' '.join(missing)} to measure layout shifts")
    config_dir = tmp_path_factory.mktemp("readers-fontconfig")
    fonts_conf = config_dir / "fonts.conf"
    dirs = "".join(f"<dir>{folder}</dir>" for folder in READERS_FONTS)
    fonts_conf.write_text(FONTCONFIG.format(dirs=dirs, cache=config_dir / "cache"))
    computer = browser.browser_type.launch(
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf)},
    )
    yield computer
    computer.close()


def without_fallback_faces(route):
    """Serve fonts.css without the fallback family's rules, as it was before they existed."""
    response = route.fetch()
    route.fulfill(response=response, body=FALLBACK_RULE.sub("", response.text()))


def layout_shift_on_a_slow_link(browser, url, stylesheet_route=None):
    """Open ``url`` in a new phone, hold its web fonts until a second after the first paint.

    Returns the faces that arrived late and the sum of every layout shift on the page.
    """
    context = browser.new_context(service_workers="block", viewport=PHONE, device_scale_factor=2)
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    if stylesheet_route:
        page.route("**/css/fonts.css", stylesheet_route)
    held = []
    page.route("**/*.woff2", lambda route: held.append(route))
    page.goto(url, wait_until="domcontentloaded")
    page.evaluate(FIRST_PAINT)
    page.wait_for_timeout(FONT_DELAY_MS)
    faces = sorted(route.request.url.rsplit("/", 1)[1].split(".")[0] for route in held)
    for route in held:
        route.continue_()
    page.unroute("**/*.woff2")
    page.evaluate("document.fonts.ready")
    page.evaluate(TWO_FRAMES)
    shift = sum(page.evaluate("window.layoutShifts"))
    context.close()
    return faces, round(shift, 4)


def article_in(code):
    """The first article in ``code``; in Vietnamese a news article rather than a language sample."""
    articles = ArticlePage.objects.order_by("path")
    if code == "vi":
        articles = articles.exclude(slug_vi__startswith="mau-ngon-ngu-")
    return next(page for page in articles if page.has_translation(code))


def test_home_and_articles_keep_still_when_the_web_fonts_arrive_late(demo_site, readers_computer):
    pages = {"home vi": ("/vi/", ["latin"])}
    for code, faces in [
        ("vi", ["latin"]),
        ("km", ["khmer", "latin"]),
        ("blt", ["latin", "tai-viet"]),
    ]:
        pages[f"article {code}"] = (article_in(code).url_in(code), faces)
    shifts = {}
    for name, (path, faces) in pages.items():
        arrived_late, shifts[name] = layout_shift_on_a_slow_link(
            readers_computer, demo_site.url + path
        )
        assert arrived_late == faces, name
    assert all(shift <= MAX_CUMULATIVE_LAYOUT_SHIFT for shift in shifts.values()), shifts

    arrived_late, shift = layout_shift_on_a_slow_link(
        readers_computer, demo_site.url + "/vi/", without_fallback_faces
    )
    assert arrived_late == ["latin"]
    assert shift > MAX_CUMULATIVE_LAYOUT_SHIFT
