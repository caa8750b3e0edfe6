"""The heritage demo: about thirty records under every protocol, sample users, loadable twice."""

import shutil

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.storage import default_storage
from django.urls import reverse
from wagtail.images import get_image_model

from cms.demo.loader import DemoReport, ensure_home
from heritage.demo.loader import DEMO_PASSWORD, DEMO_USERS, load_heritage_demo
from heritage.models import (
    CommunityGroup,
    CommunityNarrative,
    EthnicGroup,
    HeritageRecord,
    Place,
    PlaceLevel,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from media.models import MediaAsset, ProcessingStatus

COMMUNITY_RECORD = "demo-khen-tang-le-mong"
RESTRICTED_RECORD = "demo-then-field-recordings"
SECRET_RECORD = "demo-cap-sac-bi-truyen"
MIXED_RECORD = "demo-gau-tao"
EDIT_RECORD = "wagtailsnippets_heritage_heritagerecord:edit"


def load() -> DemoReport:
    report = DemoReport()
    load_heritage_demo(report, ensure_home("testserver", 80))
    return report


def counts() -> dict[str, int]:
    models = [
        HeritageRecord,
        CommunityNarrative,
        RecordMedia,
        RecordLabel,
        RecordSource,
        CommunityGroup,
        MediaAsset,
        get_image_model(),
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db):
    """The heritage demo, loaded once, and the sample users."""
    report = load()
    users = {name: get_user_model().objects.get(username=name) for name in DEMO_USERS}
    return report, users


def ids(queryset) -> set[str]:
    return set(queryset.values_list("external_id", flat=True))


def test_loading_twice_adds_nothing_the_second_time(demo):
    first, _users = demo
    assert first.records >= 30
    assert first.users == 4
    assert first.images == first.records + 1
    assert first.media == (4 if shutil.which("ffmpeg") else 3)
    before = counts()

    again = load()

    assert (again.records, again.images, again.media, again.users) == (0, 0, 0, 0)
    assert counts() == before


def test_every_record_is_told_in_vietnamese_and_english_and_placed_today(demo):
    records = HeritageRecord.objects.prefetch_related("places", "narratives")
    assert records.count() >= 30
    for record in records:
        for field in ("title", "summary", "description"):
            assert getattr(record, f"{field}_vi"), (record.external_id, field)
            assert getattr(record, f"{field}_en"), (record.external_id, field)
        assert record.title_vi != record.title_en
        assert record.rights_statement == "https://creativecommons.org/licenses/by/4.0/"
        assert record.rights_holder == "Bản Làng (demo)"
        assert record.ethnic_groups.exists()
        assert record.labels.exists()
        assert record.places.exists()
        for place in record.places.all():
            assert place.is_current
            assert place.level in (PlaceLevel.PROVINCE, PlaceLevel.CITY)
        assert record.narratives.all()
        for told in record.narratives.all():
            assert told.text_vi.startswith("Viết cho bản demo")
            assert told.text_en.startswith("Written for the demo")
            assert told.community_id or told.contributor
        record.full_clean()

    def provinces(external_id: str) -> set[str]:
        record = HeritageRecord.objects.get(external_id=external_id)
        return set(record.places.values_list("name", flat=True))

    assert provinces("demo-khau-vai") == {"Tuyên Quang"}
    assert provinces("demo-gom-cham") == {"Khánh Hòa", "Lâm Đồng"}
    assert "Lào Cai" in provinces("demo-xoe-thai")
    assert "Quảng Ngãi" in provinces("demo-cong-chieng-tay-nguyen")

    dated = {record.external_id: record for record in records}
    assert dated["demo-ok-om-bok"].occurrences(2025)
    assert dated["demo-chol-chnam-thmay"].occurrences(2026)[0][0].isoformat() == "2026-04-14"
    assert dated["demo-po-thi"].date_rule == "season"
    assert dated["demo-kate"].season_en.startswith("The 1st day of the 7th Chăm month")


def test_each_sample_user_sees_the_public_records_and_only_their_own_others(demo):
    _report, users = demo
    public = ids(HeritageRecord.objects.filter(protocol=CulturalProtocol.PUBLIC))
    others = {
        AnonymousUser(): set(),
        users["reader"]: set(),
        users["community"]: {COMMUNITY_RECORD},
        users["officer"]: {COMMUNITY_RECORD, RESTRICTED_RECORD},
        users["custodian"]: {SECRET_RECORD},
    }
    for user, extra in others.items():
        assert ids(HeritageRecord.objects.visible_to(user)) == public | extra, user

    protocols = dict(
        HeritageRecord.objects.exclude(protocol=CulturalProtocol.PUBLIC).values_list(
            "external_id", "protocol"
        )
    )
    assert protocols == {
        COMMUNITY_RECORD: CulturalProtocol.COMMUNITY,
        RESTRICTED_RECORD: CulturalProtocol.RESTRICTED,
        SECRET_RECORD: CulturalProtocol.SECRET_SACRED,
    }
    for record in HeritageRecord.objects.exclude(protocol=CulturalProtocol.PUBLIC):
        assert {item.protocol for item in record.media_items.all()} == {record.protocol}
        assert {told.protocol for told in record.narratives.all()} == {record.protocol}

    mixed = HeritageRecord.objects.get(external_id=MIXED_RECORD, protocol=CulturalProtocol.PUBLIC)

    def visible(model, user) -> int:
        return model.objects.filter(record=mixed).visible_to(user).count()

    assert visible(CommunityNarrative, AnonymousUser()) == 1
    assert visible(CommunityNarrative, users["reader"]) == 1
    assert visible(CommunityNarrative, users["community"]) == 2
    assert visible(RecordMedia, AnonymousUser()) == 1
    assert visible(RecordMedia, users["officer"]) == 2


def test_every_media_item_is_a_stored_labelled_placeholder(demo):
    items = RecordMedia.objects.select_related("image", "media")
    assert items.filter(image__isnull=False).count() >= 30
    assert items.filter(media__type="audio").exists()
    if shutil.which("ffmpeg"):
        assert items.filter(media__type="video").exists()
    for item in items:
        stored = item.image or item.media
        assert (item.image is None) != (item.media is None)
        assert default_storage.exists(stored.file.name), stored.file.name
        assert stored.title.startswith("Placeholder")
        assert "Placeholder" in item.caption_vi
        assert "Placeholder" in item.caption_en
        assert item.credit == "Bản Làng (demo): generated placeholder"

    assets = MediaAsset.objects.all()
    assert set(assets.values_list("status", flat=True)) == {ProcessingStatus.PENDING}
    files = [asset.file.open("rb").read() for asset in assets]
    assert len(set(files)) == len(files), "no two placeholder recordings share a file"


def test_sample_users_have_their_roles_and_the_demo_password(demo, client):
    _report, users = demo
    for name, user in users.items():
        assert authenticate(username=name, password=DEMO_PASSWORD) == user
        assert not user.is_superuser
        assert not user.is_staff
    officers = Group.objects.get(name=CULTURAL_OFFICERS)
    assert list(officers.user_set.all()) == [users["officer"]]
    community = CommunityGroup.objects.get(name="Cộng đồng Mông xã Lũng Cú (demo)")
    assert list(community.members.all()) == [users["community"]]
    secret = HeritageRecord.objects.get(external_id=SECRET_RECORD)
    assert list(secret.custodians.all()) == [users["custodian"]]
    assert not users["reader"].groups.exists()
    assert not users["reader"].heritage_communities.exists()

    client.force_login(users["officer"])
    assert client.get("/admin/").status_code == 200
    restricted = HeritageRecord.objects.get(external_id=RESTRICTED_RECORD)
    assert client.get(reverse(EDIT_RECORD, args=[restricted.pk])).status_code == 200
    assert client.get(reverse(EDIT_RECORD, args=[secret.pk])).status_code == 404
    client.force_login(users["reader"])
    assert client.get("/admin/").status_code == 302


def test_an_existing_account_with_a_demo_name_gets_no_rights(db):
    get_user_model().objects.create_user("officer", password="their-own")
    load()
    officer = get_user_model().objects.get(username="officer")
    assert not officer.groups.exists()
    assert authenticate(username="officer", password="their-own") == officer


def test_the_demo_loads_on_an_emptied_database(db):
    HeritageRecord.objects.all().delete()
    EthnicGroup.objects.all().delete()
    Place.objects.all().delete()
    Group.objects.filter(name=CULTURAL_OFFICERS).delete()

    assert load().records >= 30
    assert Place.objects.current().provinces().count() == 34
    assert Group.objects.get(name=CULTURAL_OFFICERS).user_set.count() == 1
