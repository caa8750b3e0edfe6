"""Signal handlers of the media app."""

from typing import Any

from django.db.models.signals import post_save

from media.models import MediaAsset, ProcessingStatus


def process_new_uploads(sender: type[MediaAsset], instance: MediaAsset, **kwargs: Any) -> None:
    """Queue processing for an asset waiting for it, after the upload's transaction commits."""
    from media.tasks import enqueue_processing

    if instance.status == ProcessingStatus.PENDING and not kwargs.get("raw"):
        enqueue_processing(instance)


def register() -> None:
    """Connect the media signal handlers."""
    post_save.connect(process_new_uploads, sender=MediaAsset, dispatch_uid="media.process_new")
