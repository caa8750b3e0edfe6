"""axe-core in the browser tests: the npm package ``axe-core`` (MPL-2.0), never copied into the
repository.

The ``axe_script`` fixture fetches the package once into ``var/test-data/`` after checking
npm's integrity hash (``tests.npm_package``); offline, the tests that need it skip, saying why.
``axe_results()`` injects it into a Playwright page and runs it; ``failures()`` sums up what it
found. ``tests/browser/conftest.py`` offers the fixture to
every browser test; a test module imports ``axe_results`` and ``failures``.
"""

from pathlib import Path

import pytest

from tests.npm_package import npm_files

AXE_VERSION = "4.14.1"
AXE_INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5"
    "qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)


def fetch() -> Path:
    """``axe.min.js``, fetched from npm (``tests.npm_package``) unless it is there already."""
    folder = npm_files("axe-core", AXE_VERSION, AXE_INTEGRITY, ("axe.min.js", "LICENSE"))
    return folder / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The path of ``axe.min.js``; the test skips when it cannot be fetched."""
    try:
        return fetch()
    except OSError as error:
        pytest.skip(f"axe-core {AXE_VERSION} not fetched from npm: {error}")


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""The axe tags of WCAG 2.0 and 2.1, levels A and AA."""


def axe_results(page, script: Path, context: str = "html", rules: list[str] | None = None) -> dict:
    """axe's results on ``page`` within the CSS selector ``context``, as axe reports them.

    ``rules`` limits the run to those rule ids; without it every WCAG 2.x A and AA rule runs.
    axe is evaluated rather than added as a ``<script>``, which the public pages' CSP forbids.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate("source => { (0, eval)(source); }", script.read_text())
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_AA}
    return page.evaluate(
        "([context, options]) => axe.run(context, options)", [context, {"runOnly": only}]
    )


def failures(results: dict) -> dict[str, list[str]]:
    """The violated rule ids, each with the CSS selectors of the elements that fail it."""
    return {
        violation["id"]: [" ".join(node["target"]) for node in violation["nodes"]]
        for violation in results["violations"]
    }
