"""Fixtures of the search tests: the site, its archive page, and the protocol world."""

import pytest

from tests.heritage.conftest import world  # noqa: F401 - the permission matrix's people and records
from tests.heritage.factories import HeritageIndexPageFactory


@pytest.fixture
def archive(home):
    """The heritage archive page, where records are published."""
    return HeritageIndexPageFactory(parent=home)
