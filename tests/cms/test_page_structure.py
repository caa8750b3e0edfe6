"""What every page's structure holds: headings that never skip a level."""

import re

from django.test import Client

from tests.cms.test_fuzz import CRAWL_LANGUAGES, site, unlinked_urls  # noqa: F401 - fixture
from tests.public_urls import crawl, page_targets, public_targets

HEADING = re.compile(r"<h([1-6])\b")


def skipped_heading_levels(body: str) -> list[str]:
    """Where a page's headings jump more than one level deeper, e.g. ``h1→h3``; and a page
    whose first heading is not an ``h1``."""
    levels = [int(level) for level in HEADING.findall(body)]
    jumps = [f"h{a}→h{b}" for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]
    return jumps


def test_a_jump_from_h1_to_h3_is_seen():
    assert skipped_heading_levels("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2>") == []
    assert skipped_heading_levels("<h1>a</h1><h3>b</h3>") == ["h1→h3"]
    assert skipped_heading_levels("<h2>a</h2>") == ["h0→h2"]


def test_no_page_of_the_site_skips_a_heading_level(site):  # noqa: F811 - the fixture
    targets = public_targets() + page_targets(site.site)
    seeds = [url for target in targets for url in target.seeds] + unlinked_urls(site)
    found = crawl(Client(), site.site, seeds, CRAWL_LANGUAGES[:1], 2)
    client = Client()
    pages, problems = 0, {}
    for url, status in found.statuses.items():
        if status != 200:
            continue
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        if jumps := skipped_heading_levels(response.content.decode()):
            problems[url] = jumps
    assert pages >= 15
    assert problems == {}
