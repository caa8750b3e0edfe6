"""A file is served only by the rules of what owns it: never public without a live public holder,
kept for its last audience when its holders go, and refused exactly like a missing file."""

import importlib

import pytest
import wagtail_factories
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from heritage.models import HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol
from media.access import owner_of
from media.models import MediaAsset
from tests.heritage.factories import stored_recording
from tests.heritage.test_media_access import fetch, files_of


def held(record, kind="media", **fields):
    """A media item of ``record`` holding a new recording (or image)."""
    thing = stored_recording() if kind == "media" else wagtail_factories.ImageFactory()
    return RecordMedia.objects.create(record=record, **{kind: thing}, **fields)


def answers(client, people, item):
    """Each person's status for each file of ``item``."""
    return {
        who: {fetch(client, people[who], path).status_code for path in files_of(item)}
        for who in ("anonymous", "reader", "officer", "custodian", "superuser")
    }


@pytest.mark.parametrize("kind", ["media", "image"])
def test_a_secret_records_files_stay_with_its_custodians_when_it_is_deleted(client, world, kind):
    people, records = world
    item = held(records["secret"], kind)
    shown = held(records["public"], kind)
    records["secret"].delete()
    item.record = records["public"]  # the item is gone; its files are what is asked about
    assert answers(client, people, item) == {
        "anonymous": {404},
        "reader": {404},
        "officer": {404},
        "custodian": {200},
        "superuser": {200},
    }
    assert answers(client, people, shown)["anonymous"] == {200}


@pytest.mark.parametrize("kind", ["media", "image"])
def test_unlinking_a_secret_item_does_not_publish_its_files(client, world, kind):
    people, records = world
    item = held(records["secret"], kind)
    RecordMedia.objects.filter(pk=item.pk).delete()
    statuses = answers(client, people, item)
    assert statuses["anonymous"] == statuses["officer"] == {404}
    assert statuses["custodian"] == {200}


def test_giving_an_item_another_file_keeps_the_first_one_for_its_audience(client, world):
    people, records = world
    item = held(records["secret"])
    first = item.media
    item.media = stored_recording("Bản ghi khác")
    item.save()
    assert fetch(client, people["anonymous"], first.file.name).status_code == 404
    assert fetch(client, people["custodian"], first.file.name).status_code == 200


def test_unpublishing_a_public_record_withdraws_its_files(client, world):
    people, records = world
    item = held(records["public"])
    assert answers(client, people, item)["anonymous"] == {200}
    records["public"].live = False
    records["public"].save()
    statuses = answers(client, people, item)
    assert statuses["anonymous"] == statuses["reader"] == {404}
    assert statuses["officer"] == statuses["superuser"] == {200}  # its editors, for previews
    response = fetch(client, people["officer"], item.media.file.name)
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_file_whose_holders_went_is_for_officers(client, world):
    people, records = world
    item = held(records["public"])
    item.delete()
    statuses = answers(client, people, item)
    assert statuses["anonymous"] == statuses["reader"] == statuses["custodian"] == {404}
    assert statuses["officer"] == statuses["superuser"] == {200}


def test_files_no_record_ever_held_are_public(client, world):
    people, _records = world
    recording = stored_recording("Bản tin sức khỏe")
    image = wagtail_factories.ImageFactory()
    for path in (recording.file.name, image.file.name, image.get_rendition("width-80").file.name):
        assert fetch(client, people["anonymous"], path).status_code == 200


def test_files_owned_by_nothing_known_are_not_served(client, world, settings):
    people, _records = world
    recording = stored_recording()
    root = settings.MEDIA_ROOT
    for name in ("stray/notes.txt", "media/not-in-the-library.m4a", "heritage/x.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"stray")
        for who in ("anonymous", "officer", "superuser"):
            assert fetch(client, people[who], name).status_code == 404, (name, who)
    assert fetch(client, people["anonymous"], recording.file.name).status_code == 200


def test_documents_are_served_only_by_the_document_view(client, world):
    people, _records = world
    root = Collection.get_first_root_node()
    private = root.add_child(name="Hồ sơ nội bộ")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    kept = Document.objects.create(
        title="Biên bản", collection=private, file=ContentFile(b"%PDF kept", name="bien-ban.pdf")
    )
    public = Document.objects.create(
        title="Thông báo", file=ContentFile(b"%PDF public", name="thong-bao.pdf")
    )
    for document in (kept, public):
        assert fetch(client, people["anonymous"], document.file.name).status_code == 404
    assert client.get(public.url).status_code == 200
    client.logout()
    assert client.get(kept.url).status_code == 302  # to the login page
    client.force_login(people["reader"])
    assert client.get(kept.url).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "reader", "officer"])
def test_a_protected_file_is_refused_exactly_like_a_missing_one(client, world, who):
    people, records = world
    item = held(records["secret"])
    hidden = item.media.file.name
    missing = "media/no-such-recording.m4a"
    fetch(client, people[who], missing)  # signed in, with the site's caches warm
    answered = []
    for path in (hidden, missing):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/media/{path}")
        answered.append((response.status_code, response.get("Vary"), len(queries)))
    assert answered[0] == answered[1]
    assert answered[0][0] == 404
    assert fetch(client, people["custodian"], hidden).status_code == 200


@pytest.mark.parametrize(
    ("who", "protocol", "status"),
    [
        ("anonymous", "restricted", 404),
        ("reader", "restricted", 404),
        ("officer", "restricted", 200),
        ("officer", "secret", 404),
        ("custodian", "secret", 404),
        ("custodian officer", "secret", 200),
        ("superuser", "secret", 200),
    ],
)
def test_consent_documents_follow_their_records_protocol(client, world, who, protocol, status):
    people, records = world
    if who == "custodian officer":
        people["custodian"].groups.add(people["officer"].groups.get())
        who = "custodian"
    record = records[protocol]
    record.consent_document.save("dong-y-cap-sac.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = fetch(client, people[who], record.consent_document.name)
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, no-store"


def test_consent_documents_get_names_nobody_can_guess(world):
    _people, records = world
    record = records["public"]
    record.consent_document.save("dong-y.pdf", ContentFile(b"%PDF-1.4"), save=True)
    other = records["restricted"]
    other.consent_document.save("dong-y.pdf", ContentFile(b"%PDF-1.4"), save=True)
    name = record.consent_document.name
    assert name.startswith("heritage/consent/") and name.endswith(".pdf")
    assert "dong-y" not in name
    assert len(name.removeprefix("heritage/consent/").removesuffix(".pdf")) >= 22
    assert name != other.consent_document.name


def test_the_archives_rules_cover_every_file_a_recording_has(world):
    """A positive control on the lookup: every stored file of a recording finds its owner."""
    recording = stored_recording()
    renditions = recording.renditions.values_list("file", flat=True)
    for path in [recording.file.name, recording.poster, *renditions]:
        owner = owner_of(path)
        assert owner is not None and owner.model is MediaAsset and owner.pk == recording.pk


def test_narrowing_a_record_withdraws_its_files_from_the_public(client, world):
    people, records = world
    item = held(records["public"])
    HeritageRecord.objects.filter(pk=records["public"].pk).update(
        protocol=CulturalProtocol.RESTRICTED
    )
    statuses = answers(client, people, item)
    assert statuses["anonymous"] == statuses["reader"] == {404}
    assert statuses["officer"] == {200}


def test_consent_documents_stored_under_guessable_names_are_renamed(world):
    _people, records = world
    record = records["restricted"]
    old = default_storage.save("heritage/consent/dong-y-ban-na-hau.pdf", ContentFile(b"%PDF-1"))
    HeritageRecord.objects.filter(pk=record.pk).update(consent_document=old)
    migration = importlib.import_module("heritage.migrations.0011_unguessable_consent_names")
    migration.rename_consent_documents(apps, None)
    record.refresh_from_db()
    assert record.consent_document.name != old
    assert "dong-y" not in record.consent_document.name
    assert record.consent_document.read() == b"%PDF-1"
    assert not default_storage.exists(old)
