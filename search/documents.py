"""What is indexed of each kind of content, in each language, and under which facets.

A source turns a batch of its objects into ``Document`` values: one per content language, in the
language's own text where the object is translated into it, otherwise in Vietnamese, marked as
a fallback. Only what anonymous readers could reach is indexed from pages (live, public); heritage
records are indexed whatever their protocol, and the protocol is applied when searching.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname
from wagtail.fields import StreamField

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models import ArticlePage, ProductPage, TopicIndexPage, TranslatedPage
from heritage.audience import PUBLIC, media_audience, open_to_record_readers, record_audience
from heritage.display import narrative_text, record_translated
from heritage.festival_dates import record_key
from heritage.models import CommunityNarrative, HeritageIndexPage, HeritageRecord, RecordMedia
from heritage.models.reference import provinces_of
from media.models import MediaCaption
from outreach import feedback
from outreach.models import Submission
from search.models import DocumentType

Facets = list[tuple[str, str]]
_Page = TypeVar("_Page", bound=TranslatedPage)


@dataclass
class Document:
    """A document to index: what search shows, what it matches and how it is faceted."""

    model: type[models.Model]
    object_id: int
    language: str
    fallback: bool
    doc_type: str
    url: str
    title: str
    text: str
    extra: str = ""
    date: datetime.date | None = None
    page_id: int | None = None
    record_id: int | None = None
    media_item_id: int | None = None
    audience: str = PUBLIC
    item_audience: str = PUBLIC
    facets: Facets = field(default_factory=list)

    @property
    def body(self) -> str:
        """All the text matched besides the title."""
        return f"{self.text}\n{self.extra}" if self.extra else self.text


def localized(item: models.Model, name: str, code: str) -> Any:
    """Field ``name`` of ``item`` in language ``code`` exactly, without fallback."""
    return getattr(item, build_localized_fieldname(name, code), None)


def text_in(item: models.Model, name: str, code: str) -> str:
    """Field ``name`` in ``code``, or in Vietnamese where it has no text in ``code``."""
    return localized(item, name, code) or localized(item, name, DEFAULT_LANGUAGE) or ""


def stream_text(page: models.Model, name: str, code: str) -> str:
    """The searchable text of a StreamField in language ``code``, one block per line."""
    localized_name = build_localized_fieldname(name, code)
    value = getattr(page, localized_name, None)
    if not value:
        return ""
    stream: StreamField = type(page)._meta.get_field(localized_name)
    block = stream.stream_block
    return "\n".join(str(text) for text in block.get_searchable_content(value) if text)


def page_documents(
    pages: Iterable[_Page],
    doc_type: str,
    body: Callable[[_Page, str], tuple[str, str]],
    facets: Callable[[_Page], Facets],
    date: Callable[[_Page], datetime.date | None] = lambda page: None,
) -> list[Document]:
    """Documents of translated pages; ``body`` gives the shown text and the extra matched text."""
    documents = []
    for page in pages:
        page_facets = [("type", doc_type), *facets(page)]
        for code in LANGUAGE_CODES:
            own = page.has_translation(code)
            source = code if own else DEFAULT_LANGUAGE
            text, extra = body(page, source)
            documents.append(
                Document(
                    model=type(page),
                    object_id=page.pk,
                    language=code,
                    fallback=not own,
                    doc_type=doc_type,
                    url=page.url_in(code) or "",
                    title=localized(page, "title", source) or page.title,
                    text=text,
                    extra=extra,
                    date=date(page),
                    page_id=page.pk,
                    facets=page_facets,
                )
            )
    return documents


def article_documents(pages: Sequence[ArticlePage]) -> list[Document]:
    """Articles: summary and body, under their section's topic."""
    parents = {page.path[: -ArticlePage.steplen] for page in pages}
    sections = {section.path: section.topic for section in _topic_sections(parents)}

    def body(page: ArticlePage, code: str) -> tuple[str, str]:
        summary = localized(page, "summary", code) or ""
        return f"{summary}\n{stream_text(page, 'body', code)}".strip(), ""

    def facets(page: ArticlePage) -> Facets:
        topic = sections.get(page.path[: -ArticlePage.steplen])
        return [("topic", topic)] if topic else []

    return page_documents(pages, DocumentType.ARTICLE, body, facets, lambda page: page.date)


def _topic_sections(paths: set[str]) -> list[TopicIndexPage]:
    """The topic sections with the given tree paths."""
    return list(TopicIndexPage.objects.filter(path__in=paths).only("path", "topic"))


def product_documents(pages: Sequence[ProductPage]) -> list[Document]:
    """OCOP products: description, with producer and commune matched too."""

    def body(page: ProductPage, code: str) -> tuple[str, str]:
        extra = "\n".join(text_in(page, name, code) for name in ("producer", "commune"))
        return text_in(page, "description", code), extra

    return page_documents(pages, DocumentType.PRODUCT, body, lambda page: [])


@dataclass(frozen=True)
class Archive:
    """Where records are published: the archive page's URL in each language."""

    urls: dict[str, str]

    @classmethod
    def current(cls) -> "Archive":
        """The live archive page's URLs; none when the site has no archive page."""
        page = HeritageIndexPage.objects.live().first()
        if page is None:
            return cls({})
        return cls({code: page.url_in(code) or "" for code in LANGUAGE_CODES})

    def record_url(self, code: str, slug: str) -> str:
        """A record's URL in language ``code``."""
        base = self.urls.get(code)
        return f"{base}{slug}/" if base else ""


def _record_facets(record: HeritageRecord, provinces: dict[int, int]) -> Facets:
    """Kind, ethnic groups, today's provinces and the date rule of a record's festival or season
    (its months are worked out from it for the year searched: see ``counted_facets``)."""
    facets: Facets = [("kind", record.kind)]
    facets += [("ethnic_group", group.code) for group in record.ethnic_groups.all()]
    record_provinces = {
        provinces[place.pk] for place in record.places.all() if place.pk in provinces
    }
    facets += [("province", str(pk)) for pk in sorted(record_provinces)]
    if key := record_key(record):
        facets.append(("month", key))
    return facets


def _record_context(record: HeritageRecord, code: str, narratives: list[CommunityNarrative]) -> str:
    """What else a reader may search a record by: its ethnic groups, places and practitioners,
    and the ``narratives`` open to all its readers, in the language a reader of ``code`` reads
    them in."""
    names = []
    for group in record.ethnic_groups.all():
        names += [text_in(group, "name", code), group.autonym, *group.other_names]
    names += [place.name for place in record.places.all()]
    names.append(record.practitioners)
    for narrative in narratives:
        names += [narrative_text(narrative, name, code).text for name in ("title", "text")]
    return "\n".join(name for name in names if name)


def record_documents(records: Sequence[HeritageRecord]) -> list[Document]:
    """Published heritage records: summary, description and narratives, with their audience."""
    archive = Archive.current()
    place_ids = {place.pk for record in records for place in record.places.all()}
    provinces = provinces_of(place_ids)
    documents = []
    for record in records:
        facets = [("type", DocumentType.RECORD), *_record_facets(record, provinces)]
        audience = " ".join(record_audience(record))
        narratives = [
            narrative
            for narrative in record.narratives.all()
            if open_to_record_readers(record, narrative)
        ]
        for code in LANGUAGE_CODES:
            own = record_translated(record, code)
            text = "\n".join(
                text_in(record, name, code) for name in ("summary", "description", "season")
            ).strip()
            documents.append(
                Document(
                    model=HeritageRecord,
                    object_id=record.pk,
                    language=code,
                    fallback=not own,
                    doc_type=DocumentType.RECORD,
                    url=archive.record_url(code, record.slug),
                    title=text_in(record, "title", code),
                    text=text,
                    extra=_record_context(record, code, narratives),
                    record_id=record.pk,
                    audience=audience,
                    facets=facets,
                )
            )
    return documents


_VTT_TIMING = re.compile(r"-->|^\d+$|^WEBVTT|^NOTE\b")


def webvtt_text(caption: MediaCaption) -> str:
    """The words of a WebVTT captions file, without header, cue numbers, timings and tags."""
    try:
        with caption.file.open("rb") as vtt:
            source = vtt.read().decode("utf-8-sig", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in source.splitlines()]
    words = [
        re.sub(r"<[^>]+>", "", line) for line in lines if line and not _VTT_TIMING.search(line)
    ]
    return " ".join(words)


def media_documents(items: Sequence[RecordMedia]) -> list[Document]:
    """Photos and recordings of published records: caption, title, transcript and captions."""
    archive = Archive.current()
    documents = []
    for item in items:
        record, asset = item.record, item.media
        media_type = asset.type if asset else "image"
        subtitles = {
            caption.language: webvtt_text(caption)
            for caption in (asset.captions.all() if asset else ())
        }
        audience = " ".join(record_audience(record))
        item_audience = " ".join(media_audience(item))
        name = asset.title if asset else (item.image.title if item.image else "")
        transcript = asset.transcript if asset else ""
        for code in LANGUAGE_CODES:
            own = bool(localized(item, "caption", code))
            caption = text_in(item, "caption", code)
            extra = [name, transcript, subtitles.get(code, subtitles.get(DEFAULT_LANGUAGE, ""))]
            url = archive.record_url(code, record.slug)
            documents.append(
                Document(
                    model=RecordMedia,
                    object_id=item.pk,
                    language=code,
                    fallback=not own,
                    doc_type=DocumentType.MEDIA,
                    url=f"{url}#media-{item.pk}" if url else "",
                    title=caption or name or text_in(record, "title", code),
                    text=caption,
                    extra="\n".join(part for part in extra if part),
                    record_id=record.pk,
                    media_item_id=item.pk,
                    audience=audience,
                    item_audience=item_audience,
                    facets=[("type", DocumentType.MEDIA), ("media_type", media_type)],
                )
            )
    return documents


def answer_documents(submissions: Sequence[Submission]) -> list[Document]:
    """Residents' questions published with their answers: the question as published and the
    answer, in every language's search, the resident's own not marked as a fallback."""
    documents = []
    for submission in submissions:
        facets: Facets = [("type", DocumentType.ANSWER)]
        if submission.topic:
            facets.append(("topic", submission.topic))
        answer = submission.answer
        if submission.answer_vi and submission.answer_language != DEFAULT_LANGUAGE:
            answer = f"{answer}\n{submission.answer_vi}"
        for code in LANGUAGE_CODES:
            with translation.override(code):
                url = reverse("outreach_ask:answered", args=[submission.pk])
            documents.append(
                Document(
                    model=Submission,
                    object_id=submission.pk,
                    language=code,
                    fallback=code != submission.language,
                    doc_type=DocumentType.ANSWER,
                    url=url,
                    title=submission.public_question,
                    text=answer,
                    date=timezone.localdate(submission.published_at),
                    facets=facets,
                )
            )
    return documents


@dataclass(frozen=True)
class Source:
    """A kind of content search indexes: which of its objects, and how."""

    model: type[models.Model]
    indexable: Callable[[], models.QuerySet]
    build: Callable[[Sequence[Any]], list[Document]]


SOURCES: tuple[Source, ...] = (
    Source(
        ArticlePage,
        lambda: ArticlePage.objects.live().public().order_by("pk"),
        article_documents,
    ),
    Source(
        ProductPage,
        lambda: ProductPage.objects.live().public().order_by("pk"),
        product_documents,
    ),
    Source(
        HeritageRecord,
        lambda: (
            HeritageRecord.objects.published()
            .prefetch_related("ethnic_groups", "places", "communities", "custodians", "narratives")
            .order_by("pk")
        ),
        record_documents,
    ),
    Source(
        RecordMedia,
        lambda: (
            RecordMedia.objects.filter(record__live=True)
            .select_related("record", "image", "media")
            .prefetch_related("media__captions", "record__communities", "record__custodians")
            .order_by("pk")
        ),
        media_documents,
    ),
    Source(
        Submission,
        lambda: feedback.published().order_by("pk"),
        answer_documents,
    ),
)
SOURCE_BY_MODEL: dict[type[models.Model], Source] = {source.model: source for source in SOURCES}
