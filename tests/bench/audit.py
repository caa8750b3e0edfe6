"""Lighthouse audit of the reading side, as a resident's phone meets it.

Loads the demo into a throw-away database under the production settings, serves it with
gunicorn, and runs Lighthouse 12 (mobile, simulated throttling: a slow 4G link and a CPU slowed
4×) in Debian's Chromium on the home page, an article in Vietnamese and in Khmer, a heritage
record and the archive, each ``--runs`` times with cold caches. Prints the median score of each
category and the median of the main metrics, and writes ``var/bench/audit.json`` as
``{"metric", "value", "unit"}``. Lighthouse comes from the npm registry into ``var/node`` the
first time (npm needed); Chromium from ``CHROMIUM_PATH`` or ``/usr/bin/chromium``.

    python -m tests.bench.audit [--runs 3]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from tests.bench.common import BENCH_DIR, ROOT, gunicorn, production_environment, write_report

LIGHTHOUSE_VERSION = "12.8.2"
NODE_DIR = ROOT / "var" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "ms",
    "largest-contentful-paint": "ms",
    "total-blocking-time": "ms",
    "cumulative-layout-shift": "",
    "speed-index": "ms",
}
"""Lighthouse audits reported beside the scores, with their unit (CLS has none)."""


def row(*cells: str) -> str:
    """One line of the printed table: the page name, then right-aligned figures."""
    return f"{cells[0]:<12}" + "".join(f"{cell:>14}" for cell in cells[1:])


def lighthouse() -> Path:
    """The Lighthouse command, installed into ``var/node`` if it is not there yet."""
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("make audit needs Node.js and npm to install Lighthouse.")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--silent",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return LIGHTHOUSE


def pages() -> dict[str, str]:
    """The audited pages of the demo, by name: their paths."""
    from django.db.models import Q

    from cms.models import ArticlePage, HomePage
    from heritage.models import HeritageIndexPage, HeritageRecord
    from heritage.protocols import CulturalProtocol

    home = HomePage.objects.live().get()
    articles = ArticlePage.objects.live().public().order_by("-date", "pk")
    khmer = articles.exclude(Q(title_km="") | Q(title_km__isnull=True)).first()
    if khmer is None:
        sys.exit("The demo has no article in Khmer to audit.")
    record = (
        HeritageRecord.objects.published()
        .filter(protocol=CulturalProtocol.PUBLIC)
        .order_by("pk")
        .first()
    )
    archive = HeritageIndexPage.objects.live().get()
    if record is None:
        sys.exit("The demo has no public heritage record to audit.")
    return {
        "home": home.url_in("vi"),
        "article vi": articles.exclude(pk=khmer.pk).first().url_in("vi"),
        "article km": khmer.url_in("km"),
        "record": f"{archive.url_in('vi')}{record.slug}/",
        "archive": archive.url_in("vi"),
    }


def audit(command: Path, url: str) -> dict[str, float]:
    """One Lighthouse run: each category's score (0–100) and each metric of ``METRICS``."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    completed = subprocess.run(
        [str(command), url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=" + ",".join(CATEGORIES),
         "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage"],
        env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, check=True,
    )  # fmt: skip
    report = json.loads(completed.stdout)
    scores = {name: report["categories"][name]["score"] * 100 for name in CATEGORIES}
    metrics = {name: report["audits"][name]["numericValue"] for name in METRICS}
    failed = [
        f"{report['categories'][name]['title']}: {audit_id}"
        for name in CATEGORIES[1:]
        for audit_id in (ref["id"] for ref in report["categories"][name]["auditRefs"])
        if report["audits"][audit_id]["score"] not in (None, 1)
        and report["audits"][audit_id]["scoreDisplayMode"] == "binary"
    ]
    for line in failed:
        print(f"    {url}: {line}")
    return scores | metrics


def main() -> None:
    """Load, serve, audit, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    command = lighthouse()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    production_environment(
        BENCH_DIR / "audit-var",
        os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'audit.sqlite3'}"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    paths = pages()

    with gunicorn() as port:
        runs = {
            name: [audit(command, f"http://127.0.0.1:{port}{path}") for _ in range(args.runs)]
            for name, path in paths.items()
        }

    results = []
    print(f"\nMedians of {args.runs} cold runs")
    print(row("page", "performance", "accessibility", "practices", "SEO", "LCP", "CLS"))
    for name, reports in runs.items():
        medians = {key: statistics.median(report[key] for report in reports) for key in reports[0]}
        results += [
            {"metric": f"{name} {key}", "value": round(medians[key]), "unit": "score"}
            for key in CATEGORIES
        ]
        results += [
            {"metric": f"{name} {key}", "value": round(medians[key], 4), "unit": unit}
            for key, unit in METRICS.items()
        ]
        print(
            row(
                name,
                *(f"{medians[key]:.0f}" for key in CATEGORIES),
                f"{medians['largest-contentful-paint']:.0f} ms",
                f"{medians['cumulative-layout-shift']:.3f}",
            )
        )
    output = write_report("audit", results)
    print(f"\nPages: {', '.join(paths.values())}; written to {output}")


if __name__ == "__main__":
    main()
