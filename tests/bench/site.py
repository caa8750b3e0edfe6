"""Site benchmark: server time and bytes for the home, topic and article pages.

Seeds a throw-away database (default 2,000 articles, each in all ten languages) under the
production settings, then times pages through Django's test client and over HTTP against
gunicorn (two workers), one request at a time; then articles with 1, 4 and 16 clients at once
(from a process of their own), each level on articles not requested before (first visits), each
article once. Prints a table
and writes ``var/bench/site.json`` as ``{"metric", "value", "unit"}``.

    python -m tests.bench.site [--articles 2000] [--requests 300]
"""

import argparse
import gzip
import http.client
import multiprocessing
import os
import random
import statistics
import threading
import time

from tests.bench.common import (
    BENCH_DIR,
    gunicorn,
    percentile,
    production_environment,
    write_report,
)


def seed(articles: int) -> None:
    """Load the demo, then add articles until there are ``articles``, in every language."""
    import datetime

    import gflanguages
    from django.db import transaction
    from django.utils import translation

    from cms.demo.loader import body_blocks, load_demo, read_json
    from cms.languages import LANGUAGE_CODES
    from cms.models import ArticlePage, TopicIndexPage

    load_demo("127.0.0.1", 80)
    existing = ArticlePage.objects.count()
    if existing >= articles:
        return
    sources = read_json("articles.json")
    samples = gflanguages.LoadLanguages()
    sample_body = {
        code: samples[key].sample_text.specimen_16
        for code, key in {"km": "km_Khmr", "blt": "blt_Tavt", "jra": "jra_Latn"}.items()
    }
    sections = {section.topic: section for section in TopicIndexPage.objects.all()}
    started = time.perf_counter()
    for number in range(existing, articles):
        source = sources[number % len(sources)]
        page = ArticlePage(date=datetime.date(2026, 11, 20) - datetime.timedelta(days=number % 700))
        for code in LANGUAGE_CODES:
            text = source["en" if code == "en" else "vi"]
            if code in sample_body:
                body = [{"type": "paragraph", "value": sample_body[code]}]
                title = sample_body[code][:60]
            else:
                body, title = text["body"], text["title"]
            setattr(page, f"title_{code}", f"{title} ({number})")
            setattr(page, f"slug_{code}", f"{text['slug'][:40]}-{number}-{code}")
            setattr(page, f"summary_{code}", text["summary"])
            setattr(page, f"body_{code}", body_blocks(body))
        with transaction.atomic(), translation.override("vi"):
            sections[source["topic"]].add_child(instance=page)
        if number % 250 == 0:
            print(f"  seeded {number}/{articles} ({time.perf_counter() - started:.0f} s)")


def sample_urls(requests: int) -> dict[str, list[str]]:
    """URLs to time: home, topic indexes and articles, in random languages."""
    from cms.languages import LANGUAGE_CODES
    from cms.models import ArticlePage, TopicIndexPage

    rng = random.Random(42)
    article_ids = list(ArticlePage.objects.values_list("pk", flat=True))
    articles = ArticlePage.objects.in_bulk(rng.sample(article_ids, min(requests, len(article_ids))))
    sections = list(TopicIndexPage.objects.all())
    languages = list(LANGUAGE_CODES)
    return {
        "home": [f"/{rng.choice(languages)}/" for _ in range(requests)],
        "topic": [rng.choice(sections).url_in(rng.choice(languages)) for _ in range(requests)],
        "article": [page.url_in(rng.choice(languages)) for page in articles.values()],
    }


def time_test_client(urls: dict[str, list[str]]) -> dict[str, list[float]]:
    """Milliseconds per request through Django's test client (no network)."""
    from django.test import Client

    client = Client()
    timings: dict[str, list[float]] = {}
    for name, paths in urls.items():
        for path in paths[:20]:
            client.get(path)
        timings[name] = []
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            timings[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return timings


def time_gunicorn(urls: dict[str, list[str]]) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Milliseconds per request over HTTP/1.1 keep-alive against gunicorn, and gzip bytes."""
    with gunicorn() as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept-Encoding": "gzip", "Host": "127.0.0.1"}
        timings: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}
        for name, paths in urls.items():
            for path in paths[:20]:
                connection.request("GET", path, headers=headers)
                connection.getresponse().read()
            timings[name] = []
            for path in paths:
                started = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status == 200, (path, response.status)
            sizes[name] = len(body)
        connection.close()
        return timings, sizes


CONCURRENCY = (1, 4, 16)


def unvisited_articles(count: int, exclude: list[str]) -> list[list[str]]:
    """A list of ``count`` article URLs (random languages) for each level of ``CONCURRENCY``,
    none of them in ``exclude`` nor in another list."""
    from cms.languages import LANGUAGE_CODES
    from cms.models import ArticlePage

    rng = random.Random(43)
    seen = set(exclude)
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    rng.shuffle(ids)
    pages = ArticlePage.objects.in_bulk(ids)
    fresh = [url for pk in ids if (url := pages[pk].url_in(rng.choice(LANGUAGE_CODES))) not in seen]
    return [fresh[level * count : (level + 1) * count] for level in range(len(CONCURRENCY))]


def time_concurrently(port: int, paths: list[str], clients: int) -> tuple[list[float], int]:
    """Milliseconds per request with ``clients`` clients at once, each on its own keep-alive
    connection, every path requested once; and how many answers were not 200."""
    waiting, timings, errors = list(paths), [], [0]
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Accept-Encoding": "gzip", "Host": "127.0.0.1"}
        while True:
            with lock:
                if not waiting:
                    break
                path = waiting.pop()
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                errors[0] += response.status != 200
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors[0]


def concurrency_figures(levels: list[list[str]]) -> list[dict[str, object]]:
    """p50 and p95 of first visits of articles at each level of ``CONCURRENCY``, and errors.

    The clients run in a fresh process: in this one, which seeded the site, a garbage
    collection of its large heap would pause them mid-request and be counted as the server's.
    """
    figures: list[dict[str, object]] = []
    with gunicorn() as port, multiprocessing.get_context("spawn").Pool(1) as clients_process:
        for clients, paths in zip(CONCURRENCY, levels, strict=True):
            timings, errors = clients_process.apply(time_concurrently, (port, paths, clients))
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            figures += [
                {"metric": f"article_c{clients}_p50_ms", "value": round(p50, 1), "unit": "ms"},
                {"metric": f"article_c{clients}_p95_ms", "value": round(p95, 1), "unit": "ms"},
                {"metric": f"article_c{clients}_errors", "value": errors, "unit": "requests"},
            ]
            print(
                f"article, {clients:>2} clients: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"{errors} errors, {len(timings)} requests"
            )
    return figures


def page_bytes(urls: dict[str, list[str]]) -> dict[str, int]:
    """Compressed bytes of each kind of page with its CSS and the fonts its text needs."""
    from django.test import Client

    from tests.page_weight import weigh

    client = Client()
    weights = {}
    for name, paths in urls.items():
        path = next(p for p in paths if p.startswith("/vi/")) if name != "home" else "/vi/"
        compressed = client.get(path, HTTP_ACCEPT_ENCODING="gzip").content
        weights[name] = weigh(gzip.decompress(compressed).decode(), len(compressed)).total
    return weights


def table_row(*cells: str) -> str:
    """One line of the printed table: the page name, then right-aligned figures."""
    return f"{cells[0]:<8}" + "".join(f"{cell:>12}" for cell in cells[1:])


def main() -> None:
    """Seed, measure, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    production_environment(
        BENCH_DIR / "var",
        os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'site.sqlite3'}"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(args.articles)

    from cms.models import ArticlePage

    urls = sample_urls(args.requests)
    client_ms = time_test_client(urls)
    http_ms, http_sizes = time_gunicorn(urls)
    weights = page_bytes(urls)

    results = [{"metric": "articles", "value": ArticlePage.objects.count(), "unit": "pages"}]
    print("\n" + table_row("page", "client p50", "client p95", "http p50", "http p95", "bytes"))
    for name in urls:
        row = {
            f"{name}_p50_ms": statistics.median(client_ms[name]),
            f"{name}_p95_ms": percentile(client_ms[name], 0.95),
            f"{name}_http_p50_ms": statistics.median(http_ms[name]),
            f"{name}_http_p95_ms": percentile(http_ms[name], 0.95),
        }
        results += [{"metric": key, "value": round(v, 2), "unit": "ms"} for key, v in row.items()]
        results.append({"metric": f"{name}_bytes", "value": weights[name], "unit": "bytes"})
        results.append(
            {"metric": f"{name}_html_gzip_bytes", "value": http_sizes[name], "unit": "bytes"}
        )
        print(table_row(name, *(f"{v:.1f} ms" for v in row.values()), str(weights[name])))
    results += concurrency_figures(unvisited_articles(args.requests, urls["article"]))
    output = write_report("site", results)
    print(f"\n{len(urls['article'])} requests per page kind; written to {output}")


if __name__ == "__main__":
    main()
