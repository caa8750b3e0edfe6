"""Turning an uploaded recording into small renditions for phones on slow networks.

Speech audio at about 32 and 64 kbit/s (AAC, mono, loudness-normalised to −16 LUFS), video at
240p, 360p and 720p (H.264 + AAC, ``+faststart`` so playback starts before the download ends,
never upscaled), a poster frame and a waveform picture. Output files are named by the SHA-256 of
their content, so the same upload processed twice stores one set of files.
"""

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg
from django.core.files import File
from django.core.files.storage import default_storage

from media.errors import MediaRejected
from media.ffmpeg import (
    MediaToolError,
    MediaToolTimeout,
    media_settings,
    open_input,
    transcode,
)
from media.ffmpeg import probe as probe_file
from media.validation import ProbeResult

logger = logging.getLogger(__name__)
LOUDNESS = {"I": -16, "TP": -1.5, "LRA": 11}
COMPLETE_FRACTION = 0.95
COMPLETE_SLACK_SECONDS = 0.5
POSTER_WIDTH = 640


@dataclass(frozen=True)
class Profile:
    """A rendition to make: its codec settings and, for video, its height."""

    name: str
    kind: str
    audio_bitrate: str
    sample_rate: int
    height: int = 0
    video_bitrate: str = ""

    @property
    def mime_type(self) -> str:
        """MIME type of the output."""
        return "video/mp4" if self.kind == "video" else "audio/mp4"


AUDIO_PROFILES = (
    Profile("speech-32k", "audio", "32k", 22050),
    Profile("speech-64k", "audio", "64k", 44100),
)
VIDEO_PROFILES = (
    Profile("video-240p", "video", "48k", 44100, height=240, video_bitrate="220k"),
    Profile("video-360p", "video", "64k", 44100, height=360, video_bitrate="420k"),
    Profile("video-720p", "video", "96k", 44100, height=720, video_bitrate="1400k"),
)


@dataclass(frozen=True)
class Output:
    """A file made by processing, stored under its content hash."""

    name: str
    size: int
    width: int = 0
    height: int = 0


def profiles_for(probe: ProbeResult) -> tuple[Profile, ...]:
    """The profiles worth making: never one taller than the source, at least the smallest."""
    if probe.kind == "audio":
        return AUDIO_PROFILES
    fitting = tuple(p for p in VIDEO_PROFILES if p.height <= probe.height)
    return fitting or VIDEO_PROFILES[:1]


def timeout_for(probe: ProbeResult) -> float:
    """How long one ffmpeg run may take: proportional to the recording's duration."""
    limits = media_settings()
    return max(
        limits["TRANSCODE_TIMEOUT_MIN_SECONDS"],
        probe.duration * limits["TRANSCODE_TIMEOUT_PER_MEDIA_SECOND"],
    )


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store(path: Path, folder: str) -> Output:
    """Save a finished file as ``<folder>/<hash[:2]>/<hash>.<ext>`` unless it is there already."""
    digest = file_sha256(path)
    name = f"{folder}/{digest[:2]}/{digest}{path.suffix}"
    if not default_storage.exists(name):
        with path.open("rb") as stream:
            saved = default_storage.save(name, File(stream))
        if saved != name:
            raise MediaToolError(f"storage renamed {name} to {saved}")
    return Output(name=name, size=path.stat().st_size)


def scale_filter(stream: Any, profile: Profile, probe: ProbeResult) -> Any:
    """Scale video to the profile's height (even width), never above the source's."""
    height = min(profile.height, probe.height - probe.height % 2) or profile.height
    return stream.filter("scale", -2, height)


def render_profile(source: Path, work: Path, profile: Profile, probe: ProbeResult) -> Path:
    """Transcode ``source`` to one profile inside ``work``; return the output path."""
    target = work / f"{profile.name}.mp4"
    stream = open_input(source)
    audio_options = {
        "acodec": "aac",
        "audio_bitrate": profile.audio_bitrate,
        "ac": 1,
        "ar": profile.sample_rate,
    }
    streams = []
    if probe.audio_codec:
        streams.append(stream.audio.filter("loudnorm", **LOUDNESS))
    if profile.kind == "video":
        streams.insert(0, scale_filter(stream.video, profile, probe))
        options = {
            **(audio_options if probe.audio_codec else {}),
            "vcodec": "libx264",
            "preset": "veryfast",
            "profile:v": "main",
            "pix_fmt": "yuv420p",
            "video_bitrate": profile.video_bitrate,
            "maxrate": profile.video_bitrate,
            "bufsize": f"{int(profile.video_bitrate[:-1]) * 2}k",
        }
    else:
        options = {**audio_options, "vn": None}
    output = ffmpeg.output(
        *streams, str(target), f="mp4", movflags="+faststart", map_metadata=-1, **options
    )
    transcode(output, timeout=timeout_for(probe))
    check_complete(target, probe)
    return target


def check_complete(target: Path, probe: ProbeResult) -> None:
    """Refuse an output noticeably shorter than its source.

    ffmpeg converts a file whose data stops early without complaint and exits successfully; a
    resident would then get half a recording with no warning.
    """
    made = float(probe_file(target).get("format", {}).get("duration") or 0)
    if made < probe.duration * COMPLETE_FRACTION - COMPLETE_SLACK_SECONDS:
        raise MediaToolError(f"output lasts {made:.1f} s of {probe.duration:.1f} s")


def render_poster(source: Path, work: Path, probe: ProbeResult) -> Path:
    """A WebP frame from a tenth of the way in, 640 pixels wide at most."""
    target = work / "poster.webp"
    frame = open_input(source, ss=round(probe.duration / 10, 2)).video
    width = min(POSTER_WIDTH, probe.width - probe.width % 2) or POSTER_WIDTH
    output = ffmpeg.output(frame.filter("scale", width, -2), str(target), vframes=1, quality=70)
    transcode(output, timeout=media_settings()["TRANSCODE_TIMEOUT_MIN_SECONDS"])
    return target


def render_waveform(source: Path, work: Path, probe: ProbeResult) -> Path:
    """A 640×96 PNG of the sound's shape, shown above the audio player.

    Peaks, not averages: over a long recording a pixel column spans a second or more, and the
    average of speech samples in it is close to zero, which draws a flat line.
    """
    target = work / "waveform.png"
    wave = open_input(source).audio.filter(
        "showwavespic", s="640x96", colors="#0b6e4f", filter="peak", scale="sqrt"
    )
    output = ffmpeg.output(wave, str(target), vframes=1)
    transcode(output, timeout=timeout_for(probe))
    return target


@dataclass
class ProcessingResult:
    """Everything processing made for one asset."""

    renditions: dict[Profile, Output]
    poster: Output | None
    waveform: Output | None


def process_file(source: Path, probe: ProbeResult) -> ProcessingResult:
    """Make every rendition of a validated file; nothing is stored unless all succeed.

    Work happens in a private temporary folder that is removed afterwards, whatever happens.
    """
    with tempfile.TemporaryDirectory(prefix="banlang-media-") as folder:
        work = Path(folder)
        try:
            made = {
                profile: render_profile(source, work, profile, probe)
                for profile in profiles_for(probe)
            }
            poster = render_poster(source, work, probe) if probe.kind == "video" else None
            waveform = render_waveform(source, work, probe) if probe.audio_codec else None
        except MediaToolTimeout as error:
            logger.warning("Conversion of %s timed out: %s", source.name, error)
            raise MediaRejected("timeout") from error
        except MediaToolError as error:
            logger.warning("Conversion of %s failed: %s\n%s", source.name, error, error.stderr)
            raise MediaRejected("transcode") from error
        renditions = {}
        for profile, path in made.items():
            stored = store(path, "renditions")
            height = min(profile.height, probe.height) if profile.kind == "video" else 0
            width = round(probe.width * height / probe.height / 2) * 2 if height else 0
            renditions[profile] = Output(stored.name, stored.size, width, height)
        return ProcessingResult(
            renditions=renditions,
            poster=store(poster, "posters") if poster else None,
            waveform=store(waveform, "waveforms") if waveform else None,
        )
