"""The audio of commune loudspeaker programmes: measuring clips and rendering one file.

A programme is a list of clips (an intro jingle, articles' audio versions, announcements, an
outro) aired one after the other with a short silence between them. ``inspect_clips`` measures
every clip and names every problem at once, before anything is rendered, so an officer can fix
them all in one go. ``render`` turns good clips into one mono MP3:

1. each clip is decoded, resampled, downmixed to mono and given one gain that brings its
   measured integrated loudness to the target, so a quiet phone recording and a loud jingle end
   up equally loud; clips are joined with silences between them and peak-limited, into a WAV;
2. ffmpeg's loudnorm measures that WAV, then applies the measured correction linearly (a plain
   gain, no pumping), a limiter catches the peaks that gain raised, and a bit-exact MP3
   without metadata is encoded: the same clips and gap always give the same bytes, so the
   file can be named, cached and verified by its SHA-256;
3. the MP3 is measured with ebur128, so what is recorded is what listeners hear. Encoding
   lowers the loudness a little and raises the true peak; if the MP3 misses a target it is
   encoded again with a corrected gain or a lower limit (see ``_encode_within_targets``).

Every ffmpeg and ffprobe run goes through ``media.ffmpeg.run`` with the upload-safe input
options (local files only, allow-listed demuxers), ``-nostdin``, ``-hide_banner``, a bounded
number of threads and a time limit proportional to the audio's duration.
"""

import hashlib
import json
import logging
import math
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from media.ffmpeg import MediaToolError, input_options, media_settings, run

logger = logging.getLogger(__name__)

FULL_SCALE_WITHIN_DB = 0.1
"""A sample this close to full scale (or beyond it, in a floating-point file) counts as clipped."""

LIMITER_MARGIN_DB = 1.5
"""How far below the true-peak target the limiter holds sample peaks: room for the peaks between
samples and for the overshoot of MP3 encoding at low bit rates."""

LOUDNESS_TOLERANCE_LU = 0.5
"""How far the MP3's integrated loudness may miss the target before it is encoded again."""

CORRECTIONS = 2
"""How many times at most the MP3 is encoded again to meet the targets."""

ABSOLUTE_GATE_LUFS = -70.0
"""BS.1770's absolute gate: what is reported, in a problem's numbers, for a clip with no sound."""

PROBLEM_CODES = ("missing", "unsupported", "silent", "too_loud", "clipped", "too_long")


@dataclass(frozen=True)
class Clip:
    """One part of a programme: what the running order and problems call it, its local file
    (``None`` when the source file is missing) and the language spoken ("" for music)."""

    label: str
    path: Path | None
    language: str = ""


@dataclass(frozen=True)
class ClipProblem:
    """Why a clip cannot be aired: one of ``PROBLEM_CODES``, with numbers for the message."""

    label: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClipFacts:
    """A clip as it will be aired (decoded, resampled, downmixed to mono): its length in
    seconds, integrated loudness (LUFS; ``-inf`` or -70 for silence), true peak (dBTP) and the
    share of the source's samples at or within 0.1 dB of full scale."""

    duration: float
    loudness: float
    true_peak: float
    clipped_share: float


@dataclass(frozen=True)
class Rendering:
    """A rendered programme: the MP3 (named after its SHA-256), its size, duration, and the
    loudness, true peak and loudness range measured on the MP3 itself; the running order gives
    each clip's start in seconds."""

    path: Path
    sha256: str
    size: int
    duration: float
    loudness: float
    true_peak: float
    loudness_range: float
    running_order: list[tuple[float, str]]


class ClipsRejected(Exception):
    """Some clips cannot be aired; ``problems`` names them all."""

    def __init__(self, problems: list[ClipProblem]) -> None:
        super().__init__(", ".join(f"{problem.label}: {problem.code}" for problem in problems))
        self.problems = problems


def loudspeaker_settings() -> dict[str, Any]:
    """The ``BANLANG_LOUDSPEAKER`` settings dict."""
    return settings.BANLANG_LOUDSPEAKER


def inspect_clips(clips: list[Clip]) -> tuple[dict[str, ClipFacts], list[ClipProblem]]:
    """Measure every clip and name every problem, in the clips' order, before any rendering.

    Returns the facts of each clip that could be measured, by label, and the problems: a
    missing file, a file that is not decodable audio in an allowed container
    (``unsupported``), a clip that is silent, too loud or clipped, and the clip with which the
    programme grows longer than ``MAX_SECONDS`` (``too_long``).
    """
    facts, problems = _inspect(clips, known={})
    by_label: dict[str, ClipFacts] = {}
    for clip, measured in zip(clips, facts, strict=True):
        if measured is not None:
            by_label.setdefault(clip.label, measured)
    return by_label, problems


def render(
    clips: list[Clip],
    gap_seconds: float,
    workdir: Path,
    facts: dict[str, ClipFacts] | None = None,
) -> Rendering:
    """Render ``clips``, with ``gap_seconds`` of silence between them, into ``workdir`` as one
    loudness-normalised mono MP3 named ``<sha256>.mp3``.

    ``facts`` from an earlier ``inspect_clips`` spare measuring the clips again. Raises
    ``ClipsRejected`` (before writing anything) if any clip has a problem, and
    ``MediaToolError`` if ffmpeg fails; intermediate files are removed either way, and the MP3
    appears under its final name only once complete.
    """
    if not clips:
        raise ValueError("a programme needs at least one clip")
    if not math.isfinite(gap_seconds) or gap_seconds < 0:
        raise ValueError(f"gap must be a non-negative number of seconds, not {gap_seconds!r}")
    measured, problems = _inspect(clips, known=_unambiguous(clips, facts or {}))
    if problems:
        raise ClipsRejected(problems)
    clip_facts = [item for item in measured if item is not None]
    target = loudspeaker_settings()
    rate = int(target["SAMPLE_RATE"])
    gap = round(gap_seconds * rate)
    lengths = [round(item.duration * rate) for item in clip_facts]
    running_order, position = [], 0
    for clip, length in zip(clips, lengths, strict=True):
        running_order.append((position / rate, clip.label))
        position += length + gap
    seconds = (position - gap) / rate
    limit = _time_limit(seconds)

    workdir.mkdir(parents=True, exist_ok=True)
    stem = f".programme-{secrets.token_hex(8)}"
    joined = workdir / f"{stem}.wav"
    encoded = workdir / f"{stem}.mp3.part"
    try:
        _join(clips, clip_facts, gap, joined, limit)
        first_pass = _loudnorm(joined, [], "", "-f", "null", "-", timeout=limit)
        summary = _encode_within_targets(joined, first_pass, encoded, limit)
        digest = _sha256(encoded)
        final = workdir / f"{digest}.mp3"
        os.replace(encoded, final)
    finally:
        joined.unlink(missing_ok=True)
        encoded.unlink(missing_ok=True)
    return Rendering(
        path=final,
        sha256=digest,
        size=final.stat().st_size,
        duration=summary["duration"],
        loudness=summary["loudness"],
        true_peak=summary["true_peak"],
        loudness_range=summary["loudness_range"],
        running_order=running_order,
    )


def running_order_text(rendering_or_order: Rendering | Sequence[tuple[float, str]]) -> str:
    """The running order as lines of start time and label, e.g. ``00:35  Giá cà phê (vi)``.

    Times are ``mm:ss``, or ``h:mm:ss`` throughout when the programme reaches an hour; they are
    truncated like a clock's, so each is the second during which the clip starts.
    """
    order = (
        rendering_or_order.running_order
        if isinstance(rendering_or_order, Rendering)
        else list(rendering_or_order)
    )
    with_hours = any(start >= 3600 for start, _ in order)
    lines = []
    for start, label in order:
        whole = max(0, math.floor(start))
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        stamp = f"{hours}:{minutes:02d}:{secs:02d}" if with_hours else f"{minutes:02d}:{secs:02d}"
        lines.append(f"{stamp}  {label}")
    return "\n".join(lines)


# Measuring clips


def _inspect(
    clips: list[Clip], known: dict[str, ClipFacts]
) -> tuple[list[ClipFacts | None], list[ClipProblem]]:
    """Facts per clip (``None`` where it could not be measured) and all problems, in order."""
    limits = loudspeaker_settings()
    max_seconds = float(limits["MAX_SECONDS"])
    facts: list[ClipFacts | None] = []
    found: list[list[ClipProblem]] = []
    lengths: list[float | None] = []
    for clip in clips:
        problems: list[ClipProblem] = []
        measured, length = None, None
        if clip.path is None or not clip.path.is_file():
            problems.append(ClipProblem(clip.label, "missing", {}))
        elif clip.label in known:
            measured = known[clip.label]
            length = measured.duration
        else:
            try:
                length = _audio_duration(clip.path)
                if length is None or length <= max_seconds:
                    measured = _measure_clip(clip.path, length)
                    length = measured.duration
            except MediaToolError as error:
                logger.info("Clip %r is not usable audio: %s %s", clip.label, error, error.stderr)
                problems.append(ClipProblem(clip.label, "unsupported", {}))
        if measured is not None:
            problems.extend(_level_problems(clip.label, measured, limits))
        facts.append(measured)
        found.append(problems)
        lengths.append(length)
    total = 0.0
    for clip, length, problems in zip(clips, lengths, found, strict=True):
        if length is None:
            continue
        if total <= max_seconds < total + length:
            params = {"seconds": round(total + length, 1), "limit": limits["MAX_SECONDS"]}
            problems.append(ClipProblem(clip.label, "too_long", params))
        total += length
    return facts, [problem for problems in found for problem in problems]


def _level_problems(label: str, facts: ClipFacts, limits: dict[str, Any]) -> list[ClipProblem]:
    """Silent, too loud or clipped, by the settings' thresholds."""
    problems = []
    loudness = facts.loudness if math.isfinite(facts.loudness) else ABSOLUTE_GATE_LUFS
    if loudness < limits["SILENT_BELOW_LUFS"]:
        problems.append(ClipProblem(label, "silent", {"loudness": round(loudness, 1)}))
    elif loudness > limits["TOO_LOUD_ABOVE_LUFS"]:
        problems.append(ClipProblem(label, "too_loud", {"loudness": round(loudness, 1)}))
    if facts.clipped_share > limits["CLIPPED_SHARE"]:
        problems.append(ClipProblem(label, "clipped", {"share": round(facts.clipped_share, 4)}))
    return problems


def _unambiguous(clips: list[Clip], facts: dict[str, ClipFacts]) -> dict[str, ClipFacts]:
    """The given facts whose label names one file only (facts are keyed by label)."""
    paths: dict[str, set[Path | None]] = {}
    for clip in clips:
        paths.setdefault(clip.label, set()).add(clip.path)
    return {label: value for label, value in facts.items() if len(paths.get(label, ())) == 1}


def _audio_duration(path: Path) -> float | None:
    """The duration ffprobe reads from the container, or ``None`` if it does not say;
    raises ``MediaToolError`` if the file is not in an allowed format or has no audio."""
    completed = run(
        [
            "ffprobe",
            "-hide_banner",
            "-v",
            "error",
            *_input_args(path),
            "-show_entries",
            "stream=codec_type,duration:format=duration",
            "-of",
            "json",
            str(path),
        ],
        timeout=media_settings()["PROBE_TIMEOUT_SECONDS"],
    )
    description = json.loads(completed.stdout or b"{}")
    audio = [s for s in description.get("streams", []) if s.get("codec_type") == "audio"]
    if not audio:
        raise MediaToolError("no audio stream")
    for value in (description.get("format", {}).get("duration"), audio[0].get("duration")):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _measure_clip(path: Path, probed_seconds: float | None) -> ClipFacts:
    """Decode the clip's first audio stream once: the share of its samples at full scale, as
    recorded; and the loudness, true peak and exact length of it as it will be aired."""
    limits = loudspeaker_settings()
    rate = int(limits["SAMPLE_RATE"])
    at_most = float(limits["MAX_SECONDS"]) + 1
    threshold = 10 ** (-FULL_SCALE_WITHIN_DB / 20)
    graph = (
        "[0:a:0]asplit=2[recorded][aired];"
        f"[recorded]aeval=exprs='gte(abs(val(ch)),{threshold:.6f})':channel_layout=same,"
        "astats=metadata=0:measure_perchannel=none:measure_overall=DC_offset[share];"
        f"[aired]{_as_aired(rate)},ebur128=peak=true:framelog=verbose,"
        "astats=metadata=0:measure_perchannel=none:measure_overall=Number_of_samples[level]"
    )
    completed = run(
        [
            *_ffmpeg(),
            "-t",
            f"{at_most:g}",
            *_input_args(path),
            "-i",
            str(path),
            "-filter_complex",
            graph,
            *_output_args("-map", "[share]", "-c:a", "pcm_f32le", "-f", "null"),
            "-",
            *_output_args("-map", "[level]", "-c:a", "pcm_f32le", "-f", "null"),
            "-",
        ],
        timeout=_time_limit(min(probed_seconds or at_most, at_most)),
    )
    stderr = completed.stderr.decode("utf-8", "replace")
    samples = [int(n) for n in re.findall(r"Number of samples: (\d+)", stderr)]
    shares = re.findall(r"DC offset: (\S+)", stderr)
    if len(samples) != 1 or samples[0] == 0 or len(shares) != 1:
        # Nothing decoded, or the stream changed format midway (ffmpeg then restarts the
        # filters, which would also restart a programme's concatenation).
        raise MediaToolError("no audio decoded, or its format changed midway", stderr[-2000:])
    summary = _ebur128_summary(stderr)
    return ClipFacts(
        duration=samples[0] / rate,
        loudness=summary["loudness"],
        true_peak=summary["true_peak"],
        clipped_share=max(0.0, _number(shares[0])),
    )


# Rendering


def _join(
    clips: list[Clip], facts: list[ClipFacts], gap: int, output: Path, timeout: float
) -> None:
    """Each clip brought to the target loudness, silences between, limited, into a WAV."""
    target = loudspeaker_settings()
    rate = int(target["SAMPLE_RATE"])
    inputs: list[str] = []
    chains: list[str] = []
    for index, (clip, measured) in enumerate(zip(clips, facts, strict=True)):
        assert clip.path is not None
        inputs += [*_input_args(clip.path), "-i", str(clip.path)]
        gain = target["LOUDNESS_LUFS"] - measured.loudness
        # Exactly the measured length (and the gap), whatever the decoder does at the ends:
        # the running order is computed from these lengths.
        length = round(measured.duration * rate)
        whole = length + (gap if index < len(clips) - 1 else 0)
        chains.append(
            f"[{index}:a:0]{_as_aired(rate)},volume=volume={gain:.4f}dB:precision=double,"
            f"atrim=end_sample={length},apad=whole_len={whole}[c{index}]"
        )
    labels = "".join(f"[c{index}]" for index in range(len(clips)))
    graph = ";".join(
        [
            *chains,
            f"{labels}concat=n={len(clips)}:v=0:a=1,"
            f"{_limiter(target['TRUE_PEAK_DBTP'] - LIMITER_MARGIN_DB)}[out]",
        ]
    )
    run(
        [
            *_ffmpeg(),
            *inputs,
            "-filter_complex",
            graph,
            *_output_args("-map", "[out]", "-c:a", "pcm_f32le", "-map_metadata", "-1"),
            *("-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "wav", "-y", str(output)),
        ],
        timeout=timeout,
    )


def _loudnorm(
    source: Path, options: list[str], after: str, *output: str, timeout: float
) -> dict[str, str]:
    """Run loudnorm on ``source`` (with extra loudnorm ``options``, then the filters ``after``)
    into ``output`` and return its JSON report."""
    target = loudspeaker_settings()
    settings_ = [
        f"I={target['LOUDNESS_LUFS']}",
        f"TP={target['TRUE_PEAK_DBTP']}",
        f"LRA={target['LOUDNESS_RANGE_LU']}",
        *options,
        "print_format=json",
    ]
    rate = int(target["SAMPLE_RATE"])
    completed = run(
        [
            *_ffmpeg(),
            *_input_args(source),
            "-i",
            str(source),
            # loudnorm's dynamic mode outputs 192 kHz: back to the programme's rate. (ffmpeg
            # 5.1 cannot negotiate a channel layout for ``loudnorm,aresample``; ``aformat``
            # names one and lets ffmpeg insert the resampler.)
            "-af",
            f"loudnorm={':'.join(settings_)},"
            f"aformat=sample_fmts=flt:sample_rates={rate}:channel_layouts=mono{after}",
            *_output_args(*output[:-1]),
            output[-1],
        ],
        timeout=timeout,
    )
    stderr = completed.stderr.decode("utf-8", "replace")
    start, end = stderr.rfind("{"), stderr.rfind("}")
    if start < 0 or end < start:
        raise MediaToolError("loudnorm printed no measurement", stderr[-2000:])
    try:
        return json.loads(stderr[start : end + 1])
    except json.JSONDecodeError as error:
        raise MediaToolError(
            "loudnorm printed an unreadable measurement", stderr[-2000:]
        ) from error


def _encode_within_targets(
    source: Path, first_pass: dict[str, str], output: Path, timeout: float
) -> dict[str, float]:
    """Encode ``source`` with the second loudnorm pass and measure the MP3; what it measures.

    MP3 encoding at a low bit rate moves the result: it raises the true peak (by a few tenths
    of a dB, more on spiky audio) and lowers the loudness (its low-pass filter removes what
    K-weighting counts most). If the MP3 misses the true-peak target, or the loudness target by
    more than ``LOUDNESS_TOLERANCE_LU``, it is encoded again, at most ``CORRECTIONS`` times,
    with the limiter lowered by the excess and the gain corrected by the error. The same source
    takes the same steps, so the result is still the same bytes every time.
    """
    target = loudspeaker_settings()
    gain, ceiling = 0.0, target["TRUE_PEAK_DBTP"] - LIMITER_MARGIN_DB
    for _attempt in range(1 + CORRECTIONS):
        _encode(source, first_pass, output, timeout, gain, ceiling)
        summary = _measure_output(output, timeout)
        error = target["LOUDNESS_LUFS"] - summary["loudness"]
        excess = summary["true_peak"] - target["TRUE_PEAK_DBTP"]
        logger.info("Encoded with gain %.2f dB, ceiling %.2f dB: %s", gain, ceiling, summary)
        if excess <= 0 and abs(error) <= LOUDNESS_TOLERANCE_LU:
            break
        if abs(error) > LOUDNESS_TOLERANCE_LU:
            gain += error
        if excess > 0:
            ceiling -= excess + 0.2
    else:
        logger.warning("Programme misses its loudness targets after corrections: %s", summary)
    return summary


def _encode(
    source: Path,
    first_pass: dict[str, str],
    output: Path,
    timeout: float,
    gain_db: float,
    ceiling_db: float,
) -> None:
    """Second loudnorm pass with the first pass's measurement, linear (a plain gain), then a
    correcting gain and a limiter holding sample peaks under ``ceiling_db``, into a bit-exact
    MP3 without metadata."""
    target = loudspeaker_settings()
    options = [
        f"measured_I={_clamped(first_pass['input_i'], -99, 0)}",
        f"measured_TP={_clamped(first_pass['input_tp'], -99, 99)}",
        # loudnorm takes a loudness range of 0 for "not measured" and then falls back to its
        # dynamic mode, which pumps; a steady programme really measures 0.
        f"measured_LRA={_clamped(first_pass['input_lra'], 0.01, 99)}",
        f"measured_thresh={_clamped(first_pass['input_thresh'], -99, 0)}",
        f"offset={_clamped(first_pass['target_offset'], -99, 99)}",
        "linear=true",
    ]
    after = f",volume=volume={gain_db:.2f}dB:precision=double" if gain_db else ""
    after += f",{_limiter(ceiling_db)}"
    report = _loudnorm(
        source,
        options,
        after,
        *("-c:a", "libmp3lame", "-b:a", target["BIT_RATE"]),
        *("-ar", str(target["SAMPLE_RATE"]), "-ac", "1"),
        *("-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"),
        *("-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", "-y", str(output)),
        timeout=timeout,
    )
    if report.get("normalization_type") != "linear":
        logger.warning("loudnorm could not normalise %s linearly: %s", source.name, report)


def _measure_output(path: Path, timeout: float) -> dict[str, float]:
    """Integrated loudness, loudness range, true peak and duration of the rendered MP3.

    The duration is the decoded length. ffprobe's is not exact for an MP3: it counts whole
    frames, including the encoder's delay and padding (about 27 ms at 44.1 kHz), which the LAME
    header tells decoders to drop.
    """
    rate = int(loudspeaker_settings()["SAMPLE_RATE"])
    completed = run(
        [
            *_ffmpeg(),
            *_input_args(path),
            "-i",
            str(path),
            "-af",
            f"aformat=sample_rates={rate},ebur128=peak=true:framelog=verbose,"
            "astats=metadata=0:measure_perchannel=none:measure_overall=Number_of_samples",
            *_output_args("-f", "null"),
            "-",
        ],
        timeout=timeout,
    )
    stderr = completed.stderr.decode("utf-8", "replace")
    samples = re.findall(r"Number of samples: (\d+)", stderr)
    if not samples:
        raise MediaToolError("no audio decoded from the rendering", stderr[-2000:])
    return {**_ebur128_summary(stderr), "duration": int(samples[-1]) / rate}


# Small helpers


def _ffmpeg() -> list[str]:
    """ffmpeg with the hardened global options, logging at info level (for the measurements);
    each input (``_input_args``) and output (``_output_args``) also gets the thread limit."""
    return [
        "ffmpeg",
        *("-nostdin", "-hide_banner", "-nostats", "-loglevel", "info"),
        *("-filter_complex_threads", _threads()),
    ]


def _threads() -> str:
    return str(media_settings()["FFMPEG_THREADS"])


def _output_args(*options: str) -> list[str]:
    """Options for one output, with the thread limit."""
    return [*options, "-threads", _threads()]


def _input_args(path: Path) -> list[str]:
    """The confining input options (local files, allow-listed demuxers) and thread limit."""
    options = [item for key, value in input_options().items() for item in (f"-{key}", value)]
    return [*options, "-threads", _threads()]


def _as_aired(rate: int) -> str:
    """Filters turning any decoded audio into the programme's mono stream at ``rate``."""
    return f"aresample={rate},aformat=sample_fmts=flt:sample_rates={rate}:channel_layouts=mono"


def _limiter(ceiling_db: float) -> str:
    """A look-ahead limiter holding sample peaks under ``ceiling_db``, without delaying the
    audio (``latency``) or raising it back to full scale (``level``)."""
    limit = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))
    return f"alimiter=limit={limit:.6f}:attack=5:release=50:level=false:latency=true"


def _time_limit(seconds: float) -> float:
    """How long ffmpeg may work on ``seconds`` of audio."""
    limits = media_settings()
    return max(
        float(limits["TRANSCODE_TIMEOUT_MIN_SECONDS"]),
        seconds * float(limits["TRANSCODE_TIMEOUT_PER_MEDIA_SECOND"]),
    )


def _ebur128_summary(stderr: str) -> dict[str, float]:
    """The last ebur128 summary in ``stderr`` (ffmpeg may set a filter graph up twice, and the
    first, unused one prints an empty summary)."""
    if "Summary:" not in stderr:
        raise MediaToolError("ebur128 printed no summary", stderr[-2000:])
    summary = stderr.rsplit("Summary:", 1)[1]
    found = {
        "loudness": re.search(r"\bI:\s+(\S+) LUFS", summary),
        "loudness_range": re.search(r"\bLRA:\s+(\S+) LU\b", summary),
        "true_peak": re.search(r"\bPeak:\s+(\S+) dBFS", summary),
    }
    if not all(found.values()):
        raise MediaToolError("ebur128 printed an unreadable summary", stderr[-2000:])
    return {key: _number(match.group(1)) for key, match in found.items() if match}


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError as error:
        raise MediaToolError(f"unreadable number {text!r} in ffmpeg's output") from error


def _clamped(value: str, low: float, high: float) -> str:
    """A number from loudnorm's report, within the range its second pass accepts."""
    number = _number(value)
    if math.isnan(number):
        raise MediaToolError(f"loudnorm measured {value!r}")
    return f"{min(high, max(low, number)):.2f}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
