"""Recordings and hostile files made on the spot with ffmpeg and Pillow."""

import io
import shutil
import socket
import subprocess
import threading

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg not installed (apt-get install ffmpeg)"
)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=120)


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Small real recordings: speech-like audio, a 480p video, and broken or hostile files."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    folder = tmp_path_factory.mktemp("clips")
    speech = "anoisesrc=c=pink:r=44100:a=0.5,bandpass=f=1000:width_type=h:w=2500,tremolo=f=4:d=0.9"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        speech,
        "-t",
        "6",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        str(folder / "speech.m4a"),
    )
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=854x480:r=25",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440",
        "-t",
        "4",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-c:a",
        "aac",
        "-shortest",
        str(folder / "video-480p.mp4"),
    )
    whole = (folder / "video-480p.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(whole[: len(whole) // 2])
    ffmpeg(
        "-i",
        str(folder / "video-480p.mp4"),
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        str(folder / "faststart.mp4"),
    )
    faststart = (folder / "faststart.mp4").read_bytes()
    (folder / "damaged-faststart.mp4").write_bytes(faststart[: len(faststart) // 3])
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "anullsrc=r=8000:cl=mono",
        "-t",
        "36000",
        "-c:a",
        "flac",
        str(folder / "ten-hours.flac"),
    )
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "notes.mp3").write_text("Biên bản họp thôn, không phải tệp âm thanh.\n" * 50)
    return folder


class LoopbackListener:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture
def listener():
    server = LoopbackListener()
    yield server
    server.close()


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user


def jpeg_with_gps() -> bytes:
    """A photo carrying GPS coordinates, camera make, model and serial number in EXIF."""
    image = Image.new("RGB", (640, 480), (40, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0xA431] = "SN-123456"
    gps = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 12.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def pixel_bomb_png() -> bytes:
    """A 20,000 × 20,000 PNG that is tiny on disk and 400 megapixels in memory."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg_html_polyglot() -> bytes:
    """A valid JPEG with an HTML page with a script appended after its image data."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue() + b"<html><body><script>alert(document.cookie)</script></body></html>"
