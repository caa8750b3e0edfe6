"""Media files of heritage records are served only to who may see their media item."""

import pytest
import wagtail_factories
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from heritage.models import RecordMedia
from heritage.protocols import CulturalProtocol
from media.models import MediaCaption
from tests.heritage.factories import HeritageRecordFactory, stored_recording
from tests.heritage.matrix import MATRIX, PROTOCOLS

ITEM_PROTOCOLS = {
    "public": CulturalProtocol.PUBLIC,
    "community": CulturalProtocol.COMMUNITY,
    "restricted": CulturalProtocol.RESTRICTED,
    "secret": CulturalProtocol.SECRET_SACRED,
}


def files_of(item: RecordMedia) -> list[str]:
    if item.image:
        return [item.image.file.name, item.image.get_rendition("fill-120x90").file.name]
    return [
        item.media.file.name,
        *[r.file.name for r in item.media.renditions.all()],
        *[c.file.name for c in item.media.captions.all()],
    ]


def fetch(client, user, path):
    client.logout()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client.get(f"/media/{path}")


@pytest.fixture
def items(world):
    """For each protocol: an image item on that protocol's record, and an audio item with it."""
    people, records = world
    made = {}
    for protocol in PROTOCOLS:
        image = RecordMedia.objects.create(
            record=records[protocol], image=wagtail_factories.ImageFactory(), caption="Ảnh"
        )
        sound = RecordMedia.objects.create(record=records[protocol], media=stored_recording())
        MediaCaption.objects.create(
            asset=sound.media,
            language="vi",
            file=ContentFile(
                "WEBVTT\n\n00:00.000 --> 00:02.000\nLời hát\n".encode(), name="hat.vtt"
            ),
        )
        made[protocol] = [image, sound]
    return people, made


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_files_of_a_record_follow_its_protocol(client, items, who, protocol):
    people, made = items
    for item in made[protocol]:
        for path in files_of(item):
            response = fetch(client, people[who], path)
            if protocol not in MATRIX[who]:
                assert response.status_code == 404, path
                continue
            assert response.status_code == 200, path
            cache = response["Cache-Control"]
            assert (cache == "private, no-store") is (protocol != "public"), (path, cache)


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_media_item_narrows_what_its_public_record_shows(client, world, who, protocol):
    people, records = world
    shared = HeritageRecordFactory(title="Hát Then")
    shared.communities.set(records["community"].communities.all())
    shared.custodians.set(records["secret"].custodians.all())
    item = RecordMedia.objects.create(
        record=shared, media=stored_recording(), protocol=ITEM_PROTOCOLS[protocol]
    )
    for path in files_of(item):
        expected = 200 if protocol in MATRIX[who] else 404
        assert fetch(client, people[who], path).status_code == expected


def test_a_file_reused_by_a_public_item_is_public(client, world):
    people, records = world
    asset = stored_recording()
    RecordMedia.objects.create(record=records["secret"], media=asset)
    RecordMedia.objects.create(record=records["public"], media=asset)
    response = fetch(client, people["anonymous"], asset.file.name)
    assert response.status_code == 200
    assert "private" not in response["Cache-Control"]


def test_files_outside_the_archive_are_public(client, db):
    asset = stored_recording()
    assert client.get(f"/media/{asset.file.name}").status_code == 200


@pytest.mark.parametrize("who", list(MATRIX))
def test_consent_documents_are_for_officers_only(client, world, who):
    people, records = world
    record = records["public"]
    record.consent_document.save("consent.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    response = fetch(client, people[who], record.consent_document.name)
    if who in ("officer", "superuser"):
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 404
