"""Commune loudspeakers: what a cluster is to play, its device's API (schedule, audio, plays)
over the test client and over real HTTP, and the communes' podcasts."""

import datetime
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from heritage.models import Place, PlaceLevel
from outreach.loudspeaker_schedule import schedule_for
from outreach.models import PlayReport, Programme, ProgrammeItem, ProgrammeState
from tests.outreach.conftest import NOW, TODAY, VIETNAM
from tests.outreach.loudspeaker_client import LoudspeakerDevice
from tests.outreach.loudspeaker_factories import make_cluster, make_communes, make_programme

SCHEDULE = "/outreach/loudspeakers/schedule.json"
PLAYS = "/outreach/loudspeakers/plays.json"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def places(ea_sup):
    """Ea Súp and Buôn Đôn in Đắk Lắk, Lạc Dương in Lâm Đồng."""
    return ea_sup, Place.objects.get(name="Buôn Đôn"), Place.objects.get(name="Lạc Dương")


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


def at(offset, hour_minute):
    """Local time ``hour_minute`` on day ``offset`` from today."""
    hour, minute = map(int, hour_minute.split(":"))
    return datetime.datetime.combine(day(offset), datetime.time(hour, minute), tzinfo=VIETNAM)


def listed(broadcasts):
    return [(b.programme.title, b.starts_at, b.urgent) for b in broadcasts]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def audio_url(sha256):
    return f"/outreach/loudspeakers/audio/{sha256}.mp3"


def post_plays(client, token, plays):
    return client.post(
        PLAYS, json.dumps({"plays": plays}), content_type="application/json", **bearer(token)
    )


def like_missing(answer, missing):
    """Whether ``answer`` is ``missing``'s 404, byte for byte."""
    return (answer.status_code, answer.serialize()) == (404, missing.serialize())


def test_a_cluster_is_scheduled_the_ready_programmes_of_its_communes_at_its_times_from_now(
    places, media
):
    ea_sup, buon_don, lac_duong = places
    cluster, _token = make_cluster("Cụm Ea Súp", [ea_sup, buon_don], ["17:00", "06:00", "19:30"])
    make_programme("Hôm nay", [ea_sup], day(0), frequency=440)
    make_programme("Ngày mai", [buon_don, ea_sup], day(1), frequency=550)
    make_programme("Ngày thứ bảy", [buon_don], day(6), frequency=660)
    make_programme("Quá một tuần", [ea_sup], day(7), frequency=770)
    make_programme("Hôm qua", [ea_sup], day(-1), frequency=880)
    make_programme("Lạc Dương", [lac_duong], day(0), frequency=990)
    make_programme("Bản nháp", [ea_sup], day(0), state=ProgrammeState.DRAFT)
    make_programme("Đang dựng", [ea_sup], day(0), state=ProgrammeState.QUEUED)
    make_programme("Không dựng được", [ea_sup], day(0), state=ProgrammeState.FAILED)

    assert listed(schedule_for(cluster, NOW)) == [
        ("Hôm nay", at(0, "17:00"), False),
        ("Hôm nay", at(0, "19:30"), False),
        ("Ngày mai", at(1, "06:00"), False),
        ("Ngày mai", at(1, "17:00"), False),
        ("Ngày mai", at(1, "19:30"), False),
        ("Ngày thứ bảy", at(6, "06:00"), False),
        ("Ngày thứ bảy", at(6, "17:00"), False),
        ("Ngày thứ bảy", at(6, "19:30"), False),
    ]


def test_an_urgent_programme_goes_first_at_the_clusters_next_time(places, media):
    ea_sup, _buon_don, _lac_duong = places
    cluster, _token = make_cluster("Cụm Ea Súp", [ea_sup], ["06:00", "17:00"])
    make_programme("Bản tin chiều", [ea_sup], day(0), frequency=440)
    make_programme("Sạt lở đất", [ea_sup], day(0), urgent=True, frequency=550)
    make_programme("Lũ hôm qua", [ea_sup], day(-1), urgent=True, frequency=660)
    make_programme("Ngày mai", [ea_sup], day(1), frequency=770)

    assert listed(schedule_for(cluster, NOW)) == [
        ("Sạt lở đất", at(0, "17:00"), True),
        ("Bản tin chiều", at(0, "17:00"), False),
        ("Ngày mai", at(1, "06:00"), False),
        ("Ngày mai", at(1, "17:00"), False),
    ]


def test_an_urgent_programme_airs_now_once_todays_times_are_over_and_a_past_one_not_at_all(
    places, media
):
    ea_sup, _buon_don, _lac_duong = places
    cluster, _token = make_cluster("Cụm Ea Súp", [ea_sup], ["06:00", "17:00"])
    make_programme("Bản tin chiều", [ea_sup], day(0), frequency=440)
    make_programme("Sạt lở đất", [ea_sup], day(0), urgent=True, frequency=550)
    make_programme("Ngày mai", [ea_sup], day(1), frequency=770)
    evening = at(0, "20:15")

    assert listed(schedule_for(cluster, evening)) == [
        ("Sạt lở đất", evening, True),
        ("Ngày mai", at(1, "06:00"), False),
        ("Ngày mai", at(1, "17:00"), False),
    ]
    # A time that is now has not passed yet.
    assert listed(schedule_for(cluster, at(0, "17:00")))[:2] == [
        ("Sạt lở đất", at(0, "17:00"), True),
        ("Bản tin chiều", at(0, "17:00"), False),
    ]


def test_the_schedule_gives_the_device_each_broadcast_with_its_audio_as_json(
    client, clock, places, media, health
):
    from tests.cms.factories import ArticlePageFactory

    ea_sup, _buon_don, _lac_duong = places
    _cluster, token = make_cluster("Cụm loa Ea Súp", [ea_sup], ["17:00"], ["km", "vi"])
    bulletin = make_programme("Bản tin sức khỏe", [ea_sup], day(0), frequency=440)
    article = ArticlePageFactory(parent=health, title="Sốt rét", slug="sot-ret")
    for order, language in enumerate(["km", "vi", "km"]):
        ProgrammeItem.objects.create(
            programme=bulletin, article=article, language=language, sort_order=order
        )
    storm = make_programme("Sạt lở đất", [ea_sup], day(0), urgent=True, frequency=550)

    response = client.get(SCHEDULE, **bearer(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('"')

    def broadcast(programme, urgent, languages):
        return {
            "programme": programme.pk,
            "title": programme.title,
            "starts_at": "2025-03-10T17:00:00+07:00",
            "urgent": urgent,
            "duration_seconds": 3.0,
            "url": f"http://testserver{audio_url(programme.sha256)}",
            "sha256": programme.sha256,
            "bytes": programme.size,
            "languages": languages,
        }

    assert response.json() == {
        "cluster": "Cụm loa Ea Súp",
        "generated_at": "2025-03-10T10:00:00+07:00",
        "timezone": "Asia/Ho_Chi_Minh",
        "broadcasts": [broadcast(storm, True, []), broadcast(bulletin, False, ["km", "vi"])],
    }
    secure = client.get(SCHEDULE, secure=True, **bearer(token)).json()
    assert secure["broadcasts"][0]["url"] == f"https://testserver{audio_url(storm.sha256)}"


def test_the_schedule_answers_304_while_it_is_unchanged_and_200_once_it_changes(
    client, clock, places, media
):
    ea_sup, _buon_don, _lac_duong = places
    _cluster, token = make_cluster("Cụm Ea Súp", [ea_sup], ["17:00"])
    make_programme("Bản tin", [ea_sup], day(0), frequency=440)
    first = client.get(SCHEDULE, **bearer(token))
    etag = first["ETag"]

    clock.now = NOW + datetime.timedelta(minutes=5)
    unchanged = client.get(SCHEDULE, HTTP_IF_NONE_MATCH=etag, **bearer(token))
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert (unchanged["ETag"], unchanged["Cache-Control"]) == (etag, "private, no-cache")
    gzipped = client.get(SCHEDULE, HTTP_ACCEPT_ENCODING="gzip", **bearer(token))
    assert gzipped["ETag"] == f"W/{etag}"  # compressed, the same schedule is still current
    assert (
        client.get(SCHEDULE, HTTP_IF_NONE_MATCH=gzipped["ETag"], **bearer(token)).status_code == 304
    )

    make_programme("Bản tin mới", [ea_sup], day(0), frequency=550)
    changed = client.get(SCHEDULE, HTTP_IF_NONE_MATCH=etag, **bearer(token))
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert [b["title"] for b in changed.json()["broadcasts"]] == ["Bản tin", "Bản tin mới"]


def test_every_refused_token_gets_the_same_empty_401_on_every_endpoint(
    client, clock, places, media
):
    ea_sup, _buon_don, _lac_duong = places
    cluster, replaced = make_cluster("Cụm Ea Súp", [ea_sup], ["17:00"])
    token = cluster.issue_token()
    other, revoked = make_cluster("Cụm cũ", [ea_sup])
    other.revoke_token()
    programme = make_programme("Bản tin", [ea_sup], day(0))
    plays = json.dumps({"plays": []})
    calls = [  # with the status the right token gets, the positive control
        ("get", SCHEDULE, {}, 200),
        ("head", SCHEDULE, {}, 200),
        ("get", audio_url(programme.sha256), {}, 200),
        ("head", audio_url(programme.sha256), {}, 200),
        ("get", audio_url("0" * 64), {}, 404),
        ("post", PLAYS, {"data": plays, "content_type": "application/json"}, 200),
    ]
    refusals = {
        "missing": {},
        "wrong": bearer("x" * 43),
        "empty": {"HTTP_AUTHORIZATION": "Bearer "},
        "replaced": bearer(replaced),
        "revoked": bearer(revoked),
        "not bearer": {"HTTP_AUTHORIZATION": f"Basic {token}"},
    }
    answers = set()
    for method, url, arguments, status in calls:
        allowed = getattr(client, method)(url, **arguments, **bearer(token))
        assert allowed.status_code == status, (method, url)
        for name, credentials in refusals.items():
            refused = getattr(client, method)(url, **arguments, **credentials)
            assert refused.status_code == 401, (method, url, name)
            assert refused["WWW-Authenticate"] == 'Bearer realm="loudspeakers"'
            assert refused.content == b""
            answers.add(refused.serialize())
    assert len(answers) == 1


def test_a_device_gets_the_audio_of_its_programmes_and_any_other_like_a_missing_file(
    client, clock, places, media
):
    ea_sup, _buon_don, lac_duong = places
    _cluster, token = make_cluster("Cụm Ea Súp", [ea_sup], ["17:00"])
    make_cluster("Cụm Lạc Dương", [lac_duong])
    today = make_programme("Hôm nay", [ea_sup], day(0), frequency=440)
    last_week = make_programme("Tuần trước", [ea_sup], day(-7), frequency=550)
    next_week = make_programme("Tuần sau", [ea_sup], day(6), frequency=560)
    too_old = make_programme("Tháng trước", [ea_sup], day(-8), frequency=660)
    too_far = make_programme("Hai tuần nữa", [ea_sup], day(7), frequency=670)
    others = make_programme("Lạc Dương", [lac_duong], day(0), frequency=770)
    requeued = make_programme("Dựng lại", [ea_sup], day(0), frequency=880)
    Programme.objects.filter(pk=requeued.pk).update(state=ProgrammeState.QUEUED)
    unknown = audio_url("0" * 64)
    missing = client.get(unknown, **bearer(token))

    for programme in (today, last_week, next_week):
        served = client.get(audio_url(programme.sha256), **bearer(token))
        assert served.status_code == 200, programme.title  # the positive control
        assert served["Content-Type"] == "audio/mpeg"
        assert served["Cache-Control"] == "private, no-store"
        assert b"".join(served.streaming_content) == programme.audio.read()
    start = client.get(audio_url(today.sha256), HTTP_RANGE="bytes=0-1023", **bearer(token))
    assert start.status_code == 206
    assert start["Content-Range"] == f"bytes 0-1023/{today.size}"
    head = client.head(audio_url(today.sha256), **bearer(token))
    assert (head.status_code, head["Content-Length"]) == (200, str(today.size))

    assert missing.status_code == 404
    hidden = [too_old, too_far, others, requeued]
    for url in [
        *(audio_url(p.sha256) for p in hidden),
        audio_url("ABC"),
        "/outreach/loudspeakers/audio/x.ogg",
    ]:
        assert like_missing(client.get(url, **bearer(token)), missing), url
    assert like_missing(
        client.head(audio_url(others.sha256), **bearer(token)),
        client.head(unknown, **bearer(token)),
    )


def test_plays_are_saved_once_each_and_a_repeated_report_is_the_same_row(
    client, clock, places, media
):
    ea_sup, buon_don, _lac_duong = places
    cluster, token = make_cluster("Cụm Ea Súp", [ea_sup, buon_don], ["06:00", "17:00"])
    today = make_programme("Hôm nay", [ea_sup], day(0), frequency=440)
    long_ago = make_programme("Mười ngày trước", [buon_don], day(-10), frequency=550)
    plays = [
        {"sha256": today.sha256, "started_at": "2025-03-10T06:00:00+07:00", "outcome": "played"},
        {"sha256": today.sha256, "started_at": "2025-03-09T23:00:00Z", "outcome": "played"},
        {
            "sha256": today.sha256,
            "started_at": "2025-03-10T10:04:00+07:00",
            "outcome": "interrupted",
        },
        {"sha256": long_ago.sha256, "started_at": "2025-02-28T17:00:00+07:00", "outcome": "failed"},
    ]

    first = post_plays(client, token, plays)
    again = post_plays(client, token, plays)

    assert (first.status_code, first.json()) == (200, {"accepted": 3, "duplicates": 1})
    assert (again.status_code, again.json()) == (200, {"accepted": 0, "duplicates": 4})
    saved = PlayReport.objects.order_by("started_at")
    assert [
        (r.cluster, r.programme, r.sha256, timezone.localtime(r.started_at), r.outcome)
        for r in saved
    ] == [
        (cluster, long_ago, long_ago.sha256, at(-10, "17:00"), "failed"),
        (cluster, today, today.sha256, at(0, "06:00"), "played"),
        (cluster, today, today.sha256, at(0, "10:04"), "interrupted"),
    ]


def test_plays_with_any_invalid_one_save_none_and_say_what_is_wrong_with_each(
    client, clock, places, media
):
    ea_sup, _buon_don, lac_duong = places
    _cluster, token = make_cluster("Cụm Ea Súp", [ea_sup])
    own = make_programme("Hôm nay", [ea_sup], day(0), frequency=440).sha256
    others = make_programme("Lạc Dương", [lac_duong], day(0), frequency=550).sha256
    valid = {"sha256": own, "started_at": "2025-03-10T06:00:00+07:00", "outcome": "played"}
    plays = [
        valid,
        {**valid, "sha256": others},
        {**valid, "sha256": "0" * 64},
        {**valid, "started_at": "hôm qua"},
        {**valid, "started_at": "2025-03-10T06:00:00"},
        {**valid, "started_at": "2025-03-10T10:05:01+07:00"},
        {**valid, "started_at": "2025-03-10T10:05:00+07:00"},
        {**valid, "outcome": "skipped"},
        "played",
        {"sha256": 5, "started_at": None},
        {**valid, "sha256": [own], "started_at": "0001-01-01T00:00:00+07:00"},
    ]

    response = post_plays(client, token, plays)

    sha256 = "must be the SHA-256 of an audio file of this cluster"
    started_at = "must be a date and time in ISO 8601 with its offset"
    outcome = "must be one of: played, interrupted, failed"
    assert response.status_code == 400
    assert response.json() == {
        "error": "some plays are invalid; none was saved",
        "errors": [
            {"index": 1, "field": "sha256", "message": sha256},
            {"index": 2, "field": "sha256", "message": sha256},
            {"index": 3, "field": "started_at", "message": started_at},
            {"index": 4, "field": "started_at", "message": started_at},
            {"index": 5, "field": "started_at", "message": "is more than 5 minutes ahead"},
            {"index": 7, "field": "outcome", "message": outcome},
            {
                "index": 8,
                "field": None,
                "message": "must be an object with sha256, started_at and outcome",
            },
            {"index": 9, "field": "sha256", "message": sha256},
            {"index": 9, "field": "started_at", "message": started_at},
            {"index": 9, "field": "outcome", "message": outcome},
            {"index": 10, "field": "sha256", "message": sha256},
            {"index": 10, "field": "started_at", "message": started_at},
        ],
    }
    assert PlayReport.objects.count() == 0
    assert post_plays(client, token, [valid]).json() == {"accepted": 1, "duplicates": 0}


def test_plays_are_posted_as_json_of_at_most_500_in_a_body_of_bounded_size(
    client, clock, places, media
):
    ea_sup, _buon_don, _lac_duong = places
    _cluster, token = make_cluster("Cụm Ea Súp", [ea_sup])
    own = make_programme("Hôm nay", [ea_sup], day(0)).sha256
    play = {"sha256": own, "started_at": "2025-03-10T06:00:00+07:00", "outcome": "played"}

    def post(body):
        return client.post(PLAYS, body, content_type="application/json", **bearer(token))

    assert client.get(PLAYS, **bearer(token)).status_code == 405
    assert client.put(PLAYS, "{}", **bearer(token)).status_code == 405
    for body in (b"{", b"[]", b'{"plays": {}}', json.dumps({"plays": [play] * 501})):
        answer = post(body)
        assert answer.status_code == 400, body[:20]
        assert set(answer.json()) == {"error"}
    assert post(json.dumps({"plays": [play], "padding": "x" * 200_000})).status_code == 413
    assert PlayReport.objects.count() == 0
    assert post(json.dumps({"plays": [play] * 500})).json() == {"accepted": 1, "duplicates": 499}


def test_a_device_plays_its_schedule_over_http_with_every_file_checked_and_each_play_saved_once(
    live_server, settings, tmp_path, clock
):
    settings.MEDIA_ROOT = tmp_path
    first, second, elsewhere = make_communes("Tỉnh Loa Thử", "Xã Một", "Xã Hai", "Xã Ba")
    cluster, token = make_cluster("Cụm loa Xã Một", [first, second], ["06:00", "17:00"])
    bulletin = make_programme("Bản tin sức khỏe", [first], day(0), frequency=440)
    storm = make_programme("Cảnh báo lũ", [second], day(0), urgent=True, frequency=660, seconds=4)
    make_programme("Xã Ba", [elsewhere], day(0), frequency=880)
    device = LoudspeakerDevice(live_server.url, token, wait_until=clock.advance_to)

    run = device.run()

    assert run.schedule["cluster"] == "Cụm loa Xã Một"
    assert {sha: (d.ok, d.statuses, d.received) for sha, d in run.downloads.items()} == {
        storm.sha256: (True, [206, 206], storm.size),
        bulletin.sha256: (True, [206, 206], bulletin.size),
    }
    assert [(p.title, p.starts_at, p.urgent, p.sha256) for p in run.played] == [
        ("Cảnh báo lũ", at(0, "17:00"), True, storm.sha256),
        ("Bản tin sức khỏe", at(0, "17:00"), False, bulletin.sha256),
    ]
    assert (run.report_answer.status, run.report_answer.json()) == (
        200,
        {"accepted": 2, "duplicates": 0},
    )
    again = device.report(run.reported)
    assert (again.status, again.json()) == (200, {"accepted": 0, "duplicates": 2})
    assert sorted(
        (r.sha256, timezone.localtime(r.started_at), r.outcome)
        for r in PlayReport.objects.filter(cluster=cluster)
    ) == sorted(
        [(storm.sha256, at(0, "17:00"), "played"), (bulletin.sha256, at(0, "17:00"), "played")]
    )
    etag = device.schedule().headers["etag"]
    assert device.schedule(etag).status == 304


def test_a_device_reports_a_download_not_matching_its_checksum_failed_and_never_plays_it(
    live_server, settings, tmp_path, clock
):
    settings.MEDIA_ROOT = tmp_path
    (commune,) = make_communes("Tỉnh Loa Hỏng", "Xã Một")
    cluster, token = make_cluster("Cụm loa", [commune], ["17:00"])
    good = make_programme("Bản tin", [commune], day(0), frequency=440)
    bad = make_programme("Bản tin hỏng", [commune], day(0), frequency=550)
    wrong = hashlib.sha256(b"another file").hexdigest()
    Programme.objects.filter(pk=bad.pk).update(sha256=wrong)
    device = LoudspeakerDevice(live_server.url, token, wait_until=clock.advance_to)

    run = device.run()

    assert (run.downloads[wrong].ok, run.downloads[wrong].problem) == (
        False,
        "SHA-256 does not match",
    )
    assert run.downloads[good.sha256].ok
    assert [p.title for p in run.played] == ["Bản tin"]
    assert run.reported == [
        {"sha256": good.sha256, "started_at": "2025-03-10T17:00:00+07:00", "outcome": "played"},
        {"sha256": wrong, "started_at": "2025-03-10T17:00:00+07:00", "outcome": "failed"},
    ]
    assert sorted(
        PlayReport.objects.filter(cluster=cluster).values_list("programme__title", "outcome")
    ) == [("Bản tin", "played"), ("Bản tin hỏng", "failed")]


def podcast_items(response):
    channel = ET.fromstring(response.content).find("channel")
    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}duration"
    return [
        (
            item.findtext("title"),
            item.find("enclosure").get("url"),
            item.find("enclosure").get("length"),
            item.find("enclosure").get("type"),
            item.findtext(itunes),
        )
        for item in channel.findall("item")
    ]


def test_a_communes_podcast_lists_the_programmes_aired_there_newest_first(
    client, clock, places, media
):
    ea_sup, buon_don, _lac_duong = places
    saturday = make_programme("Bản tin thứ Bảy", [ea_sup], day(-2), frequency=440)
    shared = make_programme("Bản tin chung", [buon_don, ea_sup], day(-1), frequency=550)
    today = make_programme("Bản tin hôm nay", [ea_sup], day(0), frequency=660, seconds=4)
    make_programme("Bản tin ngày mai", [ea_sup], day(1), frequency=770)
    make_programme("Bản nháp", [ea_sup], day(0), state=ProgrammeState.DRAFT)
    make_programme("Buôn Đôn", [buon_don], day(0), frequency=880)

    response = client.get(f"/loudspeakers/{ea_sup.pk}/podcast.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")

    def item(programme, seconds):
        url = f"http://testserver/loudspeakers/audio/{programme.sha256}.mp3"
        return (programme.title, url, str(programme.size), "audio/mpeg", seconds)

    assert podcast_items(response) == [item(today, "4"), item(shared, "3"), item(saturday, "3")]


def test_a_podcast_holds_the_fifty_newest_programmes(client, clock, places, media):
    ea_sup, _buon_don, _lac_duong = places
    for back in range(52):
        make_programme(f"Bản tin {back}", [ea_sup], day(-back), frequency=440)
    titles = [
        item[0] for item in podcast_items(client.get(f"/loudspeakers/{ea_sup.pk}/podcast.xml"))
    ]
    assert titles == [f"Bản tin {back}" for back in range(50)]


def test_the_podcast_of_an_unknown_or_former_commune_is_missing(client, clock, places, media):
    ea_sup, _buon_don, _lac_duong = places
    former = Place.objects.create(
        name="Ea Súp cũ",
        level=PlaceLevel.COMMUNE,
        parent=ea_sup.parent,
        valid_until=datetime.date(2025, 6, 30),
    )
    make_programme("Bản tin", [ea_sup], day(0))
    Programme.objects.get().communes.add(former)
    assert client.get(f"/loudspeakers/{ea_sup.pk}/podcast.xml").status_code == 200  # control
    for pk in (former.pk, ea_sup.parent.pk, 999999, 10**20):
        assert client.get(f"/loudspeakers/{pk}/podcast.xml").status_code == 404, pk


def test_a_programmes_public_audio_is_served_once_aired_and_otherwise_like_a_missing_file(
    client, clock, places, media
):
    ea_sup, _buon_don, _lac_duong = places
    yesterday = make_programme("Hôm qua", [ea_sup], day(-1), frequency=440)
    today = make_programme("Hôm nay", [ea_sup], day(0), frequency=550)
    tomorrow = make_programme("Ngày mai", [ea_sup], day(1), frequency=660)
    requeued = make_programme("Dựng lại", [ea_sup], day(-1), frequency=770)
    Programme.objects.filter(pk=requeued.pk).update(state=ProgrammeState.QUEUED)

    def url(sha256):
        return f"/loudspeakers/audio/{sha256}.mp3"

    for programme in (yesterday, today):
        served = client.get(url(programme.sha256))
        assert served.status_code == 200, programme.title  # the positive control
        assert served["Cache-Control"] == "public, max-age=3600"
        assert served["Content-Type"] == "audio/mpeg"
        assert b"".join(served.streaming_content) == programme.audio.read()
    assert client.get(url(today.sha256), HTTP_RANGE="bytes=100-").status_code == 206
    missing = client.get(url("0" * 64))
    for hidden in (tomorrow, requeued):
        answer = client.get(url(hidden.sha256))
        assert like_missing(answer, missing), hidden.title
