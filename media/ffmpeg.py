"""Running ffprobe and ffmpeg on untrusted files, safely.

Every invocation reads only local files (``-protocol_whitelist file``), opens only the
allow-listed demuxers (``-format_whitelist``, so a playlist or concat script renamed ``.mp4`` is
refused before it can name another file or URL), never reads standard input, uses at most
``FFMPEG_THREADS`` threads and is killed when its time is up. Paths are always ones the server
made; nothing from the upload reaches the command line.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import ffmpeg
from django.conf import settings

NICENESS = 10
"""Media tools run below the web server's priority, so conversions never slow pages down."""


class MediaToolError(Exception):
    """ffprobe or ffmpeg failed on a file."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


class MediaToolTimeout(MediaToolError):
    """ffprobe or ffmpeg ran longer than allowed and was killed."""


def media_settings() -> dict[str, Any]:
    """The ``BANLANG_MEDIA`` settings dict."""
    return settings.BANLANG_MEDIA


def input_options() -> dict[str, str]:
    """Options that confine how ffmpeg and ffprobe open an input."""
    return {
        "protocol_whitelist": "file",
        "format_whitelist": ",".join(media_settings()["DEMUXERS"]),
    }


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run a media tool, killing it after ``timeout`` seconds; raise on any failure."""
    niced = ["nice", "-n", str(NICENESS), *args] if shutil.which("nice") else args
    try:
        completed = subprocess.run(
            niced,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise MediaToolTimeout(f"{args[0]} killed after {timeout:.0f} s") from expired
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace")[-2000:]
        raise MediaToolError(f"{args[0]} exited with {completed.returncode}", stderr)
    return completed


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's description of the file's container and streams, as a dict."""
    args = [
        "ffprobe",
        "-v",
        "error",
        *[item for key, value in input_options().items() for item in (f"-{key}", value)],
        "-show_format",
        "-show_streams",
        "-of",
        "json",
        str(path),
    ]
    completed = run(args, timeout=media_settings()["PROBE_TIMEOUT_SECONDS"])
    return json.loads(completed.stdout or b"{}")


def transcode(output: Any, timeout: float) -> None:
    """Run an ffmpeg-python output graph with the hardened global options."""
    threads = str(media_settings()["FFMPEG_THREADS"])
    args = output.global_args(
        "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", threads
    ).compile(overwrite_output=True)
    run(args, timeout=timeout)


def open_input(path: Path, **options: Any) -> Any:
    """An ffmpeg-python input for a server-side path, confined by ``input_options``."""
    return ffmpeg.input(str(path), **input_options(), **options)
