"""Writing documents into the index: per object after a change, or everything in batches.

The database's index is written in the transaction that changes it; Elasticsearch, when there is
a cluster, gets the same documents once that transaction has committed.
"""

from collections.abc import Callable, Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from heritage.models import HeritageRecord, RecordMedia
from search.analysis import index_exact, index_text
from search.backends import INDEX_TABLE, AnalysedColumns, database_index, qualify
from search.documents import SOURCE_BY_MODEL, SOURCES, Document
from search.elastic import client as elasticsearch
from search.elastic import mirror
from search.models import SearchDocument, SearchTerm

BATCH_SIZE = 200
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


def write(documents: Sequence[Document]) -> list[mirror.Source]:
    """Store documents, their analysed text and their words in the database.

    Returns what Elasticsearch is to hold of them (nothing when there is no cluster).
    """
    content_types: dict[type[models.Model], ContentType] = {}
    rows, analysed = [], []
    for document in documents:
        if document.model not in content_types:
            content_types[document.model] = ContentType.objects.get_for_model(document.model)
        rows.append(
            SearchDocument(
                content_type=content_types[document.model],
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
                facets=" " + " ".join(f"{name}={value}" for name, value in document.facets) + " ",
                audience=document.audience[:2000],
                item_audience=document.item_audience[:2000],
            )
        )
        analysed.append(analyse(document))
    created = SearchDocument.objects.bulk_create(rows)
    database_index().insert(
        [
            (row.pk, qualified(columns, row.language))
            for row, columns in zip(created, analysed, strict=True)
        ]
    )
    terms = {
        (document.language, term)
        for document, columns in zip(documents, analysed, strict=True)
        for term in f"{columns.title_folded} {columns.body_folded}".split()
        if len(term) <= MAX_TERM_LENGTH
    }
    SearchTerm.objects.bulk_create(
        [SearchTerm(language=language, term=term) for language, term in sorted(terms)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    if not elasticsearch.configured():
        return []
    return [mirror.source(row, columns) for row, columns in zip(created, analysed, strict=True)]


def remove(model: type[models.Model], pks: Iterable[int]) -> None:
    """Remove the documents of some objects from the index."""
    pks = list(pks)
    _remove_rows(model, pks)
    transaction.on_commit(lambda: mirror.replace(model, pks, []))


def _remove_rows(model: type[models.Model], pks: Sequence[int]) -> None:
    """Delete the database's documents of some objects."""
    content_type = ContentType.objects.get_for_model(model)
    SearchDocument.objects.filter(content_type=content_type, object_id__in=pks).delete()


def index_objects(model: type[models.Model], pks: Sequence[int]) -> int:
    """Index these objects afresh (removing those no longer indexable); return documents made.

    A record's media items are indexed with it: their URL, audience and fallback title follow
    the record's, and an item added with its record is saved after the record's own signal.
    """
    source = SOURCE_BY_MODEL[model]
    with transaction.atomic():
        _remove_rows(model, pks)
        documents = source.build(list(source.indexable().filter(pk__in=pks)))
        sources = write(documents)
        transaction.on_commit(lambda: mirror.replace(model, pks, sources))
    made = len(documents)
    if model is HeritageRecord:
        items = RecordMedia.objects.filter(record_id__in=pks).values_list("pk", flat=True)
        made += index_objects(RecordMedia, list(items))
    return made


def clear() -> None:
    """Empty the index, quickly: rows of the index table first, then documents."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {INDEX_TABLE}")
    SearchDocument.objects.all()._raw_delete(SearchDocument.objects.db)


def rebuild(batch_size: int = BATCH_SIZE, progress: Callable[[str], None] | None = None) -> int:
    """Index all content from scratch, ``batch_size`` objects at a time; return documents made.

    The database's index is rebuilt in one transaction; Elasticsearch's, when there is a
    cluster, in a fresh index that replaces the old one at the end.
    """
    total = 0
    with transaction.atomic(), mirror.rebuilding() as elastic_rebuild:
        clear()
        for source in SOURCES:
            pks = list(source.indexable().values_list("pk", flat=True))
            for start in range(0, len(pks), batch_size):
                batch = list(source.indexable().filter(pk__in=pks[start : start + batch_size]))
                documents = source.build(batch)
                sources = write(documents)
                if elastic_rebuild is not None:
                    elastic_rebuild.add(sources)
                total += len(documents)
            if progress is not None:
                progress(f"{source.model._meta.label}: {len(pks)} objects")
        database_index().optimise()
    if progress is not None and elasticsearch.configured():
        progress(_elasticsearch_outcome(elastic_rebuild))
    return total


def _elasticsearch_outcome(rebuild: mirror.Rebuild | None) -> str:
    """What became of Elasticsearch's index in a rebuild, for the operator."""
    if rebuild is None:
        return "Elasticsearch could not be reached: searches use the database until a rebuild."
    if rebuild.failed:
        return "Elasticsearch failed during the rebuild: searches use the database until a rebuild."
    analysers = "ICU" if rebuild.icu else "built-in"
    alias = elasticsearch.alias()
    return f"Elasticsearch: {rebuild.index.name} is now {alias} ({analysers} analysers)."
