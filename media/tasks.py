"""Background work of the media app: processing uploads into renditions."""

import datetime
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_tasks import default_task_backend, task

from media.errors import MediaRejected
from media.ffmpeg import media_settings
from media.models import MediaAsset, MediaRendition, ProcessingStatus
from media.processing import ProcessingResult, file_sha256, process_file, profiles_for
from media.validation import ProbeResult, inspect_upload

logger = logging.getLogger(__name__)


@contextmanager
def local_copy(field_file: FieldFile) -> Iterator[Path]:
    """The file as a local path: itself on disk storage, a temporary copy otherwise."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:
        pass
    assert field_file.name is not None  # ``path`` refuses a file without a name
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as copy:
        with field_file.open("rb") as stream:
            for chunk in stream.chunks():
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def enqueue_processing(asset: MediaAsset, delay_seconds: int = 0) -> None:
    """Queue processing of ``asset`` once the current transaction commits."""

    def enqueue() -> None:
        runner = process_media
        if delay_seconds and default_task_backend.supports_defer:
            runner = process_media.using(
                run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds)
            )
        runner.enqueue(asset.pk)

    transaction.on_commit(enqueue)


def is_up_to_date(asset: MediaAsset, source_hash: str) -> bool:
    """Whether the asset already has every rendition for exactly this original."""
    if asset.status != ProcessingStatus.READY or asset.source_hash != source_hash:
        return False
    return bool(asset.probe) and set(asset.renditions.values_list("profile", flat=True)) == {
        profile.name for profile in profiles_for(probe_of(asset))
    }


def probe_of(asset: MediaAsset) -> ProbeResult:
    """The stored probe results as a ``ProbeResult``."""
    return ProbeResult(**asset.probe)


def fail(asset: MediaAsset, rejection: MediaRejected) -> None:
    """Record why processing failed; the editor sees it in their language."""
    asset.status = ProcessingStatus.FAILED
    asset.error_code = rejection.code
    asset.error_params = rejection.params
    asset.save(update_fields=["status", "error_code", "error_params"])


@transaction.atomic
def record(asset: MediaAsset, source_hash: str, result: ProcessingResult, probe: dict) -> None:
    """Replace the asset's renditions with the new set and mark it ready."""
    asset.renditions.exclude(profile__in=[p.name for p in result.renditions]).delete()
    for profile, output in result.renditions.items():
        MediaRendition.objects.update_or_create(
            asset=asset,
            profile=profile.name,
            defaults={
                "file": output.name,
                "mime_type": profile.mime_type,
                "size": output.size,
                "bit_rate": round(output.size * 8 / max(probe["duration"], 0.001)),
                "width": output.width,
                "height": output.height,
            },
        )
    asset.source_hash = source_hash
    asset.probe = probe
    asset.type = probe["kind"]
    asset.duration = probe["duration"]
    asset.width = probe["width"] or None
    asset.height = probe["height"] or None
    asset.poster = result.poster.name if result.poster else ""
    asset.waveform = result.waveform.name if result.waveform else ""
    asset.status = ProcessingStatus.READY
    asset.error_code = ""
    asset.error_params = {}
    asset.save()


@task()
def process_media(asset_id: int) -> str:
    """Probe, validate and transcode one upload; idempotent, retried on passing failures."""
    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return "gone"
    limits = media_settings()
    if asset.status != ProcessingStatus.READY:
        asset.attempts += 1
        MediaAsset.objects.filter(pk=asset.pk).update(
            status=ProcessingStatus.PROCESSING, attempts=asset.attempts
        )
    try:
        with local_copy(asset.file) as source:
            source_hash = file_sha256(source)
            if is_up_to_date(asset, source_hash):
                return "unchanged"
            probe = inspect_upload(source)
            result = process_file(source, probe)
    except MediaRejected as rejection:
        if rejection.code == "timeout" and asset.attempts < limits["MAX_ATTEMPTS"]:
            enqueue_processing(asset, limits["RETRY_DELAY_SECONDS"])
            return "retrying"
        fail(asset, rejection)
        return rejection.code
    except OSError:
        logger.exception("Processing media %s failed", asset_id)
        if asset.attempts < limits["MAX_ATTEMPTS"]:
            enqueue_processing(asset, limits["RETRY_DELAY_SECONDS"] * asset.attempts)
            return "retrying"
        fail(asset, MediaRejected("failed"))
        return "failed"
    record(asset, source_hash, result, probe.as_dict())
    return "ready"
