"""Commune loudspeaker programmes: measuring clips, refusing bad ones by name, and rendering a
loudness-normalised mono MP3 with real ffmpeg on clips made on the spot with lavfi sources."""

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from outreach.loudspeaker_audio import (
    Clip,
    ClipProblem,
    ClipsRejected,
    inspect_clips,
    render,
    running_order_text,
)

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg not installed (apt-get install ffmpeg)",
)

SPEECH = (
    "anoisesrc=c=pink:r={rate}:a=0.5:seed={seed},"
    "bandpass=f=1000:width_type=h:w=2500,tremolo=f=4:d=0.9"
)
"""Speech-like audio: pink noise in the voice band, pulsing at syllable rate, about -30 LUFS."""

GAP = 1.5


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, timeout=60)


def speech(rate: int = 44100, seed: int = 1, gain_db: float = 0.0) -> str:
    return SPEECH.format(rate=rate, seed=seed) + f",volume={gain_db}dB"


def jingle(notes: tuple[int, ...]) -> str:
    """A chord of sine tones faded in and out, like a station jingle."""
    tones = "+".join(f"sin(2*PI*{f}*t)" for f in notes)
    return f"aevalsrc='0.12*({tones})':s=48000:c=stereo,afade=t=in:d=0.3,afade=t=out:st=1.7:d=0.3"


def ffprobe(path: Path) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


def gaps_in(path: Path) -> list[tuple[float, float]]:
    """Where the rendered file is silent for a second or more, by ffmpeg's silencedetect."""
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-af",
         "silencedetect=noise=-50dB:d=1", "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    starts = [float(s) for s in re.findall(r"silence_start: (-?[\d.]+)", result.stderr)]
    ends = [float(s) for s in re.findall(r"silence_end: (-?[\d.]+)", result.stderr)]
    return list(zip(starts, ends, strict=True))


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    """An intro, four spoken clips of very different loudness, formats, rates and channel
    layouts, and an outro; with the length each was made with."""
    folder = tmp_path_factory.mktemp("programme")
    made = [
        # label, file, language, lavfi source, seconds, encoding options
        ("Nhạc hiệu", "intro.ogg", "", jingle((440, 554, 659)), 2.0,
         ["-c:a", "libopus", "-b:a", "96k"]),
        ("Giá cà phê tuần này (vi)", "quiet.mp3", "vi", speech(16000, 1), 4.0,
         ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k"]),
        ("Tiêm phòng cho trâu bò (ede)", "loud.wav", "ede",
         speech(44100, 2, 36) + ",alimiter=limit=0.7:level=false", 3.0,
         ["-ac", "2", "-c:a", "pcm_s16le"]),
        ("Lịch họp thôn (vi)", "normal.m4a", "vi", speech(48000, 3, 10), 5.0,
         ["-ac", "2", "-c:a", "aac", "-b:a", "96k"]),
        ("Phòng chống sốt rét (jra)", "phone.wav", "jra", speech(8000, 4, 6), 3.0,
         ["-ac", "1", "-c:a", "pcm_s16le"]),
        ("Nhạc kết", "outro.mp3", "", jingle((392, 494, 587)), 2.0,
         ["-c:a", "libmp3lame", "-b:a", "128k"]),
    ]  # fmt: skip
    clips, seconds = [], []
    for label, name, language, source, length, options in made:
        ffmpeg("-f", "lavfi", "-i", source, "-t", str(length), *options, str(folder / name))
        clips.append(Clip(label=label, path=folder / name, language=language))
        seconds.append(length)
    return clips, seconds


@pytest.fixture(scope="module")
def rendered(programme, tmp_path_factory):
    clips, _ = programme
    facts, problems = inspect_clips(clips)
    assert problems == []
    workdir = tmp_path_factory.mktemp("render")
    return facts, workdir, render(clips, GAP, workdir, facts=facts)


@pytest.fixture(scope="module")
def bad_clips(tmp_path_factory):
    """One good clip and one clip for every way a clip can be refused."""
    folder = tmp_path_factory.mktemp("bad")
    ffmpeg("-f", "lavfi", "-i", speech(44100, 5, 10), "-t", "3", "-c:a", "libmp3lame",
           str(folder / "good.mp3"))  # fmt: skip
    (folder / "minutes.mp3").write_text("Biên bản họp thôn, không phải tệp âm thanh.\n" * 50)
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=10", "-t", "2", "-c:v", "libx264",
           "-preset", "ultrafast", str(folder / "camera.mp4"))  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", "-c:a", "pcm_s16le",
           str(folder / "silence.wav"))  # fmt: skip
    # A test tone left at -0.9 dBFS: about -4 LUFS, too loud but not clipped.
    ffmpeg("-f", "lavfi", "-i", "sine=f=1000:r=48000,volume=7.2", "-t", "3", "-ac", "2",
           "-c:a", "aac", "-b:a", "128k", str(folder / "tone.m4a"))  # fmt: skip
    # Speech recorded 20 dB too hot into 16-bit: its peaks are cut flat at full scale.
    ffmpeg("-f", "lavfi", "-i", speech(44100, 6, 20), "-t", "4", "-c:a", "pcm_s16le",
           str(folder / "overdriven.wav"))  # fmt: skip
    return [
        Clip("Bản tin sáng (vi)", folder / "good.mp3", "vi"),
        Clip("Thông báo đã xoá (vi)", None, "vi"),
        Clip("Bài đọc thất lạc (vi)", folder / "gone.mp3", "vi"),
        Clip("Biên bản họp (vi)", folder / "minutes.mp3", "vi"),
        Clip("Video không tiếng (vi)", folder / "camera.mp4", "vi"),
        Clip("Bản ghi trống (ede)", folder / "silence.wav", "ede"),
        Clip("Âm thử (vi)", folder / "tone.m4a", "vi"),
        Clip("Phỏng vấn bị rè (jra)", folder / "overdriven.wav", "jra"),
    ]


def test_each_clip_is_measured_as_it_will_be_aired(programme, rendered):
    clips, seconds = programme
    facts, _, _ = rendered
    assert list(facts) == [clip.label for clip in clips]
    for clip, length in zip(clips, seconds, strict=True):
        # Decoded length: encoder delay and padding are trimmed by the demuxers.
        assert abs(facts[clip.label].duration - length) <= 0.03, clip.label
        assert facts[clip.label].clipped_share == 0
    assert abs(facts["Giá cà phê tuần này (vi)"].loudness + 30) <= 2
    assert abs(facts["Tiêm phòng cho trâu bò (ede)"].loudness + 10) <= 2
    assert facts["Tiêm phòng cho trâu bò (ede)"].true_peak < 0


def test_programme_is_a_loudness_normalised_mono_mp3_in_the_running_order(programme, rendered):
    clips, seconds = programme
    facts, workdir, result = rendered
    target = settings.BANLANG_LOUDSPEAKER

    assert abs(result.loudness - target["LOUDNESS_LUFS"]) <= 1.0
    assert result.true_peak <= target["TRUE_PEAK_DBTP"]
    assert 0 <= result.loudness_range <= target["LOUDNESS_RANGE_LU"]

    assert result.path == workdir / f"{result.sha256}.mp3"
    assert sorted(workdir.iterdir()) == [result.path], "intermediate files left behind"
    data = result.path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == result.sha256
    assert result.size == len(data)
    # No ID3 tag; the LAME header (kept: it records the encoder delay and padding) names the
    # muxer without a version, so the bytes do not change with ffmpeg's version number.
    assert not data.startswith(b"ID3") and b"TSSE" not in data
    assert re.search(rb"Lav[fc]\d", data) is None

    probe = ffprobe(result.path)
    (stream,) = probe["streams"]
    assert stream["codec_name"] == "mp3"
    assert stream["channels"] == 1
    assert int(stream["sample_rate"]) == target["SAMPLE_RATE"] == 44100
    assert abs(int(stream["bit_rate"]) - 64000) <= 1000
    assert probe["format"].get("tags", {}) == {}

    # The duration is the decoded length: the LAME header records the encoder's delay and
    # padding, which decoders drop, so it is the programme's exact length, to the sample: the
    # clips as measured and five gaps. That is the nominal six clips and five gaps give or take
    # the decoders' rounding to whole codec frames (an AAC frame is 21 ms at 48 kHz).
    # ffprobe counts whole MP3 frames, delay and padding included: up to 1152 + 1105 samples
    # (51 ms) more.
    measured = sum(facts[clip.label].duration for clip in clips) + GAP * (len(clips) - 1)
    assert result.duration == pytest.approx(measured, abs=1 / 44100)
    expected = sum(seconds) + GAP * (len(clips) - 1)
    assert abs(result.duration - expected) <= 0.03
    assert 0 < float(probe["format"]["duration"]) - result.duration <= 0.052

    starts = [start for start, _ in result.running_order]
    assert [label for _, label in result.running_order] == [clip.label for clip in clips]
    assert starts[0] == 0
    for before, after, clip in zip(starts, starts[1:], clips, strict=False):
        assert after - before == pytest.approx(facts[clip.label].duration + GAP, abs=1e-6)
    nominal = [sum(seconds[:i]) + GAP * i for i in range(len(clips))]
    assert starts == pytest.approx(nominal, abs=0.05)

    # Independent check: the silences heard in the file are the gaps between clips, to within
    # 20 ms (fades of the jingles, an AAC clip's last frame of near-silence).
    silences = gaps_in(result.path)
    assert len(silences) == len(clips) - 1
    for (silent_from, silent_to), start, next_start in zip(
        silences, starts[:-1], starts[1:], strict=True
    ):
        assert abs(silent_to - next_start) <= 0.02
        assert abs(silent_from - (next_start - GAP)) <= 0.02
        assert silent_from > start


def test_same_inputs_give_the_same_bytes_and_another_gap_does_not(programme, rendered, tmp_path):
    clips, _ = programme
    facts, _, first = rendered
    again = render(clips, GAP, tmp_path / "again", facts=facts)
    assert again.sha256 == first.sha256
    assert again.path.read_bytes() == first.path.read_bytes()
    assert again.running_order == first.running_order

    wider = render(clips, GAP + 0.5, tmp_path / "wider", facts=facts)
    assert wider.sha256 != first.sha256
    assert wider.duration == pytest.approx(first.duration + 0.5 * (len(clips) - 1), abs=0.03)


def test_every_bad_clip_is_named_with_its_problem_before_rendering(bad_clips):
    facts, problems = inspect_clips(bad_clips)

    assert [(p.label, p.code) for p in problems] == [
        ("Thông báo đã xoá (vi)", "missing"),
        ("Bài đọc thất lạc (vi)", "missing"),
        ("Biên bản họp (vi)", "unsupported"),
        ("Video không tiếng (vi)", "unsupported"),
        ("Bản ghi trống (ede)", "silent"),
        ("Âm thử (vi)", "too_loud"),
        ("Phỏng vấn bị rè (jra)", "clipped"),
    ]
    by_label = {p.label: p for p in problems}
    assert by_label["Bản ghi trống (ede)"].params["loudness"] < -50
    assert -5 < by_label["Âm thử (vi)"].params["loudness"] < -2
    assert by_label["Phỏng vấn bị rè (jra)"].params["share"] > 0.001
    json.dumps([p.params for p in problems], allow_nan=False)

    assert set(facts) == {
        "Bản tin sáng (vi)",
        "Bản ghi trống (ede)",
        "Âm thử (vi)",
        "Phỏng vấn bị rè (jra)",
    }
    assert facts["Phỏng vấn bị rè (jra)"].loudness > -15
    assert facts["Bản tin sáng (vi)"].clipped_share == 0


def test_render_refuses_bad_clips_and_leaves_nothing_behind(bad_clips, tmp_path):
    workdir = tmp_path / "render"
    with pytest.raises(ClipsRejected) as refused:
        render(bad_clips, GAP, workdir)
    assert [p.code for p in refused.value.problems] == [
        "missing", "missing", "unsupported", "unsupported", "silent", "too_loud", "clipped",
    ]  # fmt: skip
    assert not workdir.exists() or list(workdir.iterdir()) == []

    good = bad_clips[:1]
    with pytest.raises(ClipsRejected) as refused:
        render([*good, bad_clips[5]], GAP, workdir)
    assert refused.value.problems == [
        ClipProblem("Bản ghi trống (ede)", "silent", refused.value.problems[0].params)
    ]
    assert not workdir.exists() or list(workdir.iterdir()) == []


def test_too_long_is_reported_on_the_clip_that_crosses_the_limit(settings, bad_clips):
    settings.BANLANG_LOUDSPEAKER = {**settings.BANLANG_LOUDSPEAKER, "MAX_SECONDS": 7}
    good = bad_clips[0]
    clips = [good, Clip("Nhắc lại (vi)", good.path, "vi"), Clip("Lần ba (vi)", good.path, "vi")]
    _, problems = inspect_clips(clips)
    assert [(p.label, p.code) for p in problems] == [("Lần ba (vi)", "too_long")]
    assert problems[0].params["limit"] == 7
    assert 8.5 <= problems[0].params["seconds"] <= 9.5


def test_running_order_text():
    assert running_order_text([(0.0, "Nhạc hiệu"), (35.4, "Giá cà phê tuần này (vi)")]) == (
        "00:00  Nhạc hiệu\n00:35  Giá cà phê tuần này (vi)"
    )
    # Times are truncated like a clock's: a clip starting at 9:59.6 is heard during 9:59.
    assert running_order_text([(0.0, "A"), (599.6, "B"), (3725.0, "C")]) == (
        "0:00:00  A\n0:09:59  B\n1:02:05  C"
    )


def test_running_order_text_of_a_rendering(rendered):
    _, _, result = rendered
    lines = running_order_text(result).splitlines()
    assert lines[0] == "00:00  Nhạc hiệu"
    assert lines[1] == "00:03  Giá cà phê tuần này (vi)"  # after a 2 s intro and a 1.5 s gap
    assert lines[-1].endswith("  Nhạc kết")


def test_spiky_audio_still_keeps_under_the_true_peak_target(tmp_path):
    # Bursts of noise with sharp attacks: encoding to MP3 at 64 kbit/s raises their true peak
    # by over 1 dB above the limited WAV's and lowers their loudness by about 0.6 LU. Limited
    # only before loudnorm's gain, they ended at -1.0 dBTP; raised back to the target
    # loudness, at -1.2 dBTP; the limit after the gain is then lowered and they are encoded
    # again.
    ffmpeg("-f", "lavfi", "-i", "anoisesrc=c=pink:r=44100:a=0.5:seed=9,tremolo=f=5:d=1,"
           "volume=8dB", "-t", "5", "-c:a", "pcm_s16le", str(tmp_path / "bursts.wav"))  # fmt: skip
    result = render([Clip("Tiếng nổ (vi)", tmp_path / "bursts.wav")], GAP, tmp_path / "render")
    target = settings.BANLANG_LOUDSPEAKER
    assert result.true_peak <= target["TRUE_PEAK_DBTP"]
    assert abs(result.loudness - target["LOUDNESS_LUFS"]) <= 1.0
    assert result.running_order == [(0.0, "Tiếng nổ (vi)")]
    assert result.duration == pytest.approx(5.0, abs=1 / 44100)
