"""Heritage benchmark: importing 10,000 records from CSV, and importing the same file again.

Migrates a fresh SQLite database in a temporary folder under the production settings, writes a
realistic CSV (Vietnamese and English titles and summaries, ethnic groups, current and former
places, lunar, Gregorian and seasonal dates, practitioners, labels, sources, every protocol),
then times ``import_records`` on it, the background tasks it queues (publishing the records
through Wagtail, and the search and reference indexing publishing queues), and a re-import of
the same file (which must change nothing). Each step runs on
its own fresh copy of the database, ``--repeat`` times, and the median is kept. Then as many
records again are imported and the archive's browse page is timed with twice the records
(20,000 by default), for anonymous readers and for a signed-in officer. Prints tables and
writes ``var/bench/heritage.json``.

    python -m tests.bench.heritage [--records 10000] [--repeat 3] [--requests 300]
"""

import argparse
import csv
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.common import FESTIVALS, percentile, report, throwaway_site

IMPORT_LIMIT_SECONDS = 60.0
UNITS = {
    "records": "records",
    "import_10k_seconds": "s",
    "reimport_10k_seconds": "s",
    "index_10k_seconds": "s",
    "created": "records",
    "reimport_changed": "records",
    "indexed": "records",
    "live_revisions": "revisions",
    "browse_records": "records",
    "browse_requests": "requests",
}
"""Units of the figures not in milliseconds."""

KINDS = ["festival", "ritual", "craft", "performing-art", "oral-tradition", "belief", "other"]
PROTOCOLS = ["public"] * 7 + ["community", "restricted", "secret-sacred"]
LABELS = ["tk-attribution", "tk-seasonal", "tk-community-voice", "bc-provenance", "tk-verified"]
PRACTITIONERS = ["Ông Lò Văn Pọm", "Bà Hoàng Thị Then", "Thầy mo Đinh Văn Hiền", "Nghệ nhân Y Kông"]


def write_csv(path: Path, records: int, first: int = 0) -> None:
    """A realistic import file of ``records`` rows numbered from ``first``, in the export's
    column layout."""
    from heritage.importing import COLUMNS
    from heritage.models import CommunityGroup, EthnicGroup, Place

    rng = random.Random(20250701)
    groups = list(EthnicGroup.objects.values_list("code", flat=True))
    provinces = list(Place.objects.current().provinces().values_list("name", flat=True))
    former = [
        f"{name}@{until.isoformat()}"
        for name, until in Place.objects.filter(valid_until__isnull=False).values_list(
            "name", "valid_until"
        )
    ]
    communities = list(CommunityGroup.objects.values_list("name", flat=True))
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        for number in range(first, first + records):
            title_vi, title_en, summary = FESTIVALS[number % len(FESTIVALS)]
            rule = rng.choice(["lunar", "gregorian", "season", ""])
            protocol = rng.choice(PROTOCOLS)
            row = {
                "external_id": f"BL-{number:06d}",
                "kind": rng.choice(KINDS),
                "slug": f"ho-so-{number}",
                "title_vi": f"{title_vi} ({number})",
                "title_en": f"{title_en} ({number})",
                "summary_vi": summary,
                "summary_en": "A record from the provincial inventory of intangible heritage.",
                "description_vi": f'{summary} Ghi chép số {number}, có dấu phẩy, "ngoặc".',
                "ethnic_groups": "; ".join(rng.sample(groups, rng.randint(1, 3))),
                "places": "; ".join(
                    [rng.choice(provinces)] + ([rng.choice(former)] if number % 3 == 0 else [])
                ),
                "practitioners": " | ".join(rng.sample(PRACTITIONERS, rng.randint(0, 2))),
                "date_rule": rule,
                "date_month": rng.randint(1, 12) if rule in ("lunar", "gregorian") else "",
                "date_day": rng.randint(1, 28) if rule in ("lunar", "gregorian") else "",
                "duration_days": rng.randint(1, 5),
                "season_vi": "Sau mùa gặt lúa" if rule == "season" else "",
                "season_start_month": 10 if rule == "season" else "",
                "season_end_month": 12 if rule == "season" else "",
                "recorded_by": "Sở Văn hóa, Thể thao và Du lịch",
                "recorded_on": f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "consent_obtained": "yes",
                "rights_statement": "http://rightsstatements.org/vocab/InC-EDU/1.0/",
                "protocol": protocol,
                "communities": rng.choice(communities) if protocol == "community" else "",
                "labels": "; ".join(rng.sample(LABELS, rng.randint(0, 2))),
                "sources": f"Kiểm kê di sản tỉnh, phiếu số {number} || Phỏng vấn thực địa",
            }
            writer.writerow(row)


def timed(step: Callable[[], object]) -> tuple[float, object]:
    """Seconds a call takes, and what it returned."""
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def run_import(path: Path) -> object:
    """Import the file as the operator's command does; stop the benchmark on any row error."""
    from heritage.importing import import_records

    outcome = import_records(path, path.name)
    if outcome.errors:
        raise SystemExit("\n".join(str(error) for error in outcome.errors[:20]))
    return outcome


def run_queued() -> int:
    """Run every task the import queued (publishing its records through Wagtail, and the
    indexing that publishing queues) through the database task worker, as ``make run``'s
    worker would; return the records indexed for search."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from search.models import SearchDocument

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    if failed.exists():
        raise SystemExit(f"{failed.count()} queued tasks did not succeed.")
    return SearchDocument.objects.filter(doc_type="record").values("record").distinct().count()


def copy_database(source: Path, target: Path) -> None:
    """Replace the benchmark database by a copy of ``source``, closing connections first."""
    from django.db import connections

    connections.close_all()
    shutil.copyfile(source, target)


def browse_urls(base: str) -> list[str]:
    """The archive page as readers use it: unfiltered, filtered one way or two, paged."""
    from heritage.models import EthnicGroup, Place

    groups = list(EthnicGroup.objects.values_list("code", flat=True)[:8])
    provinces = list(Place.objects.current().provinces().values_list("pk", flat=True)[:8])
    urls = [base, *(f"{base}?page={page}" for page in range(2, 6))]
    urls += [f"{base}?kind={kind}" for kind in KINDS]
    urls += [f"{base}?month={month}" for month in range(1, 13)]
    urls += [f"{base}?ethnic_group={code}" for code in groups]
    urls += [f"{base}?province={pk}" for pk in provinces]
    urls += [f"{base}?kind=festival&month={month}" for month in (1, 4, 8)]
    return urls


def time_pages(client: object, urls: list[str], requests: int) -> list[float]:
    """Milliseconds per request, cycling through ``urls``."""
    timings = []
    for number in range(requests):
        url = urls[number % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return timings


def browse_timings(more: Path, requests: int) -> dict[str, float]:
    """The archive page with twice the import's records, for anonymous readers and an officer.

    ``more`` holds as many records again as the first import, with other external ids. Every
    URL is visited once first (each filter's first visit computes and caches its counts for
    anonymous readers, and is reported apart); then ``requests`` visits cycle through them. An
    officer's counts are cached under a key of their own rights, and timed the same way.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from cms.demo.loader import ensure_home, ensure_section
    from heritage.demo.loader import HERITAGE_PAGE
    from heritage.models import HeritageIndexPage, HeritageRecord
    from heritage.signal_handlers import CULTURAL_OFFICERS

    run_import(more)
    run_queued()
    home = ensure_home("testserver", 80)
    texts = {code: {"title": t, "slug": s, "intro": i} for code, (t, s, i) in HERITAGE_PAGE.items()}
    archive = ensure_section(home, HeritageIndexPage, {}, texts)
    urls = browse_urls(archive.url)
    reader = Client()
    first_visits = time_pages(reader, urls, len(urls))
    anonymous = time_pages(reader, urls, requests)
    officer = get_user_model().objects.create_user("bench-officer")
    officer.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    signed_in = Client()
    signed_in.force_login(officer)
    officer_first_visits = time_pages(signed_in, urls, len(urls))
    officer_ms = time_pages(signed_in, urls, requests)
    return {
        "browse_records": HeritageRecord.objects.count(),
        "browse_requests": requests,
        "browse_p50_ms": round(percentile(anonymous, 0.5), 1),
        "browse_p95_ms": round(percentile(anonymous, 0.95), 1),
        "browse_first_visit_p50_ms": round(percentile(first_visits, 0.5), 1),
        "browse_first_visit_p95_ms": round(percentile(first_visits, 0.95), 1),
        "browse_officer_first_visit_p95_ms": round(percentile(officer_first_visits, 0.95), 1),
        "browse_officer_p50_ms": round(percentile(officer_ms, 0.5), 1),
        "browse_officer_p95_ms": round(percentile(officer_ms, 0.95), 1),
    }


def main() -> None:
    """Generate, import, re-import, index, browse; print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    with throwaway_site("heritage", server=False) as workdir:
        from heritage.models import CommunityGroup, HeritageRecord

        for name in ("Bản Nà Hẩu", "Buôn Ako Dhong", "Plei Ốp", "Phum Sóc Trà Cú"):
            CommunityGroup.objects.get_or_create(name=name)
        database = workdir / "heritage.sqlite3"
        empty, imported = workdir / "empty.sqlite3", workdir / "imported.sqlite3"
        copy_database(database, empty)
        table, more = workdir / "records.csv", workdir / "more.csv"
        write_csv(table, args.records)
        write_csv(more, args.records, first=args.records)

        import_runs, reimport_runs, index_runs = [], [], []
        for _run in range(args.repeat):
            copy_database(empty, database)
            seconds, outcome = timed(lambda: run_import(table))
            import_runs.append(seconds)
            created = outcome.created
            seconds, indexed = timed(run_queued)
            index_runs.append(seconds)
            copy_database(database, imported)
            seconds, again = timed(lambda: run_import(table))
            reimport_runs.append(seconds)
            changed = again.created + again.updated
            updated_at = list(HeritageRecord.objects.order_by("pk").values_list("updated_at"))
            copy_database(imported, database)
            if updated_at != list(HeritageRecord.objects.order_by("pk").values_list("updated_at")):
                raise SystemExit("The re-import changed updated_at.")
        revisions = HeritageRecord.objects.exclude(live_revision=None).count()
        browse = browse_timings(more, args.requests)

    results = {
        "records": args.records,
        "import_10k_seconds": round(statistics.median(import_runs), 2),
        "reimport_10k_seconds": round(statistics.median(reimport_runs), 2),
        "index_10k_seconds": round(statistics.median(index_runs), 2),
        "created": created,
        "reimport_changed": changed,
        "indexed": indexed,
        "live_revisions": revisions,
        **browse,
    }
    print(f"\n{'step':<28}{'median':>10}{'runs':>30}")
    for name, runs in (
        ("import", import_runs),
        ("re-import (no change)", reimport_runs),
        ("publishing and indexing (tasks)", index_runs),
    ):
        spread = ", ".join(f"{seconds:.1f}" for seconds in runs)
        print(f"{name:<28}{statistics.median(runs):>9.1f}s{spread:>30}")
    print(f"\ncreated {created}, re-import changed {changed}, indexed {indexed}")
    print(f"\nbrowse page, {browse['browse_records']} records, {args.requests} requests")
    print(f"{'reader':<28}{'p50':>10}{'p95':>10}")
    print(f"{'anonymous':<28}{browse['browse_p50_ms']:>8.1f}ms{browse['browse_p95_ms']:>8.1f}ms")
    print(
        f"{'anonymous, first visit':<28}{browse['browse_first_visit_p50_ms']:>8.1f}ms"
        f"{browse['browse_first_visit_p95_ms']:>8.1f}ms"
    )
    print(
        f"{'officer (signed in)':<28}{browse['browse_officer_p50_ms']:>8.1f}ms"
        f"{browse['browse_officer_p95_ms']:>8.1f}ms"
    )
    report("heritage", [(name, value, UNITS.get(name, "ms")) for name, value in results.items()])
    if statistics.median(import_runs) > IMPORT_LIMIT_SECONDS:
        raise SystemExit(f"Importing took more than {IMPORT_LIMIT_SECONDS:.0f} s.")


if __name__ == "__main__":
    main()
