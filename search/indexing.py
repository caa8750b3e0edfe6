"""Writing documents into the index: per object after a change, or everything in batches.

The database's index is written a batch of objects per transaction, so neither searches nor
writers wait long on it; Elasticsearch, when there is a cluster, gets the same documents once that
transaction has committed.
"""

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from heritage.models import HeritageRecord, RecordMedia
from search.analysis import index_exact, index_text
from search.backends import (
    AnalysedColumns,
    database_index,
    next_batch_size,
    qualify,
    writers_turn,
)
from search.documents import SOURCE_BY_MODEL, SOURCES, Document, Source
from search.elastic import client as elasticsearch
from search.elastic import mirror
from search.models import FacetToken, SearchDocument, SearchFacet, SearchTerm

BATCH_SIZE = 200
"""Objects whose documents are written in one transaction, and named by one indexing task."""
MAX_TERM_LENGTH = 100


def analyse(document: Document) -> AnalysedColumns:
    """The four analysed columns of a document."""
    return AnalysedColumns(
        index_exact(document.title),
        index_text(document.title),
        index_exact(document.body),
        index_text(document.body),
    )


def qualified(columns: AnalysedColumns, language: str) -> AnalysedColumns:
    """Columns with each token prefixed by the document's language, as the database stores them."""
    return AnalysedColumns(*(" ".join(qualify(language, column.split())) for column in columns))


class Analysed(NamedTuple):
    """A document made ready to be written: its row, its analysed text as Elasticsearch takes
    it and as the database's index stores it, its facet tokens and its folded words."""

    document: Document
    row: SearchDocument
    columns: AnalysedColumns
    stored: AnalysedColumns
    facets: list[str]
    terms: set[str]


def analysed(documents: Iterable[Document]) -> list[Analysed]:
    """Documents made ready to be written: all the work of indexing done before a write
    transaction takes the lock."""
    made = []
    for document in documents:
        columns = analyse(document)
        folded = f"{columns.title_folded} {columns.body_folded}".split()
        made.append(
            Analysed(
                document,
                _row(document),
                columns,
                qualified(columns, document.language),
                list(dict.fromkeys(f"{name}={value}" for name, value in document.facets)),
                {term for term in folded if len(term) <= MAX_TERM_LENGTH},
            )
        )
    return made


def _row(document: Document) -> SearchDocument:
    """The database's row of a document."""
    return SearchDocument(
        content_type=ContentType.objects.get_for_model(document.model),
        object_id=document.object_id,
        language=document.language,
        fallback=document.fallback,
        doc_type=document.doc_type,
        url=document.url[:500],
        title=document.title[:300],
        text=document.text,
        date=document.date,
        page_id=document.page_id,
        record_id=document.record_id,
        media_item_id=document.media_item_id,
        audience=document.audience[:2000],
        item_audience=document.item_audience[:2000],
    )


def write(documents: Sequence[Analysed]) -> list[mirror.Source]:
    """Store documents, their analysed text, facets and words in the database.

    Returns what Elasticsearch is to hold of them (nothing when there is no cluster).
    """
    SearchDocument.objects.bulk_create([each.row for each in documents])  # their ids set
    database_index().insert([(each.row.pk, each.stored) for each in documents])
    terms = {(each.document.language, term) for each in documents for term in each.terms}
    # Facet and term rows, tens of thousands a batch, go in as plain rows: made into model
    # instances they cost more than all the batch's statements, with the write lock held.
    values = _facet_values({token for each in documents for token in each.facets})
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SearchFacet._meta.db_table} (document_id, value_id) VALUES (%s, %s)",
            [(each.row.pk, values[token]) for each in documents for token in each.facets],
        )
        cursor.executemany(
            f"INSERT INTO {SearchTerm._meta.db_table} (language, term) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING",
            sorted(terms),
        )
    if not elasticsearch.configured():
        return []
    return [mirror.source(each.row, each.columns, each.facets) for each in documents]


def _facet_values(tokens: set[str]) -> dict[str, int]:
    """The numbers of facet values, stored first where new."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FacetToken._meta.db_table} (token) VALUES (%s) ON CONFLICT DO NOTHING",
            [(token,) for token in sorted(tokens)],
        )
    return dict(FacetToken.objects.filter(token__in=tokens).values_list("token", "pk"))


def remove(model: type[models.Model], pks: Iterable[int]) -> None:
    """Remove the documents of some objects from the index."""
    pks = list(pks)
    _remove_rows(model, pks)
    transaction.on_commit(lambda: mirror.replace(model, pks, []))


def _remove_rows(model: type[models.Model], pks: Sequence[int]) -> None:
    """Delete the database's documents of some objects, with their facet rows (and, by the
    index table's trigger, their analysed text)."""
    content_type = ContentType.objects.get_for_model(model)
    documents = SearchDocument.objects.filter(content_type=content_type, object_id__in=pks)
    selected, params = documents.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {SearchFacet._meta.db_table} WHERE document_id IN ({selected})", params
        )
        cursor.execute(
            f"DELETE FROM {SearchDocument._meta.db_table} WHERE id IN ({selected})", params
        )


def index_objects(model: type[models.Model], pks: Sequence[int]) -> int:
    """Index these objects afresh (removing those no longer indexable); return documents made.

    Each ``BATCH_SIZE`` objects are written in a transaction of their own. A record's media
    items are indexed with it: their URL, audience and fallback title follow the record's, and
    an item added with its record is saved after the record's own signal.
    """
    made = 0
    for batch in batches(pks):
        made += _index_batch(SOURCE_BY_MODEL[model], batch)
    if model is HeritageRecord:
        items = RecordMedia.objects.filter(record_id__in=pks).order_by("pk")
        made += index_objects(RecordMedia, list(items.values_list("pk", flat=True)))
    return made


def batches(pks: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """``pks`` sorted and without repeats, ``size`` at a time."""
    ordered = sorted(set(pks))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _index_batch(source: Source, pks: list[int]) -> int:
    """Replace the documents of the objects ``pks`` of ``source`` in one transaction."""
    with transaction.atomic():
        _remove_rows(source.model, pks)
        documents = analysed(source.build(list(source.indexable().filter(pk__in=pks))))
        sources = write(documents)
        transaction.on_commit(lambda: mirror.replace(source.model, pks, sources))
    return len(documents)


def rebuild(batch_size: int = BATCH_SIZE, progress: Callable[[str], None] | None = None) -> int:
    """Index all content afresh, up to ``batch_size`` objects at a time; return documents made.

    Each batch's documents are built and analysed first, then replace its objects' documents
    in a transaction of its own, which holds the write lock only to delete and insert rows; so
    searches find the documents as they were until theirs are replaced, and writers wait for
    one batch's writing at most. On SQLite, where that lock is the whole database's, batches
    are sized by how long the last one took (``backends.next_batch_size``), and the lock is
    left free between them (``backends.writers_turn``). An object indexed afresh since its
    batch was read (it was edited meanwhile) is built again in the transaction. Then the
    documents of objects no longer indexable go, and the index is merged. Elasticsearch's
    index, when there is a cluster, is built afresh and replaces the old one at the end.
    ``progress`` is told after each batch and each step of the merge.
    """
    total, size = 0, next_batch_size(0, 0.0, batch_size)
    with mirror.rebuilding() as elastic_rebuild:
        for source in SOURCES:
            label = source.model._meta.label
            pks = list(source.indexable().order_by("pk").values_list("pk", flat=True))
            done = 0
            while done < len(pks):
                batch = pks[done : done + size]
                read_after = _last_document()
                documents = analysed(source.build(list(source.indexable().filter(pk__in=batch))))
                began = time.perf_counter()
                sources, written = replace_batch(source, batch, documents, read_after)
                size = next_batch_size(len(batch), time.perf_counter() - began, batch_size)
                writers_turn()
                if elastic_rebuild is not None:
                    elastic_rebuild.add(sources)
                total += written
                done += len(batch)
                if progress is not None:
                    progress(f"{label}: {done} of {len(pks)} objects")
            _remove_unindexable(source, batch_size)
            if progress is not None:
                progress(f"{label}: documents of objects no longer indexable removed")
        database_index().optimise(progress)
    if progress is not None and elasticsearch.configured():
        progress(_elasticsearch_outcome(elastic_rebuild))
    return total


def _last_document() -> int:
    """The id of the newest document (0 if none)."""
    return SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def replace_batch(
    source: Source, pks: list[int], documents: Sequence[Analysed], read_after: int
) -> tuple[list[mirror.Source], int]:
    """Replace the documents of the objects ``pks`` of ``source`` by ``documents``, built
    from the objects as they were when the newest document was ``read_after``, in one
    transaction. An object indexed again since then was edited meanwhile: its documents are
    built again inside the transaction, so neither the database nor Elasticsearch's new index
    gets the older ones. Returns what Elasticsearch is to hold, and how many documents were
    written."""
    content_type = ContentType.objects.get_for_model(source.model)
    with transaction.atomic():
        edited = set(
            SearchDocument.objects.filter(
                content_type=content_type, object_id__in=pks, pk__gt=read_after
            ).values_list("object_id", flat=True)
        )
        kept = [each for each in documents if each.document.object_id not in edited]
        if edited:
            kept += analysed(source.build(list(source.indexable().filter(pk__in=edited))))
        _remove_rows(source.model, pks)
        return write(kept), len(kept)


def _remove_unindexable(source: Source, batch_size: int) -> None:
    """Remove, ``batch_size`` objects per transaction, the documents of ``source``'s objects
    that are no longer indexable (deleted, withdrawn or hidden since they were indexed)."""
    content_type = ContentType.objects.get_for_model(source.model)
    indexed = SearchDocument.objects.filter(content_type=content_type).values_list(
        "object_id", flat=True
    )
    gone = set(indexed.distinct()) - set(source.indexable().values_list("pk", flat=True))
    for batch in batches(gone, batch_size):
        with transaction.atomic():
            _remove_rows(source.model, batch)
        writers_turn()


def _elasticsearch_outcome(rebuild: mirror.Rebuild | None) -> str:
    """What became of Elasticsearch's index in a rebuild, for the operator."""
    if rebuild is None:
        return "Elasticsearch could not be reached: searches use the database until a rebuild."
    if rebuild.failed:
        return "Elasticsearch failed during the rebuild: searches use the database until a rebuild."
    analysers = "ICU" if rebuild.icu else "built-in"
    alias = elasticsearch.alias()
    return f"Elasticsearch: {rebuild.index.name} is now {alias} ({analysers} analysers)."
