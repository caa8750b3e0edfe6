"""Real recordings for loudspeaker programmes: speech-like audio made with ffmpeg, stored as
media assets, processed or marked processed, and articles that have them as audio versions."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files import File

from media.models import MediaAsset, ProcessingStatus
from tests.cms.factories import ArticlePageFactory

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg not installed (apt-get install ffmpeg)"
)

SPEECH = (
    "anoisesrc=c=pink:r=44100:a=0.5:seed={seed},bandpass=f=1000:width_type=h:w=2500,"
    "tremolo=f=4:d=0.9"
)
"""Pink noise shaped like speech: its band, and syllables four times a second."""


def lavfi(path: Path, source: str, seconds: float, *filters: str) -> Path:
    """``seconds`` of ffmpeg's ``source`` (through ``filters``) written to ``path``."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", str(seconds),
         *filters, str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


def speech_file(
    folder: Path, name: str, seconds: float = 4, gain_db: float = 0, seed: int = 1
) -> Path:
    """A speech-like recording ``seconds`` long, ``gain_db`` louder or quieter than usual."""
    return lavfi(folder / name, SPEECH.format(seed=seed), seconds, "-af", f"volume={gain_db}dB")


def silent_file(folder: Path, name: str, seconds: float = 3) -> Path:
    """A recording of nothing."""
    return lavfi(folder / name, "anullsrc=r=44100:cl=mono", seconds)


def stored_recording(path: Path, title: str, language: str = "") -> MediaAsset:
    """``path`` uploaded as an audio asset whose processing is done (status and hash as
    ``media.tasks.process_media`` leaves them)."""
    asset = MediaAsset(title=title, type="audio", language=language, status=ProcessingStatus.READY)
    with path.open("rb") as stream:
        asset.file.save(path.name, File(stream), save=False)
    asset.source_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    asset.save()
    return asset


def spoken_article(parent, title: str, **audio: MediaAsset):
    """An article with audio versions: ``audio_vi=…``, ``audio_jra=…``."""
    return ArticlePageFactory(parent=parent, title=title, **audio)
