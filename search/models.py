"""The search index kept in the database, and the log of what readers searched for.

Each piece of content is indexed once per content language as a ``SearchDocument``: in its own
text where it is translated, otherwise in the Vietnamese text, marked as a fallback. The analysed
text lives in ``search_index`` (``IndexRow``), a table the migration creates per database: an
FTS5 table on SQLite, a table with a weighted ``tsvector`` and a GIN index on PostgreSQL. Its
tokens carry their language (``vi_hoi``), so each language is a partition of the index.

Heritage documents keep foreign keys to their record (and media item), so the cultural protocol
is applied inside the search query, against the record as it is now, even if indexing lags.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heritage.festival_dates import key_months, keys_in_months
from heritage.models import HeritageRecord


class DocumentType(models.TextChoices):
    """The kinds of content search returns."""

    ARTICLE = "article", _("Article")
    PRODUCT = "product", _("OCOP product")
    RECORD = "record", _("Heritage record")
    MEDIA = "media", _("Photo or recording")
    ANSWER = "answer", _("Answered question")


class SearchDocument(models.Model):
    """One piece of content in one language, as search shows it.

    Its facet values are ``SearchFacet`` rows, of values ``name=value`` (``type=record``,
    ``kind=festival``, ``month=lunar-1-15-0-3``), which the database's searches filter by and
    count; Elasticsearch gets the same tokens in its copy of the document.
    ``text`` is the last column: SQLite then reads the columns a search needs without walking
    the overflow pages of a long text.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    fallback = models.BooleanField(default=False)
    doc_type = models.CharField(max_length=16, choices=DocumentType.choices)
    url = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    record = models.ForeignKey(
        "heritage.HeritageRecord",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    media_item = models.ForeignKey(
        "heritage.RecordMedia",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    audience = models.CharField(max_length=2000, default="public")
    item_audience = models.CharField(max_length=2000, default="public")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="one_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class FacetToken(models.Model):
    """A facet value as documents are faceted by it, ``name=value`` (see ``facet_tokens``),
    stored once: facet rows refer to it by its number, so a search groups small integers."""

    token = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.token


class SearchFacet(models.Model):
    """That a document has a facet value.

    A search counts its facets with one ``GROUP BY`` of these rows over the documents it
    matched, and reads its total from the counts of ``type``, which every document has once.
    The unique constraint's index, document first, is the one these counts read: it holds
    both columns, so the counts never read the table.
    """

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_rows", db_index=False
    )
    value = models.ForeignKey(
        FacetToken, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "value"], name="one_row_per_facet_value")
        ]

    def __str__(self) -> str:
        return str(self.value)


class IndexRow(models.Model):
    """A document's analysed text in ``search_index``, written and read with SQL of its own."""

    document = models.OneToOneField(
        SearchDocument,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="index_row",
    )

    class Meta:
        managed = False
        db_table = "search_index"

    def __str__(self) -> str:
        return str(self.document_id)


class SearchTerm(models.Model):
    """A folded word of some document in a language: where spelling suggestions come from.

    Terms are never shown as they are: a suggestion is offered only once a search for it, under
    the reader's protocols, finds something.
    """

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="one_term_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.term} [{self.language}]"


class QueryLog(models.Model):
    """How often a query was searched for on a day, in a language, and what it found.

    Nothing about who searched: no user, no address, no time finer than the day; digits that
    could be a phone or ID number and e-mail addresses are masked before the query is stored.
    ``results`` is what an anonymous reader found (none if only signed-in readers searched):
    what others find depends on what they may see.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    query = models.CharField(_("query"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results"), null=True, blank=True)

    class Meta:
        verbose_name = _("search query")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "query"], name="one_log_row_per_query_and_day"
            )
        ]

    def __str__(self) -> str:
        return self.query


def facet_tokens(name: str, values: Iterable[str], year: int | None = None) -> list[str]:
    """The stored tokens (``name=value``, as in ``FacetToken``) that any of a facet's
    ``values`` is written as.

    A month is not stored: a record holds its festival's date rule (``month=lunar-1-15-0-3``,
    see ``heritage.festival_dates.rule_key``), and the months of ``year`` (this year by
    default) are the rules of the archive's records that fall in them.
    """
    if name != "month":
        return [f"{name}={value}" for value in values]
    months = [int(value) for value in values if value.isdecimal() and len(value) < 3]
    year = year or timezone.localdate().year
    keys = keys_in_months(HeritageRecord.objects.date_keys(), months, year)
    return [f"month={key}" for key in keys]


def counted_facets(
    tokens: Iterable[tuple[str, int]], year: int | None = None
) -> dict[str, dict[str, int]]:
    """Counts per facet and value, from counts per stored token; a date rule's count goes to
    each month of ``year`` (this year by default) it falls in."""
    year = year or timezone.localdate().year
    counts: dict[str, dict[str, int]] = {}
    for token, count in tokens:
        name, _, value = token.partition("=")
        if name != "month":
            counts.setdefault(name, {})[value] = count
            continue
        for month in key_months(value, year):
            months = counts.setdefault(name, {})
            months[str(month)] = months.get(str(month), 0) + count
    return counts
