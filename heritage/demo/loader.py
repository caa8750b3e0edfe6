"""The heritage archive's demo: records written for the demo, communities and sample users.

``records.json`` holds about thirty records of well-documented festivals, rituals, crafts and
performing arts of Vietnam's ethnic minorities, in Vietnamese and English, under every cultural
protocol. Their narratives say they were written for the demo; their photos, recordings and
films are generated placeholders that say so in the picture and in the caption. Audio and video
are saved as ``MediaAsset`` objects waiting for processing, so the media pipeline converts them
once the loader's transaction commits (``make run`` starts the worker that does it).

The sample users, all with the password ``DEMO_PASSWORD``, show the protocols at work:
``officer`` (a cultural officer), ``community`` (a member of a sample community group),
``custodian`` (custodian of the secret/sacred record) and ``reader`` (no special rights). Only
this loader creates them, and it gives rights only to the accounts it creates.

Records are keyed by ``external_id`` (``demo-<id>``): running the loader again adds only what is
missing and never changes a record that exists, so an officer's edits are kept.
"""

import array
import functools
import importlib
import io
import json
import logging
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Orderable, Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.demo.loader import ensure_section
from heritage.festival_dates import DateRule
from heritage.labels import RightsStatement
from heritage.models import (
    CommunityGroup,
    CommunityNarrative,
    EthnicGroup,
    HeritageIndexPage,
    HeritageKind,
    HeritageRecord,
    Place,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS, ensure_cultural_officers_group
from media.models import MediaAsset

if TYPE_CHECKING:
    from cms.demo.loader import DemoReport

logger = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "banlang-demo"
DEMO_USERS = ("officer", "community", "custodian", "reader")
OFFICER = "officer"
LANGUAGES = ("vi", "en")
RIGHTS_HOLDER = "Bản Làng (demo)"
CREDIT = "Bản Làng (demo): generated placeholder"
NARRATIVE_CONTRIBUTOR = "Người đóng góp demo (demo contributor)"
NARRATIVE_NOTE = {
    "vi": "Viết cho bản demo, không phải lời kể thật của cộng đồng.",
    "en": "Written for the demo; not a real community account.",
}
REFERENCE_DATA_MIGRATION = "heritage.migrations.0002_load_reference_data"

IMAGE_SIZE = (960, 540)
IMAGE_MARGIN = 48
IMAGE_HEADLINE = "Ảnh minh họa — placeholder"
IMAGE_FOOTER = "Bản Làng (demo) · không phải ảnh thật · not a real photograph"
WARM = (255, 214, 120)
KIND_COLOURS = {
    HeritageKind.FESTIVAL: (150, 52, 44),
    HeritageKind.RITUAL: (74, 56, 122),
    HeritageKind.CRAFT: (122, 82, 40),
    HeritageKind.PERFORMING_ART: (30, 104, 72),
    HeritageKind.ORAL_TRADITION: (28, 92, 116),
    HeritageKind.BELIEF: (96, 60, 92),
    HeritageKind.OTHER: (84, 84, 84),
}
PROTOCOL_TAGS: dict[str, str] = {
    CulturalProtocol.COMMUNITY: "chỉ cộng đồng · community only",
    CulturalProtocol.RESTRICTED: "chỉ cán bộ văn hóa · officers only",
    CulturalProtocol.SECRET_SACRED: "bí truyền · secret/sacred",
}
CAPTIONS = {
    "image": {
        "vi": "Placeholder: ảnh minh họa tạo tự động, không phải ảnh thật của “{vi}”.",
        "en": "Placeholder: a generated image, not a real photograph of “{en}”.",
    },
    "audio": {
        "vi": "Placeholder: âm thanh tạo tự động, không phải bản ghi âm thật.",
        "en": "Placeholder: generated tones, not a real recording.",
    },
    "video": {
        "vi": "Placeholder: hình thử nghiệm tạo tự động, không phải video thật.",
        "en": "Placeholder: a generated test pattern, not real footage.",
    },
}

TONE_RATE = 8000
TONE_SECONDS = 6
VIDEO_SECONDS = 5
VIDEO_TITLE = "Placeholder: video minh họa (demo)"


@dataclass(frozen=True)
class ToneClip:
    """A generated audio placeholder: its asset title, file name and base pitch.

    Each clip has its own pitch, so no two share bytes: renditions are named by their content,
    and a file that a public media item also uses would be served to everyone.
    """

    title: str
    filename: str
    pitch: int


TONE_CLIPS = {
    "public": ToneClip("Placeholder: âm thanh minh họa (demo)", "heritage-demo-tones.wav", 440),
    "community": ToneClip(
        "Placeholder: âm thanh minh họa (demo, cộng đồng)", "heritage-demo-tones-c.wav", 494
    ),
    "restricted": ToneClip(
        "Placeholder: âm thanh minh họa (demo, hạn chế)", "heritage-demo-tones-r.wav", 523
    ),
}


@dataclass
class DemoContext:
    """What every record refers to: reference data, communities and users, looked up once."""

    groups: dict[str, EthnicGroup]
    provinces: dict[str, Place]
    communities: dict[str, CommunityGroup] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    former: dict[str, list[Place]] = field(default_factory=dict)

    def current_provinces(self, spec: dict[str, Any]) -> list[Place]:
        """Today's provinces of a record: those it names and the successors of former ones."""
        found = [self.provinces[name] for name in spec.get("places", [])]
        for name in spec.get("former_places", []):
            if name not in self.former:
                former = Place.objects.filter(parent=None, valid_until__isnull=False).get(name=name)
                self.former[name] = former.current_units()
            found.extend(self.former[name])
        return list({place.pk: place for place in found}.values())


def read_records() -> dict[str, Any]:
    """The demo's communities and records (``records.json``)."""
    return json.loads((DEMO_DIR / "records.json").read_text(encoding="utf-8"))


def ensure_reference_data() -> None:
    """Ethnic groups and provinces, loaded again by their migration's code on an emptied database.

    Migrations load them; ``manage.py flush`` (and tests that empty the database) remove them.
    """
    if EthnicGroup.objects.exists() and Place.objects.exists():
        return
    importlib.import_module(REFERENCE_DATA_MIGRATION).load(apps, None)


def ensure_users(report: "DemoReport") -> tuple[dict[str, User], set[str]]:
    """The sample users, and the names of those created now (an existing account is left as is)."""
    users = get_user_model()
    found: dict[str, User] = {}
    created: set[str] = set()
    for username in DEMO_USERS:
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(username=username, password=DEMO_PASSWORD)
            created.add(username)
            report.users += 1
        found[username] = user
    if OFFICER in created:
        ensure_cultural_officers_group()
        found[OFFICER].groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    return found, created


def ensure_communities(
    specs: list[dict[str, Any]], context: DemoContext, new_users: set[str]
) -> None:
    """The sample community groups; demo users created in this run join theirs."""
    for spec in specs:
        community, _ = CommunityGroup.objects.get_or_create(
            name=spec["name"],
            defaults={
                "ethnic_group": context.groups[spec["ethnic_group"]],
                "place": context.provinces[spec["place"]],
            },
        )
        members = [context.users[name] for name in spec["members"] if name in new_users]
        community.members.add(*members)
        context.communities[spec["key"]] = community


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Noto Sans from the site's own web fonts (it has every Vietnamese mark), else Pillow's."""
    found = sorted((Path(settings.BASE_DIR) / "static" / "fonts").glob("latin.*.woff2"))
    return ImageFont.truetype(str(found[0]), size) if found else ImageFont.load_default(size)


def wrapped(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font(size)) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def draw_placeholder(record: HeritageRecord, protocol: str) -> bytes:
    """A JPEG in one colour saying it is a placeholder, with the record's titles."""
    colour = KIND_COLOURS[HeritageKind(record.kind)]
    canvas = PILImage.new("RGB", IMAGE_SIZE, colour)
    draw = ImageDraw.Draw(canvas)
    width = IMAGE_SIZE[0] - 2 * IMAGE_MARGIN
    y = IMAGE_MARGIN
    draw.text((IMAGE_MARGIN, y), IMAGE_HEADLINE, font=font(44), fill=(255, 255, 255))
    y += 96
    for text, size in ((record.title_vi, 36), (record.title_en, 28)):
        for line in wrapped(draw, text, size, width):
            draw.text((IMAGE_MARGIN, y), line, font=font(size), fill=(255, 255, 255))
            y += round(size * 1.35)
        y += 16
    bottom = IMAGE_SIZE[1] - IMAGE_MARGIN - 24
    if protocol in PROTOCOL_TAGS:
        draw.text((IMAGE_MARGIN, bottom - 56), PROTOCOL_TAGS[protocol], font=font(24), fill=WARM)
    draw.line([(IMAGE_MARGIN, bottom - 16), (IMAGE_SIZE[0] - IMAGE_MARGIN, bottom - 16)])
    draw.text((IMAGE_MARGIN, bottom), IMAGE_FOOTER, font=font(20), fill=(235, 235, 235))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def placeholder_image(record: HeritageRecord, protocol: str, report: "DemoReport") -> AbstractImage:
    """The record's placeholder photo under ``protocol``, made once and reused after.

    A non-public item gets its own picture: a file that a public item also uses is public.
    """
    title = f"Placeholder: {record.title_vi}"
    if protocol != CulturalProtocol.PUBLIC:
        title = f"{title} ({protocol})"
    images = get_image_model()
    existing = images.objects.filter(title=title).first()
    if existing:
        return existing
    suffix = "" if protocol == CulturalProtocol.PUBLIC else f"-{protocol}"
    name = f"heritage-demo-{record.slug}{suffix}.jpg"
    image = images.objects.create(
        title=title, file=ImageFile(io.BytesIO(draw_placeholder(record, protocol)), name=name)
    )
    report.images += 1
    return image


@functools.cache
def placeholder_tones(pitch: int) -> bytes:
    """Six seconds of generated beeps on two alternating notes: 8 kHz mono WAV, 96 KB.

    Plainly not a recording. Cached, so a test session generates each clip once.
    """
    samples = array.array("h")
    for n in range(TONE_RATE * TONE_SECONDS):
        t = n / TONE_RATE
        note = pitch * (1.5 if int(t) % 2 else 1.0)
        fade = max(0.0, 1.0 - (t % 1.0) / 0.7)
        samples.append(round(8000 * fade * math.sin(2 * math.pi * note * t)))
    if sys.byteorder == "big":
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(TONE_RATE)
        output.writeframes(samples.tobytes())
    return buffer.getvalue()


@functools.cache
def placeholder_video() -> bytes | None:
    """Five seconds of ffmpeg's test pattern with a tone, 240p H.264; None without ffmpeg.

    Cached, so a test session runs ffmpeg once.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        logger.warning("ffmpeg not found: the heritage demo has no placeholder video.")
        return None
    lavfi = f"duration={VIDEO_SECONDS}"
    with tempfile.TemporaryDirectory(prefix="banlang-demo-") as folder:
        output = Path(folder) / "placeholder.mp4"
        arguments = [
            ffmpeg,
            *("-v", "error", "-nostdin"),
            *("-f", "lavfi", "-i", f"testsrc=size=426x240:rate=12:{lavfi}"),
            *("-f", "lavfi", "-i", f"sine=frequency=330:{lavfi}"),
            *("-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart", "-shortest"),
            str(output),
        ]
        try:
            subprocess.run(arguments, check=True, capture_output=True, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            logger.warning("ffmpeg could not make the demo's placeholder video: %s", error)
            return None
        return output.read_bytes()


def placeholder_asset(
    title: str, filename: str, kind: str, data: bytes, report: "DemoReport"
) -> MediaAsset:
    """A placeholder recording, saved once; it waits for processing, queued on commit."""
    existing = MediaAsset.objects.filter(title=title).first()
    if existing:
        return existing
    asset = MediaAsset(title=title, type=kind)
    asset.file.save(filename, ContentFile(data), save=False)
    asset.save()
    report.media += 1
    return asset


def media_item(
    record: HeritageRecord, spec: dict[str, Any], report: "DemoReport"
) -> RecordMedia | None:
    """One media item of ``spec`` (an image, audio or video), or None when it cannot be made."""
    kind = spec["type"]
    protocol = spec.get("protocol", record.protocol)
    item = RecordMedia(record=record, credit=CREDIT, protocol=protocol)
    for code in LANGUAGES:
        caption = CAPTIONS[kind][code].format(vi=record.title_vi, en=record.title_en)
        setattr(item, f"caption_{code}", caption)
    if kind == "image":
        item.image = placeholder_image(record, protocol, report)
    elif kind == "audio":
        clip = TONE_CLIPS[spec["clip"]]
        data = placeholder_tones(clip.pitch)
        item.media = placeholder_asset(clip.title, clip.filename, "audio", data, report)
    else:
        video = placeholder_video()
        if video is None:
            return None
        item.media = placeholder_asset(
            VIDEO_TITLE, "heritage-demo-test-pattern.mp4", "video", video, report
        )
    return item


def date_fields(when: dict[str, Any] | None) -> dict[str, Any]:
    """Model fields of a record's date rule: a lunar or Gregorian day, or a season."""
    if when is None:
        return {}
    if when["rule"] == DateRule.SEASON:
        return {
            "date_rule": DateRule.SEASON,
            "season_start_month": when["from"],
            "season_end_month": when["to"],
            **{f"season_{code}": when[code] for code in LANGUAGES},
        }
    return {
        "date_rule": when["rule"],
        "date_month": when["month"],
        "date_day": when["day"],
        "duration_days": when.get("days", 1),
    }


def translated(spec: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """``<name>_<lang>`` for each of ``names`` from the spec's ``vi`` and ``en`` texts."""
    return {f"{name}_{code}": spec[code][name] for code in LANGUAGES for name in names}


def narrative(
    record: HeritageRecord, spec: dict[str, Any], context: DemoContext
) -> CommunityNarrative:
    """A narrative written for the demo, labelled as such, credited to a community or the demo."""
    community = context.communities.get(spec.get("community", ""))
    told = CommunityNarrative(
        record=record,
        community=community,
        contributor="" if community else NARRATIVE_CONTRIBUTOR,
        language="vi",
        protocol=spec.get("protocol", record.protocol),
    )
    for code in LANGUAGES:
        setattr(told, f"title_{code}", spec[code]["title"])
        setattr(told, f"text_{code}", f"{NARRATIVE_NOTE[code]}\n\n{spec[code]['text']}")
    return told


def checked(items: list[Orderable]) -> list[Orderable]:
    """The child rows, validated and numbered in order (a typo in the data stops the load)."""
    for number, item in enumerate(items):
        item.sort_order = number
        item.full_clean(exclude=["record"])
    return items


def add_record(spec: dict[str, Any], context: DemoContext, report: "DemoReport") -> None:
    """Create one record with its narratives, media, labels and sources, and link it."""
    record = HeritageRecord(
        external_id=f"demo-{spec['id']}",
        slug=spec["id"],
        kind=spec["kind"],
        protocol=spec.get("protocol", CulturalProtocol.PUBLIC),
        practitioners="\n".join(spec.get("practitioners", [])),
        rights_statement=RightsStatement.CC_BY,
        rights_holder=RIGHTS_HOLDER,
        content_warnings=spec.get("warnings", []),
        **translated(spec, ("title", "summary", "description")),
        **date_fields(spec.get("date")),
    )
    for code, note in spec.get("warning_note", {}).items():
        setattr(record, f"content_warning_note_{code}", note)
    media = [media_item(record, {"type": "image"}, report)]
    media += [media_item(record, item, report) for item in spec.get("media", [])]
    record.narratives = checked([narrative(record, item, context) for item in spec["narratives"]])
    record.media_items = checked([item for item in media if item is not None])
    record.labels = checked([RecordLabel(record=record, label=label) for label in spec["labels"]])
    record.sources = checked(
        [
            RecordSource(record=record, citation=source["citation"], url=source.get("url", ""))
            for source in spec.get("sources", [])
        ]
    )
    record.full_clean()
    # Saving each child would index the record's references again; index them once instead.
    with disable_reference_index_auto_update():
        record.save()
    ReferenceIndex.create_or_update_for_object(record)
    record.ethnic_groups.set([context.groups[code] for code in spec["groups"]])
    record.places.set(context.current_provinces(spec))
    record.communities.set([context.communities[key] for key in spec.get("communities", [])])
    record.custodians.set([context.users[name] for name in spec.get("custodians", [])])
    report.records += 1


HERITAGE_PAGE = {
    "vi": (
        "Di sản văn hóa",
        "di-san",
        "Lễ hội, phong tục, nghề và nghệ thuật truyền thống của đồng bào các dân tộc.",
    ),
    "en": (
        "Cultural heritage",
        "heritage",
        "Festivals, customs, crafts and performing arts of Vietnam's ethnic groups.",
    ),
}
"""The archive page, among the site's sections."""


@transaction.atomic
def load_heritage_demo(report: "DemoReport", home: Page) -> None:
    """Add the archive page and the heritage demo's users, communities and records that are
    missing."""
    texts = {
        code: {"title": title, "slug": slug, "intro": intro}
        for code, (title, slug, intro) in HERITAGE_PAGE.items()
    }
    ensure_section(home, HeritageIndexPage, {}, texts)
    ensure_reference_data()
    data = read_records()
    context = DemoContext(
        groups={group.code: group for group in EthnicGroup.objects.all()},
        provinces={
            place.name: place for place in Place.objects.current().provinces().filter(parent=None)
        },
    )
    context.users, new_users = ensure_users(report)
    ensure_communities(data["communities"], context, new_users)
    existing = set(
        HeritageRecord.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", flat=True
        )
    )
    for spec in data["records"]:
        if f"demo-{spec['id']}" not in existing:
            add_record(spec, context, report)
