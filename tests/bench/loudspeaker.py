"""``make bench-loudspeaker``: rendering a loudspeaker programme, and counting page views.

1. **Rendering.** Twenty speech-like clips of 90 s (30 minutes in all), made with ffmpeg in five
   formats and at levels 20 dB apart, are stored as recordings on a throw-away site under
   production settings; a programme of them with an intro, an outro and 2 s gaps is rendered
   through ``outreach.loudspeakers.render`` as the task does: inspected, limited, normalised in
   two passes, encoded and measured. The figures: seconds (the median of ``--renders`` runs,
   each from scratch), the loudness error against the target and the true peak of the file;
   beside them, the seconds to find an unchanged programme needs no new rendering.
2. **Page views.** gunicorn (two workers) serves ``--articles`` articles in ten languages; a
   load generator on loopback asks for them in random order at ``--rate`` requests a second
   (as far as two cores keep up) for ``--seconds``, first as a crawler (not counted: the same
   hook and middleware, which stop at the browser's name), then as a phone's browser (counted).
   The overhead per request is the difference of the median times of 2,000 views each way in
   one process, alternating (beside it, the same under load); the database writes
   per minute are the hand-overs the counting queued (a task row each) and the statements
   their tasks will run (one per 500 counts).

Figures are printed and written to ``var/bench/loudspeaker.json``.
"""

import argparse
import http.client
import itertools
import random
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.common import gunicorn, percentile, report, throwaway_site

CLIPS = 20
CLIP_SECONDS = 90
FORMATS = ("m4a", "mp3", "ogg", "wav", "flac")
SPEECH = (
    "anoisesrc=c=pink:r=44100:a=0.5:seed={seed},bandpass=f=1000:width_type=h:w=2500,"
    "tremolo=f=4:d=0.9"
)


def make_clip(folder: Path, number: int) -> Path:
    """Clip ``number``: speech-like, in one of ``FORMATS``, between 10 dB quieter and 10 dB
    louder than the others."""
    path = folder / f"clip-{number:02d}.{FORMATS[number % len(FORMATS)]}"
    gain = -10 + (number * 7) % 21
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", SPEECH.format(seed=number + 1),
         "-t", str(CLIP_SECONDS), "-af", f"volume={gain}dB", str(path)],
        check=True, timeout=300,
    )  # fmt: skip
    return path


def stored(path: Path, title: str) -> object:
    """``path`` as a processed recording."""
    import hashlib

    from django.core.files import File

    from media.models import MediaAsset, ProcessingStatus

    asset = MediaAsset(title=title, type="audio", status=ProcessingStatus.READY)
    with path.open("rb") as stream:
        asset.file.save(path.name, File(stream), save=False)
    asset.source_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    asset.save()
    return asset


def programme_of(folder: Path) -> object:
    """A 30-minute programme of ``CLIPS`` clips between an intro and an outro."""
    from outreach.models import Programme, ProgrammeItem

    jingle = stored(make_clip(folder, 99), "Nhạc hiệu")
    programme = Programme.objects.create(
        title="Chương trình 30 phút", intro=jingle, outro=jingle, gap_seconds=2
    )
    for number in range(CLIPS):
        recording = stored(make_clip(folder, number), f"Mục {number + 1}")
        ProgrammeItem.objects.create(programme=programme, recording=recording, sort_order=number)
    return programme


def time_rendering(programme: object, renders: int) -> tuple[list[float], float, object]:
    """Seconds of each of ``renders`` renderings from scratch, seconds to find it unchanged,
    and the programme as last rendered."""
    from outreach import loudspeakers
    from outreach.models import Programme

    seconds = []
    for _ in range(renders):
        Programme.objects.filter(pk=programme.pk).update(input_key="")
        fresh = Programme.objects.get(pk=programme.pk)
        started = time.perf_counter()
        outcome = loudspeakers.render(fresh)
        seconds.append(time.perf_counter() - started)
        if outcome != "ready":
            raise SystemExit(f"rendering failed: {fresh.problems}")
    fresh = Programme.objects.get(pk=programme.pk)
    started = time.perf_counter()
    if loudspeakers.render(fresh) != "unchanged":
        raise SystemExit("the same programme was rendered again")
    return seconds, time.perf_counter() - started, Programme.objects.get(pk=programme.pk)


PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
"""A reader's browser: its views are counted."""
CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
"""A crawler: the same pages, the same hook and middleware, nothing counted."""


def article_urls(articles: int) -> list[str]:
    """``articles`` articles (``tests.bench.translation``'s) and their addresses in every
    language, which readers of a national site spread over."""
    from cms.languages import LANGUAGE_CODES
    from cms.models import ArticlePage
    from tests.bench.translation import seed

    seed(articles)
    pages = ArticlePage.objects.live()
    return [page.url_in(code) for page in pages for code in LANGUAGE_CODES]


def load(
    port: int, urls: list[str], agent: str, rate: float, seconds: float
) -> tuple[list[float], float]:
    """Ask for ``urls`` in random order at ``rate`` requests a second for ``seconds`` over
    keep-alive connections (32 threads, each waiting for its answer; when the server cannot
    keep up, as fast as it answers); the milliseconds of each answer and the requests a second
    achieved."""
    latencies: list[float] = []
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    ticket = itertools.count()
    chooser = random.Random(16)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                number = next(ticket)
                url = chooser.choice(urls)
            due = started + number / rate
            if due >= deadline:
                break
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            sent = time.perf_counter()
            if sent >= deadline:
                break
            connection.request("GET", url, headers={"User-Agent": agent})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url} answered {response.status}")
            with lock:
                latencies.append((time.perf_counter() - sent) * 1000)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies) / (time.perf_counter() - started)


def difference(counted: list[float], not_counted: list[float], digits: int) -> float:
    """How much longer the median counted view took."""
    return round(statistics.median(counted) - statistics.median(not_counted), digits)


def in_process(urls: list[str], requests: int) -> tuple[list[float], list[float]]:
    """Milliseconds of ``requests`` views as a crawler and as a phone, alternating, through
    Django's test client in this process: no queue in front, so the difference is counting's."""
    from django.test import Client

    client = Client()
    chooser = random.Random(17)
    timed: dict[str, list[float]] = {CRAWLER: [], PHONE: []}
    for number in range(2 * requests):
        agent = CRAWLER if number % 2 else PHONE
        url = chooser.choice(urls)
        started = time.perf_counter()
        if client.get(url, HTTP_USER_AGENT=agent).status_code != 200:
            raise SystemExit(f"{url} did not answer 200")
        timed[agent].append((time.perf_counter() - started) * 1000)
    return timed[CRAWLER], timed[PHONE]


def count_views(articles: int, rate: float, seconds: float) -> list[tuple[str, object, str]]:
    """Page views counted under load against gunicorn: the latency with and without counting,
    and the database writes the counting made."""
    import math

    from django_tasks_db.models import DBTaskResult

    urls = article_urls(articles)
    not_counted, counted_here = in_process(urls, 2000)
    writes_before = DBTaskResult.objects.filter(task_path__endswith="write_page_views").count()
    with gunicorn(workers=2) as port:
        load(port, urls[:200], CRAWLER, rate, 2)  # warm the workers, counting nothing
        crawler, crawler_rate = load(port, urls, CRAWLER, rate, seconds)
        counted, counted_rate = load(port, urls, PHONE, rate, seconds)
    tasks = DBTaskResult.objects.filter(task_path__endswith="write_page_views").order_by(
        "enqueued_at"
    )[writes_before:]
    batches = [task.args_kwargs["args"][0] for task in tasks]
    # Each hand-over is a task row written, and its task one statement per 500 counts.
    writes = sum(1 + math.ceil(len(batch) / 500) for batch in batches)
    views = sum(row[3] for batch in batches for row in batch)
    return [
        ("pageview_offered_rate", rate, "req/s"),
        ("pageview_achieved_rate_counted", round(counted_rate), "req/s"),
        ("pageview_achieved_rate_not_counted", round(crawler_rate), "req/s"),
        ("pageview_p50_ms_counted", round(statistics.median(counted), 2), "ms"),
        ("pageview_p50_ms_not_counted", round(statistics.median(crawler), 2), "ms"),
        ("pageview_p95_ms_counted", round(percentile(counted, 0.95), 2), "ms"),
        ("pageview_overhead_ms", difference(counted_here, not_counted, 3), "ms"),
        ("pageview_p50_ms_in_process_counted", round(statistics.median(counted_here), 2), "ms"),
        ("pageview_p50_ms_in_process_not", round(statistics.median(not_counted), 2), "ms"),
        ("pageview_overhead_loaded_ms", difference(counted, crawler, 2), "ms"),
        ("pageview_db_writes_per_minute", round(writes / (seconds / 60), 1), "writes/min"),
        ("pageview_views_handed_over", views, "views"),
        ("pageview_requests_counted", len(counted), "requests"),
    ]


def rendering_figures(renders: int, clips: Path) -> list[tuple[str, object, str]]:
    """Render the 30-minute programme ``renders`` times; its figures."""
    from django.conf import settings

    seconds, unchanged, rendered = time_rendering(programme_of(clips), renders)
    target = settings.BANLANG_LOUDSPEAKER["LOUDNESS_LUFS"]
    return [
        ("programme_minutes", round(rendered.duration / 60, 1), "min"),
        ("render_30min_seconds", round(statistics.median(seconds), 1), "s"),
        ("render_30min_first_seconds", round(seconds[0], 1), "s"),
        ("render_unchanged_seconds", round(unchanged, 2), "s"),
        ("loudness_lufs", rendered.loudness, "LUFS"),
        ("loudness_error_lu", round(abs(rendered.loudness - target), 1), "LU"),
        ("true_peak_dbtp", rendered.true_peak, "dBTP"),
        ("audio_bytes", rendered.size, "bytes"),
    ]


def main() -> None:
    """Render, count, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--no-render", action="store_true", help="only count page views")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    with throwaway_site("loudspeaker", server=False), tempfile.TemporaryDirectory() as clips:
        figures = [] if options.no_render else rendering_figures(options.renders, Path(clips))
        figures += count_views(options.articles, options.rate, options.seconds)
    report("loudspeaker", figures)


if __name__ == "__main__":
    main()
