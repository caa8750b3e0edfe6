"""Keeping the Elasticsearch index in step with the database's search documents.

Each document is stored under a key made of its content type, object and language, so indexing
an object again overwrites its documents. Updates after a change are sent once the database
transaction has committed; a failed one marks the index stale (``client.mark_stale``), and
searches use the database until ``update_index`` has rebuilt it. A rebuild fills a fresh index
and then moves the alias to it in one step (Wagtail's atomic rebuilder), so searches never see a
half-filled index.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder

from cms.languages import LANGUAGE_CODES
from search.backends import AnalysedColumns
from search.elastic import client, schema
from search.models import SearchDocument

logger = logging.getLogger(__name__)

Source = dict[str, Any]


def document_key(content_type_id: int, object_id: int, language: str) -> str:
    """The id of a document in the index: ``<content type>.<object>.<language>``."""
    return f"{content_type_id}.{object_id}.{language}"


def source(row: SearchDocument, columns: AnalysedColumns, facets: list[str]) -> Source:
    """What the index stores of a document: ``columns`` are its tokens, without language;
    ``facets`` its facet values (``name=value``)."""
    return {
        "_id": document_key(row.content_type_id, row.object_id, row.language),
        "document_id": row.pk,
        "content_type": row.content_type_id,
        "object_id": row.object_id,
        "language": row.language,
        "fallback": row.fallback,
        "doc_type": row.doc_type,
        "url": row.url,
        "title": row.title,
        "title_length": len(row.title),
        "text": row.text,
        "date": row.date.isoformat() if row.date else None,
        "facets": facets,
        "audience": row.audience.split(),
        "item_audience": row.item_audience.split(),
        **columns._asdict(),
    }


def replace(model: type[models.Model], pks: Iterable[int], sources: Sequence[Source]) -> None:
    """Make the index hold ``sources`` as the documents of these objects, and no others.

    Failing, it marks the index stale rather than raising: the database has the change, and
    ``update_index`` will bring the index up to it.
    """
    if not client.configured():
        return
    content_type = ContentType.objects.get_for_model(model)
    kept = {item["_id"] for item in sources}
    deletes = [
        {"_op_type": "delete", "_id": key}
        for pk in pks
        for code in LANGUAGE_CODES
        if (key := document_key(content_type.pk, pk, code)) not in kept
    ]
    try:
        _bulk(client.alias(), [*deletes, *sources])
    except client.Unavailable:
        logger.warning("Elasticsearch missed a change of %s %s", model._meta.label, list(pks))
        client.mark_stale()


def _bulk(index: str, actions: Sequence[Source]) -> None:
    """Send index and delete actions in one request; deleting a missing document is no error."""
    if not actions:
        return
    backend = client.backend()
    client.call(backend.bulk, backend.es, actions, index=index, ignore_status=(404,), refresh=False)


class Rebuild:
    """A fresh index being filled, which ``finish`` puts behind the alias.

    A batch the cluster fails to take fails the rebuild, not the database's: the rest is not
    sent, the new index is deleted, and the old one, marked stale, waits for the next rebuild.
    """

    def __init__(self) -> None:
        backend = client.backend()
        plugins = client.call(backend.es.nodes.info, metric="plugins")
        self.icu = schema.cluster_has_icu(dict(plugins))
        backend.settings = schema.index_body(self.icu, replicas=int(client.options()["REPLICAS"]))
        self.rebuilder = ElasticsearchAtomicIndexRebuilder(
            backend.index_class(backend, client.alias())
        )
        self.index = client.call(self.rebuilder.start)
        self.failed = False

    def add(self, sources: Sequence[Source]) -> None:
        """Add documents to the new index."""
        if self.failed:
            return
        try:
            _bulk(self.index.name, sources)
        except client.Unavailable:
            logger.warning("Elasticsearch failed during a rebuild of %s", self.index.name)
            self.failed = True

    def finish(self) -> bool:
        """Point the alias at the new index and delete the old one; or, if the rebuild failed,
        delete the new one. Whether the index is whole again."""
        try:
            if self.failed:
                client.call(self.index.delete)
            else:
                client.call(self.rebuilder.finish)
        except client.Unavailable:
            logger.warning("Elasticsearch failed finishing a rebuild of %s", self.index.name)
            self.failed = True
        if self.failed:
            client.mark_stale()
            return False
        client.mark_rebuilt()
        return True


@contextmanager
def rebuilding() -> Iterator[Rebuild | None]:
    """A rebuild of the index, or ``None`` when there is no cluster or it cannot be reached.

    The new index goes behind the alias when the block ends without an error; it is deleted
    when the block raises.
    """
    if not client.configured():
        yield None
        return
    try:
        rebuild = Rebuild()
    except client.Unavailable:
        logger.warning("Elasticsearch cannot be reached; its index is not rebuilt")
        client.mark_stale()
        yield None
        return
    try:
        yield rebuild
    except BaseException:
        rebuild.failed = True
        rebuild.finish()
        raise
    rebuild.finish()
