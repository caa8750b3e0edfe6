"""Hostile requests to every public URL: no 5xx, no answer growing with its request, no NUL,
no ill-formed XML, JSON or iCalendar, no redirect off the site.

The targets are read from the resolver and the routable pages (``tests.public_urls``): every URL
pattern outside the admin, and in Wagtail's page tree every kind of page and every route of a
routable page. A seeded site with a page of every kind and records of every protocol is crawled
for the real URLs reaching each target; a new pattern or route is fuzzed without being listed
here, and the crawl must reach it. Hypothesis then builds requests from those URLs and from the
targets' parts, with real values and hostile ones (bytes no UTF-8 holds, NUL and other controls,
huge, negative and non-ASCII numbers, long values, ``..`` and encoded slashes, unknown
parameters, parameters repeated hundreds of times), each sent as an anonymous reader or as one
signed in without any right. Every failing target is reported, with its smallest failing URL."""

import datetime
import json
import re
import traceback
from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import icalendar
import pytest
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site
from wagtail_factories import DocumentFactory, ImageFactory

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.topics import Topic
from heritage.festival_dates import DateRule
from heritage.models import (
    EthnicGroup,
    HeritageIndexPage,
    HeritageKind,
    Place,
    PlaceLevel,
    RecordMedia,
)
from heritage.oai import ARGUMENTS, METADATA_PREFIX
from heritage.protocols import CulturalProtocol
from outreach import feedback, open_data
from outreach.contacts import contact_hash
from outreach.links import manage_token, unsubscribe_token
from outreach.models import Contact, Submission, Subscriber
from outreach.subscriptions import CONFIRM_SALT, find_token
from outreach.views import PENDING_SALT
from search import indexing
from tests.cms.factories import (
    ArticlePageFactory,
    CommodityFactory,
    MarketFactory,
    MarketPriceFactory,
    MarketPricesPageFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    TopicIndexPageFactory,
)
from tests.heritage.factories import (
    CommunityNarrativeFactory,
    HeritageRecordFactory,
    RecordImageFactory,
    stored_recording,
)
from tests.outreach.loudspeaker_factories import make_cluster, make_programme
from tests.public_urls import (
    TEXT_TYPES,
    Crawl,
    Literal,
    Target,
    crawl,
    page_targets,
    public_targets,
)

pytestmark = pytest.mark.django_db

CRAWL_LANGUAGES = ("vi", "en")
"""The crawl follows links in these languages; the fuzzer sends requests in every language."""
CRAWL_PER_TARGET = 12
"""Enough real URLs of a target to vary its slots' values; the crawl takes a few seconds."""
EXAMPLES = 50
"""Requests per target: some thirty targets take about 70 seconds."""
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)
"""The same requests on every run, none remembered between runs: CI time is bounded."""
ECHOES = 2 * len(LANGUAGE_CODES)
"""How many times an answer may quote its URL: a page links to itself once per language (the
language switcher), a byte that is not UTF-8 grows when quoted again (``%FF`` becomes ``%25FF``),
and a canonical link, a form or a message may quote it once more. An answer growing faster with
its request, say once per facet link, lets a small request cost a large answer. The bound is
the largest answer of the crawl plus ``ECHOES`` times the URL."""
REPEATED_LENGTH = 40
"""A repeated parameter is cut to this: 1,200 of them make a 48 KB query string, past what
gunicorn (4 KB) or nginx (8 KB) lets through, and past Django's 1,000 fields."""
BROKEN_UTF8 = (
    "%ff", "%fe", "%80", "%bf", "%c0%af", "%c3", "%c3%28", "%e2%82", "%e2%28%a1",
    "%ed%a0%80", "%f4%90%80%80", "%f8%88%80%80%80", "%e0%80%af",
)  # fmt: skip
"""Bytes no UTF-8 text holds: stray continuation bytes, overlong forms, cut sequences,
surrogates and code points past U+10FFFF."""
CONTROLS = (
    *[f"%{code:02x}" for code in range(0x20)],
    "%7f", "%c2%85", "%e2%80%a8", "%e2%80%ae", "%ef%bb%bf", "%ef%bf%be", "%ef%bf%bf",
)  # fmt: skip
"""NUL and the other C0 controls, DEL, NEL, line separator, a right-to-left override, a byte
order mark and two noncharacters."""
PATH_TRICKS = (
    "..", ".", "%2e%2e", "%2E%2E%2F", "%2f", "%2F", "%5c", "//", "/../", "/./", ";", "%3b",
    "%25", "%252e%252e%252f", "%3f", "%23", "~", "%20", "+", "%0d%0a", "%", "%%", "%g0",
)  # fmt: skip
NUMBERS = (
    "-0", "+1", "-1", "1e999", "NaN", "inf", "0x1f", "1_000", "1.5", " 1", "0" * 30 + "1",
    "-2147483649", "2147483648", "9223372036854775808", "18446744073709551616",
)  # fmt: skip
FOREIGN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９០១២៣៤៥៦៧៨៩๐๑๒๓๔๕๖๗๘๙¹²³"
"""Arabic-Indic, Persian, Devanagari, fullwidth, Khmer and Thai digits, and superscripts:
``str.isdigit()`` and ``\\d`` accept them, ``int()`` reads most, a database reads none."""
DIGIT_RUN = re.compile(r"[0-9]+")
READERS = ("anonymous", "reader")
POST_ONLY = (
    "outreach_inbound_sms",
    "outreach_sms_receipt",
    "outreach_inbound_email",
    "loudspeaker_plays",
)
"""Endpoints only a provider's signed POST (an SMS gateway's, a mail provider's) or a
loudspeaker device's may use: reached by the crawl with a 405, and fuzzed like the rest (every
GET a 405, never a 500)."""
BAD_LANGUAGES = ("xx", "VI", "vi-vn", "vi_VN", "zh-hans", "en-US", "", "hmn-Latn", "%ff")


def encoded(text: str | bytes, safe: str = "") -> str:
    """``text`` as it travels in a URL."""
    return quote(text, safe=safe)


numbers = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.integers(10, 400).map(lambda length: "9" * length),
    st.sampled_from(NUMBERS).map(encoded),
    st.text(FOREIGN_DIGITS, min_size=1, max_size=12).map(encoded),
)
long_values = st.tuples(
    st.integers(1_000, 8_000), st.sampled_from(["a", "9", "%ff", "%00", encoded("ơ̆")])
).map(lambda pair: pair[1] * (pair[0] // len(pair[1])))
hostile = st.lists(
    st.one_of(
        st.just("%00"),
        st.sampled_from(BROKEN_UTF8),
        st.sampled_from(CONTROLS),
        st.sampled_from(PATH_TRICKS),
        numbers,
        st.text(max_size=20).map(encoded),
        st.binary(max_size=16).map(encoded),
    ),
    min_size=1,
    max_size=4,
).map("".join)
"""A value no form sends, already percent-encoded."""


def values_of(known: set[str], safe: str = "") -> st.SearchStrategy[str]:
    """A real value, a hostile one, a real one with hostile trailing garbage, or a long one."""
    if not known:
        return st.one_of(hostile, long_values)
    real = st.sampled_from(sorted(known)).map(lambda value: encoded(value, safe))
    return st.one_of(real, hostile, st.tuples(real, hostile).map("".join), long_values)


def literal(text: str) -> st.SearchStrategy[str]:
    """A fixed piece of a URL, mostly as it is, sometimes altered."""
    altered = {
        text.upper(),
        "".join(f"%{byte:02x}" for byte in text.encode()),
        text.replace("/", "%2F"),
        text.replace("/", "//"),
        text.rstrip("/"),
        "",
    } - {text}
    return st.one_of(st.just(text), st.sampled_from(sorted(altered))) if altered else st.just(text)


def templated(target: Target) -> st.SearchStrategy[str]:
    """A URL built from the target's parts, each slot real or hostile."""
    known = target.slot_values()
    pieces = [st.sampled_from(target.bases)]
    for part in target.parts:
        if isinstance(part, Literal):
            pieces.append(literal(part.text))
        elif part.kind == "language":
            languages = st.sampled_from(LANGUAGE_CODES)
            pieces.append(st.one_of(languages, st.sampled_from(BAD_LANGUAGES), hostile))
        elif part.kind == "regex":
            matching = st.from_regex(part.regex, fullmatch=True).map(
                lambda text: encoded(text, "/")
            )
            pieces.append(st.one_of(matching, values_of(known[part.name], "/")))
        else:
            pieces.append(values_of(known[part.name], "/"))
    return st.tuples(*pieces).map("".join)


@st.composite
def mutated(draw: st.DrawFn, examples: list[str]) -> str:
    """A real URL with one of its numbers made hostile, a control character or a byte that is
    not UTF-8 slipped in, a path segment replaced, inserted or appended, or garbage after it."""
    url = draw(st.sampled_from(examples))
    how = draw(st.sampled_from(["renumber", "slip", "replace", "insert", "append", "trail"]))
    if how == "renumber" and (runs := list(DIGIT_RUN.finditer(url))):
        run = draw(st.sampled_from(runs))
        return url[: run.start()] + draw(numbers) + url[run.end() :]
    path, mark, query = url.partition("?")
    if how == "slip":
        where = draw(st.integers(1, len(path)))
        slipped = draw(st.one_of(st.just("%00"), st.sampled_from(CONTROLS + BROKEN_UTF8)))
        return path[:where] + slipped + path[where:] + mark + query
    segments = path.split("/")
    garbage = draw(st.one_of(hostile, st.sampled_from(PATH_TRICKS)))
    where = draw(st.integers(1, max(len(segments) - 1, 1)))
    if how == "replace":
        segments[where] = garbage
    elif how == "insert":
        segments.insert(where, garbage)
    elif how == "append":
        segments[-1:] = [garbage, ""]
    else:
        segments[-1] += garbage
    return "/".join(segments) + mark + query


@st.composite
def query_strings(draw: st.DrawFn, values: dict[str, set[str]]) -> str:
    """Known and unknown parameters with real, hostile and long values, maybe a short one
    repeated hundreds of times, joined by ``&`` or by something else."""
    names = st.one_of(
        st.sampled_from(sorted(values)).map(lambda name: (encoded(name), name)),
        hostile.map(lambda name: (name, "")),
        st.from_regex(r"[a-z_]{1,12}", fullmatch=True).map(lambda name: (name, name)),
    )
    pairs = []
    for _pair in range(draw(st.integers(0, 5))):
        name, known = draw(names)
        pairs.append(f"{name}={draw(values_of(values.get(known, set())))}")
    if draw(st.booleans()):
        name, known = draw(names)
        value = draw(values_of(values.get(known, set())))
        pair = f"{name}={value}"[:REPEATED_LENGTH]
        pairs += [pair] * draw(st.integers(2, 1_200))
    separator = draw(st.sampled_from(["&", "&", "&", ";", "&&", "&=&"]))
    return separator.join(pairs)


@st.composite
def hostile_requests(draw: st.DrawFn, target: Target, values: dict[str, set[str]]) -> str:
    """A URL reaching ``target``: real, built from its parts, or a real one altered; with a
    hostile query string or none."""
    ways = [templated(target)]
    if target.examples:
        ways += [st.sampled_from(target.examples), mutated(target.examples)]
    url = draw(st.one_of(*ways))
    query = draw(st.one_of(st.just(""), query_strings(values)))
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + query


@dataclass
class Seeded:
    """The seeded site, its readers and the archive's records."""

    site: Site
    people: dict
    archive: HeritageIndexPage
    records: dict
    province: Place
    group: EthnicGroup
    commune: Place
    device_token: str


def unlinked_urls(seeded: Seeded) -> list[str]:
    """Real URLs no page links to: what harvesters, calendar apps and scripts ask for, and the
    records hidden from a reader (answered as missing)."""
    index = seeded.archive
    records_url = index.url_in(DEFAULT_LANGUAGE)
    return [
        *[f"/oai/?verb={verb}&metadataPrefix={METADATA_PREFIX}" for verb in ARGUMENTS],
        f"/oai/?verb=ListRecords&metadataPrefix={METADATA_PREFIX}&set=kind:festival"
        "&from=2020-01-01&until=2099-12-31T23:59:59Z",
        "/api/heritage/records/?kind=festival&lang=en&page=1",
        f"/api/heritage/records/?province={seeded.province.pk}&ethnic_group={seeded.group.code}",
        "/vi/search/?q=lễ+hội&kind=festival",
        "/vi/search/autocomplete/?q=tết",
        records_url + index.reverse_subpage("province_ics", args=[seeded.province.pk]),
        records_url + index.reverse_subpage("ethnic_group_ics", args=[seeded.group.code]),
        *[f"{records_url}{record.slug}/" for record in seeded.records.values()],
        *subscriber_urls(seeded.province),
        *question_urls(seeded.province),
        # A loudspeaker device's (the clients carry its token), and a commune's podcast.
        "/outreach/loudspeakers/schedule.json",
        "/outreach/loudspeakers/plays.json",
        f"/loudspeakers/{seeded.commune.pk}/podcast.xml",
        "/vi/open-data/",
    ]


def subscriber_urls(province: Place) -> list[str]:
    """What a subscriber's messages link to: their own pages, each reached by a signed token."""
    subscriber = Subscriber.objects.create(language="km", province=province)
    sms, email = (
        Contact.objects.create(
            subscriber=subscriber,
            channel=channel,
            address=address,
            address_hash=contact_hash(channel, address),
        )
        for channel, address in (("sms", "+84912345678"), ("email", "a@example.vn"))
    )
    manage = manage_token(subscriber)
    pending = signing.dumps(str(subscriber.public_id), salt=PENDING_SALT)
    return [
        f"/vi/subscribe/waiting/{pending}/",
        f"/vi/subscribe/confirm/{signing.dumps(email.pk, salt=CONFIRM_SALT)}/",
        f"/vi/subscribe/manage/{manage}/",
        f"/vi/subscribe/manage/{manage}/export.json",
        f"/vi/subscribe/manage/{manage}/erase/",
        f"/vi/subscribe/unsubscribe/{unsubscribe_token(sms)}/",
        f"/vi/subscribe/find/{find_token(sms.address)}/",
        # What only a provider's signed POST may use: a GET is a 405.
        "/outreach/sms/inbound/",
        "/outreach/sms/receipts/",
        "/outreach/email/inbound/",
    ]


def question_urls(province: Place) -> list[str]:
    """Asking the authorities, and a question's page reached by its code."""
    asked = feedback.receive(
        feedback.Received(
            kind="question",
            text="Khi nào sửa đường?",
            language="km",
            came_by="web",
            province=province,
        )
    )
    Submission.objects.filter(pk=asked.pk).update(
        answer="Tháng sau.", public_question="Khi nào sửa đường?", published_at=timezone.now()
    )
    return [
        "/vi/ask/",
        f"/km/ask/?province={province.pk}",
        "/vi/ask/code/",
        f"/km/ask/{feedback.shown(asked.reference)}/",
        f"/vi/ask/answered/?province={province.pk}&topic=health",
        f"/km/ask/answered/{asked.pk}/",
        "/km/ask/answered/rss.xml",
        "/vi/ask/answered/atom.xml",
    ]


@pytest.fixture
def site(home, health, article, archive, world, settings):
    """A small site with a page of every kind, a password-protected and a members-only article,
    a protected document, market prices, and records of every protocol, kind of date and several
    kinds, groups and provinces, each with narratives, a photo and a recording; indexed for
    search. OAI-PMH lists come two by two, so harvests have resumption tokens."""
    settings.OAI_PAGE_SIZE = 2
    people, records = world
    today = timezone.localdate()
    guide = DocumentFactory(title="Hướng dẫn phòng bệnh", file__filename="huong-dan.pdf")
    members = Collection.get_first_root_node().add_child(name="Tài liệu của hợp tác xã")
    CollectionViewRestriction.objects.create(
        collection=members, restriction_type=CollectionViewRestriction.PASSWORD, password="mat"
    )
    minutes = DocumentFactory(title="Biên bản họp", collection=members)
    article.body = [
        *article.body.raw_data,
        *[
            {"type": "paragraph", "value": f'<p><a linktype="document" id="{pk}">Tải về</a></p>'}
            for pk in (guide.pk, minutes.pk)
        ],
    ]
    article.lead_image = ImageFactory()
    article.audio = stored_recording("Bài đọc")
    article.save_revision().publish()
    market = TopicIndexPageFactory(
        parent=home, topic=Topic.MARKET, title="Thị trường", slug="thi-truong", slug_en="market"
    )
    ArticlePageFactory(parent=market, title="Giá cà phê tăng")
    PageViewRestriction.objects.create(
        page=ArticlePageFactory(parent=market, title="Tin nội bộ hợp tác xã"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="bi-mat",
    )
    PageViewRestriction.objects.create(
        page=ArticlePageFactory(parent=market, title="Tin cho thành viên"),
        restriction_type=PageViewRestriction.LOGIN,
    )
    products = ProductIndexPageFactory(parent=home)
    product = ProductPageFactory(parent=products)
    product.photos.create(image=ImageFactory(), caption="Búp chè")
    product.save_revision().publish()
    MarketPricesPageFactory(parent=home)
    coffee, pepper = CommodityFactory(), CommodityFactory(name="Hồ tiêu", name_en="Pepper")
    pleiku = MarketFactory()
    for days in (1, 40, 200):
        for commodity in (coffee, pepper):
            MarketPriceFactory(
                commodity=commodity, market=pleiku, date=today - datetime.timedelta(days=days)
            )
    tet = HeritageRecordFactory(
        title="Tết Nguyên đán của người Tày",
        title_en="Tày Lunar New Year",
        slug="tet-nguyen-dan-tay",
        summary_en="The first three days of the lunar year.",
        description="Đoạn thứ nhất.\n\nĐoạn thứ hai.",
        date_rule=DateRule.LUNAR,
        date_month=today.month,
        date_day=1,
        duration_days=3,
        practitioners="Bà Hoàng Thị Mai",
    )
    season = HeritageRecordFactory(
        title="Lễ cầu mùa",
        slug="le-cau-mua",
        kind=HeritageKind.RITUAL,
        date_rule=DateRule.SEASON,
        season="sau vụ gặt",
        season_start_month=today.month,
        season_end_month=today.month,
    )
    solar = HeritageRecordFactory(
        title="Hội chợ mùa xuân",
        slug="hoi-cho-mua-xuan",
        date_rule=DateRule.GREGORIAN,
        date_month=today.month,
        date_day=today.day,
    )
    craft = HeritageRecordFactory(title="Nghề dệt thổ cẩm", slug="det", kind=HeritageKind.CRAFT)
    # Spread over groups and provinces, so the archive shows facets of several values each.
    groups = list(EthnicGroup.objects.order_by("code")[:4])
    provinces = list(Place.objects.current().provinces().order_by("name")[:3])
    for number, record in enumerate([tet, season, solar, craft, *records.values()]):
        record.ethnic_groups.add(groups[number % len(groups)])
        record.places.add(provinces[number % len(provinces)])
        CommunityNarrativeFactory(record=record)
        CommunityNarrativeFactory(record=record, protocol=CulturalProtocol.RESTRICTED)
        RecordImageFactory(record=record)
        RecordMedia.objects.create(record=record, media=stored_recording(), caption="Bài hát")
    commune = Place.objects.create(name="Xã Loa", level=PlaceLevel.COMMUNE, parent=provinces[0])
    _cluster, token = make_cluster("Cụm loa xã Loa", [commune], times=("06:00", "17:00"))
    make_programme("Bản tin hôm qua", [commune], today - datetime.timedelta(days=1))
    make_programme("Bản tin ngày mai", [commune], today + datetime.timedelta(days=1), frequency=550)
    open_data.publish_all()
    indexing.rebuild()
    site = Site.objects.get(is_default_site=True)
    return Seeded(site, people, archive, records, provinces[0], groups[0], commune, token)


@dataclass
class Fuzzing:
    """The targets with the real URLs reaching them, the crawl that found those, and a client
    per reader: anonymous, and signed in without any right."""

    targets: list[Target]
    crawl: Crawl
    clients: dict[str, Client]

    def bound(self, url: str) -> int:
        """The most an answer to ``url`` may weigh (see ``ECHOES``)."""
        return max(self.crawl.sizes.values()) + ECHOES * len(url)


@pytest.fixture
def fuzzing(site):
    """Crawl the seeded site and give each target the URLs that reached it."""
    targets = public_targets() + page_targets(site.site)
    seeds = [url for target in targets for url in target.seeds] + unlinked_urls(site)
    # Every request carries a loudspeaker device's token: its API answers the others with 401.
    device = {"Authorization": f"Bearer {site.device_token}"}
    found = crawl(Client(headers=device), site.site, seeds, CRAWL_LANGUAGES, CRAWL_PER_TARGET)
    for target in targets:
        target.examples = found.by_target.get(target.name, [])
    reader = Client(headers=device)
    reader.force_login(site.people["reader"])
    return Fuzzing(targets, found, {"anonymous": Client(headers=device), "reader": reader})


def body_of(response: HttpResponse) -> bytes:
    """The response's body. A streamed one is read to its end, which closes it as a server
    would (closing it early would end the test's database connection with the request)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_sound(response: HttpResponse, body: bytes, bound: int) -> None:
    """No server error; no answer over ``bound``; no NUL in text or headers; well-formed XML,
    JSON and iCalendar; no redirect off the site."""
    status, content_type = response.status_code, response.get("Content-Type", "")
    assert status < 500, f"answered {status}"
    assert len(body) <= bound, f"{len(body)} bytes, over {bound}"
    assert not any("\x00" in value for value in response.headers.values()), "a NUL in a header"
    if content_type.startswith(TEXT_TYPES):
        assert b"\x00" not in body, f"a NUL in the {content_type} answer ({status})"
    if "xml" in content_type:
        ElementTree.fromstring(body)
    if content_type.startswith("application/json"):
        json.loads(body)
    if content_type.startswith("text/calendar"):
        icalendar.Calendar.from_ical(body)
    if location := response.get("Location"):
        assert urlsplit(location).netloc in {"", "testserver"}, f"redirected to {location}"
        assert not location.startswith(("//", "/\\")), f"redirected to {location}"


def fuzz(target: Target, fuzzing: Fuzzing) -> None:
    """Send ``EXAMPLES`` hostile requests to ``target``, as an anonymous or signed-in reader."""

    @FUZZ
    @given(hostile_requests(target, fuzzing.crawl.values), st.sampled_from(READERS))
    def answers_soundly(url: str, who: str) -> None:
        with transaction.atomic():  # a database error ends its own savepoint, not the test's
            response = fuzzing.clients[who].get(url)
        assert_sound(response, body_of(response), fuzzing.bound(url))

    answers_soundly()


def summary(error: BaseException) -> str:
    """The failing example, the error and where our code raised it."""
    errors = error.exceptions if isinstance(error, BaseExceptionGroup) else [error]
    lines = []
    for each in errors:
        ours = [
            frame
            for frame in traceback.extract_tb(each.__traceback__)
            if "site-packages" not in frame.filename
        ]
        where = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
        notes = " ".join(getattr(each, "__notes__", []))
        lines.append(f"{type(each).__name__}: {str(each)[:300]} at {where}; {notes[:2000]}")
    return "\n".join(lines)


def test_the_crawl_reaches_every_public_url_pattern_and_page_route(fuzzing):
    names = [target.name for target in fuzzing.targets]
    assert {
        *("oai", "sitemap", "media_file", "HeritageIndexPage.record", "ProductPage"),
        *("service_worker", "offline_page", "offline_pages", *POST_ONLY),
    } < set(names)
    unreached = [
        name
        for name in names
        if not fuzzing.crawl.reached(name)
        and not (name in POST_ONLY and fuzzing.crawl.by_target.get(name))
    ]
    assert unreached == []


def test_no_hostile_request_gets_a_server_error_or_a_malformed_answer(fuzzing):
    failures = {}
    for target in fuzzing.targets:
        try:
            fuzz(target, fuzzing)
        except Exception as error:  # each target is fuzzed, and every failing one reported
            failures[target.name] = summary(error)
    assert not failures, "\n\n".join(f"{name}: {text}" for name, text in failures.items())
