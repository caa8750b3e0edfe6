"""Every public page type passes axe-core's WCAG 2.1 A and AA rules on a phone.

One test visits every page type on one load of the demo (loading it costs more than checking
all the pages), collects axe's findings per page and reports them together.
"""

import pytest

from tests.browser.axe import axe_results, failures
from tests.page_types import NOT_FOUND, demo_page_urls, not_the_case

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

IMAGE_WITHOUT_TEXT = """() => {
  const image = document.createElement("img");
  image.id = "no-alt";
  image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
  document.querySelector("main").append(image);
}"""


def test_every_page_type_passes_axe(demo_site, phone, axe_script):
    urls = demo_page_urls()
    statuses, wrong_case, found = {}, {}, {}
    for name, url in urls.items():
        response = phone.goto(demo_site.url + url, wait_until="load")
        statuses[name] = response.status
        if wrong := not_the_case(name, phone.content()):
            wrong_case[name] = wrong
        if problems := failures(axe_results(phone, axe_script)):
            found[name] = problems

    # The positive control: the last page, given an image that says nothing, fails on it.
    phone.evaluate(IMAGE_WITHOUT_TEXT)
    assert failures(axe_results(phone, axe_script)).get("image-alt") == ["#no-alt"]

    assert statuses == {name: 404 if name == NOT_FOUND else 200 for name in urls}
    assert wrong_case == {}
    report = [
        f"{name} ({urls[name]}): {rule} on {', '.join(nodes)}"
        for name, problems in found.items()
        for rule, nodes in problems.items()
    ]
    assert found == {}, "\n".join(report)
