"""What a player shows for an asset: its sources in the right order, captions, poster, download."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.http import HttpRequest

from cms.data_saving import saves_data
from cms.languages import get_language as language_entry
from media.models import MediaAsset, MediaRendition, ProcessingStatus

PREFERRED_ORDER = ["speech-64k", "speech-32k", "video-360p", "video-720p", "video-240p"]


@dataclass(frozen=True)
class Caption:
    """A captions track for ``<track>``."""

    language: str
    label: str
    url: str


@dataclass(frozen=True)
class Player:
    """Everything the player template needs."""

    asset: MediaAsset
    sources: list[MediaRendition]
    captions: list[Caption]
    download: MediaRendition
    poster_url: str
    waveform_url: str


def storage_url(name: str) -> str:
    """URL of a stored file by name."""
    return default_storage.url(name) if name else ""


def player_for(asset: MediaAsset | None, request: HttpRequest | None) -> Player | None:
    """The player for a ready asset, or ``None`` while it is not playable."""
    if asset is None or asset.status != ProcessingStatus.READY:
        return None
    renditions = list(asset.renditions.all())
    if not renditions:
        return None
    saving = saves_data(request)
    if saving:
        sources = sorted(renditions, key=lambda rendition: rendition.size)
    else:
        sources = sorted(
            renditions,
            key=lambda r: PREFERRED_ORDER.index(r.profile) if r.profile in PREFERRED_ORDER else 99,
        )
    captions = [
        Caption(caption.language, language_entry(caption.language).name_native, caption.file.url)
        for caption in asset.captions.all()
    ]
    return Player(
        asset=asset,
        sources=sources,
        captions=captions,
        download=min(renditions, key=lambda rendition: rendition.size),
        # Pictures a reader saving data did not ask for: the player works without them.
        poster_url="" if saving else storage_url(asset.poster),
        waveform_url="" if saving else storage_url(asset.waveform),
    )
