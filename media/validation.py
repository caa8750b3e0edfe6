"""What an upload must be to be accepted: checked from ffprobe's report, before any transcoding."""

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from media.errors import MediaRejected
from media.ffmpeg import MediaToolError, media_settings, probe


@dataclass(frozen=True)
class ProbeResult:
    """The facts about an upload that processing and the editor need."""

    kind: str
    container: str
    duration: float
    size: int
    bit_rate: int
    audio_codec: str
    video_codec: str
    width: int
    height: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored on the asset."""
        return asdict(self)


def inspect_upload(path: Path) -> ProbeResult:
    """Probe a file on disk and apply every rule; raise ``MediaRejected`` with the first broken.

    Size is checked before ffprobe runs, duration and picture size right after, so a ten-hour
    file is refused in milliseconds, never transcoded.
    """
    limits = media_settings()
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected("empty")
    if size > limits["MAX_UPLOAD_BYTES"]:
        raise MediaRejected("too_big", limit=limits["MAX_UPLOAD_BYTES"] // 1024**2)
    try:
        report = probe(path)
    except MediaToolError as error:
        code = "timeout" if "killed" in str(error) else "unreadable"
        raise MediaRejected(code) from error
    return check_report(report, size)


def check_report(report: dict[str, Any], size: int) -> ProbeResult:
    """Turn ffprobe's report into a ``ProbeResult``, or refuse it."""
    limits = media_settings()
    container = report.get("format", {}).get("format_name", "")
    if container not in limits["DEMUXERS"]:
        raise MediaRejected("unreadable")
    streams = report.get("streams", [])
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
        ),
        None,
    )
    if audio is None and video is None:
        raise MediaRejected("no_streams")
    if audio and audio.get("codec_name") not in limits["AUDIO_CODECS"]:
        raise MediaRejected("codec", codec=audio.get("codec_name", "?"))
    if video and video.get("codec_name") not in limits["VIDEO_CODECS"]:
        raise MediaRejected("codec", codec=video.get("codec_name", "?"))
    duration = float(report.get("format", {}).get("duration") or 0)
    if duration <= 0:
        raise MediaRejected("unreadable")
    if duration > limits["MAX_DURATION_SECONDS"]:
        raise MediaRejected(
            "too_long", minutes=round(duration / 60), limit=limits["MAX_DURATION_SECONDS"] // 60
        )
    width = int(video.get("width", 0)) if video else 0
    height = int(video.get("height", 0)) if video else 0
    if video and (width > limits["MAX_WIDTH"] or height > limits["MAX_HEIGHT"]):
        raise MediaRejected(
            "too_large_picture",
            width=width,
            height=height,
            limit=f"{limits['MAX_WIDTH']}×{limits['MAX_HEIGHT']}",
        )
    return ProbeResult(
        kind="video" if video else "audio",
        container=container,
        duration=duration,
        size=size,
        bit_rate=int(report.get("format", {}).get("bit_rate") or 0),
        audio_codec=audio.get("codec_name", "") if audio else "",
        video_codec=video.get("codec_name", "") if video else "",
        width=width,
        height=height,
    )
