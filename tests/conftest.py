"""Fixtures shared by every test module."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from wagtail.models import Page

from tests.cms.factories import (
    ArticlePageFactory,
    HomePageFactory,
    TopicIndexPageFactory,
    make_site_root,
)


@pytest.fixture
def home(db):
    """A home page serving as the site root."""
    return make_site_root(HomePageFactory(parent=Page.get_first_root_node()))


@pytest.fixture
def health(home):
    """The health section."""
    return TopicIndexPageFactory(parent=home)


@pytest.fixture
def article(health):
    """A Vietnamese article with an English translation and nothing else."""
    return ArticlePageFactory(
        parent=health,
        title="Phòng chống sốt rét mùa mưa",
        slug="phong-chong-sot-ret-mua-mua",
        title_en="Preventing malaria in the rainy season",
        slug_en="preventing-malaria-in-the-rainy-season",
        summary_en="Sleep under a net every night, even in the field hut.",
        body_en=[
            {"type": "paragraph", "value": "<p>Mosquitoes that carry malaria bite at night.</p>"}
        ],
    )


@pytest.fixture(autouse=True)
def vietnamese_by_default():
    """Start every test in the default language: requests leave theirs active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_caches():
    """Start every test with empty caches: cached rows (renditions, menus) name rows by id, and
    ids repeat from one test's database to the next."""
    for cache in caches.all():
        cache.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run transactional tests (the browser tests) last, after pytest-randomly's shuffle.

    They empty the database when they finish, removing what Wagtail's migrations created (the
    root page, the root collection); Django's own runner orders them last for that reason.
    """

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return "live_server" in getattr(item, "fixturenames", ()) or bool(
            marker and marker.kwargs.get("transaction")
        )

    items.sort(key=transactional)


@pytest.fixture(scope="session", autouse=True)
def application_serves_media():
    """Let ``/media/`` reach our range-capable view, as it does outside tests.

    Django's live test server answers ``MEDIA_URL`` itself, with a plain 200 and no ranges, so
    seeking could not be tested. The live server is shared by the whole session, and the first
    test that starts it may be any test using it, so this applies from the session's start.
    """
    from django.test import testcases

    original = testcases._MediaFilesHandler
    testcases._MediaFilesHandler = lambda application: application
    yield
    testcases._MediaFilesHandler = original


@pytest.fixture
def outbox_channels(settings):
    """Every channel into the outbox (the embedded default, said here so tests do not rely on
    the environment)."""
    outbox = "outreach.channels.outbox.OutboxChannel"
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {name: outbox for name in ("email", "sms", "push", "zalo")},
    }
