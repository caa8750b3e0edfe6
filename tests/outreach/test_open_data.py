"""Open data: datasets as CSV with a Frictionless Data Package, a DCAT-AP catalogue, charts on
the server; a broken dataset never replaces a good one; no count of people below 10 in public."""

import csv
import dataclasses
import datetime
import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import frictionless
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as vocabulary

from cms.topics import Topic
from heritage.models import EthnicGroup, HeritageKind, Place
from heritage.protocols import CulturalProtocol
from outreach import feedback, open_data
from outreach.models import (
    Bulletin,
    Channel,
    Message,
    MessageState,
    Office,
    PlayOutcome,
    PlayReport,
    ProgrammeState,
    Submission,
    SubmissionState,
)
from outreach.models.messages import MessageKind
from outreach.open_data_sets import DATASETS
from tests.cms.factories import (
    ArticlePageFactory,
    CommodityFactory,
    MarketFactory,
    MarketPriceFactory,
    TopicIndexPageFactory,
)
from tests.heritage.factories import HeritageRecordFactory
from tests.outreach.factories import make_subscriber
from tests.outreach.loudspeaker_factories import make_cluster, make_programme

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DRAFT = ProgrammeState.DRAFT
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
ENGLISH = {
    "title_en": "Preventing malaria",
    "summary_en": "Sleep under a net every night.",
    "body_en": [{"type": "paragraph", "value": "<p>Mosquitoes bite at night.</p>"}],
    "source_en": "Commune health station (demo)",
}
HMONG = {  # marked stand-ins for a translator's text: no Hmong is invented
    "title_hmn": "[hmn test] Phòng chống sốt rét",
    "summary_hmn": "[hmn test] Ngủ màn mỗi đêm.",
    "body_hmn": [{"type": "paragraph", "value": "<p>[hmn test] Muỗi đốt ban đêm.</p>"}],
    "source_hmn": "[hmn test] Trạm y tế xã",
}


@pytest.fixture(autouse=True)
def open_data_folder(settings, tmp_path):
    """Publish into this test's own folder."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "open-data"


def published_rows(name: str) -> list[dict[str, str]]:
    """Publish everything, then read the CSV of ``name`` as a reader would."""
    assert open_data.publish_all()[name] is True
    return read_csv(name)


def read_csv(name: str) -> list[dict[str, str]]:
    text = open_data.csv_path(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def keyed(rows, *key, values):
    return {tuple(row[name] for name in key): tuple(row[name] for name in values) for row in rows}


def test_content_published_counts_articles_per_topic_language_and_month_with_translations(
    home, health
):
    culture = TopicIndexPageFactory(
        parent=home,
        topic=Topic.CULTURE,
        title="Văn hóa",
        slug="van-hoa",
        title_en="Culture",
        slug_en="culture",
    )
    october = datetime.datetime(2026, 10, 5, 9, tzinfo=UTC)
    ArticlePageFactory(parent=health, first_published_at=october, **ENGLISH)
    ArticlePageFactory(parent=health, first_published_at=october)
    stale = ArticlePageFactory(parent=health, first_published_at=october, **ENGLISH)
    stale.summary = "Ngủ màn mỗi đêm, cả mùa khô."
    stale.save()  # its English translation is now outdated
    # 20:00 UTC on 31 October is already 1 November in Vietnam.
    ArticlePageFactory(
        parent=health, first_published_at=datetime.datetime(2026, 10, 31, 20, tzinfo=UTC), **HMONG
    )
    ArticlePageFactory(parent=culture, first_published_at=october, **ENGLISH)
    ArticlePageFactory(parent=health, first_published_at=october, live=False, **ENGLISH)

    rows = published_rows("content-published")

    counts = keyed(rows, "topic", "language", "month", values=("published", "translated"))
    assert len(rows) == 3 * 10  # three topic-months, every language
    assert counts[("health", "vi", "2026-10")] == ("3", "3")
    assert counts[("health", "en", "2026-10")] == ("3", "1")
    assert counts[("health", "hmn", "2026-10")] == ("3", "0")
    assert counts[("health", "vi", "2026-11")] == ("1", "1")
    assert counts[("health", "hmn", "2026-11")] == ("1", "1")
    assert counts[("health", "en", "2026-11")] == ("1", "0")
    assert counts[("culture", "en", "2026-10")] == ("1", "1")
    assert counts[("culture", "km", "2026-10")] == ("1", "0")


def test_heritage_records_counts_live_public_records_only(dak_lak, ea_sup):
    buon_don = Place.objects.get(name="Buôn Đôn")
    lac_duong = Place.objects.get(name="Lạc Dương")
    ede = EthnicGroup.objects.get(code="12")
    jrai = EthnicGroup.objects.get(code="10")

    def record(groups=(ede,), places=(ea_sup,), **fields):
        made = HeritageRecordFactory(**fields)
        made.ethnic_groups.set(groups)
        made.places.set(places)
        return made

    record()
    record(places=(ea_sup, buon_don))  # two communes of one province: one record there
    record(places=(dak_lak,))  # the province itself
    record(kind=HeritageKind.CRAFT, groups=(ede, jrai), places=(lac_duong,))
    record(groups=(), places=())
    for protocol in (
        CulturalProtocol.COMMUNITY,
        CulturalProtocol.RESTRICTED,
        CulturalProtocol.SECRET_SACRED,
    ):
        record(protocol=protocol)
        record(protocol=protocol, kind=HeritageKind.RITUAL, groups=(jrai,), places=(buon_don,))
    record(live=False)

    rows = published_rows("heritage-records")

    assert keyed(rows, "ethnic_group_code", "province", "kind", values=("records",)) == {
        ("12", "Đắk Lắk", "festival"): ("3",),
        ("12", "Lâm Đồng", "craft"): ("1",),
        ("10", "Lâm Đồng", "craft"): ("1",),
        ("unknown", "unknown", "festival"): ("1",),
    }
    names = {
        row["ethnic_group_code"]: (row["ethnic_group"], row["ethnic_group_en"]) for row in rows
    }
    assert names["12"] == ("Ê Đê", "Rade (Ede)")


PLEIKU = ("Chợ Pleiku", "Gia Lai", "kg", "VND")


def test_market_prices_lists_every_price_with_its_unit_and_currency(db):
    coffee = CommodityFactory(name="Cà phê nhân", name_en="Green coffee", slug="ca-phe-nhan")
    pepper = CommodityFactory(name="Hồ tiêu", name_en="Black pepper", slug="ho-tieu", unit="kg")
    pleiku = MarketFactory(name="Chợ Pleiku", province="Gia Lai")
    day = datetime.date(2026, 11, 20)
    MarketPriceFactory(commodity=coffee, market=pleiku, price=115_000, date=day)
    MarketPriceFactory(
        commodity=coffee, market=pleiku, price=117_500, date=day + datetime.timedelta(days=1)
    )
    MarketPriceFactory(commodity=pepper, market=pleiku, price=142_000, date=day)

    rows = published_rows("market-prices")

    columns = ("date", "commodity", "commodity_name", "commodity_name_en", "market")
    columns += ("province", "unit", "currency", "price")
    assert [tuple(row[name] for name in columns) for row in rows] == [
        ("2026-11-20", "ca-phe-nhan", "Cà phê nhân", "Green coffee", *PLEIKU, "115000"),
        ("2026-11-20", "ho-tieu", "Hồ tiêu", "Black pepper", *PLEIKU, "142000"),
        ("2026-11-21", "ca-phe-nhan", "Cà phê nhân", "Green coffee", *PLEIKU, "117500"),
    ]
    assert {row["market_id"] for row in rows} == {str(pleiku.pk)}


def test_programmes_aired_counts_plays_per_commune_and_month(dak_lak, ea_sup):
    buon_don = Place.objects.get(name="Buôn Đôn")
    lac_duong = Place.objects.get(name="Lạc Dương")
    both, _ = make_cluster("Ea Súp – Buôn Đôn", [ea_sup, buon_don])
    hills, _ = make_cluster("Lạc Dương", [lac_duong])
    news = make_programme("Bản tin sáng", [ea_sup], datetime.date(2026, 10, 3), state=DRAFT)
    storm = make_programme("Bão số 5", [ea_sup], datetime.date(2026, 10, 3), state=DRAFT)

    def played(cluster, programme, when, outcome=PlayOutcome.PLAYED):
        PlayReport.objects.create(
            cluster=cluster, programme=programme, sha256="a" * 64, started_at=when, outcome=outcome
        )

    played(both, news, datetime.datetime(2026, 10, 2, 23, tzinfo=UTC))
    played(both, storm, datetime.datetime(2026, 10, 3, 10, tzinfo=UTC))
    played(both, news, datetime.datetime(2026, 10, 4, 10, tzinfo=UTC), PlayOutcome.INTERRUPTED)
    played(hills, news, datetime.datetime(2026, 10, 3, 10, tzinfo=UTC))
    played(hills, news, datetime.datetime(2026, 10, 31, 20, tzinfo=UTC))  # 1 November there
    played(hills, None, datetime.datetime(2026, 10, 5, 10, tzinfo=UTC), PlayOutcome.FAILED)

    rows = published_rows("programmes-aired")

    assert keyed(rows, "month", "province", "commune", values=("plays", "programmes")) == {
        ("2026-10", "Đắk Lắk", "Ea Súp"): ("2", "2"),
        ("2026-10", "Đắk Lắk", "Buôn Đôn"): ("2", "2"),
        ("2026-10", "Lâm Đồng", "Lạc Dương"): ("1", "1"),
        ("2026-11", "Lâm Đồng", "Lạc Dương"): ("1", "1"),
    }


@pytest.fixture
def some_of_everything(home, health, dak_lak, ea_sup):
    """A little of each kind of data, so that no dataset is empty."""
    ArticlePageFactory(parent=health, first_published_at=datetime.datetime(2026, 10, 5, tzinfo=UTC))
    record = HeritageRecordFactory()
    record.places.set([ea_sup])
    record.ethnic_groups.set([EthnicGroup.objects.get(code="12")])
    MarketPriceFactory(date=datetime.date(2026, 11, 20))
    cluster, _ = make_cluster("Ea Súp", [ea_sup])
    PlayReport.objects.create(
        cluster=cluster,
        sha256="b" * 64,
        started_at=datetime.datetime(2026, 10, 3, tzinfo=UTC),
        outcome=PlayOutcome.PLAYED,
    )
    bulletin_messages(make_subscriber(3, province=dak_lak), Channel.SMS, 3, OCTOBER)
    questions(Office.objects.create(name="Sở Y tế Đắk Lắk"), 2, OCTOBER, answered_after=(1,))


def test_every_published_package_passes_frictionless_validation(some_of_everything):
    results = open_data.publish_all()

    assert results == dict.fromkeys(DATASETS, True)
    for name in DATASETS:
        descriptor = open_data.package_path(name)
        report = frictionless.validate(str(descriptor))
        assert report.valid, report.flatten(["type", "note"])
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        assert package["name"] == name
        assert package["licenses"] == [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International",
            }
        ]
        assert package["lastModified"] and package["sources"] and package["title"]
        resource = package["resources"][0]
        assert resource["path"] == f"{name}.csv" and resource["mediatype"] == "text/csv"
        assert resource["schema"]["primaryKey"]
    cli = Path(sys.executable).parent / "frictionless"
    checked = subprocess.run(
        [str(cli), "validate", str(open_data.package_path("market-prices"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "VALID" in checked.stdout


def replace_rows(monkeypatch, name, rows):
    monkeypatch.setitem(DATASETS, name, dataclasses.replace(DATASETS[name], rows=rows))


def test_a_broken_dataset_is_left_aside_and_the_good_one_stays_served(
    some_of_everything, monkeypatch, open_data_folder, caplog
):
    open_data.publish_all()
    good_csv = open_data.csv_path("market-prices").read_bytes()
    good_package = open_data.package_path("market-prices").read_bytes()
    rows = DATASETS["market-prices"].rows

    def broken():
        for row in rows():
            yield {**row, "price": "rẻ lắm"}  # not an integer

    replace_rows(monkeypatch, "market-prices", broken)
    MarketPriceFactory(date=datetime.date(2026, 11, 22))

    with caplog.at_level(logging.ERROR, logger="outreach.open_data"):
        results = open_data.publish_all()

    assert results["market-prices"] is False
    assert results["heritage-records"] is True
    assert open_data.csv_path("market-prices").read_bytes() == good_csv
    assert open_data.package_path("market-prices").read_bytes() == good_package
    assert "rẻ lắm" in (open_data_folder / "market-prices.failed" / "market-prices.csv").read_text()
    assert not (open_data_folder / "market-prices.new").exists()
    assert "market-prices" in caplog.text
    catalogue = json.loads(open_data.catalogue_path().read_text(encoding="utf-8"))
    assert "market-prices" in {item["dct:identifier"] for item in catalogue["dcat:dataset"]}


def test_a_dataset_whose_rows_fail_keeps_its_previous_package(some_of_everything, monkeypatch):
    open_data.publish_all()
    good = open_data.csv_path("heritage-records").read_bytes()

    def failing():
        raise RuntimeError("database went away")
        yield  # pragma: no cover

    replace_rows(monkeypatch, "heritage-records", failing)

    assert open_data.publish_all()["heritage-records"] is False
    assert open_data.csv_path("heritage-records").read_bytes() == good


def test_a_count_of_people_below_ten_is_never_published_even_if_a_dataset_lets_one_through(
    some_of_everything, monkeypatch, open_data_folder
):
    open_data.publish_all()
    good = open_data.csv_path("questions-answered").read_bytes()
    rows = DATASETS["questions-answered"].rows

    def unsuppressed():
        for row in rows():
            yield {**row, "received": 7, "received_note": None}

    replace_rows(monkeypatch, "questions-answered", unsuppressed)

    assert open_data.publish_all()["questions-answered"] is False
    assert open_data.csv_path("questions-answered").read_bytes() == good
    files = [path for path in open_data_folder.rglob("*") if path.is_file()]
    assert b",7," not in b"".join(path.read_bytes() for path in files)


def test_a_dataset_never_published_is_not_in_the_catalogue(some_of_everything, monkeypatch):
    replace_rows(monkeypatch, "market-prices", lambda: iter([{"price": "x"}]))

    open_data.publish_all()

    assert open_data.published("market-prices") is None
    catalogue = json.loads(open_data.catalogue_path().read_text(encoding="utf-8"))
    assert "market-prices" not in {item["dct:identifier"] for item in catalogue["dcat:dataset"]}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_catalogue_is_dcat_json_ld_with_a_dataset_per_dataset_under_cc_by(
    some_of_everything,
):
    DCAT, DCTERMS, RDF = vocabulary.DCAT, vocabulary.DCTERMS, vocabulary.RDF
    open_data.publish_all()

    graph = Graph().parse(data=open_data.catalogue_path().read_text(), format="json-ld")

    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    catalogue = catalogues[0]
    titles = set(graph.objects(catalogue, DCTERMS.title))
    assert {title.language for title in titles} == {"vi", "en"}
    assert Literal("Open data", lang="en") in titles
    assert Literal("Dữ liệu mở", lang="vi") in titles
    assert graph.value(catalogue, DCTERMS.license) == CC_BY
    assert graph.value(catalogue, DCTERMS.publisher) is not None
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert {str(graph.value(item, DCTERMS.identifier)) for item in datasets} == set(DATASETS)
    for item in datasets:
        assert (item, RDF.type, DCAT.Dataset) in graph
        assert graph.value(item, DCTERMS.license) == CC_BY
        assert {title.language for title in graph.objects(item, DCTERMS.title)} == {"vi", "en"}
        assert graph.value(item, DCTERMS.modified) is not None
        assert graph.value(item, DCTERMS.issued) is not None
        assert graph.value(item, DCAT.theme) is not None
        types = set()
        for distribution in graph.objects(item, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCTERMS.license) == CC_BY
            assert graph.value(distribution, DCAT.accessURL) is not None
            download = str(graph.value(distribution, DCAT.downloadURL))
            types.add(str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:][-1])
            assert download.startswith("http://testserver/open-data/")
        assert types == {"csv", "json"}
    name = "market-prices"
    item = next(i for i in datasets if str(graph.value(i, DCTERMS.identifier)) == name)
    downloads = {
        str(graph.value(distribution, DCAT.downloadURL))
        for distribution in graph.objects(item, DCAT.distribution)
    }
    assert downloads == {
        f"http://testserver/open-data/{name}.csv",
        f"http://testserver/open-data/{name}/datapackage.json",
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_open_data_page_lists_every_dataset_with_its_chart_and_table(
    client, some_of_everything, language
):
    open_data.publish_all()

    answer = client.get(f"/{language}/open-data/")

    assert answer.status_code == 200
    page = answer.content.decode()
    assert f'<html lang="{language}"' in page
    assert {"vi": "Dữ liệu mở", "en": "Open data"}[language] in page
    main = page.split('<main id="main">', 1)[1]
    assert "<script" not in main and " style=" not in main
    for name, dataset in DATASETS.items():
        with translation.override(language):
            assert escape(str(dataset.title)) in main
        assert f'href="/open-data/{name}.csv"' in main
        assert f'href="/open-data/{name}/datapackage.json"' in main
    assert main.count('<svg class="chart') == len(DATASETS)
    assert main.count("<title>") >= len(DATASETS)
    assert main.count("<table") == len(DATASETS)
    assert 'href="/open-data/catalog.jsonld"' in main
    assert "CC BY 4.0" in main
    for name in ("bulletins-reach", "questions-answered"):  # 3 messages, 2 questions in all
        section = main.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]
        figures = re.sub(r"<[^>]*>", " ", section[section.index("<figure") :])
        assert "&lt;10" in figures
        assert not bare_numbers(figures) & {"1", "2", "3"}
        assert "chart-bar-suppressed" in section


def test_the_demo_publishes_its_open_data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert {name for name in DATASETS if open_data.published(name)} == set(DATASETS)
    assert open_data.catalogue_path().is_file()


def test_the_page_says_when_nothing_is_published_yet(client, home):
    answer = client.get("/vi/open-data/")
    assert answer.status_code == 200
    assert "/open-data/market-prices.csv" not in answer.content.decode()


def test_data_files_are_served_with_their_types_cors_and_etag(client, some_of_everything):
    open_data.publish_all()

    for url, content_type in (
        ("/open-data/market-prices.csv", "text/csv; charset=utf-8"),
        ("/open-data/market-prices/datapackage.json", "application/json"),
        ("/open-data/catalog.jsonld", "application/ld+json"),
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer["Content-Type"] == content_type
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert "max-age" in answer["Cache-Control"]
        etag = answer["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    body = b"".join(client.get("/open-data/market-prices.csv").streaming_content)
    assert body == open_data.csv_path("market-prices").read_bytes()


def test_unknown_or_unpublished_datasets_are_missing(client, home):
    assert client.get("/open-data/no-such-data.csv").status_code == 404
    assert client.get("/open-data/no-such-data/datapackage.json").status_code == 404
    assert client.get("/open-data/market-prices.csv").status_code == 404
    assert client.get("/open-data/catalog.jsonld").status_code == 404
    assert client.get("/open-data/..%2Fsecret.csv").status_code == 404


@pytest.fixture
def outreach_officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_bulletin"),
    )
    return user


def test_the_admin_dashboard_shows_the_charts_and_publishes_on_request(
    client, some_of_everything, outreach_officer, django_capture_on_commit_callbacks
):
    client.force_login(outreach_officer)
    before = client.get("/admin/open-data/")
    assert before.status_code == 200
    assert '<svg class="chart' not in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/admin/open-data/publish/")

    assert answer.status_code == 302
    assert open_data.published("market-prices") is not None
    page = client.get("/admin/open-data/").content.decode()
    assert page.count('<svg class="chart') == len(DATASETS)
    assert page.count('<table class="dataset-figures"') == len(DATASETS)


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_nobody_else_sees_the_dashboard_or_publishes(client, django_user_model, home, who):
    if who == "editor":
        user = django_user_model.objects.create_user(who, password="x")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    answers = [client.get("/admin/open-data/"), client.post("/admin/open-data/publish/")]
    for answer in answers:
        assert answer.status_code in (302, 403)
        if answer.status_code == 302:  # to the sign-in, or the admin's home with a message
            assert answer["Location"].startswith(("/admin/login/", "/admin/"))
            assert not answer["Location"].startswith("/admin/open-data/")
    assert open_data.published("market-prices") is None


def test_the_command_publishes_every_dataset(some_of_everything):
    out = io.StringIO()
    call_command("publish_open_data", stdout=out)
    assert all(open_data.published(name) is not None for name in DATASETS)
    assert f"{len(DATASETS)} of {len(DATASETS)} datasets published" in out.getvalue()


def test_the_task_publishes_every_dataset(some_of_everything):
    from outreach.open_data_tasks import publish_open_data

    result = publish_open_data.enqueue()
    assert result.return_value == dict.fromkeys(DATASETS, True)
    assert open_data.catalogue_path().exists()


def bare_numbers(text: str) -> set[str]:
    """The whole numbers written in ``text`` on their own, not inside a date, a decimal, a
    hash or a word."""
    return set(re.findall(r"(?<![\w.,:/#-])\d+(?![\w.,:/-])", text))


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER = datetime.datetime(2026, 10, 12, 9, tzinfo=VIETNAM)
NOVEMBER = datetime.datetime(2026, 11, 12, 9, tzinfo=VIETNAM)


def bulletin_messages(subscriber, channel, count, when):
    """``count`` bulletins delivered to ``subscriber`` by ``channel`` at ``when``."""
    bulletins = Bulletin.objects.bulk_create(
        Bulletin(name=f"Tin {channel} {when:%m} {n}") for n in range(count)
    )
    contact = subscriber.contacts.get(channel=channel)
    made = Message.objects.bulk_create(
        Message(
            bulletin=bulletin,
            contact=contact,
            channel=channel,
            kind=MessageKind.BULLETIN,
            language=subscriber.language,
            text="Tin khẩn",
            state=MessageState.DELIVERED,
            sent_at=when,
            delivered_at=when,
        )
        for bulletin in bulletins
    )
    Message.objects.filter(pk__in=[message.pk for message in made]).update(created_at=when)


def questions(office, count, received, answered_after=None):
    """``count`` questions to ``office`` received at ``received``, answered after the given
    numbers of days (in turn) or not at all."""
    for n in range(count):
        submission = feedback.receive(
            feedback.Received(kind="question", text="Câu hỏi", language="vi", came_by="web")
        )
        fields = {"office": office, "received_at": received, "state": SubmissionState.ASSIGNED}
        if answered_after:
            days = answered_after[n % len(answered_after)]
            fields["answered_at"] = received + datetime.timedelta(days=days)
            fields["state"] = SubmissionState.ANSWERED
        Submission.objects.filter(pk=submission.pk).update(**fields)


@pytest.fixture
def seven_people(dak_lak):
    """Counts of people of which one is 7, in a table whose totals would give it away:

    October, bulletins sent — Đắk Lắk: 20 by e-mail, 7 by SMS; Lâm Đồng: 30 by e-mail, 5 by
    SMS (SMS in all: 12, in all: 62). November — Đắk Lắk 7 by SMS, Lâm Đồng 15 (in all 22).
    Questions in October — the health department 7 received, the commune 15, of which 12
    answered after 2 or 4 days (in all 22 received).
    """
    lam_dong = Place.objects.current().get(name="Lâm Đồng")
    here = make_subscriber(1, province=dak_lak, language="rad")
    there = make_subscriber(2, province=lam_dong, language="vi")
    bulletin_messages(here, Channel.EMAIL, 20, OCTOBER)
    bulletin_messages(here, Channel.SMS, 7, OCTOBER)
    bulletin_messages(there, Channel.EMAIL, 30, OCTOBER)
    bulletin_messages(there, Channel.SMS, 5, OCTOBER)
    bulletin_messages(here, Channel.SMS, 7, NOVEMBER)
    bulletin_messages(there, Channel.SMS, 15, NOVEMBER)
    health = Office.objects.create(name="Sở Y tế Đắk Lắk")
    commune = Office.objects.create(name="UBND xã Ea Súp")
    questions(health, 7, OCTOBER)
    questions(commune, 12, OCTOBER, answered_after=(2, 4))
    questions(commune, 3, OCTOBER)
    return lam_dong


def test_bulletin_reach_is_counted_per_province_channel_and_month_with_small_counts_hidden(
    seven_people,
):
    rows = published_rows("bulletins-reach")

    sent = keyed(rows, "month", "province", "channel", values=("sent", "sent_note"))
    assert sent[("2026-10", "Đắk Lắk", "sms")] == ("", "<10")
    assert sent[("2026-10", "Lâm Đồng", "sms")] == ("", "<10")
    assert sent[("2026-10", "all", "sms")] == ("12", "")
    # Either e-mail count with the province's total would give its SMS count away.
    assert sent[("2026-10", "Đắk Lắk", "email")] == ("", "x")
    assert sent[("2026-10", "Lâm Đồng", "email")] == ("", "x")
    assert sent[("2026-10", "all", "email")] == ("50", "")
    assert sent[("2026-10", "Đắk Lắk", "all")] == ("27", "")
    assert sent[("2026-10", "all", "all")] == ("62", "")
    assert sent[("2026-10", "all", "zalo")] == ("0", "")
    assert sent[("2026-11", "Đắk Lắk", "sms")] == ("", "<10")
    assert sent[("2026-11", "Lâm Đồng", "sms")] == ("", "x")  # 22 less it would be 7
    assert sent[("2026-11", "all", "sms")] == ("22", "")
    delivered = keyed(rows, "month", "province", "channel", values=("delivered",))
    assert delivered[("2026-10", "all", "all")] == ("62",)
    assert not [
        row for row in rows if row["month"] == datetime.date.today().strftime("%Y-%m")
    ]  # the month under way is not published


def test_questions_are_counted_per_office_and_month_with_the_median_days_to_answer(
    seven_people,
):
    rows = published_rows("questions-answered")

    assert keyed(
        rows,
        "month",
        "office",
        values=("received", "received_note", "answered", "answered_note", "median_days"),
    ) == {
        ("2026-10", "Sở Y tế Đắk Lắk"): ("", "<10", "0", "", ""),
        ("2026-10", "UBND xã Ea Súp"): ("", "x", "12", "", "3.0"),
        ("2026-10", "all"): ("22", "", "12", "", "3.0"),
    }


def test_no_count_of_people_below_ten_appears_in_any_file_page_or_chart(
    client, seven_people, open_data_folder, outreach_officer
):
    assert open_data.publish_all() == dict.fromkeys(DATASETS, True)
    people = [name for name, dataset in DATASETS.items() if dataset.about_people]
    assert set(people) == {"bulletins-reach", "questions-answered"}

    cells = set()
    for name in people:
        for row in read_csv(name):
            cells |= set(row.values())
        chart = json.loads((open_data_folder / name / open_data.FIGURES).read_text())
        cells |= {value for _, values in chart["bars"] for value in values}
    assert not cells & {str(n) for n in range(1, 10)}
    assert {"12", "22", "50", "62"} <= cells  # counts of 10 or more are shown
    assert not cells & {"20", "30", "15"}  # nor those that would give a small one away
    catalogue = open_data.catalogue_path().read_text()
    assert "7" not in bare_numbers(catalogue)

    client.force_login(outreach_officer)
    for url in ("/vi/open-data/", "/en/open-data/", "/admin/open-data/"):
        page = client.get(url).content.decode()
        for name in people:
            section = page.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]
            section = section[section.index("<figure") : section.index("</table>")]
            shown = bare_numbers(re.sub(r"<[^>]*>", " ", section))  # what is read, not drawn
            assert not shown & {str(n) for n in range(1, 10)}, (url, name, sorted(shown))
            assert "22" in shown  # counts of 10 or more are shown
