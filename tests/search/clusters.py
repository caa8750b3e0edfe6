"""Running search tests on each backend: the database always, Elasticsearch when
``ELASTICSEARCH_URL`` names a cluster (tests marked ``elasticsearch``)."""

import os
import uuid
from contextlib import contextmanager

import pytest
from django.test import override_settings

from search.elastic import client

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
BACKENDS = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@contextmanager
def searching_on(backend):
    """Searches (and rebuilds) inside the block use ``backend``; a throw-away index on a
    cluster, deleted afterwards."""
    if backend == "database":
        yield
        return
    if not ELASTICSEARCH_URL:
        pytest.skip(
            "ELASTICSEARCH_URL is not set, so there is no cluster to search (README: Search)"
        )
    alias = f"banlang_test_{uuid.uuid4().hex[:8]}"
    options = {"URL": ELASTICSEARCH_URL, "INDEX": alias, "REPLICAS": 0, "TIMEOUT": 10}
    with override_settings(SEARCH_ELASTICSEARCH=options):
        try:
            yield
        finally:
            client.backend().es.indices.delete(index=f"{alias}_*", ignore_unavailable=True)
