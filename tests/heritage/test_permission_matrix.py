"""The whole permission matrix: every kind of user × every public surface × every protocol.

Each record of the ``world`` fixture is a dated festival of one ethnic group in one province, so
it would appear on every surface: the archive page and its counts, its own page, the month
calendar, the three iCalendar feeds, the RSS feed, the sitemap, the JSON API, OAI-PMH and its
media files. Whoever may not see a record must find no trace of its title, slug or files.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from heritage.festival_dates import DateRule
from heritage.models import EthnicGroup, HeritageRecord, Place, RecordMedia
from media.models import MediaAsset, ProcessingStatus
from tests.heritage.factories import HeritageIndexPageFactory
from tests.heritage.matrix import MATRIX, PROTOCOLS


@pytest.fixture
def surfaces(home, world):
    """The world's records dated, placed and illustrated, and every URL that could show them."""
    people, records = world
    archive = HeritageIndexPageFactory(parent=home)
    group = EthnicGroup.objects.get(code="04")
    province = Place.objects.current().provinces().get(name="Lào Cai")
    for protocol, record in records.items():
        record.date_rule, record.date_month, record.date_day = DateRule.LUNAR, 1, 15
        record.slug = f"ban-ghi-{protocol}"
        record.save()
        record.ethnic_groups.add(group)
        record.places.add(province)
        asset = MediaAsset(title=f"Ghi âm {protocol}", type="audio", status=ProcessingStatus.READY)
        asset.file.save(f"{protocol}.m4a", ContentFile(protocol.encode() * 10), save=False)
        asset.save()
        RecordMedia.objects.create(record=record, media=asset)
    start = records["public"].occurrences(2026)[0][0]
    base = archive.url
    pages = {
        "archive": base,
        "archive by month": f"{base}?month={start.month}",
        "archive by ethnic group": f"{base}?ethnic_group=04",
        "archive by province": f"{base}?province={province.pk}",
        "calendar": f"{base}calendar/{start.year}/{start.month}/",
        "ical": f"{base}calendar.ics",
        "ical by province": f"{base}calendar/province/{province.pk}.ics",
        "ical by ethnic group": f"{base}calendar/ethnic-group/04.ics",
        "feed": f"{base}feed.xml",
        "sitemap": "/sitemap.xml",
        "sitemap of records": "/sitemap-records.xml",
        "api": "/api/heritage/records/",
        "api by province": f"/api/heritage/records/?province={province.pk}",
        "oai records": "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        "oai identifiers": "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "oai set": "/oai/?verb=ListRecords&metadataPrefix=oai_dc&set=kind:festival",
    }
    return people, records, archive, pages


LISTS_EVERY_RECORD = ("archive", "feed", "sitemap of records", "api", "oai records")
"""Surfaces that list every record their reader may see."""


def login(client, user):
    client.logout()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)


def own_urls(archive, record):
    return {
        "record page": f"{archive.url}{record.slug}/",
        "api record": f"/api/heritage/records/{record.slug}/",
        "oai record": f"/oai/?verb=GetRecord&metadataPrefix=oai_dc"
        f"&identifier=oai:testserver:heritage/{record.pk}",
        "recording": f"/media/{record.media_items.get().media.file.name}",
    }


@pytest.mark.parametrize("who", list(MATRIX))
def test_nothing_hidden_leaks_on_any_surface(client, surfaces, who):
    people, records, _archive, pages = surfaces
    login(client, people[who])
    hidden = [records[protocol] for protocol in PROTOCOLS if protocol not in MATRIX[who]]
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        if name in LISTS_EVERY_RECORD:  # the control: what may be seen is there
            assert records["public"].slug in body, name
        for record in hidden:
            assert record.title not in body, (name, record.protocol)
            assert record.slug not in body, (name, record.protocol)
            assert f"heritage/{record.pk}<" not in body, (name, record.protocol)
        if who != "anonymous" and any(p in MATRIX[who] for p in PROTOCOLS if p != "public"):
            shows_more = any(records[p].title in body for p in MATRIX[who] if p != "public")
            if shows_more:
                assert "no-store" in response.get("Cache-Control", ""), name


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_records_own_urls_answer_only_who_may_see_it(client, surfaces, who, protocol):
    people, records, archive, _pages = surfaces
    record = records[protocol]
    login(client, people[who])
    for name, url in own_urls(archive, record).items():
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if name == "oai record":
            # OAI-PMH answers every request with 200; a record it hides is idDoesNotExist.
            allowed = protocol == "public"
            assert (b"idDoesNotExist" not in body) is allowed, name
            continue
        if protocol in MATRIX[who]:
            assert response.status_code == 200, name
            if protocol != "public":
                cache = response["Cache-Control"]
                assert "private" in cache and "no-store" in cache, name
        else:
            assert response.status_code == 404, name
            assert record.title.encode() not in body, name


@pytest.mark.parametrize("who", list(MATRIX))
def test_counts_count_only_what_the_user_may_see(client, surfaces, who):
    people, _records, _archive, pages = surfaces
    login(client, people[who])
    visible = HeritageRecord.objects.published().visible_to(people[who]).count()
    assert visible == len(MATRIX[who])
    api = client.get(pages["api"]).json()
    assert api["count"] == visible
    body = client.get(pages["archive"]).content.decode()
    counts = {int(n) for n in re.findall(r"\((\d+)\)", body)}
    assert max(counts, default=0) <= visible


def test_withdrawn_rights_leave_no_count_behind(client, surfaces):
    people, records, _archive, pages = surfaces
    member = people["member"]
    login(client, member)

    def largest_count():
        body = client.get(pages["archive"]).content.decode()
        return max(int(n) for n in re.findall(r"\((\d+)\)", body))

    assert largest_count() == 2
    records["community"].communities.get().members.remove(member)
    assert largest_count() == 1
