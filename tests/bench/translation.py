"""``make bench-translation``: the translation coverage dashboard at 20,000 pages in 10 languages.

On a throw-away SQLite database under production settings (PostgreSQL when ``DATABASE_URL``
names a server) it makes the seven topic sections and ``--pages`` articles spread over them,
each in Vietnamese with a title, summary, source and three blocks, and translated into a share
of the other languages (English most, the minority languages less); a tenth of the translations
are then outdated by a changed Vietnamese summary. Each article's state is recorded as it is
saved (``cms.translation_state``), as for an import.

Then, in one process through Django's test client, an editor visits the dashboard
(``/admin/translations/``) cycling through languages, topics, kinds, states and pages: the
first visit of each address apart (cold), then p50 and p95 of ``--requests`` more. The table is
printed and written to ``var/bench/translation.json``.
"""

import argparse
import random
import time
from statistics import median

from tests.bench.common import percentile, report, throwaway_site, time_admin_pages

SHARE = {"en": 0.6, "km": 0.25, "hmn": 0.2, "jra": 0.15, "rad": 0.15, "blt": 0.1, "cjm": 0.1}
"""The share of articles translated into each language (the others: 5 %)."""
OUTDATED = 0.1


def seed(count: int) -> dict:
    """The sections and ``count`` articles with their translations and recorded states."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from wagtail.models import Page, Site
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
    from cms.models import ArticlePage, HomePage, TopicIndexPage
    from cms.topics import Topic

    chooser = random.Random(15)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bản Làng", slug="trang-chu"))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home})
    sections = [
        home.add_child(instance=TopicIndexPage(title=label, slug=value, topic=value))
        for value, label in Topic.choices
    ]
    translated = [code for code in LANGUAGE_CODES if code != DEFAULT_LANGUAGE]
    for start in range(0, count, 500):
        # Wagtail's reference index is not what is measured: it would triple the seeding time.
        with transaction.atomic(), disable_reference_index_auto_update():
            for number in range(start, min(start + 500, count)):
                add_article(number, sections[number % len(sections)], translated, chooser)
            ArticlePage.objects.filter(live=False).update(live=True)
    editor = get_user_model().objects.create_superuser("bench-editor", None, None)
    return {"editor": editor, "pages": ArticlePage.objects.count()}


def add_article(
    number: int, section: object, translated: list[str], chooser: random.Random
) -> None:
    """Article ``number`` under ``section``, translated into a share of ``translated``."""
    import datetime

    from cms.models import ArticlePage

    # Saved as a draft, then published with its batch: a live page's full validation reads
    # every sibling's slug in every language (wagtail-modeltranslation), which would make the
    # seeding quadratic; the slugs here are unique by construction.
    page = ArticlePage(
        live=False,
        title=f"Bài số {number}: phòng chống sốt rét mùa mưa",
        slug=f"bai-{number}",
        summary="Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương.",
        source="Trạm Y tế xã",
        date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 330),
        body=[
            {"type": "heading", "value": "Vì sao phải ngủ màn"},
            {"type": "paragraph", "value": "<p>Muỗi truyền bệnh sốt rét đốt vào ban đêm.</p>"},
            {"type": "paragraph", "value": "<p>Phát quang bụi rậm quanh nhà.</p>"},
        ],
    )
    for code in translated:
        if chooser.random() < SHARE.get(code, 0.05):
            # Placeholder text stands for a translator's: the dashboard never reads it.
            setattr(page, f"title_{code}", f"[{code}] {number}")
            setattr(page, f"summary_{code}", f"[{code}] summary {number}")
            setattr(page, f"source_{code}", f"[{code}] source")
            setattr(page, f"body_{code}", [{"type": "paragraph", "value": f"<p>[{code}]</p>"}])
    section.add_child(instance=page)  # type: ignore[attr-defined]  # recorded as it is saved
    if chooser.random() < OUTDATED:
        page.summary = "Ngủ màn mỗi đêm."
        page.save()


def dashboard_urls() -> list[str]:
    """The dashboard and its choices."""
    from django.contrib.contenttypes.models import ContentType

    from cms.models import ArticlePage

    kind = ContentType.objects.get_for_model(ArticlePage).pk
    base = "/admin/translations/"
    return [
        base,
        f"{base}?language=jra",
        f"{base}?language=km&topic=health",
        f"{base}?language=en&kind={kind}",
        f"{base}?language=rad&state=outdated",
        f"{base}?language=hmn&state=up_to_date",
        f"{base}?language=cmo&page=40",
    ]


def main() -> None:
    """Seed, time, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    with throwaway_site("translation"):
        from django.db import connection

        from cms.models import TranslationStatus

        started = time.monotonic()
        seeded = seed(options.pages)
        seed_seconds = time.monotonic() - started
        statuses = TranslationStatus.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        first, warm = time_admin_pages(seeded["editor"], dashboard_urls(), options.requests)

    figures = [
        ("pages", seeded["pages"], "pages"),
        ("statuses", statuses, "rows"),
        ("seed_seconds", round(seed_seconds, 1), "s"),
        ("dashboard_first_visit_p95_ms", round(percentile(first, 0.95), 1), "ms"),
        ("dashboard_p50_ms", round(median(warm), 1), "ms"),
        ("dashboard_p95_ms", round(percentile(warm, 0.95), 1), "ms"),
    ]
    report("translation", figures)


if __name__ == "__main__":
    main()
