"""Fixtures of the search tests: the site, its archive page, and the protocol world."""

import pytest

from search import querylog
from tests.heritage.conftest import world  # noqa: F401 - the permission matrix's people and records
from tests.heritage.factories import HeritageIndexPageFactory


@pytest.fixture(autouse=True)
def no_searches_counted_before():
    """Forget the searches other tests counted in this process's memory (``search.querylog``)."""
    querylog.counter.take()


@pytest.fixture
def archive(home):
    """The heritage archive page, where records are published."""
    return HeritageIndexPageFactory(parent=home)
