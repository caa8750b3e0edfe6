"""Loudspeaker programmes assembled in the admin and rendered by their task with real ffmpeg:
what may go in, what comes out, and what stops a rendering."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from wagtail.models import Collection, Locale, Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from heritage.models import RecordMedia
from heritage.protocols import CulturalProtocol
from outreach import loudspeakers, reach
from outreach.models import LoudspeakerCluster, Programme, ProgrammeItem, ProgrammeState
from outreach.signal_handlers import OUTREACH_OFFICERS
from tests.heritage.factories import HeritageRecordFactory
from tests.outreach.conftest import TODAY
from tests.outreach.loudspeaker_client import LoudspeakerDevice
from tests.outreach.loudspeaker_factories import make_communes
from tests.outreach.programme_factories import (
    needs_ffmpeg,
    silent_file,
    speech_file,
    spoken_article,
    stored_recording,
)

pytestmark = [needs_ffmpeg, pytest.mark.usefixtures("home")]

ADD = "/admin/snippets/outreach/programme/add/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def made_by_migrations(request):
    """For the test on the live server, what the data migrations made, which a transactional
    test before it may have emptied: the default locale, the tree's root, the default site and
    the root collection."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.filter(is_default_site=True).exists():
        welcome = root.add_child(instance=Page(title="Welcome", slug="home"))
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def officer(db):
    user = User.objects.create_user("officer", password="x")
    user.groups.add(Group.objects.get(name=OUTREACH_OFFICERS))
    return user


@pytest.fixture
def recordings(tmp_path):
    """Two readings of one article (Vietnamese and Jrai, recorded at different levels), a
    jingle and a public festival song."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    return {
        "vi": stored_recording(
            speech_file(folder, "vi.m4a", 5, gain_db=-12), "Bản đọc tiếng Việt", "vi"
        ),
        "jra": stored_recording(
            speech_file(folder, "jra.mp3", 4, gain_db=6, seed=2), "Bản đọc tiếng Jrai", "jra"
        ),
        "jingle": stored_recording(speech_file(folder, "jingle.wav", 2, seed=3), "Nhạc hiệu"),
        "song": stored_recording(
            speech_file(folder, "song.ogg", 3, seed=4), "Bài chiêng mừng lúa mới"
        ),
    }


@pytest.fixture
def spoken(health, recordings):
    return spoken_article(
        health,
        "Phòng chống sốt rét mùa mưa",
        title_jra="[jra test] Sốt rét",
        audio_vi=recordings["vi"],
        audio_jra=recordings["jra"],
    )


def programme_form(ea_sup, items, **fields):
    data = nested_form_data(
        {
            "title": "Bản tin sáng 8/12",
            "air_date": "2026-12-08",
            "intro": fields.get("intro", ""),
            "outro": fields.get("outro", ""),
            "gap_seconds": fields.get("gap_seconds", "1.5"),
            "items": inline_formset(items),
        }
    )
    return {**data, "communes": [ea_sup.pk]}


def article_item(article, language):
    return {"article": article.pk, "language": language, "recording": ""}


def recording_item(recording):
    return {"article": "", "language": "", "recording": recording.pk}


def test_a_two_language_programme_of_article_audio_is_rendered_to_the_target_loudness(
    client, officer, ea_sup, spoken, recordings, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    items = [
        article_item(spoken, "vi"),
        article_item(spoken, "jra"),
        recording_item(recordings["song"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, programme_form(ea_sup, items, intro=recordings["jingle"].pk))
    assert response.status_code == 302, response.content.decode()[:3000]

    programme = Programme.objects.get()
    assert programme.state == ProgrammeState.READY, programme.problems
    assert abs(programme.loudness + 16) <= 1.0
    assert programme.true_peak <= -1.5
    assert programme.audio.name == f"loudspeaker/{programme.sha256}.mp3"
    with default_storage.open(programme.audio.name) as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == programme.sha256
    assert programme.size == len(content)
    # Intro 2 s, three items of 5, 4 and 3 s, with 1.5 s between each.
    assert programme.duration == pytest.approx(2 + 5 + 4 + 3 + 3 * 1.5, abs=0.15)
    assert [line.split("  ", 1)[1] for line in programme.running_order.splitlines()] == [
        "Nhạc hiệu",
        "Phòng chống sốt rét mùa mưa (Tiếng Việt)",
        "[jra test] Sốt rét (Jrai)",
        "Bài chiêng mừng lúa mới",
    ]


def test_the_same_inputs_are_not_rendered_again_and_a_changed_gap_is(ea_sup, spoken):
    programme = Programme.objects.create(title="Bản tin", gap_seconds=1)
    programme.communes.add(ea_sup)
    ProgrammeItem.objects.create(programme=programme, article=spoken, language="vi")
    ProgrammeItem.objects.create(programme=programme, article=spoken, language="jra")
    assert loudspeakers.render(programme) == "ready"
    first = programme.sha256
    assert loudspeakers.render(Programme.objects.get()) == "unchanged"

    Programme.objects.filter(pk=programme.pk).update(gap_seconds=3)
    programme = Programme.objects.get()
    assert loudspeakers.render(programme) == "ready"
    assert programme.sha256 != first
    assert programme.duration == pytest.approx(5 + 4 + 3, abs=0.15)


def test_an_article_without_its_own_audio_in_a_language_is_refused_by_name(
    client, officer, ea_sup, health, recordings
):
    only_vietnamese = spoken_article(health, "Giá cà phê tuần này", audio_vi=recordings["vi"])
    client.force_login(officer)
    response = client.post(ADD, programme_form(ea_sup, [article_item(only_vietnamese, "jra")]))
    assert response.status_code == 200
    assert "“Giá cà phê tuần này” không có bản đọc bằng Jrai." in response.content.decode()
    assert not Programme.objects.exists()

    # The Vietnamese reading is there: it is taken (positive control).
    response = client.post(ADD, programme_form(ea_sup, [article_item(only_vietnamese, "vi")]))
    assert response.status_code == 302
    assert Programme.objects.count() == 1


@pytest.mark.parametrize(
    "protocol",
    [CulturalProtocol.COMMUNITY, CulturalProtocol.RESTRICTED, CulturalProtocol.SECRET_SACRED],
)
def test_a_recording_not_for_everyone_can_never_be_put_in_a_programme(
    client, officer, ea_sup, recordings, protocol
):
    record = HeritageRecordFactory(live=True, protocol=CulturalProtocol.PUBLIC)
    RecordMedia.objects.create(record=record, media=recordings["song"], protocol=protocol)
    client.force_login(officer)
    response = client.post(ADD, programme_form(ea_sup, [recording_item(recordings["song"])]))
    assert response.status_code == 200
    assert "“Bài chiêng mừng lúa mới” không công khai" in response.content.decode()
    response = client.post(
        ADD,
        programme_form(ea_sup, [recording_item(recordings["jingle"])], outro=recordings["song"].pk),
    )
    assert response.status_code == 200
    assert not Programme.objects.exists()

    # Shown to everyone, the same recording goes in (positive control).
    RecordMedia.objects.filter(media=recordings["song"]).update(protocol=CulturalProtocol.PUBLIC)
    response = client.post(ADD, programme_form(ea_sup, [recording_item(recordings["song"])]))
    assert response.status_code == 302


def test_a_recording_restricted_after_assembly_stops_the_rendering(ea_sup, recordings):
    record = HeritageRecordFactory(live=True, protocol=CulturalProtocol.PUBLIC)
    item = RecordMedia.objects.create(record=record, media=recordings["song"])
    programme = Programme.objects.create(title="Chương trình văn hóa")
    ProgrammeItem.objects.create(programme=programme, recording=recordings["song"])
    ProgrammeItem.objects.create(programme=programme, recording=recordings["jingle"])
    item.protocol = CulturalProtocol.SECRET_SACRED
    item.save()

    assert loudspeakers.render(programme) == "failed"
    programme = Programme.objects.get()
    assert programme.state == ProgrammeState.FAILED
    assert [problem["code"] for problem in programme.problems] == ["not_allowed"]
    assert programme.problems[0]["label"] == "Bài chiêng mừng lúa mới"
    assert not programme.audio and not default_storage.exists("loudspeaker")


def test_a_bad_clip_is_named_before_anything_is_rendered(
    client, officer, tmp_path, ea_sup, recordings
):
    silence = stored_recording(silent_file(tmp_path, "silence.wav"), "Thông báo của xã")
    programme = Programme.objects.create(title="Thông báo")
    ProgrammeItem.objects.create(programme=programme, recording=recordings["jingle"])
    ProgrammeItem.objects.create(programme=programme, recording=silence)

    assert loudspeakers.render(programme) == "failed"
    programme = Programme.objects.get()
    assert [(problem["label"], problem["code"]) for problem in programme.problems] == [
        ("Thông báo của xã", "silent")
    ]
    client.force_login(officer)
    response = client.get(f"/admin/snippets/outreach/programme/inspect/{programme.pk}/")
    assert "Thông báo của xã: bản ghi không có tiếng" in response.content.decode()


def test_a_cluster_pulls_the_programme_checks_it_plays_it_and_its_plays_are_counted(
    client,
    live_server,
    clock,
    officer,
    spoken,
    recordings,
    django_capture_on_commit_callbacks,
):
    """The issue's acceptance: a two-language programme of article audio, assembled in the
    admin and rendered to target, is pulled, verified and reported by a cluster over HTTP, and
    its plays are in the reach counts of the cluster's communes."""
    first, second = make_communes("Tỉnh Loa Thử", "Xã Một", "Xã Hai")
    cluster = LoudspeakerCluster.objects.create(
        name="Cụm loa Xã Một", times=["17:00"], languages=["vi", "jra"]
    )
    cluster.communes.add(first, second)
    token = cluster.issue_token()
    client.force_login(officer)
    items = [article_item(spoken, "vi"), article_item(spoken, "jra")]
    form = {**programme_form(first, items), "air_date": TODAY.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(ADD, form).status_code == 302
    programme = Programme.objects.get()
    assert programme.state == ProgrammeState.READY, programme.problems
    assert abs(programme.loudness + 16) <= 1.0 and programme.true_peak <= -1.5

    run = LoudspeakerDevice(live_server.url, token, wait_until=clock.advance_to).run()

    assert [(b["title"], b["languages"], b["sha256"]) for b in run.schedule["broadcasts"]] == [
        ("Bản tin sáng 8/12", ["vi", "jra"], programme.sha256)
    ]
    assert run.downloads[programme.sha256].ok
    assert [played.sha256 for played in run.played] == [programme.sha256]
    assert run.report_answer.json() == {"accepted": 1, "duplicates": 0}
    assert {(row.commune, row.day, row.plays) for row in reach.loudspeaker_plays(TODAY, TODAY)} == {
        ("Xã Một", TODAY, 1),
        ("Xã Hai", TODAY, 1),
    }
    # Nothing played elsewhere, or on another day (positive control above).
    assert (
        reach.loudspeaker_plays(
            TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=7)
        )
        == []
    )


def test_a_programme_edited_while_it_renders_keeps_the_edit_and_waits_for_its_own_rendering(
    ea_sup, spoken
):
    programme = Programme.objects.create(title="Bản tin", gap_seconds=1)
    ProgrammeItem.objects.create(programme=programme, article=spoken, language="vi")
    rendering = Programme.objects.get()  # what the task read when it started
    Programme.objects.filter(pk=programme.pk).update(
        title="Bản tin đã sửa", gap_seconds=3, state=ProgrammeState.QUEUED
    )
    assert loudspeakers.render(rendering) == "outdated"
    programme = Programme.objects.get()
    assert (programme.title, programme.state, programme.sha256) == (
        "Bản tin đã sửa",
        ProgrammeState.QUEUED,
        "",
    )
    # Its own rendering then goes ahead (positive control), and a retitling alone changes no
    # input: the rendering keeps the new title.
    assert loudspeakers.render(programme) == "ready"
    stale = Programme.objects.get()
    stale.input_key = ""  # rendered again from scratch
    Programme.objects.filter(pk=programme.pk).update(title="Bản tin sáng")
    assert loudspeakers.render(stale) == "ready"
    assert Programme.objects.get().title == "Bản tin sáng"


def test_a_gap_out_of_bounds_is_refused_in_the_form(client, officer, ea_sup, spoken):
    client.force_login(officer)
    for gap in ("-1", "31"):
        response = client.post(
            ADD, programme_form(ea_sup, [article_item(spoken, "vi")], gap_seconds=gap)
        )
        assert response.status_code == 200
    assert not Programme.objects.exists()
    response = client.post(
        ADD, programme_form(ea_sup, [article_item(spoken, "vi")], gap_seconds="30")
    )
    assert response.status_code == 302
