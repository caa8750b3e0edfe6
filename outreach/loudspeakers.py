"""Loudspeaker programmes from assembly to a stored, measured file.

An officer assembles a programme in the admin; saving it queues its rendering
(``outreach.tasks.queue_rendering``), which a task does (``render``): the sources are
checked again (``outreach.programme_sources``: a recording that stopped being public since is
refused), every clip is measured and bad ones are named before anything is rendered
(``outreach.loudspeaker_audio``), then the programme is rendered once into a file named by its
content hash. Inputs that have not changed since the last rendering are not rendered again.
"""

import hashlib
import json
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from cms.languages import get_language
from media.ffmpeg import MediaToolError
from media.models import MediaAsset
from media.tasks import local_copy
from outreach import loudspeaker_audio, programme_sources
from outreach.loudspeaker_audio import Clip, ClipProblem, ClipsRejected
from outreach.models import Programme, ProgrammeItem, ProgrammeState

AUDIO_FOLDER = "loudspeaker"
RENDERED_FIELDS = [
    "audio",
    "sha256",
    "size",
    "duration",
    "loudness",
    "true_peak",
    "loudness_range",
    "running_order",
    "input_key",
    "state",
    "problems",
    "rendered_at",
]
"""What a rendering writes: an officer's edit made meanwhile (a title) is kept."""


@dataclass(frozen=True)
class Source:
    """One part of a programme as it will be heard: its label and its recording, or why it
    cannot be aired."""

    label: str
    recording: MediaAsset | None
    problem: str = ""


def item_label(item: ProgrammeItem) -> str:
    """How the running order names an article's item: its title in the item's language, and
    the language."""
    assert item.article is not None  # an item without a recording is an article's
    title = getattr(item.article, build_localized_fieldname("title", item.language), "")
    return f"{title or item.article.title} ({get_language(item.language).name_native})"


def sources(programme: Programme) -> list[Source]:
    """The programme's parts in the order they are aired: intro, items, outro."""
    parts = []
    if programme.intro is not None:
        parts.append(recording_source(programme.intro))
    for item in programme.items.select_related("article", "recording").order_by("sort_order"):
        if item.recording is not None:
            parts.append(recording_source(item.recording))
            continue
        audio, problem = programme_sources.checked_article_audio(item.article, item.language)
        parts.append(Source(item_label(item), audio, problem))
    if programme.outro is not None:
        parts.append(recording_source(programme.outro))
    return parts


def recording_source(recording: MediaAsset) -> Source:
    """A recording as a part, with why it may not be aired if so."""
    return Source(recording.title, recording, programme_sources.recording_problem(recording))


def input_key(programme: Programme, parts: list[Source]) -> str:
    """A hash of everything the programme's audio is made from: the recordings' contents in
    order, their labels, the gap and the output settings."""
    facts = {
        "parts": [
            [part.label, part.recording.source_hash if part.recording else ""] for part in parts
        ],
        "gap": f"{float(programme.gap_seconds):.1f}",
        "settings": settings.BANLANG_LOUDSPEAKER,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def edited_since(programme: Programme, key: str) -> bool:
    """Whether the programme's inputs are no longer those of ``key``: an officer saved it
    again, and the rendering that edit queued is the one to keep."""
    now = Programme.objects.get(pk=programme.pk)
    return input_key(now, sources(now)) != key


def fail(programme: Programme, problems: list[ClipProblem], key: str) -> str:
    """Record why the programme could not be rendered (its earlier audio is kept, not aired),
    unless it was edited since; the outcome."""
    if edited_since(programme, key):
        return "outdated"
    programme.state = ProgrammeState.FAILED
    programme.problems = [
        {"label": problem.label, "code": problem.code, "params": problem.params}
        for problem in problems
    ]
    programme.save(update_fields=["state", "problems"])
    return "failed"


def render(programme: Programme) -> str:
    """Render ``programme`` into its stored file and record what was measured; the outcome:
    ``"ready"``, ``"unchanged"``, ``"failed"``, or ``"outdated"`` when the programme was
    edited while it was rendered (its new rendering is queued already)."""
    parts = sources(programme)
    key = input_key(programme, parts)
    refused = [
        ClipProblem(part.label, "not_allowed", {"reason": part.problem})
        for part in parts
        if part.problem
    ]
    if not parts:
        refused.append(ClipProblem(programme.title, "empty", {}))
    if refused:
        return fail(programme, refused, key)
    if (
        key == programme.input_key
        and programme.audio.name
        and default_storage.exists(programme.audio.name)
    ):
        Programme.objects.filter(pk=programme.pk).update(state=ProgrammeState.READY, problems=[])
        return "unchanged"
    with ExitStack() as stack, tempfile.TemporaryDirectory() as workdir:
        clips = [
            Clip(part.label, stack.enter_context(local_copy(part.recording.file)))
            for part in parts
            if part.recording is not None
        ]
        try:
            rendering = loudspeaker_audio.render(clips, float(programme.gap_seconds), Path(workdir))
        except ClipsRejected as rejected:
            return fail(programme, rejected.problems, key)
        except MediaToolError:
            return fail(programme, [ClipProblem(programme.title, "render_failed", {})], key)
        name = f"{AUDIO_FOLDER}/{rendering.sha256}.mp3"
        if not default_storage.exists(name):
            with rendering.path.open("rb") as stream:
                name = default_storage.save(name, File(stream))
    if edited_since(programme, key):
        return "outdated"
    programme.audio.name = name
    programme.sha256 = rendering.sha256
    programme.size = rendering.size
    programme.duration = rendering.duration
    programme.loudness = rendering.loudness
    programme.true_peak = rendering.true_peak
    programme.loudness_range = rendering.loudness_range
    programme.running_order = loudspeaker_audio.running_order_text(rendering.running_order)
    programme.input_key = key
    programme.state = ProgrammeState.READY
    programme.problems = []
    programme.rendered_at = timezone.now()
    programme.save(update_fields=RENDERED_FIELDS)
    return "ready"
