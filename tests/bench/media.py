"""Media benchmark: bytes, bitrate and speed of every rendition the media pipeline makes.

Generates four clips with ffmpeg's ``lavfi`` sources (60 s of 720p video of a test pattern and
60 s of footage that compresses like a phone's, with motion and sensor noise; 60 s and 10 min of
speech-like audio), runs each through ``inspect_upload`` and then times every
applicable profile of ``render_profile`` (plus the poster and the waveform), each run in its own
temporary folder, taking the median of ``--repeat`` runs. Prints a table, checks the size and
speed targets and writes ``var/bench/media.json`` as ``{"metric", "value", "unit"}``.

    python -m tests.bench.media [--repeat 1]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench.common import write_report

# Speech-like sound: pink noise in the telephone band, cut into ~4 syllables a second whose rate
# and loudness drift, with a pause of about a second every few seconds.
SPEECH_ENVELOPE = (
    "val(0)"
    "*pow(abs(sin(PI*4*t+2*sin(2*PI*0.23*t))),1.5)"
    "*(0.6+0.4*sin(2*PI*0.9*t))"
    "*lt(mod(t,4.7),3.6)"
)

TARGETS = (
    # (metric, limit, unit, True if the figure must stay at or below the limit)
    ("speech_low_bytes_per_min", 266_240, "bytes", True),
    ("video_240p_bytes_per_min", 2_411_724, "bytes", True),
    ("video_360p_speed_x_realtime", 2.0, "x realtime", False),
    ("phone_240p_bytes_per_min", 2_411_724, "bytes", True),
    ("phone_360p_speed_x_realtime", 2.0, "x realtime", False),
)


@dataclass(frozen=True)
class Clip:
    """A test recording to generate: its file name, length and ffmpeg arguments."""

    name: str
    duration: int
    arguments: tuple[str, ...]

    @property
    def key(self) -> str:
        """The clip's name as it appears in metric names: ``video_720p_60s``."""
        return self.name.rsplit(".", 1)[0].replace("-", "_")


@dataclass
class Measurement:
    """One thing timed on one clip: a profile, the poster or the waveform."""

    clip: Clip
    task: str
    size: int
    seconds: float
    duration: float

    @property
    def kbps(self) -> float:
        """Average bitrate of the output over the recording's duration."""
        return self.size * 8 / self.duration / 1000

    @property
    def speed(self) -> float:
        """Seconds of recording processed per second of wall-clock time."""
        return self.duration / self.seconds


def phone_upload(name: str, duration: int, picture: str, sound: str) -> Clip:
    """An upload as a phone makes it, of the ``lavfi`` sources ``picture`` and ``sound``:
    H.264 CRF 23 and 128 kbit/s stereo AAC."""
    return Clip(
        name,
        duration,
        ("-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", sound,
         "-map", "0:v", "-map", "1:a",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest"),
    )  # fmt: skip


def video_clip(duration: int) -> Clip:
    """A test pattern at 1280×720, 25 fps, with a tone."""
    return phone_upload(
        f"video-720p-{duration}s.mp4",
        duration,
        f"testsrc2=size=1280x720:rate=25:duration={duration}",
        f"sine=frequency=440:sample_rate=48000:duration={duration}",
    )


def phone_clip(duration: int) -> Clip:
    """Footage that compresses like a phone's: a detailed scene always in motion (a Mandelbrot
    zoom), a hand's shake, sensor noise in every frame and ambient sound, at 1280×720, 25 fps
    (about 12 Mbit/s, where the test pattern makes 2.5)."""
    return phone_upload(
        f"video-phone-720p-{duration}s.mp4",
        duration,
        "mandelbrot=size=1344x768:rate=25,"
        "crop=1280:720:32+24*sin(2*PI*t*0.7):24+16*sin(2*PI*t*1.1),"
        f"noise=alls=14:allf=t+u,trim=duration={duration}",
        f"anoisesrc=color=pink:amplitude=0.3:sample_rate=48000:duration={duration}",
    )


def speech_clip(duration: int, label: str) -> Clip:
    """A voice-memo-like upload: band-passed, syllable-modulated pink noise, 128 kbit/s AAC."""
    return Clip(
        f"speech-{label}.m4a",
        duration,
        (
            "-f",
            "lavfi",
            "-i",
            f"anoisesrc=color=pink:amplitude=0.8:sample_rate=44100:seed=7:duration={duration}",
            "-af",
            f"highpass=f=300:poles=2,lowpass=f=3400:poles=2,aeval='{SPEECH_ENVELOPE}':c=same",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ac",
            "1",
        ),
    )


CLIPS = (
    video_clip(60),
    phone_clip(60),
    speech_clip(60, "60s"),
    speech_clip(600, "10min"),
)


def configure_environment() -> None:
    """Test settings: the media functions need ``BANLANG_MEDIA`` but no database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()


def generate(clip: Clip, folder: Path) -> Path:
    """Write ``clip`` into ``folder`` with the plain ffmpeg binary; return its path."""
    path = folder / clip.name
    started = time.perf_counter()
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *clip.arguments, str(path)], check=True, stdin=subprocess.DEVNULL)
    print(
        f"  generated {clip.name}: {path.stat().st_size:,} bytes "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return path


def time_runs(render: Callable[[Path], Path], repeat: int) -> tuple[int, float]:
    """Run ``render`` ``repeat`` times, each in a fresh folder; output bytes and median seconds."""
    from media.ffmpeg import MediaToolError

    timings = []
    sizes = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="banlang-bench-media-") as folder:
            started = time.perf_counter()
            try:
                output = render(Path(folder))
            except MediaToolError as error:
                print(error.stderr, file=sys.stderr)
                raise
            timings.append(time.perf_counter() - started)
            sizes.append(output.stat().st_size)
    return int(statistics.median(sizes)), statistics.median(timings)


def measure(clip: Clip, source: Path, repeat: int) -> list[Measurement]:
    """Inspect one clip, then time every profile it gets, its poster and its waveform."""
    from media.processing import profiles_for, render_poster, render_profile, render_waveform
    from media.validation import inspect_upload

    probe = inspect_upload(source)
    tasks: dict[str, Callable[[Path], Path]] = {
        profile.name: lambda work, profile=profile: render_profile(source, work, profile, probe)
        for profile in profiles_for(probe)
    }
    if probe.kind == "video":
        tasks["poster"] = lambda work: render_poster(source, work, probe)
    if probe.audio_codec:
        tasks["waveform"] = lambda work: render_waveform(source, work, probe)
    results = []
    for task, render in tasks.items():
        size, seconds = time_runs(render, repeat)
        results.append(Measurement(clip, task, size, seconds, probe.duration))
        print(f"  {clip.name} {task}: {size:,} bytes in {seconds:.2f} s")
    return results


def metrics(measurements: list[Measurement]) -> list[dict[str, float | int | str]]:
    """The JSON records: per clip and task, then the headline figures the targets use."""
    results: list[dict[str, float | int | str]] = []

    def add(metric: str, value: float, unit: str) -> None:
        results.append({"metric": metric, "value": value, "unit": unit})

    by_name: dict[tuple[str, str], Measurement] = {}
    for item in measurements:
        by_name[item.clip.key, item.task] = item
        prefix = f"{item.clip.key}_{item.task.replace('-', '_')}"
        add(f"{prefix}_bytes", item.size, "bytes")
        add(f"{prefix}_seconds", round(item.seconds, 3), "s")
        if item.task != "poster":
            add(f"{prefix}_speed_x_realtime", round(item.speed, 2), "x")
        if item.task not in ("poster", "waveform"):
            add(f"{prefix}_kbps", round(item.kbps, 1), "kbit/s")
    speech = by_name.get(("speech_60s", "speech-32k"))
    video_240p = by_name.get(("video_720p_60s", "video-240p"))
    video_360p = by_name.get(("video_720p_60s", "video-360p"))
    if speech:
        add("speech_low_bytes_per_min", round(speech.size * 60 / speech.duration), "bytes")
    if video_240p:
        add("video_240p_bytes_per_min", round(video_240p.size * 60 / video_240p.duration), "bytes")
    if video_360p:
        add("video_360p_speed_x_realtime", round(video_360p.speed, 2), "x")
    for task in ("video-240p", "video-360p"):
        phone = by_name.get(("video_phone_720p_60s", task))
        if phone:
            label = task.removeprefix("video-")
            add(f"phone_{label}_bytes_per_min", round(phone.size * 60 / phone.duration), "bytes")
            add(f"phone_{label}_speed_x_realtime", round(phone.speed, 2), "x")
    return results


def table_row(*cells: str) -> str:
    """One line of the printed table: clip and task, then right-aligned figures."""
    return f"{cells[0]:<20}{cells[1]:<12}" + "".join(f"{cell:>12}" for cell in cells[2:])


def print_table(measurements: list[Measurement]) -> None:
    """Bytes, bitrate, time and speed of everything measured."""
    print("\n" + table_row("clip", "profile", "bytes", "kbit/s", "time (s)", "× realtime"))
    for item in measurements:
        kbps = "-" if item.task in ("poster", "waveform") else f"{item.kbps:.1f}"
        speed = "-" if item.task == "poster" else f"{item.speed:.1f}×"
        clip = item.clip.name.rsplit(".", 1)[0]
        print(table_row(clip, item.task, f"{item.size:,}", kbps, f"{item.seconds:.2f}", speed))


def print_targets(results: list[dict[str, float | int | str]]) -> None:
    """Whether each target holds; a miss is reported, never fatal."""
    values = {str(record["metric"]): record["value"] for record in results}
    print("\ntargets")
    for metric, limit, unit, at_most in TARGETS:
        value = values.get(metric)
        sign = "≤" if at_most else ">"
        if value is None:
            print(f"  {metric:<30} not measured")
            continue
        held = float(value) <= limit if at_most else float(value) > limit
        margin = f"{float(value) / limit - 1:+.1%} of the limit"
        print(
            f"  {metric:<30} {value:>12,} {unit} {sign} {limit:,}: "
            f"{'ok' if held else 'MISSED'} ({margin})"
        )


def main() -> None:
    """Generate the clips, measure, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per profile (median)")
    args = parser.parse_args()

    configure_environment()
    measurements: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="banlang-bench-clips-") as folder:
        for clip in CLIPS:
            source = generate(clip, Path(folder))
            measurements += measure(clip, source, max(1, args.repeat))

    results = metrics(measurements)
    print_table(measurements)
    print_targets(results)
    output = write_report("media", results)
    print(f"\nmedian of {max(1, args.repeat)} run(s) each; written to {output}")


if __name__ == "__main__":
    main()
