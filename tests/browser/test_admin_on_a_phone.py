"""The Wagtail admin on a phone without Noto: every script drawn with the site's faces, every
label whole, the language tabs legible and every field named."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from cms.models import ArticlePage
from tests.browser.axe import axe_results, failures
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser]

OUR_FACE = '"Ban Lang Sans"'
LABELS = "main label, main .w-panel__heading--label"
MEASURE_LABELS = """selector => [...document.querySelectorAll(selector)]
  .filter(label => label.getClientRects().length && label.textContent.trim())
  .map(label => {
    const box = label.getBoundingClientRect();
    return {
      text: label.textContent.trim().replace(/\\s+/g, " "),
      cut: box.left < 0 || box.right > innerWidth || label.scrollWidth > label.clientWidth,
    };
  })"""
TAB_COLOURS = """() => [...document.querySelectorAll("button.locale-toggle")].map(tab => {
  const style = getComputedStyle(tab);
  return {
    code: tab.textContent.trim(),
    selected: tab.classList.contains("showing-locale"),
    color: style.color,
    background: style.backgroundColor,
  };
})"""


@pytest.fixture
def admin_phone(browser, demo_site):
    """A phone-size page signed in as an administrator, recording every request URL."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("phone-admin", None, None))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(service_workers="block", viewport=PHONE)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_site.url}]
    )
    page = context.new_page()
    # The editor's session pings would race the database flush after the test.
    page.route("**/admin/editing-sessions/**", lambda route: route.abort())
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    # A request still being answered would hold a table the flush after the test empties.
    page.wait_for_load_state("networkidle")
    context.close()


def edit_khmer_translation(page, site_url: str, *, withheld: tuple[str, ...] = ()) -> None:
    """Open the edit form of an article translated into Khmer, showing only its Khmer fields.

    ``withheld`` names static files the browser is refused, to show what they fix.
    """
    for name in withheld:
        page.route(f"**/{name}", lambda route: route.abort())
    article = next(each for each in ArticlePage.objects.all() if each.has_translation("km"))
    page.goto(f"{site_url}/admin/pages/{article.pk}/edit/")
    page.locator("button.locale-toggle", has_text=re.compile("^km$")).click()
    page.locator("button.locale-toggle", has_text=re.compile("^vi$")).click()
    page.locator("#id_title_km").wait_for()
    page.locator("#id_title_vi").wait_for(state="hidden")
    page.evaluate("document.fonts.ready")


def font_requests(page) -> list[str]:
    return sorted(
        {url.rsplit("/", 1)[1].split(".")[0] for url in page.requested if url.endswith(".woff2")}
    )


def rgba(colour: str) -> tuple[float, ...]:
    channels = [float(part) for part in re.findall(r"[\d.]+", colour)]
    return (*channels[:3], channels[3] if len(channels) > 3 else 1.0)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two computed colours, a translucent background laid on white."""
    *back, alpha = rgba(background)
    back = [alpha * channel + (1 - alpha) * 255 for channel in back]

    def luminance(rgb) -> float:
        linear = [
            c / 255 / 12.92 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(rgba(foreground)[:3]), luminance(back)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_khmer_fields_are_drawn_with_the_site_khmer_face(demo_site, admin_phone):
    edit_khmer_translation(admin_phone, demo_site.url)
    title = admin_phone.locator("#id_title_km")
    assert any("\u1780" <= character <= "\u17ff" for character in title.input_value())
    body = admin_phone.locator("#panel-child-content-body_km-section .Draftail-Editor").first
    for field in (title, admin_phone.locator("#id_summary_km"), body):
        family = field.evaluate("element => getComputedStyle(element).fontFamily")
        assert family.startswith(OUR_FACE)
    admin_phone.wait_for_function(f"document.fonts.check('16px {OUR_FACE}', 'ក្សត្រ')")
    # The check is not true of every text: the Cham face, which nothing here needs, is not loaded.
    assert not admin_phone.evaluate(f"document.fonts.check('16px {OUR_FACE}', 'ꨌꩌ')")
    assert font_requests(admin_phone) == ["khmer", "latin"]


def test_no_label_is_cut_off_on_a_phone(demo_site, admin_phone):
    edit_khmer_translation(admin_phone, demo_site.url)
    labels = admin_phone.evaluate(MEASURE_LABELS, LABELS)
    assert {"Title [km]", "Summary [km]", "Body [km]", "Audio version [km]"} <= {
        label["text"] for label in labels
    }
    assert [label["text"] for label in labels if label["cut"]] == []


def test_language_tabs_read_at_4_5_to_1_selected_or_not(demo_site, admin_phone):
    edit_khmer_translation(admin_phone, demo_site.url)
    tabs = admin_phone.evaluate(TAB_COLOURS)
    assert [tab["code"] for tab in tabs if tab["selected"]] == ["km"]
    assert len(tabs) == len(settings.LANGUAGES)
    ratios = {tab["code"]: contrast(tab["color"], tab["background"]) for tab in tabs}
    assert min(ratios.values()) >= 4.5, ratios


def test_axe_finds_nothing_on_the_khmer_edit_form(demo_site, admin_phone, axe_script):
    edit_khmer_translation(admin_phone, demo_site.url)
    results = axe_results(admin_phone, axe_script)
    assert failures(results) == {}
    checked = {rule["id"]: len(rule["nodes"]) for rule in results["passes"]}
    assert checked["label"] >= 2  # the Khmer title and summary
    assert checked["color-contrast"] >= 10
    # The Khmer body's four paragraph editors, named after the body and their block.
    assert checked["aria-input-field-name"] >= 4


def test_the_checks_see_the_defects_without_the_admin_files(demo_site, admin_phone, axe_script):
    edit_khmer_translation(admin_phone, demo_site.url, withheld=("admin.css", "draftail-labels.js"))
    labels = admin_phone.evaluate(MEASURE_LABELS, LABELS)
    assert "Body [km]" in [label["text"] for label in labels if label["cut"]]
    tabs = admin_phone.evaluate(TAB_COLOURS)
    assert min(contrast(tab["color"], tab["background"]) for tab in tabs) < 1.5  # 1.39 in axe
    found = failures(axe_results(admin_phone, axe_script, rules=["aria-input-field-name"]))
    assert len(found["aria-input-field-name"]) == 4
