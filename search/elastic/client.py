"""The connection to Elasticsearch, and whether searches may use it right now.

The client is built by Wagtail's Elasticsearch 8 backend from ``SEARCH_ELASTICSEARCH``. Requests
time out after ``TIMEOUT`` seconds (2 by default) and are not retried: a search that cannot be
answered in time is answered by the database instead. A cluster that failed once is left alone
for ``RETRY_AFTER`` seconds, so readers do not each wait for the timeout while it is down; one
that missed a change is left alone until ``update_index`` has rebuilt its index, so it never
serves a document whose protocol has changed since. Both marks live in the cache, which in
production is Redis and shared by every process.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from elasticsearch import ApiError, TransportError
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend

ERRORS = (ApiError, TransportError)
"""What the client raises when a cluster cannot answer: refused, timed out, or an error."""

DOWN_KEY = "search:elasticsearch:down"
STALE_KEY = "search:elasticsearch:stale"

T = TypeVar("T")


class Unavailable(Exception):
    """Elasticsearch cannot answer now: not reachable, too slow, failing, or behind."""


class DocumentsBackend(Elasticsearch8SearchBackend):
    """Wagtail's Elasticsearch backend, holding the one index of search documents.

    ``settings`` is what creating an index sends; ``mirror`` sets it, once it has asked the
    cluster for its analysis plugins.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.settings: dict[str, Any] = {}


def options() -> dict[str, Any]:
    """``SEARCH_ELASTICSEARCH``: ``URL`` (none: database search only), ``INDEX`` (the alias),
    ``TIMEOUT`` and ``RETRY_AFTER`` in seconds, ``REPLICAS``."""
    return {"INDEX": "banlang_search", "TIMEOUT": 2.0, "RETRY_AFTER": 30, "REPLICAS": 1} | (
        getattr(settings, "SEARCH_ELASTICSEARCH", None) or {}
    )


def configured() -> bool:
    """Whether an Elasticsearch cluster is configured."""
    return bool(options().get("URL"))


def backend() -> DocumentsBackend:
    """The backend for the configured cluster."""
    current = options()
    return _backend(current["URL"], float(current["TIMEOUT"]))


@lru_cache(maxsize=4)
def _backend(url: str, timeout: float) -> DocumentsBackend:
    """One backend (and connection pool) per cluster and timeout."""
    return DocumentsBackend(
        {
            "URLS": [url],
            "TIMEOUT": timeout,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        }
    )


def alias() -> str:
    """The alias searches and updates go through; rebuilds point it at a fresh index."""
    return str(options()["INDEX"])


def usable() -> bool:
    """Whether searches should go to Elasticsearch now."""
    return configured() and not cache.get(DOWN_KEY) and not cache.get(STALE_KEY)


def call(request: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Make a request; on failure, leave the cluster alone for a while and raise ``Unavailable``."""
    try:
        return request(*args, **kwargs)
    except ERRORS as error:
        cache.set(DOWN_KEY, True, int(options()["RETRY_AFTER"]))
        raise Unavailable(str(error)) from error


def mark_stale() -> None:
    """The index missed a change: search the database until the next rebuild."""
    cache.set(STALE_KEY, True, None)


def mark_rebuilt() -> None:
    """The index holds everything again."""
    cache.delete_many([STALE_KEY, DOWN_KEY])
