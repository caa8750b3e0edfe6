"""The offline round trip: articles exported as XLIFF 2.1 and PO, translated with translate-toolkit
(an independent reader and writer of both formats), imported back as drafts with a report.

Translations here are the Vietnamese marked ``T:`` text by text (``tests.cms.translating``): test
text, in the Latin script Jrai is written in, and no invented Jrai.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from translate.storage import xliff2 as tt_xliff2
from wagtail.models import Revision

from cms.models import ArticlePage, TranslationStatus
from cms.translation_state import State, unit_states
from tests.cms.factories import ArticlePageFactory
from tests.cms.translating import (
    EXPORT,
    IMPORT,
    marked,
    translated_po,
    translated_xliff,
    upload,
)

pytestmark = pytest.mark.django_db


def article_body(number):
    return [
        {"type": "heading", "value": f"Vì sao phải ngủ màn ({number})"},
        {
            "type": "paragraph",
            "value": (
                "<p>Muỗi truyền bệnh <b>sốt rét</b> đốt vào "
                '<a href="https://moh.gov.vn/">ban đêm</a>.</p>'
            ),
        },
        {"type": "paragraph", "value": f"<p>Phát quang bụi rậm quanh nhà số {number}.</p>"},
    ]


def published_articles(parent, user, count, title):
    """``count`` published articles under ``parent`` in Vietnamese only, titled ``title``
    and their number."""
    made = []
    for number in range(count):
        page = ArticlePageFactory(
            parent=parent, title=f"{title} {number}", body=article_body(number)
        )
        page.save_revision(user=user).publish()
        made.append(page)
    return made


@pytest.fixture
def health_articles(health, admin_user):
    """Fifty published health articles in Vietnamese only."""
    return published_articles(health, admin_user, 50, "Bài sức khỏe số")


def latest(page):
    """The page as its latest revision has it (drafts included)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


@pytest.mark.parametrize(
    ("form", "translate"), [("xliff", translated_xliff), ("po", translated_po)]
)
def test_fifty_health_articles_go_out_and_come_back_as_drafts_up_to_date(
    admin_client, health_articles, form, translate
):
    kind = ContentType.objects.get_for_model(ArticlePage).pk
    query = f"language=jra&topic=health&kind={kind}&state=missing&format={form}"
    answer = admin_client.get(f"{EXPORT}?{query}")
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    exported = answer.content
    revisions = Revision.objects.count()

    answer = upload(admin_client, translate(exported), f"jra.{form}")
    assert answer.status_code == 200
    report = answer.context["report"]
    assert not report.refused, [(line.key, line.reason) for line in report.lines if line.reason]
    assert report.saved == 50
    assert {line.outcome for line in report.lines} == {"changed"}
    assert len(report.lines) == 50 * 6  # title, summary, source, heading and two paragraphs
    assert Revision.objects.count() == revisions + 50

    first = latest(health_articles[0])
    assert first.title_jra == "T:Bài sức khỏe số 0"
    assert first.summary_jra == "T:Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."
    assert [block.block_type for block in first.body_jra] == ["heading", "paragraph", "paragraph"]
    assert first.body_jra[1].value.source == (
        "<p>T:Muỗi truyền bệnh <b>T:sốt rét</b>T: đốt vào "
        '<a href="https://moh.gov.vn/">T:ban đêm</a>T:.</p>'
    )
    assert ArticlePage.objects.get(pk=first.pk).title_jra in ("", None)  # nothing published
    jrai = TranslationStatus.objects.filter(language="jra", content_type=kind)
    assert jrai.filter(state="up_to_date").count() == 50
    assert jrai.exclude(state="up_to_date").count() == 0

    # One paragraph of one Vietnamese source changes: exactly that unit is outdated.
    draft = latest(health_articles[7])
    raw = list(draft.body.raw_data)
    raw[2] = {**raw[2], "value": "<p>Phát quang bụi rậm và lấp vũng nước đọng.</p>"}
    draft.body = raw
    draft.save_revision()
    states = unit_states(latest(health_articles[7]))["jra"]
    assert [unit for unit, state in states.items() if state != State.UP_TO_DATE] == [
        f"body/{raw[2]['id']}"
    ]
    assert states[f"body/{raw[2]['id']}"] == State.OUTDATED
    assert jrai.filter(state="up_to_date").count() == 49
    assert jrai.get(object_id=str(health_articles[7].pk)).outdated == 1


@pytest.fixture
def two_articles(health, admin_user):
    """Two published health articles in Vietnamese only."""
    return published_articles(health, admin_user, 2, "Bài số")


def exported(client, page, form="xliff", language="jra"):
    key = f"cms.articlepage.{page.pk}"
    answer = client.get(f"{EXPORT}?language={language}&item={key}&format={form}")
    assert answer.status_code == 200
    return answer.content


def refused_reasons(answer):
    report = answer.context["report"]
    assert report.refused
    return report.problem or {line.key: line.reason for line in report.lines if line.reason}


def test_a_unit_whose_vietnamese_changed_since_the_export_is_taken_and_flagged(
    admin_client, two_articles
):
    page = two_articles[0]
    out = exported(admin_client, page)
    draft = latest(page)
    draft.summary = "Ngủ màn mỗi đêm."
    draft.save_revision()
    answer = upload(admin_client, translated_xliff(out))
    report = answer.context["report"]
    assert not report.refused
    flagged = [line.key for line in report.lines if line.outcome == "flagged"]
    assert flagged == ["summary"]
    assert latest(page).summary_jra == "T:Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."
    states = unit_states(latest(page))["jra"]
    assert [unit for unit, state in states.items() if state != State.UP_TO_DATE] == ["summary"]


def test_an_outdated_translation_marked_done_again_is_confirmed(admin_client, two_articles):
    page = two_articles[0]
    upload(admin_client, translated_xliff(exported(admin_client, page)))
    draft = latest(page)
    draft.source = "Trạm Y tế xã"
    draft.save_revision()
    assert unit_states(latest(page))["jra"]["source"] == State.OUTDATED
    store = tt_xliff2.Xliff2File.parsestring(exported(admin_client, page))
    (unit,) = [unit for unit in store.units if unit.getid() == "source"]
    assert unit.isfuzzy()  # exported as still to check
    unit.target = "T:Trạm Y tế xã (demo)"  # the translator keeps it: the change was a detail
    unit.marktranslated()
    report = upload(admin_client, bytes(store)).context["report"]
    assert [(line.key, line.outcome) for line in report.lines if line.outcome != "unchanged"] == [
        ("source", "confirmed")
    ]
    assert set(unit_states(latest(page))["jra"].values()) == {State.UP_TO_DATE}


def test_a_second_import_of_one_block_vouches_for_that_block_alone(admin_client, two_articles):
    page = two_articles[0]
    upload(admin_client, translated_xliff(exported(admin_client, page)))
    draft = latest(page)
    raw = list(draft.body.raw_data)
    raw[0] = {**raw[0], "value": "Vì sao"}
    raw[2] = {**raw[2], "value": "<p>Phát quang bụi rậm.</p>"}
    draft.body = raw
    draft.save_revision()
    store = tt_xliff2.Xliff2File.parsestring(exported(admin_client, page))
    (unit,) = [unit for unit in store.units if unit.getid() == f"body.{raw[2]['id']}"]
    unit.target = marked(unit.source)
    unit.marktranslated()
    upload(admin_client, bytes(store))
    states = unit_states(latest(page))["jra"]
    assert states[f"body/{raw[2]['id']}"] == State.UP_TO_DATE
    assert states[f"body/{raw[0]['id']}"] == State.OUTDATED  # untouched: still to check
    assert latest(page).body_jra[0].value == "T:Vì sao phải ngủ màn (0)"


def broken(data, old, new):
    assert old in data
    return data.replace(old, new, 1)


BAD_FILES = {
    "broken markup": lambda data: broken(
        data, b"T:s\xe1\xbb\x91t r\xc3\xa9t&lt;/b&gt;", b"T:s\xe1\xbb\x91t r\xc3\xa9t"
    ),
    "changed id": lambda data: broken(data, b'<unit id="summary"', b'<unit id="summary2"'),
    "another site": lambda data: re.sub(rb'bl:site="[^"]*"', b'bl:site="tinh.example"', data),
    "another language": lambda data: broken(data, b'trgLang="jra"', b'trgLang="xx"'),
    "truncated": lambda data: data[: len(data) // 2],
    "a unit removed": lambda data: re.sub(rb'<unit id="source">.*?</unit>', b"", data, flags=re.S),
    "khmer script in a jrai file": lambda data: re.sub(
        rb"<target>T:Ng[^<]*</target>", "<target>ភាសាខ្មែរ</target>".encode(), data
    ),
    "an entity": lambda data: broken(
        data, b"<xliff", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff'
    ),
    "too long": lambda data: re.sub(
        rb"<target>T:V[^<]*</target>", b"<target>" + b"x" * 121 + b"</target>", data
    ),
}


def test_cham_is_taken_in_its_own_script_or_in_latin_letters_and_refused_in_another(
    admin_client, two_articles
):
    """Cham in Vietnam is written in Akhar Thrah and in a Latin romanisation; Khmer letters in a
    Cham file are a mistake. (The Cham and Khmer here are the languages' names, not invented
    text; the Latin is the Vietnamese marked as test text.)"""
    latin = translated_xliff(exported(admin_client, two_articles[0], language="cjm"))
    assert not upload(admin_client, latin, "cjm.xlf").context["report"].refused
    assert latest(two_articles[0]).summary_cjm.startswith("T:")
    for name in ("ꨌꩌ", "ភាសាខ្មែរ"):
        written = re.sub(
            rb"<target>T:Ng[^<]*</target>",
            f"<target>{name}</target>".encode(),
            translated_xliff(exported(admin_client, two_articles[1], language="cjm")),
        )
        report = upload(admin_client, written, "cjm.xlf").context["report"]
        assert report.refused == (name != "ꨌꩌ"), name


@pytest.mark.parametrize("damage", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_with_its_reason_and_nothing_of_it_is_saved(
    admin_client, two_articles, damage
):
    data = translated_xliff(exported(admin_client, two_articles[0]))
    revisions = Revision.objects.count()
    answer = upload(admin_client, BAD_FILES[damage](data))
    assert answer.status_code == 200
    reasons = refused_reasons(answer)
    assert reasons
    assert Revision.objects.count() == revisions
    assert not latest(two_articles[0]).summary_jra
    # The control: the same file undamaged is taken.
    assert not upload(admin_client, data).context["report"].refused
    assert latest(two_articles[0]).summary_jra


def test_the_reasons_say_what_is_wrong_in_the_readers_language(admin_client, two_articles):
    data = translated_xliff(exported(admin_client, two_articles[0]))
    reasons = refused_reasons(upload(admin_client, BAD_FILES["changed id"](data)))
    assert reasons == {
        "summary2": "Mục này không có đoạn văn bản đó: mã đã bị đổi, hoặc bản tiếng Việt đã bị xóa."
    }
    reasons = refused_reasons(upload(admin_client, BAD_FILES["truncated"](data)))
    assert reasons.startswith("Tệp không phải XML hợp lệ")
    reasons = refused_reasons(upload(admin_client, BAD_FILES["a unit removed"](data)))
    assert reasons.startswith("Tệp có 5 đơn vị nhưng khi xuất có 6")
    reasons = refused_reasons(upload(admin_client, BAD_FILES["broken markup"](data)))
    assert list(reasons.values()) == ["Thẻ HTML bị hỏng: có thẻ chưa đóng hoặc đóng sai thứ tự."]


def test_a_po_file_is_checked_alike_and_a_path_is_not_a_file(admin_client, two_articles):
    data = translated_po(exported(admin_client, two_articles[0], "po"))
    cut = data[: data.rindex(b"msgctxt")]
    assert refused_reasons(upload(admin_client, cut, "jra.po")).startswith("Tệp có 5 đơn vị")
    local = str(Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po").encode()
    report = upload(admin_client, local, "jra.po").context["report"]
    assert report.refused and not report.lines
    assert not upload(admin_client, data, "jra.po").context["report"].refused  # control


def test_a_jrai_translator_imports_jrai_and_cannot_change_khmer_by_a_file(
    client, admin_client, two_articles
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    translator = get_user_model().objects.create_user("dich-gia-jrai", password="pw")
    translator.groups.add(Group.objects.get(name="Translators (jra)"))
    page = two_articles[0]
    khmer = translated_xliff(exported(admin_client, page, language="km"))
    client.force_login(translator)
    revisions = Revision.objects.count()
    assert refused_reasons(upload(client, khmer)) == (
        "Tệp dành cho ភាសាខ្មែរ, ngôn ngữ bạn không được giao dịch."
    )
    # Relabelled as Jrai, the file's texts go into Jrai, never Khmer.
    relabelled = khmer.replace(b'trgLang="km"', b'trgLang="jra"')
    report = upload(client, relabelled).context["report"]
    assert not report.refused and report.saved == 1
    assert Revision.objects.count() == revisions + 1
    draft = latest(page)
    assert draft.summary_jra.startswith("T:") and not draft.summary_km
    assert Revision.objects.order_by("-pk").first().user == translator  # history says who
    # The translator's own export holds only what they may edit; the control: a Jrai file.
    assert b"cms.articlepage" in exported(client, page)


@pytest.mark.parametrize(
    "query",
    [
        "item=..%2f..%2fetc%2fpasswd&language=%3Cb%3E",
        "item=auth.user.1",
        "item=cms.articlepage.abc&format=zip",
        "item=cms.articlepage.99999999999999999999999",
        "item=" + "x" * 5000,
        "item=cms.articlepage.1&kind=%00&state=nope%3Cb%3E",
    ],
)
def test_an_export_of_an_item_not_understood_is_a_missing_one(admin_client, home, query):
    """The admin is outside the fuzz crawl: the export's hostile query strings are asked here."""
    answer = admin_client.get(f"{EXPORT}?{query}")
    assert answer.status_code == 404
    body = answer.content.decode()
    assert "x" * 100 not in body and "passwd" not in body and "nope" not in body


def test_an_export_of_nothing_goes_back_to_the_dashboard_with_the_choices_understood(
    admin_client, home
):
    answer = admin_client.get(f"{EXPORT}?language=jra&topic=market&state=nope%3Cb%3E&kind=%00")
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/translations/?language=jra&topic=market"


def test_the_import_form_refuses_a_post_without_a_file_and_a_signed_out_reader(
    client, admin_client
):
    answer = admin_client.post(IMPORT, {})
    assert answer.status_code == 200 and answer.context["report"] is None
    assert answer.context["form"].errors["file"]
    answer = client.post(IMPORT, {"file": SimpleUploadedFile("jra.xlf", b"<xliff/>")})
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_more_items_than_a_file_holds_are_refused_with_a_message(
    admin_client, two_articles, monkeypatch
):
    monkeypatch.setattr("cms.translation_exchange.EXPORT_LIMIT", 1)
    answer = admin_client.get(f"{EXPORT}?language=jra&topic=health", follow=True)
    assert answer.redirect_chain[0][0] == "/admin/translations/?language=jra&topic=health"
    said = [str(message) for message in answer.context["messages"]]
    assert said == [
        "Có 3 mục phù hợp; một tệp chỉ chứa 1 mục. Hãy chọn chủ đề, loại hoặc trạng thái."
    ]
    monkeypatch.setattr("cms.translation_exchange.EXPORT_LIMIT", 3)  # the control
    assert admin_client.get(f"{EXPORT}?language=jra&topic=health").status_code == 200


def test_markup_is_checked_against_the_vietnamese_here_not_the_files(admin_client, two_articles):
    """A file is the translator's to edit, its source too: markup slipped into both is refused."""
    data = translated_xliff(exported(admin_client, two_articles[0]))
    script = b"&lt;script&gt;alert(1)&lt;/script&gt;"
    tampered = re.sub(rb"(&lt;/p&gt;)(</(?:source|target)>)", rb"\1" + script + rb"\2", data)
    assert tampered.count(script) == 4  # two paragraphs, in source and target
    reasons = refused_reasons(upload(admin_client, tampered))
    assert set(reasons.values()) == {
        "Thẻ HTML khác bản tiếng Việt: hãy giữ nguyên mọi thẻ và liên kết."
    }
    assert len(reasons) == 2
    assert "<script>" not in str(latest(two_articles[0]).body_jra.raw_data)
