"""Fixtures of the cms tests: the heritage archive and its records, which the fuzz test's site
holds too."""

from tests.heritage.conftest import archive, world  # noqa: F401 - fixtures, used by name
