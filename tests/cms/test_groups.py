"""The groups the apps keep after each migration are made once per migration, not once per app:
Django sends ``post_migrate`` for each of some thirty apps, and for each test's flush."""

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import CaptureQueriesContext

from cms.translators import TRANSLATOR_GROUPS, TRANSLATOR_PERMISSIONS
from heritage.signal_handlers import CULTURAL_OFFICERS
from heritage.signal_handlers import OFFICER_PERMISSIONS as CULTURAL_OFFICER_PERMISSIONS
from heritage.signal_handlers import TRANSLATOR_PERMISSIONS as RECORD_TRANSLATOR_PERMISSIONS
from outreach.signal_handlers import OFFICER_PERMISSIONS as OUTREACH_OFFICER_PERMISSIONS
from outreach.signal_handlers import OUTREACH_OFFICERS

pytestmark = pytest.mark.django_db

GROUP_LOOKUP = 'FROM "auth_group" WHERE "auth_group"."name" = '


def lookups_by_name(queries: list[dict[str, str]]) -> dict[str, int]:
    """How many times each group was looked up by its name."""
    counts: dict[str, int] = {}
    for query in queries:
        sql = query["sql"]
        if GROUP_LOOKUP in sql:
            name = sql.split(GROUP_LOOKUP, 1)[1].split("'")[1]
            counts[name] = counts.get(name, 0) + 1
    return counts


def held(name: str) -> set[tuple[str, str]]:
    """The ``(app_label, codename)`` of each permission group ``name`` holds."""
    permissions = Group.objects.get(name=name).permissions
    return set(permissions.values_list("content_type__app_label", "codename"))


def test_a_migration_makes_each_group_with_its_permissions_once():
    Group.objects.all().delete()

    with CaptureQueriesContext(connection) as migrated:
        emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS)

    assert held(CULTURAL_OFFICERS) == set(CULTURAL_OFFICER_PERMISSIONS)
    assert held(OUTREACH_OFFICERS) == set(OUTREACH_OFFICER_PERMISSIONS)
    assert held(TRANSLATOR_GROUPS["km"]) == {
        *TRANSLATOR_PERMISSIONS,
        *RECORD_TRANSLATOR_PERMISSIONS,
    }
    lookups = lookups_by_name(migrated.captured_queries)
    # cms makes each translator group, and heritage gives it the records' rights.
    assert {lookups[name] for name in TRANSLATOR_GROUPS.values()} == {2}
    assert lookups[OUTREACH_OFFICERS] == 1
