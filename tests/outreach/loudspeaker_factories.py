"""Loudspeaker clusters and programmes as the tests need them.

A ready programme holds a short real MP3 made by ffmpeg (a sine tone, its pitch setting the
file apart), stored where rendering would leave it, ``loudspeaker/<sha256>.mp3``; the audio
rendering itself is not run.
"""

import datetime
import functools
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from heritage.models import Place, PlaceLevel
from outreach.models import LoudspeakerCluster, Programme, ProgrammeState


@functools.cache
def mp3(seconds: int = 3, frequency: int = 440) -> bytes:
    """A mono 64 kbit/s MP3 of a sine tone."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "tone.mp3"
        subprocess.run(
            [
                "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                "-i", f"sine=f={frequency}:d={seconds}", "-ac", "1", "-b:a", "64k", str(target),
            ],
            check=True,
            timeout=120,
        )  # fmt: skip
        return target.read_bytes()


def make_cluster(
    name: str,
    communes: Iterable[Place],
    times: Iterable[str] = ("06:00", "17:00"),
    languages: Iterable[str] = ("vi",),
) -> tuple[LoudspeakerCluster, str]:
    """A cluster of ``communes`` and its device token."""
    cluster = LoudspeakerCluster.objects.create(
        name=name, times=list(times), languages=list(languages)
    )
    cluster.communes.set(communes)
    return cluster, cluster.issue_token()


def make_programme(
    title: str,
    communes: Iterable[Place],
    air_date: datetime.date,
    *,
    urgent: bool = False,
    state: str = ProgrammeState.READY,
    frequency: int = 440,
    seconds: int = 3,
) -> Programme:
    """A programme aired in ``communes`` on ``air_date``; a ready one with its audio stored."""
    programme = Programme.objects.create(title=title, air_date=air_date, urgent=urgent, state=state)
    programme.communes.set(communes)
    if state == ProgrammeState.READY:
        store_audio(programme, mp3(seconds, frequency), seconds)
    return programme


def store_audio(programme: Programme, audio: bytes, seconds: float) -> None:
    """Store ``audio`` as ``programme``'s rendered file and mark it ready."""
    sha256 = hashlib.sha256(audio).hexdigest()
    name = f"loudspeaker/{sha256}.mp3"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(audio))
    programme.audio.name = name
    programme.state = ProgrammeState.READY
    programme.sha256 = sha256
    programme.size = len(audio)
    programme.duration = float(seconds)
    programme.save()


def make_communes(province: str, *names: str) -> list[Place]:
    """A new province with communes ``names``: for tests on the live server, which cannot count
    on the places the migrations load (a transactional test before it may have emptied them)."""
    parent = Place.objects.create(name=province, level=PlaceLevel.PROVINCE)
    return [
        Place.objects.create(name=name, level=PlaceLevel.COMMUNE, parent=parent) for name in names
    ]
