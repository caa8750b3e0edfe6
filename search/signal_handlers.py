"""Keeping the index up to date: changes are queued as tasks once their transaction commits.

Documents go away with their page, record or media item by foreign key; these handlers queue
re-indexing when content is published, unpublished, edited or moved (a section with everything
under it), and removal from Elasticsearch, which has no foreign keys, when it is deleted.
``update_index`` repairs anything a lost task left behind.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import gathering
from cms.models import ArticlePage, ProductPage
from heritage.models import HeritageIndexPage, HeritageRecord, RecordMedia
from media.models import MediaAsset, MediaCaption
from outreach import signals as outreach_signals
from outreach.models import Submission

PAGE_MODELS = (ArticlePage, ProductPage)


def enqueue_index(model: type[models.Model], pks: Iterable[int]) -> None:
    """Queue re-indexing of objects after the current transaction commits, a task per batch;
    inside ``cms.gathering.gathered()``, once for the whole block."""
    label = model._meta.label
    if not gathering.gather(("search.index", label), pks, partial(_queue_index, label)):
        _queue_index(label, pks)


def _queue_index(label: str, pks: Iterable[int]) -> None:
    """Queue the indexing tasks of objects of ``label`` once the transaction commits."""
    # Imported here so that starting the site does not load the indexing code and its imports.
    from search import indexing, tasks

    for batch in indexing.batches(pks):
        transaction.on_commit(partial(tasks.index_objects.enqueue, label, batch))


def enqueue_remove(model: type[models.Model], pks: Iterable[int]) -> None:
    """Queue removal of objects from the index after the current transaction commits, a task
    per batch."""
    from search import indexing, tasks

    label = model._meta.label
    for batch in indexing.batches(pks):
        transaction.on_commit(partial(tasks.remove_objects.enqueue, label, batch))


def page_changed(sender: type, instance: models.Model, **kwargs: Any) -> None:
    """A page was published: index it in every language; a section, what lies under it.

    A section's slug may have changed, and with it the URL of everything under it. Sections
    are published far less often than what they hold, so their content is simply re-indexed.
    A site's root page is not part of its URLs.
    """
    if isinstance(instance, PAGE_MODELS):
        enqueue_index(type(instance), [instance.pk])
    elif not Site.objects.filter(root_page=instance).exists():
        enqueue_section(instance)


def page_moved(sender: type, instance: Page, **kwargs: Any) -> None:
    """A page was moved elsewhere: everything under it, and itself, has a new URL."""
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        enqueue_section(instance)


def enqueue_section(page: Page) -> None:
    """Queue re-indexing of the articles and products under ``page`` (and itself), and of the
    heritage records when the archive page is there too: their URLs follow its URL."""
    for model in PAGE_MODELS:
        under = model.objects.descendant_of(page, inclusive=True).live()
        enqueue_index(model, under.values_list("pk", flat=True))
    if HeritageIndexPage.objects.descendant_of(page, inclusive=True).live().exists():
        records = HeritageRecord.objects.published().values_list("pk", flat=True)
        enqueue_index(HeritageRecord, records)


def page_withdrawn(sender: type, instance: models.Model, **kwargs: Any) -> None:
    """A page was unpublished: readers must not find it any more."""
    if isinstance(instance, PAGE_MODELS):
        enqueue_remove(type(instance), [instance.pk])


def content_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A page, record or media item was deleted: its documents must go everywhere."""
    enqueue_remove(sender, [instance.pk])


def record_saved(sender: type, instance: HeritageRecord, **kwargs: Any) -> None:
    """A record was saved: index it, and with it its media items (see ``indexing``)."""
    if kwargs.get("raw"):
        return
    enqueue_index(HeritageRecord, [instance.pk])


def record_relations_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A record's ethnic groups, places, communities or custodians changed."""
    if kwargs.get("action") in ("post_add", "post_remove", "post_clear"):
        if isinstance(instance, HeritageRecord):
            record_saved(HeritageRecord, instance)
        else:
            for pk in kwargs.get("pk_set") or ():
                record_saved(HeritageRecord, HeritageRecord(pk=pk))


def publication_changed(sender: type, submission: Submission, **kwargs: Any) -> None:
    """A resident's question was published with its answer, or taken off: index it or remove
    it."""
    if submission.published_at is not None:
        enqueue_index(Submission, [submission.pk])
    else:
        enqueue_remove(Submission, [submission.pk])


def media_item_saved(sender: type, instance: RecordMedia, **kwargs: Any) -> None:
    """A photo or recording of a record was added or changed."""
    if not kwargs.get("raw"):
        enqueue_index(RecordMedia, [instance.pk])


def asset_changed(sender: type, instance: MediaAsset | MediaCaption, **kwargs: Any) -> None:
    """An asset's title, transcript or captions changed: re-index the items showing it."""
    if kwargs.get("raw"):
        return
    asset_id = instance.pk if isinstance(instance, MediaAsset) else instance.asset_id
    enqueue_index(
        RecordMedia, RecordMedia.objects.filter(media_id=asset_id).values_list("pk", flat=True)
    )


def register() -> None:
    """Connect the search signal handlers."""
    page_published.connect(page_changed, dispatch_uid="search.page_published")
    page_unpublished.connect(page_withdrawn, dispatch_uid="search.page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="search.page_moved")
    post_save.connect(record_saved, sender=HeritageRecord, dispatch_uid="search.record_saved")
    for relation in ("ethnic_groups", "places", "communities", "custodians"):
        m2m_changed.connect(
            record_relations_changed,
            sender=getattr(HeritageRecord, relation).through,
            dispatch_uid=f"search.record_{relation}",
        )
    post_save.connect(media_item_saved, sender=RecordMedia, dispatch_uid="search.media_saved")
    post_save.connect(asset_changed, sender=MediaAsset, dispatch_uid="search.asset_saved")
    post_save.connect(asset_changed, sender=MediaCaption, dispatch_uid="search.caption_saved")
    post_delete.connect(asset_changed, sender=MediaCaption, dispatch_uid="search.caption_deleted")
    outreach_signals.publication_changed.connect(
        publication_changed, dispatch_uid="search.publication_changed"
    )
    for model in (*PAGE_MODELS, HeritageRecord, RecordMedia, Submission):
        post_delete.connect(
            content_deleted, sender=model, dispatch_uid=f"search.{model._meta.label}_deleted"
        )
