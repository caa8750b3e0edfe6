"""The permission matrix of the admin: every kind of user × every admin surface × every protocol.

One archive (``admin_archive``) puts something of every protocol on every admin surface: each
record of the ``world`` fixture holds a narrative, a photograph and a recording (with captions,
renditions, a poster, a waveform) under its own protocol, and the public record holds secret ones
besides; every record has a consent document, two revisions, a workflow under way and log
entries, and the files have log entries too. Each person then goes over every admin URL. Who may
not enter the admin (anyone but officers, a custodian made an officer, and superusers) is sent to
sign in or refused, and finds no title; an editor finds every title they may see and none they
may not, counts that count exactly what they may open, and a hidden object's own URLs (read or
posted to) answered exactly like a missing object's. No file of a hidden item is served.
"""

import json
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import wagtail_factories
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    Page,
    ReferenceIndex,
    WorkflowContentType,
)

from heritage.models import CommunityNarrative, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from media.models import MediaAsset, MediaCaption, MediaRendition, ProcessingStatus
from tests.heritage.admin_forms import form_data
from tests.heritage.matrix import MATRIX, PROTOCOLS
from tests.heritage.test_protocols import readable

ROLES = [*MATRIX, "custodian officer"]
SEES = {**MATRIX, "custodian officer": set(PROTOCOLS)}
"""Which records each person may see; a custodian who is also an officer sees all four."""
EDITORS = {"officer", "custodian officer", "superuser"}
"""Who may enter the admin."""
MISSING = 987654
"""An id nothing has."""
MISSING_IDS = dict.fromkeys(("first", "latest", "state", "task", "task_state"), MISSING + 1)
"""The other ids of a URL about a missing record."""
OWN_PROTOCOL = {
    "public": CulturalProtocol.PUBLIC,
    "community": CulturalProtocol.COMMUNITY,
    "restricted": CulturalProtocol.RESTRICTED,
    "secret": CulturalProtocol.SECRET_SACRED,
}
LABELS = {
    ("public", "public"): "hội xuân",
    ("community", "community"): "bản Nà Hẩu",
    ("restricted", "restricted"): "thầy Then",
    ("secret", "secret"): "Cấp Sắc",
    ("public", "secret"): "bàn thờ kín",
}
"""The words naming the children of a record: (the record's protocol, the child's protocol)."""
HEADERS = ("Content-Type", "Vary", "Cache-Control")
"""The headers by which an observer could tell two answers apart."""


@dataclass
class Thing:
    """Something an admin page could name: who may see it there, the texts that would show it
    (the first is what a listing of it shows), and its stored files."""

    kind: str
    obj: Any
    seen_by: set[str]
    marks: list[str]
    files: list[str] = field(default_factory=list)


def stored_file(folder, name, content):
    """Store ``content`` under ``folder``; the name it was given."""
    return default_storage.save(f"{folder}/{name}", ContentFile(content))


def recording(key, title):
    """A ready recording with a rendition, a poster, a waveform and captions, every file named
    after ``key``."""
    asset = MediaAsset(title=title, type="audio", status=ProcessingStatus.READY)
    asset.file.save(f"ghi-am-{key}.m4a", ContentFile(b"original audio " + key.encode()), save=False)
    asset.poster = stored_file("posters", f"poster-{key}.webp", b"RIFF poster")
    asset.waveform = stored_file("waveforms", f"song-{key}.json", b"[0, 1]")
    asset.save()
    MediaRendition.objects.create(
        asset=asset,
        profile="speech-32k",
        file=ContentFile(b"speech rendition", name=f"ban-nghe-{key}.m4a"),
        mime_type="audio/mp4",
        size=16,
    )
    MediaCaption.objects.create(
        asset=asset,
        language="vi",
        file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nx\n", name=f"phu-de-{key}.vtt"),
    )
    return asset


def audience(record_protocol, child_protocol):
    """Who may see a child of a ``record_protocol`` record under ``child_protocol``."""
    if record_protocol == child_protocol:
        return {who for who in ROLES if record_protocol in SEES[who]}
    # The public record has no custodians: its secret children are for superusers only.
    return {"superuser"}


@pytest.fixture
def admin_archive(world):
    """The world's records, each with children, files, revisions, a workflow and log entries."""
    people, records = world
    root = people["superuser"]
    officers = Group.objects.get(name=CULTURAL_OFFICERS)
    # Reports are for editors of pages.
    officers.page_permissions.create(
        page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
    )
    # The review every record goes through, made by the migrations.
    workflow = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(HeritageRecord)
    ).workflow
    collection = Collection.get_first_root_node()
    things = []
    for protocol, record in records.items():
        record.consent_document.save("dong-y.pdf", ContentFile(b"%PDF-1.4"), save=True)
        record.save_revision(user=root)  # before its children: comparing shows them added
        seen_by = audience(protocol, protocol)
        things.append(Thing("record", record, seen_by, [record.title]))
        consent = record.consent_document.name
        # Consent documents are for the officers who may see the record.
        things.append(Thing("consent", record, seen_by & EDITORS, [consent], [consent]))
    for (protocol, child_protocol), label in LABELS.items():
        record = records[protocol]
        own = OWN_PROTOCOL[child_protocol]
        key = f"{protocol}-{child_protocol}"
        seen_by = audience(protocol, child_protocol)
        narrative = CommunityNarrative.objects.create(
            record=record,
            title=f"Lời kể {label}",
            text=f"Chuyện kể riêng về {label}",
            contributor="Già làng",
            community=record.communities.first() if own == CulturalProtocol.COMMUNITY else None,
            protocol=own,
        )
        things.append(Thing("narrative", narrative, seen_by, [narrative.title, narrative.text]))
        image = wagtail_factories.ImageFactory(
            title=f"Ảnh {label}", collection=collection, file__filename=f"anh-{key}.jpg"
        )
        photo = RecordMedia.objects.create(
            record=record, image=image, caption=f"Chú thích ảnh {label}", protocol=own
        )
        things.append(Thing("item", photo, seen_by, [photo.caption]))
        image_files = [image.file.name, image.get_rendition("fill-120x90").file.name]
        things.append(Thing("image", image, seen_by, [image.title, f"anh-{key}"], image_files))
        asset = recording(key, f"Ghi âm {label}")
        sound = RecordMedia.objects.create(
            record=record, media=asset, caption=f"Chú thích ghi âm {label}", protocol=own
        )
        things.append(Thing("item", sound, seen_by, [sound.caption]))
        asset_files = [asset.file.name, asset.poster, asset.waveform]
        asset_files.append(asset.renditions.get().file.name)
        things.append(
            Thing("recording", asset, seen_by, [asset.title, f"ghi-am-{key}"], asset_files)
        )
        caption = asset.captions.get()
        caption_marks = [str(caption), f"phu-de-{key}"]
        things.append(Thing("caption", caption, seen_by, caption_marks, [caption.file.name]))
        for logged in (image, asset, caption):
            log(instance=logged, action="wagtail.edit", user=root)
    for record in records.values():
        record.refresh_from_db()
        record.save_revision(user=root)
        workflow.start(record, root)
        log(instance=record, action="wagtail.edit", user=root)
        ReferenceIndex.create_or_update_for_object(record)
    return people, records, things


# The URLs naming one object, read and posted to.

RECORD = "/admin/snippets/heritage/heritagerecord"
CAPTION = "/admin/snippets/media/mediacaption"
EDIT = f"{RECORD}/edit/{{pk}}/"
PREVIEW = f"{RECORD}/preview/{{pk}}/"
OBJECT_URLS = {
    "record": [
        EDIT,
        f"{RECORD}/history/{{pk}}/",
        f"{RECORD}/history-results/{{pk}}/",
        f"{RECORD}/history/{{pk}}/revisions/{{first}}/view/",
        f"{RECORD}/history/{{pk}}/revisions/{{latest}}/view/",
        f"{RECORD}/history/{{pk}}/revisions/compare/{{first}}...{{latest}}/",
        f"{RECORD}/history/{{pk}}/revisions/compare/earliest...live/",
        f"{RECORD}/history/{{pk}}/revisions/{{first}}/revert/",
        PREVIEW,
        f"{RECORD}/usage/{{pk}}/",
        f"{RECORD}/delete/{{pk}}/",
        f"{RECORD}/copy/{{pk}}/",
        f"{RECORD}/unpublish/{{pk}}/",
        f"{RECORD}/workflow_history/{{pk}}/",
        f"{RECORD}/workflow_history/{{pk}}/detail/{{state}}/",
        f"{RECORD}/workflow/preview/{{pk}}/{{task}}/",
        f"{RECORD}/workflow/confirm_cancellation/{{pk}}/",
        f"{RECORD}/workflow/collect_action_data/{{pk}}/approve/{{task_state}}/",
        "/admin/snippets/choose/heritage/heritagerecord/chosen/{pk}/",
        "/admin/snippets/choose/heritage/heritagerecord/chosen-multiple/?id={pk}",
        "/admin/bulk/heritage/heritagerecord/delete/?id={pk}",
        "/admin/translations/export/?language=jra&item=heritage.heritagerecord.{pk}",
    ],
    "image": [
        "/admin/images/{pk}/",
        "/admin/images/{pk}/delete/",
        "/admin/images/{pk}/preview/fill-10x10/",
        "/admin/images/usage/{pk}/",
        "/admin/images/chooser/chosen/{pk}/",
        "/admin/images/chooser/{pk}/select_format/",
        "/admin/images/chooser/chosen-multiple/?id={pk}",
        "/admin/api/main/images/{pk}/",
        "/admin/api/main/images/find/?id={pk}",
        "/admin/bulk/wagtailimages/image/delete/?id={pk}",
        "/admin/bulk/wagtailimages/image/add_tags/?id={pk}",
        "/admin/bulk/wagtailimages/image/add_to_collection/?id={pk}",
    ],
    "recording": [
        "/admin/media/edit/{pk}/",
        "/admin/media/delete/{pk}/",
        "/admin/media/usage/{pk}/",
        "/admin/media/chooser/{pk}/",
    ],
    "caption": [
        f"{CAPTION}/edit/{{pk}}/",
        f"{CAPTION}/delete/{{pk}}/",
        f"{CAPTION}/usage/{{pk}}/",
        f"{CAPTION}/history/{{pk}}/",
        f"{CAPTION}/history-results/{{pk}}/",
        f"{CAPTION}/copy/{{pk}}/",
        "/admin/snippets/choose/media/mediacaption/chosen/{pk}/",
        "/admin/snippets/choose/media/mediacaption/chosen-multiple/?id={pk}",
        "/admin/bulk/media/mediacaption/delete/?id={pk}",
    ],
}
STATUS = {
    f"{RECORD}/delete/{{pk}}/": {"officer": 302, "custodian officer": 302},
    "/admin/api/main/images/find/?id={pk}": dict.fromkeys(EDITORS, 302),
}
"""Where an editor who may see the object is not answered 200: officers may not delete records
(sent to the dashboard), and the admin API's ``find`` redirects to the image."""
UNNAMED = {
    "/admin/images/{pk}/preview/fill-10x10/",
    "/admin/api/main/images/find/?id={pk}",
    f"{RECORD}/history-results/{{pk}}/",
    f"{RECORD}/workflow/confirm_cancellation/{{pk}}/",
    f"{RECORD}/workflow/collect_action_data/{{pk}}/approve/{{task_state}}/",
    f"{CAPTION}/history-results/{{pk}}/",
}
"""Object URLs whose answer does not name the object: an image, a redirect, a history's rows,
a workflow dialog."""
WITH_CHILDREN = {
    EDIT,
    f"{RECORD}/history/{{pk}}/revisions/{{latest}}/view/",
    f"{RECORD}/history/{{pk}}/revisions/compare/{{first}}...{{latest}}/",
    f"{RECORD}/history/{{pk}}/revisions/compare/earliest...live/",
    PREVIEW,
    f"{RECORD}/copy/{{pk}}/",
    f"{RECORD}/workflow/preview/{{pk}}/{{task}}/",
}
"""Record URLs showing the record's narratives: every one the editor may see must show."""
POSTS = {
    "record": [
        PREVIEW,
        f"{RECORD}/lock/{{pk}}/",
        f"{RECORD}/unlock/{{pk}}/",
        EDIT,
        f"{RECORD}/delete/{{pk}}/",
        f"{RECORD}/workflow/action/{{pk}}/approve/{{task_state}}/",
        f"{RECORD}/history/{{pk}}/revisions/{{first}}/revert/",
        "/admin/editing-sessions/ping/heritage/heritagerecord/{pk}/0/",
        "/admin/bulk/heritage/heritagerecord/delete/?id={pk}",
    ],
    "image": [
        "/admin/images/{pk}/",
        "/admin/images/{pk}/delete/",
        "/admin/images/multiple/{pk}/",
        "/admin/images/multiple/{pk}/delete/",
        "/admin/bulk/wagtailimages/image/delete/?id={pk}",
    ],
    "recording": [
        "/admin/media/edit/{pk}/",
        "/admin/media/delete/{pk}/",
        "/admin/media-processing/{pk}/reprocess/",
    ],
    "caption": [
        f"{CAPTION}/edit/{{pk}}/",
        f"{CAPTION}/delete/{{pk}}/",
        "/admin/bulk/media/mediacaption/delete/?id={pk}",
    ],
}
"""Admin URLs that change an object when posted to."""
BULK_DELETE_ALL = [
    "/admin/bulk/heritage/heritagerecord/delete/?id=all",
    "/admin/bulk/wagtailimages/image/delete/?id=all",
    "/admin/bulk/media/mediacaption/delete/?id=all",
]


# The URLs listing or counting objects.


def shown_kind(*kinds):
    """A listing of things of ``kinds``."""
    return lambda who, thing: thing.kind in kinds


def titled(kind, word):
    """A search for ``word`` among things of ``kind``."""
    return lambda who, thing: thing.kind == kind and word in str(thing.obj).lower()


def of_protocol(protocol):
    """A listing of the records of one protocol."""
    return lambda who, thing: thing.kind == "record" and thing.obj.protocol == protocol


def in_site_history(who, thing):
    """Log entries are listed by model permission besides protocols: officers hold none on
    images and recordings (their collections' permissions are Wagtail's, not Django's)."""
    return thing.kind in ("record", "caption") or (
        who == "superuser" and thing.kind in ("image", "recording")
    )


PAGINATED = r'class="pagination__end">\s*(\d+) '
"""The total a paginated listing shows under its last page."""


@dataclass(frozen=True)
class Listing:
    """An admin page listing things: which (all those the editor may see must show), where it
    says how many, and how many rows a thing has there (a record has two in the site history:
    edited, and its workflow started)."""

    url: str
    shows: Any = None
    count: str | None = None
    entries: dict[str, int] = field(default_factory=dict)


LISTINGS = [
    Listing(f"{RECORD}/", shown_kind("record"), PAGINATED),
    Listing(f"{RECORD}/results/", shown_kind("record"), PAGINATED),
    Listing(f"{RECORD}/?q=lễ", titled("record", "lễ"), PAGINATED),
    Listing(f"{RECORD}/results/?q=lễ", titled("record", "lễ"), PAGINATED),
    Listing(f"{RECORD}/?protocol=secret-sacred", of_protocol("secret-sacred"), PAGINATED),
    Listing(f"{RECORD}/?protocol=public", of_protocol("public"), PAGINATED),
    Listing(f"{RECORD}/?kind=festival", shown_kind("record"), PAGINATED),
    Listing(f"{RECORD}/add/"),
    Listing("/admin/snippets/choose/heritage/heritagerecord/", shown_kind("record")),
    Listing("/admin/snippets/choose/heritage/heritagerecord/results/", shown_kind("record")),
    Listing("/admin/snippets/choose/heritage/heritagerecord/?q=lễ", titled("record", "lễ")),
    Listing("/admin/bulk/heritage/heritagerecord/delete/?id=all", shown_kind("record")),
    Listing("/admin/heritage/import/"),
    Listing("/admin/heritage/import/export/csv/", shown_kind("record")),
    Listing("/admin/heritage/import/export/dc/", shown_kind("record")),
    Listing("/admin/images/", shown_kind("image"), PAGINATED),
    Listing("/admin/images/results/", shown_kind("image"), PAGINATED),
    Listing("/admin/images/?q=ảnh", shown_kind("image"), PAGINATED),
    Listing("/admin/images/add/"),
    Listing("/admin/images/multiple/add/"),
    Listing("/admin/images/chooser/", shown_kind("image")),
    Listing("/admin/images/chooser/results/?q=ảnh", shown_kind("image")),
    Listing("/admin/api/main/images/", shown_kind("image")),
    Listing("/admin/api/main/images/?search=ảnh", shown_kind("image")),
    Listing("/admin/bulk/wagtailimages/image/delete/?id=all", shown_kind("image")),
    Listing("/admin/bulk/wagtailimages/image/add_tags/?id=all", shown_kind("image")),
    Listing("/admin/bulk/wagtailimages/image/add_to_collection/?id=all", shown_kind("image")),
    Listing("/admin/media/", shown_kind("recording"), PAGINATED),
    Listing("/admin/media/?q=ghi", shown_kind("recording"), PAGINATED),
    Listing("/admin/media/audio/add/"),
    Listing("/admin/media/chooser/", shown_kind("recording")),
    Listing("/admin/media/chooser/audio/", shown_kind("recording")),
    Listing("/admin/media/chooser/?q=ghi", shown_kind("recording")),
    Listing("/admin/media-processing/", shown_kind("recording")),
    Listing(f"{CAPTION}/", shown_kind("caption"), PAGINATED),
    Listing(f"{CAPTION}/results/", shown_kind("caption"), PAGINATED),
    Listing(f"{CAPTION}/?language=vi", shown_kind("caption"), PAGINATED),
    Listing(f"{CAPTION}/add/"),
    Listing("/admin/snippets/choose/media/mediacaption/", shown_kind("caption")),
    Listing("/admin/snippets/choose/media/mediacaption/results/", shown_kind("caption")),
    Listing("/admin/bulk/media/mediacaption/delete/?id=all", shown_kind("caption")),
    Listing("/admin/reports/site-history/", in_site_history, PAGINATED, {"record": 2}),
    Listing("/admin/reports/site-history/results/", in_site_history, PAGINATED, {"record": 2}),
    Listing("/admin/reports/site-history/?action=wagtail.edit", in_site_history, PAGINATED),
    Listing("/admin/reports/site-history/?export=csv", in_site_history),
    Listing("/admin/reports/workflow/", shown_kind("record"), PAGINATED),
    Listing("/admin/reports/workflow/results/", shown_kind("record"), PAGINATED),
    Listing("/admin/reports/workflow/?export=csv", shown_kind("record")),
    Listing("/admin/reports/workflow_tasks/", shown_kind("record"), PAGINATED),
    Listing("/admin/reports/workflow_tasks/results/", shown_kind("record"), PAGINATED),
    Listing("/admin/reports/workflow_tasks/?export=csv", shown_kind("record")),
    Listing("/admin/", shown_kind("record")),
    Listing("/admin/snippets/"),
]
COUNTS = {
    "/admin/": {
        "image": r'href="/admin/images/">\s*(\d+) ',
        "recording": r'href="/admin/media/">\s*<span>(\d+)</span>',
    },
    "/admin/snippets/": {
        "caption": r'href="/admin/snippets/media/mediacaption/">.*?<td >\s*(\d+)\s*</td>',
    },
}
"""The counts of the dashboard's site summary and of the snippets index."""


# Asking, and judging the answers.


def person(people, who):
    """The person playing ``who``; the custodian made an officer for "custodian officer"."""
    if who == "custodian officer":
        people["custodian"].groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
        return people["custodian"]
    return people[who]


def enter(client, user):
    """Sign ``user`` in (or out); a server error is an answer to judge, like any other."""
    client.raise_request_exception = False
    client.logout()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)


def ids_of(thing):
    """The ids an object URL about ``thing`` names besides its own."""
    if thing.kind != "record":
        return {}
    revisions = thing.obj.revisions.order_by("pk")
    state = thing.obj.workflow_states.get()
    return {
        "first": revisions.first().pk,
        "latest": revisions.last().pk,
        "state": state.pk,
        "task": state.current_task_state.task_id,
        "task_state": state.current_task_state.pk,
    }


def text_of(response):
    """What a response says, JSON unescaped, a download read in full."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return readable(response)
    return response.content.decode(errors="replace")


def served(response):
    """The bytes of a response, streamed or not."""
    return b"".join(response) if response.streaming else response.content


def traces(mark):
    """The ways a text can appear in a page: as is, escaped for HTML, for JSON, in a link."""
    return {mark, escape(mark), json.dumps(mark)[1:-1], quote(mark)}


def names(body, thing):
    """Whether ``body`` names ``thing``."""
    return any(trace in body for mark in thing.marks for trace in traces(mark))


def leaks(body, things, who):
    """The marks of things ``who`` may not see in the admin that ``body`` holds (someone who may
    not enter the admin may see nothing there)."""
    return [
        (thing.kind, mark)
        for thing in things
        if who not in thing.seen_by or who not in EDITORS
        for mark in thing.marks
        if any(trace in body for trace in traces(mark))
    ]


def sent_away(response):
    """A refusal of someone who may not enter the admin: to the sign-in page, or refused."""
    if response.status_code == 302:
        return urlsplit(response["Location"]).path == "/admin/login/"
    return response.status_code in (403, 404)


def count_in(body, pattern):
    """The number ``pattern`` finds in ``body``; 0 where an empty listing shows none."""
    found = re.search(pattern, body, re.S)
    return int(found.group(1)) if found else 0


def normalised(body, url, ids):
    """``body`` with the URL asked for, and the ids it names, made anonymous (the not-found page
    links its own address in every language)."""
    for variant in (url, escape(url), quote(url, safe="/")):
        body = body.replace(variant, "{url}")
    for value in ids:
        for before, after in (("/", "/"), ("id=", ""), ("/", "..."), ("...", "/")):
            body = body.replace(f"{before}{value}{after}", f"{before}…{after}")
    return body


def same_answer(hidden, missing):
    """How ``hidden`` differs from ``missing`` in status and headers, as problems."""
    fields = [("status", hidden.status_code, missing.status_code)]
    fields += [(header, hidden.get(header), missing.get(header)) for header in HEADERS]
    locations = [urlsplit(answer.get("Location", "")).path for answer in (hidden, missing)]
    fields.append(("Location", *(re.sub(r"\d+", "…", location) for location in locations)))
    return [(name, first, second) for name, first, second in fields if first != second]


def differences(hidden, missing, url, ids, who):
    """How the answer about a hidden object differs from the answer about a missing one."""
    problems = [(url, *difference) for difference in same_answer(hidden, missing)]
    missing_url = missing.wsgi_request.get_full_path()
    if normalised(text_of(hidden), url, ids) != normalised(
        text_of(missing), missing_url, [MISSING, MISSING + 1]
    ):
        problems.append((url, "body differs from a missing one's"))
    # A hidden id among several is dropped, as one naming nothing: that is no 404.
    if "?id=" not in url and who in EDITORS and hidden.status_code == missing.status_code != 404:
        problems.append((url, "status", hidden.status_code, 404))
    return problems


def check_listing(listing, response, things, who):
    """What is wrong with ``response`` to ``listing.url`` for ``who``, as problems."""
    body = text_of(response)
    problems = [(listing.url, "leaks", leak) for leak in leaks(body, things, who)]
    if response.status_code >= 500:
        problems.append((listing.url, "server error", response.status_code))
    if who not in EDITORS:
        if not sent_away(response):
            problems.append((listing.url, "let in", response.status_code))
        return problems
    if response.status_code != 200:
        return [*problems, (listing.url, "status", response.status_code)]
    if listing.shows is None:
        return problems
    listed = [t for t in things if who in t.seen_by and listing.shows(who, t)]
    problems += [(listing.url, "misses", t.marks[0]) for t in listed if not names(body, t)]
    expected = sum(listing.entries.get(t.kind, 1) for t in listed)
    if listing.count and count_in(body, listing.count) != expected:
        problems.append((listing.url, "counts", count_in(body, listing.count), expected))
    if response.get("Content-Type", "").startswith("application/json"):
        total = response.json().get("meta", {}).get("total_count", expected)
        if total != expected:
            problems.append((listing.url, "counts", total, expected))
    return problems


def check_object(template, thing, response, missing, things, who):
    """What is wrong with ``response`` to ``template`` about ``thing``, for ``who``; ``missing``
    is the answer to the same URL about a missing object."""
    ids = {"pk": thing.obj.pk, **ids_of(thing)}
    url = template.format(**ids)
    body = text_of(response)
    problems = [(url, "leaks", leak) for leak in leaks(body, things, who)]
    if response.status_code >= 500:
        problems.append((url, "server error", response.status_code))
    if who not in EDITORS and not sent_away(response):
        problems.append((url, "let in", response.status_code))
    if who not in thing.seen_by:
        return problems + differences(response, missing, url, ids.values(), who)
    if who not in EDITORS:
        return problems
    status = STATUS.get(template, {}).get(who, 200)
    if response.status_code != status:
        return [*problems, (url, "status", response.status_code, status)]
    if template not in UNNAMED and status == 200 and not names(body, thing):
        problems.append((url, "misses", thing.marks[0]))
    if template in WITH_CHILDREN:
        told = [
            t.obj.title
            for t in things
            if t.kind == "narrative" and t.obj.record_id == thing.obj.pk and who in t.seen_by
        ]
        problems += [(url, "misses", title) for title in told if title not in body]
    return problems


def unchanged(thing):
    """Whether ``thing`` is as it was: still there, and a record neither locked, nor moved on in
    its workflow, nor retitled."""
    current = type(thing.obj)._default_manager.filter(pk=thing.obj.pk).first()
    if current is None or thing.kind != "record":
        return current is not None
    state = current.workflow_states.get()
    return (current.locked, state.status, current.title) == (False, "in_progress", thing.obj.title)


def missing_beside(path):
    """A file that does not exist, in the folder of ``path`` and with its extension."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/khong-co-{MISSING}.{name.rsplit('.', 1)[-1]}"


def report(problems):
    """The problems found, one a line."""
    return "\n".join(["", *(" ".join(map(str, problem)) for problem in problems)])


# The matrix.


@pytest.mark.parametrize("who", ROLES)
def test_every_admin_listing_shows_and_counts_only_what_the_person_may_see(
    client, admin_archive, who
):
    people, _records, things = admin_archive
    enter(client, person(people, who))
    problems = []
    for listing in LISTINGS:
        problems += check_listing(listing, client.get(listing.url), things, who)
    for url, counts in COUNTS.items() if who in EDITORS else ():
        body = client.get(url).content.decode()
        for kind, pattern in counts.items():
            visible = len([t for t in things if t.kind == kind and who in t.seen_by])
            if count_in(body, pattern) != visible:
                problems.append((url, "counts", kind, count_in(body, pattern), visible))
    assert not problems, report(problems)


@pytest.mark.parametrize("who", ROLES)
def test_an_objects_admin_urls_answer_only_who_may_see_it(client, admin_archive, who):
    people, _records, things = admin_archive
    enter(client, person(people, who))
    problems = []
    edit_pages = {}
    for kind, templates in OBJECT_URLS.items():
        for template in templates:
            missing = client.get(template.format(pk=MISSING, **MISSING_IDS))
            for thing in (t for t in things if t.kind == kind):
                url = template.format(pk=thing.obj.pk, **ids_of(thing))
                if template == PREVIEW and who in EDITORS and who in thing.seen_by:
                    # What the editor would preview: the record's form, as shown.
                    client.post(url, form_data(edit_pages[thing.obj.pk]))
                response = client.get(url)
                if template == EDIT:
                    edit_pages[thing.obj.pk] = response
                problems += check_object(template, thing, response, missing, things, who)
    assert not problems, report(problems)


@pytest.mark.parametrize("who", ROLES)
def test_posting_to_a_hidden_objects_admin_urls_changes_nothing_and_answers_as_missing(
    client, admin_archive, who
):
    people, records, things = admin_archive
    enter(client, person(people, who))
    data = {}
    if who in EDITORS:
        data = form_data(client.get(EDIT.format(pk=records["public"].pk)))
    # Who may not enter the admin posts to everything; an editor to what is hidden from them.
    targets = [
        t for t in things if t.kind in POSTS and (who not in t.seen_by or who not in EDITORS)
    ]
    problems = []
    for kind, templates in POSTS.items():
        for template in templates:
            missing = client.post(template.format(pk=MISSING, **MISSING_IDS), data)
            for thing in (t for t in targets if t.kind == kind):
                response = client.post(template.format(pk=thing.obj.pk, **ids_of(thing)), data)
                problems += check_object(template, thing, response, missing, things, who)
    for url in BULK_DELETE_ALL if who not in EDITORS else ():
        response = client.post(url)
        if not sent_away(response):
            problems.append((url, "let in", response.status_code))
    problems += [(t.kind, "changed", t.marks[0]) for t in targets if not unchanged(t)]
    assert not problems, report(problems)
    if who in EDITORS:
        shown = records["public"]
        client.post(f"{RECORD}/lock/{shown.pk}/")
        shown.refresh_from_db()
        assert shown.locked


@pytest.mark.parametrize("who", ROLES)
def test_no_file_of_a_hidden_item_is_served(client, admin_archive, who):
    people, _records, things = admin_archive
    enter(client, person(people, who))
    problems = []
    for thing in things:
        for path in thing.files:
            response = client.get(f"/media/{path}")
            if who in thing.seen_by:
                if response.status_code != 200:
                    problems.append((path, "refused", response.status_code))
                continue
            absent = missing_beside(path)
            missing = client.get(f"/media/{absent}")
            problems += [(path, *difference) for difference in same_answer(response, missing)]
            if served(response).replace(path.encode(), b"") != served(missing).replace(
                absent.encode(), b""
            ):
                problems.append((path, "body differs from a missing file's"))
            if response.status_code != 404:
                problems.append((path, "status", response.status_code))
    assert not problems, report(problems)
