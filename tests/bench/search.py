"""Search benchmark: 20,000 heritage records and 10,000 articles, each in 10 languages.

Migrates a fresh database (SQLite in a temporary folder unless ``--database-url`` says
otherwise), writes the records in bulk (every protocol, kinds, ethnic groups, provinces, dates;
Vietnamese, English and Khmer text, the Khmer taken from inside the phrases of the UDHR) and
publishes article pages (Vietnamese, half translated into English, the rest falling back), and
indexes them all with the builders publishing uses. Then it times 1–3 word queries (Vietnamese
folded and exact, Khmer, English) as each of an anonymous reader, a community member, a
cultural officer and a custodian (each sees more of the archive, through a wider protocol
filter): the whole search (hits and facets), the facet counts alone, and autocomplete. The
first search of each term is counted with the rest: nothing is warmed up. Last, with search
pointed at an Elasticsearch that accepts connections and never answers, it times the first
search (the timeout, then the database) and the ones after it; and it rebuilds the whole index
while four processes search and one edits records, and reports the longest any search or edit
waited. Prints a table and writes ``var/bench/search.json`` as ``{"metric", "value", "unit"}``.

    python -m tests.bench.search [--records 20000] [--articles 10000] [--rounds 3]
"""

import argparse
import io
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench.common import FESTIVALS, ROOT, percentile, report

UDHR = ROOT.parent / "shared" / "data" / "udhr"

ARTICLES = [
    ("Phòng chống sốt rét mùa mưa", "Preventing malaria in the rainy season"),
    ("Giá cà phê tăng mạnh ở Tây Nguyên", "Coffee prices rise in the Central Highlands"),
    ("Trồng lúa nương trên đất dốc", "Growing upland rice on steep slopes"),
    ("Tiêm vắc xin đầy đủ cho trẻ em", "Vaccinating children on time"),
    ("Hòa giải ở cơ sở", "Mediation in the village"),
    ("Chính sách hỗ trợ nhà ở cho hộ nghèo", "Housing support for poor households"),
    ("Học sinh bán trú vùng cao", "Boarding pupils in the highlands"),
    ("Phòng chống lừa đảo qua mạng", "Avoiding online scams"),
]
TOPICS = ["policy", "market", "health", "education", "science-technology", "culture"]
KINDS = ["festival", "ritual", "craft", "performing-art", "oral-tradition", "belief", "other"]
PROTOCOLS = ["public"] * 7 + ["community", "restricted", "secret-sacred"]
COMMUNITIES = 20
CUSTODIANS = 5
QUERIES = [
    ("vi", "sốt rét"),
    ("vi", "sot ret"),
    ("vi", "lễ hội"),
    ("vi", "le hoi"),
    ("vi", "cà phê tây nguyên"),
    ("vi", "ca phe"),
    ("vi", "lúa mới"),
    ("vi", "thổ cẩm thái"),
    ("vi", "hat then"),
    ("vi", "gầu tào"),
    ("vi", "hòa giải cơ sở"),
    ("vi", "học sinh"),
    ("en", "malaria"),
    ("en", "coffee prices"),
    ("en", "festival"),
    ("en", "upland rice slopes"),
    ("km", "សេរីភាព"),
    ("km", "មនុស្ស"),
    ("km", "ពិភពលោក"),
    ("km", "សិទ្ធិមនុស្ស"),
    ("km", "lễ hội"),
    ("jra", "le hoi"),
]
PREFIXES = [
    ("vi", "le h"),
    ("vi", "sot"),
    ("vi", "ca ph"),
    ("en", "mal"),
    ("en", "coffee p"),
    ("km", "សេរី"),
]


def configure(database_url: str | None, workdir: Path) -> None:
    """Test settings (tasks run at once) against a throw-away database."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "VAR_DIR": str(workdir / "var"),
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'search.sqlite3'}",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def paragraphs(code: str) -> list[str]:
    """Paragraphs of the UDHR in a language, or two sample phrases when the data is absent."""
    path = UDHR / f"{code}.html"
    if not path.is_file():
        return ["សេរីភាព និងសិទ្ធិមនុស្សក្នុងពិភពលោក", "គ្រួសារមនុស្ស"]
    found = re.findall(r"<p>(.*?)</p>", path.read_text("utf-8"), re.S)
    return [re.sub(r"<[^>]+>", "", text) for text in found if text]


def make_records(count: int, rng: random.Random) -> None:
    """Heritage records in bulk, with ethnic groups and places."""
    from heritage.models import EthnicGroup, HeritageRecord, Place

    khmer = paragraphs("khm")
    records = []
    for number in range(count):
        title_vi, title_en, summary = FESTIVALS[number % len(FESTIVALS)]
        rule = rng.choice(["lunar", "gregorian", "season", ""])
        records.append(
            HeritageRecord(
                kind=rng.choice(KINDS),
                slug=f"ho-so-{number}",
                title_vi=f"{title_vi} {number}",
                title_en=f"{title_en} {number}",
                title_km=f"ពិធីបុណ្យ {number}" if number % 4 == 0 else None,
                summary_vi=summary,
                summary_en="A record from the provincial inventory of intangible heritage.",
                description_vi=f"{summary} Ghi chép số {number} của tỉnh.",
                description_km=rng.choice(khmer) if number % 4 == 0 else "",
                protocol=rng.choice(PROTOCOLS),
                date_rule=rule,
                date_month=rng.randint(1, 12) if rule in ("lunar", "gregorian") else None,
                date_day=rng.randint(1, 28) if rule in ("lunar", "gregorian") else None,
                season_start_month=10 if rule == "season" else None,
                season_end_month=12 if rule == "season" else None,
            )
        )
    HeritageRecord.objects.bulk_create(records, batch_size=1000)
    groups = list(EthnicGroup.objects.values_list("pk", flat=True))
    provinces = list(Place.objects.current().provinces().values_list("pk", flat=True))
    pks = list(HeritageRecord.objects.values_list("pk", flat=True))
    HeritageRecord.ethnic_groups.through.objects.bulk_create(
        [
            HeritageRecord.ethnic_groups.through(heritagerecord_id=pk, ethnicgroup_id=group)
            for pk in pks
            for group in rng.sample(groups, rng.randint(1, 2))
        ],
        batch_size=2000,
    )
    HeritageRecord.places.through.objects.bulk_create(
        [
            HeritageRecord.places.through(heritagerecord_id=pk, place_id=rng.choice(provinces))
            for pk in pks
        ],
        batch_size=2000,
    )
    share(rng)


def share(rng: random.Random) -> None:
    """Community records shared with one of ``COMMUNITIES`` groups, secret ones kept by one of
    ``CUSTODIANS`` people; the readers the searches are timed as (``readers``)."""
    from django.contrib.auth.models import Group, User

    from heritage.models import CommunityGroup, HeritageRecord
    from heritage.signal_handlers import CULTURAL_OFFICERS

    groups = CommunityGroup.objects.bulk_create(
        CommunityGroup(name=f"Cộng đồng {number}") for number in range(COMMUNITIES)
    )
    custodians = User.objects.bulk_create(
        User(username=f"custodian-{number}") for number in range(CUSTODIANS)
    )
    records = list(HeritageRecord.objects.values_list("pk", "protocol"))
    for relation, protocol, holders in (
        ("communities", "community", groups),
        ("custodians", "secret-sacred", custodians),
    ):
        through = getattr(HeritageRecord, relation).through
        record_column, holder_column = (field.attname for field in through._meta.fields[1:])
        through.objects.bulk_create(
            [
                through(**{record_column: pk, holder_column: rng.choice(holders).pk})
                for pk, kept_by in records
                if kept_by == protocol
            ],
            batch_size=2000,
        )
    groups[0].members.add(User.objects.create(username="member"))
    User.objects.create(username="officer").groups.add(Group.objects.get(name=CULTURAL_OFFICERS))


def readers() -> dict[str, object]:
    """The four kinds of reader, by name."""
    from django.contrib.auth.models import AnonymousUser, User

    return {
        "anonymous": AnonymousUser(),
        "member": User.objects.get(username="member"),
        "officer": User.objects.get(username="officer"),
        "custodian": User.objects.get(username="custodian-0"),
    }


def make_articles(count: int, rng: random.Random) -> list[int]:
    """Publish ``count`` article pages under a home page's six sections, as an editor's would be:
    Vietnamese, every other one translated into English, the other languages falling back;
    return their ids."""
    import datetime

    from django.utils import translation
    from wagtail.models import Page, Site

    from cms.models import ArticlePage, HomePage, TopicIndexPage

    home = Page.get_first_root_node().add_child(
        instance=HomePage(title_vi="Bản Làng", slug_vi="trang-chu", title_en="Bản Làng")
    )
    Site.objects.update(root_page=home)
    sections = [
        home.add_child(instance=TopicIndexPage(title_vi=topic, slug_vi=topic, topic=topic))
        for topic in TOPICS
    ]
    texts_vi, texts_en = paragraphs("vie"), paragraphs("eng")
    pks = []
    for number in range(count):
        title_vi, title_en = ARTICLES[number % len(ARTICLES)]
        body_vi = f"{title_vi}. Bài viết số {number}. " + " ".join(rng.sample(texts_vi, 2))
        page = ArticlePage(
            title_vi=f"{title_vi} {number}",
            slug_vi=f"bai-viet-{number}",
            summary_vi=title_vi,
            body_vi=[{"type": "paragraph", "value": f"<p>{body_vi}</p>"}],
            date=datetime.date(2026, 11, 20) - datetime.timedelta(days=number % 700),
        )
        if number % 2 == 0:
            body_en = f"{title_en}. Article number {number}. " + " ".join(rng.sample(texts_en, 2))
            page.title_en = f"{title_en} {number}"
            page.slug_en = f"article-{number}"
            page.summary_en = title_en
            page.body_en = [{"type": "paragraph", "value": f"<p>{body_en}</p>"}]
        with translation.override("vi"):
            pks.append(rng.choice(sections).add_child(instance=page).pk)
    return pks


def build(records: int, articles: int) -> tuple[int, float]:
    """Write and index the corpus; return the documents made and the seconds indexing took.

    On PostgreSQL the database is then vacuumed and analysed, as autovacuum soon would after
    a bulk load, so the planner knows the heritage tables the protocol rule joins.
    """
    from django.db import connection, transaction

    from search.backends import database_index

    rng = random.Random(20251121)
    with transaction.atomic():
        make_records(records, rng)
        pages = make_articles(articles, rng)
    started = time.perf_counter()
    total = index_corpus(pages)
    database_index().optimise()
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return total, seconds


def index_corpus(articles: list[int]) -> int:
    """Index the records in one transaction, then the ``articles`` as publishing does (its
    task's ``index_objects``, a transaction per batch: in one, SQLite's log would hold every
    page the index's merges rewrote, gigabytes of them); return the documents made."""
    from django.db import transaction

    from cms.models import ArticlePage
    from heritage.models import HeritageRecord
    from search import indexing
    from search.documents import record_documents

    total = 0
    pks = list(HeritageRecord.objects.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), 500):
            batch = list(
                HeritageRecord.objects.filter(pk__in=pks[start : start + 500]).prefetch_related(
                    "ethnic_groups", "places", "communities", "custodians"
                )
            )
            documents = record_documents(batch)
            indexing.write(indexing.analysed(documents))
            total += len(documents)
    total += indexing.index_objects(ArticlePage, articles)
    return total


def timings(rounds: int, call: Callable[..., object], *args: object) -> list[float]:
    """Milliseconds of each of ``rounds`` calls, the first (cold) one included."""
    measured = []
    for _ in range(rounds):
        started = time.perf_counter()
        call(*args)
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def measure(rounds: int) -> list[tuple[str, object, str]]:
    """Time searches and facet counts as each kind of reader, and autocomplete."""
    from django.contrib.auth.models import AnonymousUser

    from search import service
    from search.analysis import query_words

    def facets_and_page(language: str, text: str, reader: object) -> object:
        """The database's part of a search: facet counts and a page of ids, one statement."""
        words = query_words(text, service.MAX_TERMS)
        matched = service._matched(language, words, reader, {})
        return service.counted_page(matched, language, words, 0, service.PER_PAGE)

    figures: list[tuple[str, object, str]] = []
    facets: list[float] = []
    for name, reader in readers().items():
        query: list[float] = []
        for language, text in QUERIES:
            query += timings(rounds, service.search, text, language, reader)
            facets += timings(rounds, facets_and_page, language, text, reader)
        figures += [
            (f"query_p50_ms_{name}", round(statistics.median(query), 1), "ms"),
            (f"query_p95_ms_{name}", round(percentile(query, 0.95), 1), "ms"),
        ]
    complete: list[float] = []
    for language, text in PREFIXES:
        complete += timings(rounds, service.autocomplete, text, language, AnonymousUser())
    return [
        *figures,
        ("facets_p95_ms", round(percentile(facets, 0.95), 1), "ms"),
        ("autocomplete_p95_ms", round(percentile(complete, 0.95), 1), "ms"),
    ]


def measure_outage(rounds: int) -> list[tuple[str, object, str]]:
    """Searches while the configured Elasticsearch hangs: the first waits for the timeout."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.test import override_settings

    from search import service
    from tests.search.fake_elasticsearch import SilentListener

    anonymous = AnonymousUser()
    first, after = [], []
    with SilentListener() as hung, override_settings(SEARCH_ELASTICSEARCH={"URL": hung.url}):
        for _ in range(rounds):
            cache.clear()
            started = time.perf_counter()
            answered = service.search("lễ hội", "vi", anonymous)
            first.append((time.perf_counter() - started) * 1000)
            assert answered.notice and answered.total, "the database did not answer"
            after += timings(rounds, service.search, "le hoi", "vi", anonymous)
    return [
        ("hung_first_p50_ms", round(statistics.median(first), 1), "ms"),
        ("hung_after_p50_ms", round(statistics.median(after), 1), "ms"),
    ]


BASELINE_SECONDS = 30
"""How long the searching and editing processes run without a rebuild, for comparison."""


def measure_rebuild() -> list[tuple[str, object, str]]:
    """Four processes search and one edits records (each edit saved and re-indexed, as
    publishing does), first for ``BASELINE_SECONDS`` alone, then while the index is rebuilt;
    how long they took each time, the longest of them, and when it began.

    On two cores, six busy processes slow each other down whatever the locks do: the figures
    without the rebuild say how much of the waits is the rebuild's.
    """
    from search import indexing

    _, alone = meanwhile(lambda: time.sleep(BASELINE_SECONDS))
    phases: list[tuple[float, str]] = []
    seconds, found = meanwhile(
        lambda: indexing.rebuild(progress=lambda message: phases.append((time.time(), message)))
    )
    when, longest = max(found["search"] + found["edit"], key=lambda wait: wait[1])
    during = next((message for at, message in phases if at >= when), "the final merge and ANALYZE")
    print(f"The longest wait, {longest:.0f} ms, began during: {during}")
    figures: list[tuple[str, object, str]] = [
        ("rebuild_seconds", round(seconds, 1), "s"),
        ("rebuild_max_wait_ms", round(longest, 1), "ms"),
    ]
    for label, measured, duration in (
        ("rebuild", found, seconds),
        ("no_rebuild", alone, BASELINE_SECONDS),
    ):
        searches = [waited for _, waited in measured["search"]]
        edits = [waited for _, waited in measured["edit"]]
        figures += [
            (f"{label}_search_p95_ms", round(percentile(searches, 0.95), 1), "ms"),
            (f"{label}_search_max_ms", round(max(searches), 1), "ms"),
            (f"{label}_edit_p95_ms", round(percentile(edits, 0.95), 1), "ms"),
            (f"{label}_edit_max_ms", round(max(edits), 1), "ms"),
            (f"{label}_searches_per_second", round(len(searches) / duration, 1), "searches/s"),
            (f"{label}_edits_per_second", round(len(edits) / duration, 2), "edits/s"),
        ]
    return figures


def meanwhile(action: Callable[[], object]) -> tuple[float, dict[str, list[tuple[float, float]]]]:
    """Seconds ``action`` took while four processes searched and one edited, and when each of
    their searches and edits began and how many milliseconds it took."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    stop, waits = context.Event(), context.Queue()
    others = [context.Process(target=search_meanwhile, args=(stop, waits, n)) for n in range(4)]
    others.append(context.Process(target=edit_meanwhile, args=(stop, waits)))
    for process in others:
        process.start()
    time.sleep(1)
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    stop.set()
    found: dict[str, list[tuple[float, float]]] = {"search": [], "edit": []}
    for _ in others:
        kind, measured = waits.get()
        found[kind] += measured
    for process in others:
        process.join()
    return seconds, found


def search_meanwhile(stop: Any, waits: Any, number: int) -> None:
    """Search as an anonymous reader until ``stop`` is set; put when each began (wall clock,
    shared by the processes) and its milliseconds."""
    from django.contrib.auth.models import AnonymousUser

    from search import service

    measured: list[tuple[float, float]] = []
    queries = QUERIES[number::4]
    while not stop.is_set():
        language, text = queries[len(measured) % len(queries)]
        began, started = time.time(), time.perf_counter()
        service.search(text, language, AnonymousUser())
        measured.append((began, (time.perf_counter() - started) * 1000))
    waits.put(("search", measured))


def edit_meanwhile(stop: Any, waits: Any) -> None:
    """Change a record's summary and save it (indexing it at once, as tasks run in this
    benchmark) every 50 ms until ``stop`` is set; put when each began and its milliseconds."""
    from heritage.models import HeritageRecord

    rng = random.Random(7)
    pks = list(HeritageRecord.objects.values_list("pk", flat=True)[:2000])
    measured: list[tuple[float, float]] = []
    while not stop.is_set():
        record = HeritageRecord.objects.get(pk=rng.choice(pks))
        record.summary_vi = f"{record.summary_vi.split(' (')[0]} ({len(measured)})"
        began, started = time.time(), time.perf_counter()
        record.save()
        measured.append((began, (time.perf_counter() - started) * 1000))
        time.sleep(0.05)
    waits.put(("edit", measured))


def main() -> None:
    """Build, index, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, help="build the SQLite database in this folder")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        folder = options.keep or Path(workdir)
        folder.mkdir(parents=True, exist_ok=True)
        configure(options.database_url, folder)
        from django.db import connection

        documents, seconds = build(options.records, options.articles)
        figures = [
            *measure(options.rounds),
            *measure_outage(options.rounds),
            *measure_rebuild(),
            ("documents", documents, "documents"),
            ("index_seconds", round(seconds, 1), "s"),
            ("database", connection.vendor, "vendor"),
        ]
    report("search", figures)


if __name__ == "__main__":
    main()
